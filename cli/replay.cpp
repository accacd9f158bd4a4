#include "cli/replay.hpp"

#include <algorithm>
#include <optional>

#include "cli/model_family.hpp"
#include "specs/json_reader.hpp"
#include "specs/model_description.hpp"

namespace fsrace::cli {
using nlohmann::json;

specs::Spec specOfTrace(const std::string& trace_file, const json& trace, const std::string& spec_file,
                        const std::vector<std::string>& extra_fixes) {
  std::vector<std::string> sets;
  const json parameters = trace.value("parameters", json::object());
  for (const auto& [key, value] : parameters.items()) sets.push_back(key + "=" + value.dump());
  // The document records every fix of its run, the spec's own first.
  std::vector<std::string> fixes;
  for (const auto& fix : trace["fixes"]) fixes.push_back(fix.get<std::string>());
  fixes.insert(fixes.end(), extra_fixes.begin(), extra_fixes.end());
  std::string file = spec_file.empty() ? trace["spec_file"].get<std::string>() : spec_file;
  if (std::string why = specs::whyUnreadable(file); spec_file.empty() && !why.empty())
    throw specs::SpecError(trace_file, "/spec_file",
                           "cannot read \"" + file + "\" from here: " + why + " (expected a readable spec file, or --spec FILE)");
  // The document's steps are its model's: the spec must be of that model.
  if (std::string model = specs::loadSpec(file).model; model != trace["model"])
    throw specs::SpecError(trace_file, "/model",
                           trace["model"].dump() + ", but " + file + " is a spec of model \"" + model +
                               "\" (expected the spec the document was made from)");
  specs::Spec spec = specs::loadSpec(file, sets, {});
  // A fix the model does not have may be one the spec defines.
  const std::vector<std::string> available = specs::availableFixNames(spec);
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    const std::string& name = fixes[i];
    if (i < trace["fixes"].size()) specs::JsonReader(trace_file).oneOf(name, "/fixes/" + std::to_string(i), available);
    if (std::find(spec.fixes.begin(), spec.fixes.end(), name) == spec.fixes.end()) spec.fixes.push_back(name);
  }
  return spec;
}

namespace {

ReplayReport replayOne(const specs::Spec& spec, const json& trace, bool strict) {
  return familyOf(spec).replayOne(spec, trace, strict, true);
}

}  // namespace

// A divergence reproduces only if both branches replay and each still ends
// in its recorded outcome (the two differ on the property's projection).
ReplayReport replayTrace(const specs::Spec& spec, const json& trace, bool strict) {
  ReplayReport main = replayOne(spec, trace, strict);
  if (!trace.contains("other") || !main.reproduced) return main;
  ReplayReport other = replayOne(spec, trace["other"], strict);
  main.fix_steps_inserted += other.fix_steps_inserted;
  main.notes.insert(main.notes.end(), other.notes.begin(), other.notes.end());
  if (!other.reproduced) {
    main.reproduced = false;
    main.message = "the first branch reproduces, the other branch does not: " + other.message;
    return main;
  }
  if (trace.value("outcome", json()) == trace["other"].value("outcome", json())) {
    main.reproduced = false;
    main.message = "both branches replay, but they end in the same outcome: no divergence";
    return main;
  }
  main.message = "both branches replay and still end in different outcomes: " + main.message;
  return main;
}

json sliceTrace(const specs::Spec& spec, const json& trace, std::size_t first) { return familyOf(spec).slice(spec, trace, first); }

std::string renderReplayText(const std::string& trace_file, const ReplayReport& report) {
  std::string out = "fsrace replay " + trace_file + ": " + (report.reproduced ? "reproduced" : "not reproduced") + "\n  " + report.message + "\n";
  for (const auto& note : report.notes) out += "  note: " + note + "\n";
  return out;
}

}  // namespace fsrace::cli
