// The fsrace.counterexample/1 document of a run, written in one place: by
// check for the traces it finds, and by replay, which re-executes a
// document's steps and compares what it writes with what the document says.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/property.hpp"
#include "specs/model_description.hpp"
#include "specs/spec.hpp"

namespace fsrace::cli {

// What a trace's "minimality" promises, one sentence per way it was found.
inline constexpr const char* kShortest =
    "fewest steps (breadth-first), then fewest actor switches, then first in the model's stable order";
inline constexpr const char* kShortestOnly =
    "fewest steps (breadth-first), then first in the model's stable order (the run was incomplete)";
inline constexpr const char* kShortestSymmetric =
    "fewest steps (breadth-first over process-symmetry orbits), then first in the model's stable order; fewest switches "
    "and divergences are computed only without --symmetry";
inline constexpr const char* kShortestReduced =
    "fewest steps in the reduced state graph (breadth-first; --por may postpone local steps, so a shorter trace may "
    "exist), then first in the model's stable order; fewest switches and divergences are computed only without reductions";
inline constexpr const char* kShortestNoGraph =
    "fewest steps (breadth-first), then first in the model's stable order; fewest switches and divergences are not "
    "computed: their edge graph would not fit under the memory limit";
inline constexpr const char* kContinuation =
    "the counterexample's steps up to the deciding state, then the shortest continuation to the other outcome";
inline constexpr const char* kSliced =
    "delta debugging of the trace the search found: steps dropped one at a time, last first, while the end still shows "
    "the property (one pass)";
inline constexpr const char* kRandomRun =
    "none: a random run of fsrace simulate (the lowest-numbered run that shows the property), regenerated from its seed and "
    "run index; not the shortest";
// What a trace found by the search may promise (a sliced one says kSliced).
inline const std::vector<std::string> kSearchGuarantees = {kShortest, kShortestOnly, kShortestSymmetric, kShortestReduced,
                                                           kShortestNoGraph};

// A trace as concrete states: states[i] --actions[i]--> states[i + 1].
template <class M>
struct TraceView {
  std::vector<typename M::State> states;
  std::vector<typename M::Action> actions;
  std::size_t switches = 0;  // changes of actor between consecutive steps
};

template <class M>
std::size_t countSwitches(const M& m, const std::vector<typename M::Action>& actions) {
  std::size_t switches = 0;
  for (std::size_t i = 1; i < actions.size(); ++i) switches += m.actorIndex(actions[i]) != m.actorIndex(actions[i - 1]);
  return switches;
}

// How many steps two traces share from the start (a divergence: up to its deciding state).
template <class Action>
std::size_t commonPrefix(const std::vector<Action>& a, const std::vector<Action>& b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

nlohmann::json fixesJson(const std::vector<std::string>& fixes);
nlohmann::json outcomeJson(const std::vector<std::string>& fields, const checker::Outcome& values);

template <class M>
nlohmann::json changesJson(const M& m, const typename M::State& before, const typename M::State& after) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& change : m.diff(before, after))
    changes.push_back({{"field", change.field}, {"before", change.before}, {"after", change.after}});
  return changes;
}

// The fsrace.counterexample/1 document of `trace`, a run of `spec` on `m`
// (whose steps `spec.family->actions()` describes).
template <class M>
nlohmann::json traceJson(const specs::Spec& spec, const M& m, const TraceView<M>& trace, const std::string& property,
                         checker::PropertyKind kind, const std::string& guarantee) {
  nlohmann::json steps = nlohmann::json::array();
  const auto& table = spec.family->actions();
  for (std::size_t i = 0; i < trace.actions.size(); ++i) {
    const auto& before = trace.states[i];
    const auto& action = trace.actions[i];
    const auto& info = table[m.actionKindIndex(action)];
    steps.push_back({{"index", i + 1},
                     {"actor", m.actorLabel(action)},
                     {"action", info.name},
                     {"kernel", info.kernel},
                     {"context", m.context(before, action)},
                     {"changes", changesJson(m, before, trace.states[i + 1])}});
    if constexpr (requires { m.reads(before, action); }) steps.back()["reads"] = m.reads(before, action);
  }
  nlohmann::json doc = {{"format", "fsrace.counterexample/1"},
                        {"spec", spec.name},
                        {"spec_file", spec.file},
                        {"model", spec.model},
                        {"property", property},
                        {"kind", std::string(checker::kindName(kind))},
                        {"fixes", fixesJson(spec.fixes)},
                        {"parameters", spec.parameters.json()},
                        {"minimality",
                         {{"steps", trace.actions.size()}, {"switches", trace.switches}, {"sliced", false}, {"guarantee", guarantee}}},
                        {"steps", std::move(steps)}};
  const auto& last = trace.states.back();
  if (m.isTerminal(last)) doc["outcome"] = outcomeJson(m.outcomeFields(), m.outcome(last));
  return doc;
}

}  // namespace fsrace::cli
