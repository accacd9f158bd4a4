// libFuzzer target, differential: replay must never say "reproduced" for a
// document that differs from what fsrace writes for that run. The inputs are
// edits of real counterexamples (made by `check` at start-up: every trace of
// generic-441 at 1 fd, baseline and under the recheck fix); the fuzzer's
// bytes choose the document and up to four field-level edits (a string
// changed, a number moved, a boolean flipped, a member removed, nulled,
// added, or given another field's value). If replay reproduces an edited
// document that is not equal to the original, that is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/replay.hpp"
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

// One field-level edit of `flat` (a flattened document); returns what it did.
std::string edit(json& flat, Bytes& in) {
  std::vector<std::string> pointers;
  for (const auto& [pointer, value] : flat.items()) pointers.push_back(pointer);
  const std::string pointer = pointers[in.next16() % pointers.size()];
  json& value = flat[pointer];
  switch (in.next() % 7) {
    case 0: value = value.is_string() ? json(value.get<std::string>() + in.text()) : json(in.text()); return pointer + " text";
    case 1: {
      int delta = static_cast<int>(in.next() % 7) - 3;
      value = value.is_number_integer() ? json(value.get<std::int64_t>() + (delta ? delta : 1)) : json(delta);
      return pointer + " number";
    }
    case 2: value = value.is_boolean() ? json(!value.get<bool>()) : json(true); return pointer + " boolean";
    case 3: flat.erase(pointer); return pointer + " removed";
    case 4: value = nullptr; return pointer + " null";
    case 5: value = flat[pointers[in.next16() % pointers.size()]]; return pointer + " copied";
    default: flat[pointer.substr(0, pointer.rfind('/')) + "/extra"] = in.next(); return pointer + " sibling added";
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<json> originals = makeOriginals();
  Bytes in{data, size};
  const json& original = originals[in.next() % originals.size()];
  json flat = original.flatten();
  std::string edits;
  for (unsigned n = 1 + in.next() % 4; n > 0 && !flat.empty(); --n) edits += edit(flat, in) + "; ";
  json edited;
  try {
    edited = flat.unflatten();
  } catch (const json::exception&) {
    return 0;  // an edit that no JSON document has (a key both a value and an object)
  }
  bool reproduced = false;
  try {
    fsrace::cli::validateTrace("fuzz-trace.json", edited);
    reproduced = fsrace::cli::replayDocument("fuzz-trace.json", edited, "", {}, false).reproduced;
  } catch (const fsrace::specs::SpecError&) {
    return 0;  // refused as malformed: exit 2
  }
  if (reproduced && edited != original) {
    std::fprintf(stderr, "replay_fuzzer: an edited document reproduces: %s\n", edits.c_str());
    std::abort();
  }
  return 0;
}
