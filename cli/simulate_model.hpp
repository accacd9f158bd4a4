// fsrace simulate on one model, as a template over it: the simulator under
// the spec's scheduler, and the fsrace.simulation/1 document with the first
// run that shows each property as a trace. A model family instantiates it
// (cli/family_base.hpp); simulate.cpp holds what needs no model.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/simulator.hpp"
#include "cli/probabilities.hpp"
#include "cli/simulate.hpp"
#include "cli/trace_json.hpp"

namespace fsrace::cli {

namespace detail {

// Universal kinds are shown by a violation, the others by a witness.
inline bool isExistential(checker::PropertyKind kind) {
  return kind == checker::PropertyKind::Sometimes || kind == checker::PropertyKind::Exists;
}

// The expectation the spec writes for `name` ("" for none, or no_deadlock).
inline std::string expectationOf(const specs::Spec& spec, const std::string& name) {
  for (const auto& p : spec.properties)
    if (p.name == name && p.expect) return std::string(checker::verdictName(*p.expect));
  return "";
}

// Run `run` again, as the trace document of `p`: regenerated from its seed
// and index, with what regenerates it.
template <class M>
nlohmann::json simulatedTrace(const specs::Spec& spec, const checker::Simulator<M>& simulator,
                              const checker::Property<typename M::State>& p, std::uint64_t run, const SimulateOptions& options) {
  const M& m = simulator.model();
  TraceView<M> view;
  view.actions = simulator.regenerate(options.seed, run, options.max_steps);
  view.states.push_back(m.initialState());
  for (const auto& a : view.actions) view.states.push_back(m.apply(view.states.back(), a));
  view.switches = countSwitches(m, view.actions);
  nlohmann::json doc = traceJson(spec, m, view, p.name, p.kind, kRandomRun);
  doc["simulation"] = {{"seed", options.seed}, {"run", run}, {"max_steps", options.max_steps},
                       {"scheduler", spec.schedulers.front().json()}};
  return doc;
}

template <class M>
nlohmann::json simulatedProperty(const specs::Spec& spec, const checker::Simulator<M>& simulator, std::size_t index,
                                 const checker::SimulationResult& result, const SimulateOptions& options) {
  const auto& p = simulator.properties()[index];
  const auto& tally = result.properties[index];
  const bool existential = isExistential(p.kind);
  nlohmann::json entry = frequencyJson(tally.runs, result.runs, options.confidence);
  entry["name"] = p.name;
  entry["kind"] = std::string(checker::kindName(p.kind));
  entry["event"] = existential ? "witnessed" : "violated";
  std::string expect = expectationOf(spec, p.name);
  entry["expect"] = expect.empty() ? nlohmann::json(nullptr) : nlohmann::json(expect);
  entry["verdict"] = tally.runs == 0 ? "not_found" : existential ? "witnessed" : "violated";
  if (!tally.first_run) return entry;
  entry["first_run"] = *tally.first_run;
  entry[existential ? "witness" : "counterexample"] = simulatedTrace(spec, simulator, p, *tally.first_run, options);
  return entry;
}

// The outcomes, the runs' ends and lengths, and the key field's values.
inline void addOutcomes(nlohmann::json& doc, const specs::Spec& spec, const std::vector<std::string>& fields,
                        const checker::SimulationResult& result, double confidence) {
  using nlohmann::json;
  doc["outcome_fields"] = fields;
  json outcomes = json::array();
  for (const auto& [values, tally] : result.outcomes) {
    json entry = frequencyJson(tally.runs, result.runs, confidence);
    entry["outcome"] = outcomeJson(fields, values);
    entry["first_run"] = tally.first_run;
    outcomes.push_back(std::move(entry));
  }
  doc["outcomes"] = std::move(outcomes);
  doc["ends"] = {{"terminal", result.runs - result.deadlocks - result.truncated},
                 {"deadlock", result.deadlocks},
                 {"truncated", result.truncated}};
  doc["steps"] = {{"total", result.steps}, {"longest_run", result.longest_run}};
  const std::string key = spec.family->keyOutcome(fields);
  const std::size_t at = static_cast<std::size_t>(std::find(fields.begin(), fields.end(), key) - fields.begin());
  std::map<std::string, std::uint64_t> key_runs;
  for (const auto& [values, tally] : result.outcomes) key_runs[values[at]] += tally.runs;
  json key_values = json::object();
  for (const auto& [value, runs] : key_runs) key_values[value] = frequencyJson(runs, result.runs, confidence);
  doc["key"] = {{"field", key}, {"values", key_values}};
}

}  // namespace detail

template <class M>
nlohmann::json simulateModel(const specs::Spec& spec, const M& m, std::vector<checker::Property<typename M::State>> properties,
                             const SimulateOptions& options) {
  using nlohmann::json;
  const specs::Scheduler& scheduler = spec.schedulers.front();
  checker::Simulator<M> simulator(m, std::move(properties), [&](const typename M::Action& a) {
    return stepWeight(scheduler, m.actorLabel(a), spec.family->actions()[m.actionKindIndex(a)].name);
  });
  checker::SimulationOptions run_options;
  run_options.runs = options.runs;
  run_options.seed = options.seed;
  run_options.max_steps = options.max_steps;
  run_options.threads = options.threads;
  run_options.interrupted = options.interrupted;
  if (options.progress) run_options.progress = simulationProgress(options.runs);
  const checker::SimulationResult result = simulator.run(run_options);

  json doc = simulationHeader(spec, options);
  doc["runs"] = result.runs;
  doc["interrupted"] = result.interrupted;
  doc["timing"] = {{"seconds", result.seconds},
                   {"runs_per_second", result.seconds > 0 ? static_cast<double>(result.runs) / result.seconds : 0.0}};
  detail::addOutcomes(doc, spec, m.outcomeFields(), result, options.confidence);
  doc["test_fails"] = nullptr;
  json props = json::array();
  for (std::size_t i = 0; i < simulator.properties().size(); ++i) {
    props.push_back(detail::simulatedProperty(spec, simulator, i, result, options));
    if (simulator.properties()[i].name == spec.family->passProperty())
      doc["test_fails"] = frequencyJson(result.properties[i].runs, result.runs, options.confidence);
  }
  doc["properties"] = std::move(props);
  doc["exit_code"] = simulationExitCode(doc);
  return doc;
}

}  // namespace fsrace::cli
