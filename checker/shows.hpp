// What a trace's last state must be for the trace to show a property: the
// one definition that choosing a counterexample, replaying one and slicing
// one share.
#pragma once

#include <vector>

#include "checker/model_concept.hpp"
#include "checker/property.hpp"

namespace fsrace::checker {

// The outcome fields of `outcome` that `projection` selects, in its order.
inline Outcome project(const Outcome& outcome, const std::vector<std::size_t>& projection) {
  Outcome out;
  for (std::size_t field : projection) out.push_back(outcome[field]);
  return out;
}

// Whether `s` ends a trace that shows `p`: a state where an `always` fails
// or a `sometimes` holds, a terminal state whose outcome violates a `forall`
// or satisfies an `exists`/`not_exists` condition, a terminal state whose
// outcome projects to `want` (deterministic: one side of a divergence), or
// a deadlock.
template <Model M>
bool shows(const M& m, const Property<typename M::State>& p, const typename M::State& s, const Outcome& want = {}) {
  switch (p.kind) {
    case PropertyKind::Always: return !p.state_predicate(s);
    case PropertyKind::Sometimes: return p.state_predicate(s);
    case PropertyKind::Forall: return m.isTerminal(s) && !p.outcome_predicate(m.outcome(s));
    case PropertyKind::Exists:
    case PropertyKind::NotExists: return m.isTerminal(s) && p.outcome_predicate(m.outcome(s));
    case PropertyKind::Deterministic: return m.isTerminal(s) && project(m.outcome(s), p.projection) == want;
    case PropertyKind::NoDeadlock: {
      if (m.isTerminal(s)) return false;
      std::vector<typename M::Action> enabled;
      m.actions(s, enabled);
      return enabled.empty();
    }
  }
  return false;
}

}  // namespace fsrace::checker
