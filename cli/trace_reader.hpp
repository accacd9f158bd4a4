// Reading a fsrace.counterexample/1 document strictly: every field replay
// uses is checked for presence, type and range before anything runs, and
// every problem is one SpecError line naming the file and a JSON pointer.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/trace_json.hpp"
#include "specs/model_description.hpp"

namespace fsrace::cli {

// The largest trace replay accepts (a counterexample of this tool is far shorter).
inline constexpr int kMaxTraceSteps = 100000;

// Checks the document's shape; throws SpecError naming `file` and a pointer.
void validateTrace(const std::string& file, const nlohmann::json& trace);

// The index in `family.actions()` of the step's action; validateTrace has checked its name.
std::size_t recordedKind(const specs::ModelDescription& family, const nlohmann::json& step);

// The step's action on `m`; validateTrace has checked both names.
template <class M>
typename M::Action recordedAction(const M& m, const specs::ModelDescription& family, const nlohmann::json& step) {
  return *m.parseStep(step["actor"].get<std::string>(), recordedKind(family, step));
}

// The recorded steps as actions of `m`, without running them.
template <class M>
std::vector<typename M::Action> recordedActions(const M& m, const specs::ModelDescription& family, const nlohmann::json& steps) {
  std::vector<typename M::Action> out;
  for (const auto& step : steps) out.push_back(recordedAction(m, family, step));
  return out;
}

// The recorded steps applied from the initial state, enabled or not (replay
// has checked that each is enabled before anything relies on the result).
template <class M>
TraceView<M> reexecute(const M& m, const specs::ModelDescription& family, const nlohmann::json& steps) {
  TraceView<M> view;
  view.states.push_back(m.initialState());
  for (const auto& step : steps) {
    view.actions.push_back(recordedAction(m, family, step));
    view.states.push_back(m.apply(view.states.back(), view.actions.back()));
  }
  view.switches = countSwitches(m, view.actions);
  return view;
}

}  // namespace fsrace::cli
