// Concrete traces from the parent links, renamed under symmetry to end in an
// image that shows the property.
// Part of Explorer (checker/explorer.hpp), which includes this file at its end.
#pragma once

#include "checker/explorer.hpp"

namespace fsrace::checker {

// Appends to `trace` the first enabled action of its last state whose
// successor `reaches` holds for.
template <Model M>
template <class Reaches>
void Explorer<M>::extendTrace(ConcreteTrace& trace, const Reaches& reaches) const {
  std::vector<Action> enabled;
  model_.actions(trace.states.back(), enabled);
  for (const Action& action : enabled) {
    State next = model_.apply(trace.states.back(), action);
    if (!reaches(next)) continue;
    trace.actions.push_back(action);
    trace.states.push_back(next);
    return;
  }
  assert(false && "no enabled action reaches the next state of the trace");
}

template <Model M>
typename Explorer<M>::ConcreteTrace Explorer<M>::concreteTrace(std::uint32_t end,
                                                               const std::function<bool(const State&)>& accept) const {
  ConcreteTrace trace;
  std::vector<std::uint32_t> stored = path(end);
  trace.states.push_back(model_.initialState());
  for (std::size_t i = 1; i < stored.size(); ++i) {
    const State& want = store_.state(stored[i]);
    extendTrace(trace, [&](const State& next) { return sameState(canonical(next), want); });
  }
  if (symmetries_ == 1 || accept(trace.states.back())) return trace;
  if constexpr (SymmetricModel<M>) {
    for (std::size_t g = 1; g < symmetries_; ++g) {
      if (!accept(model_.permute(trace.states.back(), g))) continue;
      ConcreteTrace renamed;
      renamed.states.push_back(model_.permute(trace.states.front(), g));
      for (std::size_t i = 1; i < trace.states.size(); ++i) {
        State want = model_.permute(trace.states[i], g);
        extendTrace(renamed, [&](const State& next) { return sameState(next, want); });
      }
      return renamed;
    }
  }
  assert(false && "no image of the trace's end is acceptable");
  return trace;
}

}  // namespace fsrace::checker
