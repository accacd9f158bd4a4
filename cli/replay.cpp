#include "cli/replay.hpp"

#include <algorithm>
#include <optional>

#include "checker/shows.hpp"
#include "cli/trace_json.hpp"
#include "cli/trace_reader.hpp"

#include "specs/json_reader.hpp"
#include "specs/properties.hpp"

namespace fsrace::cli {
namespace {

using checker::PropertyKind;
using model::Action;
using model::BcachefsModel;
using nlohmann::json;

std::string actionText(const BcachefsModel& m, const Action& a) {
  return std::string(model::actionTable()[static_cast<std::size_t>(a.kind)].name) + " (" + m.actorLabel(a) + ")";
}

std::string fixList(const BcachefsModel& m) {
  if (m.fixes().empty()) return "the unmodified code";
  std::string out = "fix ";
  for (std::size_t i = 0; i < m.fixes().size(); ++i)
    out += (i ? " + " : "") + std::string(model::fixTable()[static_cast<std::size_t>(m.fixes()[i])].name);
  return out;
}


// Does the end state show what the document recorded? For a divergence
// branch: the outcome it recorded, on the property's projection.
bool endReproduces(const BcachefsModel& m, const specs::ModelProperty& p, const model::State& s, const json& trace) {
  checker::Outcome want;
  if (p.kind == PropertyKind::Deterministic) {
    if (!trace.contains("outcome")) return false;
    auto fields = m.outcomeFields();
    for (std::size_t field : p.projection) want.push_back(trace["outcome"].value(fields[field], ""));
  }
  return checker::shows(m, p, s, want);
}

// The property every run checks besides the spec's (the explorer adds it).
specs::ModelProperty deadlockProperty() {
  specs::ModelProperty p;
  p.name = "no_deadlock";
  p.kind = PropertyKind::NoDeadlock;
  return p;
}

}  // namespace

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
  specs::Spec spec = specs::loadSpec(file, sets, {});
  for (const auto& name : fixes) {
    model::Fix fix = *specs::fixByName(name);  // validateTrace and the --fix check have seen every name
    if (std::find(spec.fixes.begin(), spec.fixes.end(), fix) == spec.fixes.end()) spec.fixes.push_back(fix);
  }
  return spec;
}

namespace {

// An enabled step of `actor` that exists only under the active fixes.
std::optional<Action> fixStepOf(const std::vector<Action>& enabled, const Action& want) {
  for (const Action& a : enabled)
    if (a.actor == want.actor && a.who == want.who && !model::actionTable()[static_cast<std::size_t>(a.kind)].fix.empty()) return a;
  return std::nullopt;
}

}  // namespace

// `compare_changes`: note steps whose effect differs from the recorded one
// (slicing, which only asks "does it still reproduce?", skips that cost).
ReplayReport replayOne(const specs::Spec& spec, const json& trace, bool strict, bool compare_changes = true);

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

ReplayReport replayOne(const specs::Spec& spec, const json& trace, bool strict, bool compare_changes) {
  BcachefsModel m(spec.program, spec.fixes, specs::modelOptions(spec));
  ReplayReport report;
  model::State s = m.initialState();
  std::vector<Action> enabled;
  const json& steps = trace["steps"];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Action want = recordedAction(steps[i]);
    enabled.clear();
    m.actions(s, enabled);
    bool found = std::any_of(enabled.begin(), enabled.end(), [&](const Action& a) { return sameStep(a, want); });
    auto fix_step = found || strict ? std::nullopt : fixStepOf(enabled, want);
    if (fix_step && report.fix_steps_inserted < 4 * steps.size()) {
      s = m.apply(s, *fix_step);
      ++report.fix_steps_inserted;
      --i;  // retry the recorded step
      continue;
    }
    if (!found) {
      std::string list;
      if (report.fix_steps_inserted) report.notes.push_back(std::to_string(report.fix_steps_inserted) + " of the fix's own steps inserted before the stop");
      for (const auto& a : enabled) list += (list.empty() ? "" : ", ") + actionText(m, a);
      report.message = "step " + std::to_string(i + 1) + ": " + actionText(m, want) + " is not enabled under " + fixList(m) +
                       "; enabled: " + (list.empty() ? "nothing" : list);
      return report;
    }
    model::State next = m.apply(s, want);
    if (compare_changes && report.notes.size() < 5) {
      if (changesJson(m, s, next) != steps[i]["changes"])
        report.notes.push_back("step " + std::to_string(i + 1) + ": " + actionText(m, want) + " changes the state differently from the recorded trace");
    }
    s = next;
    report.steps_replayed = i + 1;
  }
  auto properties = specs::buildProperties(spec, m);
  properties.push_back(deadlockProperty());
  std::string name = trace["property"];
  auto it = std::find_if(properties.begin(), properties.end(), [&](const auto& p) { return p.name == name; });
  if (it == properties.end()) {
    report.message = "all " + std::to_string(steps.size()) + " steps replay, but the spec has no property \"" + name + "\" to re-check";
    return report;
  }
  report.reproduced = endReproduces(m, *it, s, trace);
  std::string replayed = "all " + std::to_string(steps.size()) + " steps replay under " + fixList(m);
  if (report.fix_steps_inserted) replayed += " (with " + std::to_string(report.fix_steps_inserted) + " of the fix's own steps inserted)";
  report.message = replayed + (report.reproduced ? " and the end state shows " : " but the end state no longer shows ") + name +
                   " as recorded";
  return report;
}

json sliceTrace(const specs::Spec& spec, const json& trace, std::size_t first) {
  BcachefsModel m(spec.program, spec.fixes, specs::modelOptions(spec));
  json sliced = trace;
  sliced.erase("other");
  // Only a trace that replays can be sliced (and its steps re-applied below).
  if (!replayOne(spec, sliced, true, false).reproduced) return trace;
  for (std::size_t i = sliced["steps"].size(); i-- > first;) {
    json candidate = sliced;
    candidate["steps"].erase(candidate["steps"].begin() + static_cast<std::ptrdiff_t>(i));
    if (replayOne(spec, candidate, true, false).reproduced) sliced = std::move(candidate);
  }
  // Renumber and recompute what each remaining step changes.
  model::State s = m.initialState();
  std::size_t switches = 0;
  for (std::size_t i = 0; i < sliced["steps"].size(); ++i) {
    json& step = sliced["steps"][i];
    Action a = recordedAction(step);
    model::State next = m.apply(s, a);
    step["index"] = i + 1;
    step["changes"] = changesJson(m, s, next);
    step["context"] = m.context(s, a);
    if (i > 0 && sliced["steps"][i - 1]["actor"] != step["actor"]) ++switches;
    s = next;
  }
  sliced["minimality"]["steps"] = sliced["steps"].size();
  sliced["minimality"]["switches"] = switches;
  sliced["minimality"]["sliced"] = true;
  sliced["minimality"]["guarantee"] = kSliced;
  if (trace.contains("other")) {
    sliced["other"] = sliceTrace(spec, trace["other"], trace.value("decided_after", std::size_t{0}));
    if (!replayTrace(spec, sliced, true).reproduced) sliced["other"] = trace["other"];  // keep the pair valid
    // The branches share their steps up to the deciding state.
    sliced["decided_after"] = commonPrefix(reexecute(m, sliced["steps"]).actions, reexecute(m, sliced["other"]["steps"]).actions);
  }
  return sliced;
}

std::string renderReplayText(const std::string& trace_file, const ReplayReport& report) {
  std::string out = "fsrace replay " + trace_file + ": " + (report.reproduced ? "reproduced" : "not reproduced") + "\n  " + report.message + "\n";
  for (const auto& note : report.notes) out += "  note: " + note + "\n";
  return out;
}

}  // namespace fsrace::cli
