// A model family over one model class M: a family implements what only it
// knows (its description, its scenario reader, how a spec makes an M and
// which properties it has) and inherits check, replay, slicing and the
// document rewrite, instantiated here for M. Include it only from a
// family's own .cpp.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/shows.hpp"
#include "cli/check_model.hpp"
#include "cli/model_family.hpp"
#include "cli/replay_document.hpp"
#include "cli/trace_reader.hpp"

namespace fsrace::cli {

template <class M>
class ModelFamilyOf : public ModelFamily {
 public:
  using State = typename M::State;
  using Action = typename M::Action;
  using Property = checker::Property<State>;

  // The model a spec describes (its scenario, parameters and fixes).
  virtual M make(const specs::Spec& spec) const = 0;
  // The spec's properties built for `m` (see specs::buildProperties).
  virtual std::vector<Property> build(const specs::Spec& spec, const M& m) const = 0;

  CheckOutput check(const specs::Spec& spec, const CheckOptions& options) const final {
    M m = make(spec);
    return checkModel(spec, m, build(spec, m), options);
  }

  std::size_t symmetries(const specs::Spec& spec) const final {
    if constexpr (checker::SymmetricModel<M>) return make(spec).symmetries();
    return 1;
  }

  ReplayReport replayOne(const specs::Spec& spec, const nlohmann::json& trace, bool strict, bool compare_changes) const final {
    M m = make(spec);
    ReplayReport report;
    State s = m.initialState();
    std::vector<Action> enabled;
    const nlohmann::json& steps = trace["steps"];
    for (std::size_t i = 0; i < steps.size(); ++i) {
      Action want = recordedAction(m, *this, steps[i]);
      enabled.clear();
      m.actions(s, enabled);
      bool found = std::find(enabled.begin(), enabled.end(), want) != enabled.end();
      auto fix_step = found || strict ? std::nullopt : fixStepOf(m, enabled, want);
      if (fix_step && report.fix_steps_inserted < 4 * steps.size()) {
        s = m.apply(s, *fix_step);
        ++report.fix_steps_inserted;
        --i;  // retry the recorded step
        continue;
      }
      if (!found) {
        std::string list;
        if (report.fix_steps_inserted)
          report.notes.push_back(std::to_string(report.fix_steps_inserted) + " of the fix's own steps inserted before the stop");
        for (const auto& a : enabled) list += (list.empty() ? "" : ", ") + actionText(m, a);
        report.message = "step " + std::to_string(i + 1) + ": " + actionText(m, want) + " is not enabled under " +
                         fixList(spec) + "; enabled: " + (list.empty() ? "nothing" : list);
        return report;
      }
      State next = m.apply(s, want);
      if (compare_changes && report.notes.size() < 5) {
        if (changesJson(m, s, next) != steps[i]["changes"])
          report.notes.push_back("step " + std::to_string(i + 1) + ": " + actionText(m, want) +
                                 " changes the state differently from the recorded trace");
      }
      s = next;
      report.steps_replayed = i + 1;
    }
    auto properties = build(spec, m);
    properties.push_back(deadlockProperty());
    std::string name = trace["property"];
    auto it = std::find_if(properties.begin(), properties.end(), [&](const auto& p) { return p.name == name; });
    if (it == properties.end()) {
      report.message = "all " + std::to_string(steps.size()) + " steps replay, but the spec has no property \"" + name + "\" to re-check";
      return report;
    }
    report.reproduced = endReproduces(m, *it, s, trace);
    std::string replayed = "all " + std::to_string(steps.size()) + " steps replay under " + fixList(spec);
    if (report.fix_steps_inserted) replayed += " (with " + std::to_string(report.fix_steps_inserted) + " of the fix's own steps inserted)";
    report.message = replayed + (report.reproduced ? " and the end state shows " : " but the end state no longer shows ") + name +
                     " as recorded";
    return report;
  }

  nlohmann::json slice(const specs::Spec& spec, const nlohmann::json& trace, std::size_t first) const final {
    M m = make(spec);
    nlohmann::json sliced = trace;
    sliced.erase("other");
    // Only a trace that replays can be sliced (and its steps re-applied below).
    if (!replayOne(spec, sliced, true, false).reproduced) return trace;
    for (std::size_t i = sliced["steps"].size(); i-- > first;) {
      nlohmann::json candidate = sliced;
      candidate["steps"].erase(candidate["steps"].begin() + static_cast<std::ptrdiff_t>(i));
      if (replayOne(spec, candidate, true, false).reproduced) sliced = std::move(candidate);
    }
    // Renumber and recompute what each remaining step changes.
    State s = m.initialState();
    std::size_t switches = 0;
    for (std::size_t i = 0; i < sliced["steps"].size(); ++i) {
      nlohmann::json& step = sliced["steps"][i];
      Action a = recordedAction(m, *this, step);
      State next = m.apply(s, a);
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
      sliced["other"] = slice(spec, trace["other"], trace.value("decided_after", std::size_t{0}));
      if (!replayTrace(spec, sliced, true).reproduced) sliced["other"] = trace["other"];  // keep the pair valid
      // The branches share their steps up to the deciding state.
      sliced["decided_after"] = commonPrefix(reexecute(m, *this, sliced["steps"]).actions,
                                             reexecute(m, *this, sliced["other"]["steps"]).actions);
    }
    return sliced;
  }

  nlohmann::json rewrite(const specs::Spec& spec, const nlohmann::json& trace, const nlohmann::json& spec_file,
                         bool other_branch) const final {
    M m = make(spec);
    TraceView<M> view = reexecute(m, *this, trace["steps"]);
    std::string property = trace["property"];
    nlohmann::json doc =
        traceJson(spec, m, view, property, kindOf(spec, m, property).value_or(checker::PropertyKind::Always), guaranteeOf(trace, other_branch));
    doc["spec_file"] = spec_file;
    doc["minimality"]["sliced"] = trace["minimality"]["sliced"];
    if (other_branch || !trace.contains("other")) return doc;
    doc["other"] = rewrite(spec, trace["other"], spec_file, true);
    doc["decided_after"] = commonPrefix(view.actions, reexecute(m, *this, trace["other"]["steps"]).actions);
    return doc;
  }

 private:
  std::string actionText(const M& m, const Action& a) const {
    return actions()[m.actionKindIndex(a)].name + " (" + m.actorLabel(a) + ")";
  }

  static std::string fixList(const specs::Spec& spec) {
    if (spec.fixes.empty()) return "the unmodified code";
    std::string out = "fix ";
    for (std::size_t i = 0; i < spec.fixes.size(); ++i) out += (i ? " + " : "") + spec.fixes[i];
    return out;
  }

  static bool isFixStep(const specs::ActionInfo& info) { return !info.fix.empty() || !info.point.empty(); }

  // An enabled step of `want`'s actor that exists only under the active fixes.
  std::optional<Action> fixStepOf(const M& m, const std::vector<Action>& enabled, const Action& want) const {
    for (const Action& a : enabled)
      if (m.actorIndex(a) == m.actorIndex(want) && isFixStep(actions()[m.actionKindIndex(a)])) return a;
    return std::nullopt;
  }

  // Does the end state show what the document recorded? For a divergence
  // branch: the outcome it recorded, on the property's projection.
  static bool endReproduces(const M& m, const Property& p, const State& s, const nlohmann::json& trace) {
    checker::Outcome want;
    if (p.kind == checker::PropertyKind::Deterministic) {
      if (!trace.contains("outcome")) return false;
      auto fields = m.outcomeFields();
      for (std::size_t field : p.projection) want.push_back(trace["outcome"].value(fields[field], ""));
    }
    return checker::shows(m, p, s, want);
  }

  // The property every run checks besides the spec's (the explorer adds it).
  static Property deadlockProperty() {
    Property p;
    p.name = "no_deadlock";
    p.kind = checker::PropertyKind::NoDeadlock;
    return p;
  }

  std::optional<checker::PropertyKind> kindOf(const specs::Spec& spec, const M& m, const std::string& name) const {
    if (name == "no_deadlock") return checker::PropertyKind::NoDeadlock;
    for (const auto& p : build(spec, m))
      if (p.name == name) return p.kind;
    return std::nullopt;
  }
};

}  // namespace fsrace::cli
