// fsrace replay of a document: is it what fsrace writes for the run it
// records? First the steps are re-executed and the document rewritten from
// them (a precise first difference); then, where the document's guarantee
// says how it was found, the check that found it is run again and its
// document compared whole, so that what no re-execution can show (that the
// trace is the shortest, that the divergence is real, which property it is
// for) is checked too.
#include "cli/replay_document.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "cli/model_family.hpp"
#include "cli/output.hpp"
#include "cli/replay.hpp"
#include "cli/trace_json.hpp"
#include "specs/json_reader.hpp"
#include "specs/model_description.hpp"

namespace fsrace::cli {

using nlohmann::json;

std::string guaranteeOf(const json& trace, bool other_branch) {
  std::string recorded = trace["minimality"]["guarantee"];
  if (trace["minimality"]["sliced"].get<bool>()) return kSliced;
  if (other_branch) return kContinuation;
  // A random run is regenerated from its seed and index (ModelFamily::rewrite).
  if (recorded == kRandomRun && trace.contains("simulation")) return kRandomRun;
  // A divergence is computed only after a complete, unreduced run.
  if (trace.contains("other")) return recorded == kSliced ? kSliced : kShortest;
  bool known = std::find(kSearchGuarantees.begin(), kSearchGuarantees.end(), recorded) != kSearchGuarantees.end();
  return known ? recorded : kShortest;
}

namespace {

std::string shortText(const json& value) {
  std::string text = value.dump();
  return text.size() <= 60 ? text : text.substr(0, 57) + "...";
}

// The top level in reading order: what the run is, its steps, how it ends.
const std::vector<std::string> kReadingOrder = {"format", "spec",    "model",         "property", "kind",       "fixes", "parameters",
                                                "steps",  "outcome", "decided_after", "other",    "minimality", "spec_file"};

// The first place where `recorded` and `written` differ, as a line naming
// its JSON pointer, or "" where they are the same.
std::string firstDifference(const json& recorded, const json& written, const std::string& at, bool top) {
  bool same_shape = recorded.is_object() == written.is_object() && recorded.is_array() == written.is_array();
  if (!same_shape || (!recorded.is_structured() && recorded != written))
    return (at.empty() ? "/" : at) + ": the document says " + shortText(recorded) + ", fsrace writes " + shortText(written);
  if (recorded.is_array()) {
    for (std::size_t i = 0; i < std::min(recorded.size(), written.size()); ++i)
      if (auto d = firstDifference(recorded[i], written[i], specs::pointerJoin(at, i), false); !d.empty()) return d;
    if (recorded.size() == written.size()) return "";
    return (at.empty() ? "/" : at) + ": the document has " + std::to_string(recorded.size()) + " entries, fsrace writes " +
           std::to_string(written.size());
  }
  if (!recorded.is_object()) return "";
  std::vector<std::string> keys = top ? kReadingOrder : std::vector<std::string>{};
  std::set<std::string> listed(keys.begin(), keys.end());  // linear in the keys, however many a document has
  for (const json* object : {&recorded, &written})
    for (const auto& [key, value] : object->items())
      if (listed.insert(key).second) keys.push_back(key);
  for (const auto& key : keys) {
    std::string key_at = specs::pointerJoin(at, key);
    bool in_recorded = recorded.contains(key), in_written = written.contains(key);
    if (!in_recorded && !in_written) continue;
    if (!in_written) return key_at + ": in the document, but fsrace writes no such field";
    if (!in_recorded) return key_at + ": missing from the document (fsrace writes " + shortText(written[key]) + ")";
    if (auto d = firstDifference(recorded[key], written[key], key_at, false); !d.empty()) return d;
  }
  return "";
}

// The check options the document's guarantee names, in the order to try
// them. A run that stopped at a limit, or had no room for the edge graph,
// found its trace breadth-first: the complete run, with breadth-first traces
// only, finds the same one (the levels before it are the same).
std::vector<CheckOptions> runsNamedBy(const json& trace, const CheckOptions& base) {
  std::string guarantee = trace["minimality"]["guarantee"];
  auto with = [&](bool symmetry, bool partial_order, bool slice, bool breadth_first) {
    CheckOptions o = base;
    o.reductions = {symmetry, partial_order};
    o.slice = slice;
    o.breadth_first_traces = breadth_first;
    return o;
  };
  if (guarantee == kShortest) return {with(false, false, false, false)};
  if (guarantee == kShortestOnly || guarantee == kShortestNoGraph) return {with(false, false, false, true)};
  if (guarantee == kShortestSymmetric) return {with(true, false, false, false)};
  if (guarantee == kShortestReduced) return {with(false, true, false, false), with(true, true, false, false)};
  // --slice, with any reductions.
  return {with(false, false, true, false), with(true, false, true, false), with(false, true, true, false), with(true, true, true, false)};
}

// What `check` writes for `property` under `options`: its counterexample
// or witness, an empty object if it writes none, null if the run did not
// complete (`stopped` says why). Results are kept: a fuzzer or a test
// replays many documents of one run.
json checkedTrace(const specs::Spec& spec, const CheckOptions& options, const std::string& property, std::string& stopped) {
  static std::map<std::string, json> cache;
  const std::string key = json({spec.parameters.json(), fixesJson(spec.fixes), spec.file, spec.name, options.reductions.symmetry,
                                options.reductions.partial_order, options.slice, options.breadth_first_traces})
                              .dump();
  auto it = cache.find(key);
  if (it == cache.end()) {
    json result = runCheck(spec, options).result;
    if (!result["stats"]["complete"].get<bool>()) {  // not kept: another attempt may have other limits
      stopped = result["stats"]["stopped_by"].get<std::string>();
      return nullptr;
    }
    it = cache.emplace(key, std::move(result)).first;
  }
  for (const auto& p : it->second["properties"]) {
    if (p["name"] != property) continue;
    if (p.contains("counterexample")) return p["counterexample"];
    if (p.contains("witness")) return p["witness"];
  }
  return json::object();
}

// `written` without the steps' "reads" where `trace` has none: a document
// written before steps named their reads is still what fsrace writes. Its
// provenance (which build wrote it) is recorded, not replayed.
json likeRecorded(json written, const json& trace) {
  if (trace.contains("provenance")) written["provenance"] = trace["provenance"];
  const json& steps = trace["steps"];
  if (std::any_of(steps.begin(), steps.end(), [](const json& step) { return step.contains("reads"); })) return written;
  auto strip = [](json& doc) {
    if (doc.is_object() && doc.contains("steps"))
      for (auto& step : doc["steps"]) step.erase("reads");
  };
  strip(written);
  if (written.contains("other")) strip(written["other"]);
  return written;
}

// The first difference between `trace` and what the check its guarantee
// names writes, "" if one of those runs writes exactly `trace`. `stopped`
// is set if no run completed.
std::string differenceFromCheck(const specs::Spec& spec, const json& trace, const CheckOptions& base, std::string& stopped) {
  std::optional<std::string> first;
  const std::string& guarantee = trace["minimality"]["guarantee"];
  // No search found a random run: rewrite regenerated it already.
  if (guarantee == kRandomRun) return "";
  for (const CheckOptions& options : runsNamedBy(trace, base)) {
    json written = checkedTrace(spec, options, trace["property"], stopped);
    if (written.is_null()) continue;
    stopped.clear();
    if (written.empty()) return "check finds no counterexample or witness for " + trace["property"].get<std::string>();
    written["spec_file"] = trace["spec_file"];
    if (written.contains("other")) written["other"]["spec_file"] = trace["spec_file"];
    // An incomplete run says so where a complete one says why it has no graph.
    if (guarantee == kShortestOnly && written["minimality"]["guarantee"] == kShortestNoGraph) written["minimality"]["guarantee"] = kShortestOnly;
    std::string difference = firstDifference(trace, likeRecorded(std::move(written), trace), "", true);
    if (difference.empty()) return "";
    if (!first) first = difference;
  }
  return first.value_or("");
}

}  // namespace

std::string documentDifference(const specs::Spec& spec, const json& trace) {
  return firstDifference(trace, likeRecorded(familyOf(spec).rewrite(spec, trace, trace["spec_file"], false), trace), "", true);
}

ReplayReport replayDocument(const std::string& trace_file, const json& trace, const std::string& spec_file,
                            const std::vector<std::string>& extra_fixes, bool strict, const CheckOptions& search) {
  for (const auto& fix : extra_fixes)
    for (const auto& recorded : trace["fixes"])
      if (recorded == fix) throw specs::SpecError("--fix " + fix, "", "the document was made under this fix already (expected another fix)");
  // --spec stands for the file the document names, where that is here too;
  // it cannot stand for another file.
  if (!spec_file.empty()) {
    const std::string named = trace["spec_file"];
    bool resolves = specs::whyUnreadable(named).empty();
    bool same = resolves ? samePath(named, spec_file)
                         : std::filesystem::path(named).filename() == std::filesystem::path(spec_file).filename();
    if (!same) {
      ReplayReport refused;
      refused.message = "/spec_file: the document was made from \"" + named + "\", which --spec " + spec_file + " is not" +
                        (resolves ? "" : " (not even by name)") + "; not reproduced";
      return refused;
    }
  }
  // First: is the document what fsrace writes for the run it records?
  specs::Spec recorded = specOfTrace(trace_file, trace, spec_file, {});
  // --fix names a fix of the document's model, or one its spec defines.
  for (const auto& fix : extra_fixes) specs::JsonReader("--fix " + fix).oneOf(fix, "", specs::availableFixNames(recorded));
  ReplayReport report = replayTrace(recorded, trace, true);
  // The provenance names the spec the document was made from: a changed spec
  // explains a difference better than the model would.
  const json provenance = trace.value("provenance", json::object());
  if (provenance.contains("spec_sha256") && provenance["spec_sha256"] != recorded.resolved_sha256)
    report.notes.push_back("the spec has changed since the document was made (it resolves to spec_sha256 " +
                           recorded.resolved_sha256.substr(0, 12) + ", the document names " +
                           provenance["spec_sha256"].get<std::string>().substr(0, 12) + ")");
  if (!report.reproduced) return report;
  auto notWritten = [&](const std::string& difference) {
    report.reproduced = false;
    report.message = "the steps replay, but the document is not what fsrace writes for this run: " + difference;
    return report;
  };
  if (std::string difference = documentDifference(recorded, trace); !difference.empty()) return notWritten(difference);
  std::string stopped;
  std::string from_check = differenceFromCheck(recorded, trace, search, stopped);
  if (!stopped.empty()) {
    report.reproduced = false;
    report.incomplete = true;
    report.message = "the steps replay, but the search that would show the document is what fsrace writes stopped (" + stopped +
                     "); not reproduced";
    return report;
  }
  if (!from_check.empty()) return notWritten(from_check + " (compared with what fsrace check writes for it)");
  const std::string authentic =
      trace["minimality"]["guarantee"] == kRandomRun
          ? "the document is exactly what fsrace simulate writes for run " + trace["simulation"]["run"].dump() + " of seed " +
                trace["simulation"]["seed"].dump()
          : "the document is exactly what fsrace check writes for this run";
  if (extra_fixes.empty()) {
    report.message += "; " + authentic;
    return report;
  }
  // Then: does the same interleaving still show the property under the fixes?
  // One branch of a divergence cannot show it: it only shows an outcome.
  if (trace["kind"] == "deterministic" && !trace.contains("other")) {
    report.reproduced = false;
    report.message = authentic + "; it has one branch of the divergence only (fsrace writes one under --symmetry, --por or "
                                 "a limit), which cannot show under the fix that two outcomes remain: run fsrace check with the fix";
    return report;
  }
  ReplayReport under_fixes = replayTrace(specOfTrace(trace_file, trace, spec_file, extra_fixes), trace, strict);
  under_fixes.message = authentic + "; replayed under the fix: " + under_fixes.message;
  return under_fixes;
}

}  // namespace fsrace::cli
