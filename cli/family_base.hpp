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

#include "checker/replay.hpp"
#include "checker/shows.hpp"
#include "cli/check_model.hpp"
#include "cli/model_family.hpp"
#include "cli/replay_document.hpp"
#include "cli/sweep_model.hpp"
#include "cli/simulate_model.hpp"
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

  nlohmann::json simulate(const specs::Spec& spec, const SimulateOptions& options) const final {
    M m = make(spec);
    return simulateModel(spec, m, build(spec, m), options);
  }

  std::size_t symmetries(const specs::Spec& spec) const final {
    if constexpr (checker::SymmetricModel<M>) return make(spec).symmetries();
    return 1;
  }

  nlohmann::json sweepCurve(const specs::Spec& spec, const SweepPlan& plan, const CheckOptions& options) const final {
    M m = make(spec);
    return sweepModel(spec, m, build(spec, m), plan, options);
  }

  ReplayReport replayOne(const specs::Spec& spec, const nlohmann::json& trace, bool strict, bool compare_changes) const final {
    M m = make(spec);
    ReplayReport report;
    const nlohmann::json& steps = trace["steps"];
    // The JSON is read once, into actions; a step no actor of the model can
    // take (validateTrace checks the names, not their pairing) replays nowhere.
    for (std::size_t i = 0; i < steps.size(); ++i)
      if (!m.parseStep(steps[i]["actor"].get<std::string>(), recordedKind(*this, steps[i]))) {
        report.message = "step " + std::to_string(i + 1) + ": " + steps[i]["actor"].get<std::string>() + " cannot take " +
                         steps[i]["action"].get<std::string>() + " in model " + name();
        return report;
      }
    const std::vector<Action> recorded = recordedActions(m, *this, steps);
    auto run = checker::replaySteps(
        m, recorded, strict, [&](const Action& a) { return isFixStep(actions()[m.actionKindIndex(a)]); },
        [&](std::size_t i, const State& before, const State& after) {
          if (compare_changes && report.notes.size() < 5 && changesJson(m, before, after) != steps[i]["changes"])
            report.notes.push_back("step " + std::to_string(i + 1) + ": " + actionText(m, recorded[i]) +
                                   " changes the state differently from the recorded trace");
          if constexpr (requires { m.reads(before, recorded[i]); })
            if (compare_changes && report.notes.size() < 5 && steps[i].contains("reads") &&
                nlohmann::json(m.reads(before, recorded[i])) != steps[i]["reads"])
              report.notes.push_back("step " + std::to_string(i + 1) + ": " + actionText(m, recorded[i]) +
                                     " reads other fields than the recorded trace says");
        });
    report.steps_replayed = run.replayed;
    report.fix_steps_inserted = run.inserted;
    if (run.stopped) {
      std::string list;
      if (run.inserted) report.notes.push_back(std::to_string(run.inserted) + " of the fix's own steps inserted before the stop");
      for (const auto& a : run.enabled) list += (list.empty() ? "" : ", ") + actionText(m, a);
      report.message = "step " + std::to_string(run.replayed + 1) + ": " + actionText(m, recorded[run.replayed]) +
                       " is not enabled under " + fixList(spec) + "; enabled: " + (list.empty() ? "nothing" : list);
      return report;
    }
    std::string name = trace["property"];
    auto property = propertyNamed(spec, m, name);
    if (!property) {
      report.message = "all " + std::to_string(steps.size()) + " steps replay, but the spec has no property \"" + name + "\" to re-check";
      return report;
    }
    report.reproduced = endReproduces(m, *property, run.end, trace);
    std::string replayed = "all " + std::to_string(steps.size()) + " steps replay under " + fixList(spec);
    if (run.inserted) replayed += " (with " + std::to_string(run.inserted) + " of the fix's own steps inserted)";
    report.message = replayed + (report.reproduced ? " and the end state shows " : " but the end state no longer shows ") + name +
                     " as recorded";
    return report;
  }

  // The same run with steps dropped while it still shows its property (see
  // checker::sliceSteps), written anew as fsrace writes a sliced trace.
  nlohmann::json slice(const specs::Spec& spec, const nlohmann::json& trace, std::size_t first) const final {
    M m = make(spec);
    nlohmann::json one = trace;
    one.erase("other");
    // Only a trace that replays and shows its property can be sliced.
    if (!replayOne(spec, one, true, false).reproduced) return trace;
    auto property = propertyNamed(spec, m, trace["property"]);
    auto steps = checker::sliceSteps(m, recordedActions(m, *this, trace["steps"]), first,
                                     [&](const State& end) { return endReproduces(m, *property, end, trace); });
    TraceView<M> view;
    view.states.push_back(m.initialState());
    for (const Action& a : steps) view.states.push_back(m.apply(view.states.back(), a));
    view.actions = steps;
    view.switches = countSwitches(m, steps);
    nlohmann::json sliced = traceJson(spec, m, view, trace["property"], property->kind, kSliced);
    sliced["spec_file"] = trace["spec_file"];
    sliced["minimality"]["sliced"] = true;
    if (trace.contains("other")) {
      sliced["other"] = slice(spec, trace["other"], trace.value("decided_after", std::size_t{0}));
      if (!replayTrace(spec, sliced, true).reproduced) sliced["other"] = trace["other"];  // keep the pair valid
      // The branches share their steps up to the deciding state.
      sliced["decided_after"] = commonPrefix(steps, recordedActions(m, *this, sliced["other"]["steps"]));
    }
    return sliced;
  }

  nlohmann::json rewrite(const specs::Spec& spec, const nlohmann::json& trace, const nlohmann::json& spec_file,
                         bool other_branch) const final {
    M m = make(spec);
    const std::string guarantee = guaranteeOf(trace, other_branch);
    TraceView<M> view = guarantee == kRandomRun ? regenerate(m, trace["simulation"]) : reexecute(m, *this, trace["steps"]);
    std::string property = trace["property"];
    nlohmann::json doc = traceJson(spec, m, view, property, kindOf(spec, m, property), guarantee);
    doc["spec_file"] = spec_file;
    if (trace.contains("simulation")) doc["simulation"] = trace["simulation"];
    doc["minimality"]["sliced"] = trace["minimality"]["sliced"];
    if (other_branch || !trace.contains("other")) return doc;
    doc["other"] = rewrite(spec, trace["other"], spec_file, true);
    doc["decided_after"] = commonPrefix(view.actions, recordedActions(m, *this, trace["other"]["steps"]));
    return doc;
  }

 private:
  // The run a random-run document records, generated again from its seed,
  // index, step limit and scheduler: the steps fsrace simulate took.
  TraceView<M> regenerate(const M& m, const nlohmann::json& simulation) const {
    const nlohmann::json& recorded = simulation["scheduler"];
    specs::Scheduler scheduler{recorded["name"], recorded["description"], recorded["rates"].get<std::map<std::string, double>>()};
    checker::Simulator<M> simulator(m, {}, [&](const Action& a) {
      return stepWeight(scheduler, m.actorLabel(a), actions()[m.actionKindIndex(a)].name);
    });
    TraceView<M> view;
    view.actions = simulator.regenerate(simulation["seed"], simulation["run"], simulation["max_steps"]);
    view.states.push_back(m.initialState());
    for (const Action& a : view.actions) view.states.push_back(m.apply(view.states.back(), a));
    view.switches = countSwitches(m, view.actions);
    return view;
  }

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

  checker::PropertyKind kindOf(const specs::Spec& spec, const M& m, const std::string& name) const {
    auto p = propertyNamed(spec, m, name);
    return p ? p->kind : checker::PropertyKind::Always;
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

  // The spec's property `name` built for `m`, or no_deadlock, which the
  // explorer adds to every run; nullopt if there is none.
  std::optional<Property> propertyNamed(const specs::Spec& spec, const M& m, const std::string& name) const {
    if (name == "no_deadlock") return checker::noDeadlockProperty<State>();
    for (auto& p : build(spec, m))
      if (p.name == name) return std::move(p);
    return std::nullopt;
  }
};

}  // namespace fsrace::cli
