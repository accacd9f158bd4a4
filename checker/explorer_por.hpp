// Partial-order reduction: a provably local step explored alone.
// Part of Explorer (checker/explorer.hpp), which includes this file at its end.
#pragma once

#include "checker/explorer.hpp"

namespace fsrace::checker {

// What the undecided state properties read. A decided one (a violated
// invariant, a witnessed cover) needs no more states; outcome properties and
// deadlocks are judged at states no reduction removes.
template <Model M>
std::uint64_t Explorer<M>::observedGroups() const {
  std::uint64_t groups = 0;
  for (std::size_t p = 0; p < properties_.size(); ++p) {
    PropertyKind kind = properties_[p].kind;
    if ((kind == PropertyKind::Always || kind == PropertyKind::Sometimes) && results_[p].trace_end == kNoState)
      groups |= properties_[p].reads;
  }
  return groups;
}

// The first local step, in model order, that no undecided property observes
// and whose successor is not stored yet replaces the enabled set. The store
// is read as it was when the batch began, so the choice is the same for any
// number of threads.
template <Model M>
void Explorer<M>::reduceToAmple(const State& current, std::vector<Action>& enabled) const {
  if constexpr (ReducibleModel<M>) {
    for (const Action& action : enabled) {
      std::optional<std::uint64_t> writes = model_.localStep(current, action);
      if (!writes || (*writes & observed_)) continue;
      State next = canonical(model_.apply(current, action));
      if (store_.find(next) != StateStore<State>::kNone) continue;
      Action ample = action;
      enabled.assign(1, ample);
      return;
    }
  }
}

}  // namespace fsrace::checker
