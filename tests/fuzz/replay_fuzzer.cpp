// libFuzzer target, differential: replay must never say "reproduced" for a
// document that differs from what fsrace writes for that run. The inputs are
// edits of real counterexamples (made by `check` at start-up: every trace of
// generic-441 at 1 fd, baseline and under the recheck fix); the fuzzer's
// bytes choose the document and up to four field-level edits (a string
// changed, a number moved, a boolean flipped, a member removed, nulled,
// added, or given another field's value, an array grown). If replay
// reproduces an edited document that is neither the original nor exactly
// what fsrace check writes for the run it names, that is a finding.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/replay.hpp"
#include "cli/replay_document.hpp"
#include "cli/run.hpp"
#include "specs/json_reader.hpp"

namespace {

using nlohmann::json;

// Every trace `check` writes for the spec, with and without the fix.
std::vector<json> makeOriginals() {
  if (::chdir(FSRACE_SOURCE_DIR) != 0) std::abort();  // documents name their spec relative to the source root
  std::vector<json> docs;
  for (std::vector<std::string> fixes : {std::vector<std::string>{}, {"recheck_journal_error_before_triggers"}}) {
    auto spec = fsrace::specs::loadSpec("specs/generic-441.json", {"fds=1"}, fixes);
    json result = fsrace::cli::runCheck(spec, {}).result;
    for (const auto& p : result["properties"])
      for (const char* key : {"counterexample", "witness"})
        if (p.contains(key)) docs.push_back(p[key]);
  }
  if (docs.empty()) std::abort();
  return docs;
}

// Reads the fuzzer's bytes as small numbers; zeros once they run out.
struct Bytes {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t at = 0;
  unsigned next() { return at < size ? data[at++] : 0u; }
  unsigned next16() { return next() << 8 | next(); }
  std::string text() {
    std::string out;
    for (unsigned n = next() % 12; n > 0; --n) out += static_cast<char>(' ' + next() % 95);
    return out;
  }
};

// Every node's pointer, in document order (empty arrays and objects too:
// flatten() would turn them into null).
void pointersOf(const json& node, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  out.push_back(at);
  if (node.is_object())
    for (const auto& [key, member] : node.items()) pointersOf(member, at / key, out);
  if (node.is_array())
    for (std::size_t i = 0; i < node.size(); ++i) pointersOf(node[i], at / i, out);
}

// One field-level edit of `doc`; returns what it did.
std::string edit(json& doc, Bytes& in) {
  std::vector<json::json_pointer> pointers;
  pointersOf(doc, json::json_pointer(), pointers);
  const json::json_pointer at = pointers[1 + in.next16() % (pointers.size() - 1)];  // never the root itself
  json& value = doc[at];
  const std::string where = at.to_string();
  switch (in.next() % 8) {
    case 0: value = value.is_string() ? json(value.get<std::string>() + in.text()) : json(in.text()); return where + " text";
    case 1: {
      int delta = static_cast<int>(in.next() % 7) - 3;
      value = value.is_number_integer() ? json(value.get<std::int64_t>() + (delta ? delta : 1)) : json(delta);
      return where + " number";
    }
    case 2: value = value.is_boolean() ? json(!value.get<bool>()) : json(true); return where + " boolean";
    case 3: {
      json& parent = doc[at.parent_pointer()];
      if (parent.is_object()) parent.erase(at.back());
      else parent.erase(static_cast<std::size_t>(std::stoul(at.back())));
      return where + " removed";
    }
    case 4: value = nullptr; return where + " null";
    case 5: value = doc[pointers[1 + in.next16() % (pointers.size() - 1)]]; return where + " copied";
    case 6: if (value.is_array()) value.push_back(value.empty() ? json("x") : value.back()); return where + " grown";
    default: if (value.is_object()) value["extra"] = in.next(); return where + " member added";
  }
}

// What `fsrace check` writes for the property of `trace` under the spec,
// parameters and fixes it names: a replay may reproduce an edited document
// only if it is exactly this (an edit can make another run's genuine
// document, e.g. a parameter the trace does not depend on).
json writtenByCheck(const json& trace) {
  std::vector<std::string> sets;
  for (const auto& [key, value] : trace["parameters"].items()) sets.push_back(key + "=" + value.dump());
  std::vector<std::string> fixes;
  for (const auto& fix : trace["fixes"]) fixes.push_back(fix);
  auto spec = fsrace::specs::loadSpec(trace["spec_file"], sets, {});
  for (const auto& name : fixes)
    if (std::find(spec.fixes.begin(), spec.fixes.end(), name) == spec.fixes.end()) spec.fixes.push_back(name);
  json result = fsrace::cli::runCheck(spec, {}).result;
  for (const auto& p : result["properties"])
    if (p["name"] == trace["property"]) return p.value("counterexample", p.value("witness", json()));
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<json> originals = makeOriginals();
  Bytes in{data, size};
  const json& original = originals[in.next() % originals.size()];
  json edited = original;
  std::string edits;
  for (unsigned n = 1 + in.next() % 4; n > 0; --n) edits += edit(edited, in) + "; ";
  bool reproduced = false;
  try {
    fsrace::cli::validateTrace("fuzz-trace.json", edited);
    reproduced = fsrace::cli::replayDocument("fuzz-trace.json", edited, "", {}, false).reproduced;
  } catch (const fsrace::specs::SpecError&) {
    return 0;  // refused as malformed: exit 2
  }
  if (reproduced && edited != original && edited != writtenByCheck(edited)) {
    std::fprintf(stderr, "replay_fuzzer: an edited document reproduces: %s\n", edits.c_str());
    std::abort();
  }
  return 0;
}
