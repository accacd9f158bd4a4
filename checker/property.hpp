// The property vocabulary, after TLC, Stateright, Rumur and herd7.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fsrace::checker {

enum class PropertyKind {
  Always,         // P holds in every reachable state (safety invariant)
  Sometimes,      // P holds in some reachable state (cover / witness)
  Forall,         // every terminal outcome satisfies P
  Exists,         // some terminal outcome satisfies P
  NotExists,      // no terminal outcome satisfies P
  Deterministic,  // all terminal outcomes agree on a projection of their fields
  NoDeadlock,     // every non-terminal state has an enabled action (built in)
};

enum class Verdict { Holds, Violated, Incomplete };

using Outcome = std::vector<std::string>;

template <class State>
struct Property {
  std::string name;
  PropertyKind kind = PropertyKind::Always;
  std::string description;
  // Always / Sometimes.
  std::function<bool(const State&)> state_predicate;
  // Forall / Exists / NotExists.
  std::function<bool(const Outcome&)> outcome_predicate;
  // Deterministic: indices of the outcome fields that must agree.
  std::vector<std::size_t> projection;
  // Always / Sometimes: the model's variable groups the predicate reads
  // (a bit each, model-defined), for partial-order reduction: a step that
  // writes none of them cannot change the predicate. All, unless declared.
  std::uint64_t reads = ~std::uint64_t{0};
};

// The built-in no_deadlock property, which the explorer and the simulator
// add to every run.
template <class State>
Property<State> noDeadlockProperty() {
  Property<State> deadlock;
  deadlock.name = "no_deadlock";
  deadlock.kind = PropertyKind::NoDeadlock;
  deadlock.description = "every state where the program has not finished has an enabled step";
  return deadlock;
}

inline std::string_view kindName(PropertyKind kind) {
  switch (kind) {
    case PropertyKind::Always: return "always";
    case PropertyKind::Sometimes: return "sometimes";
    case PropertyKind::Forall: return "forall";
    case PropertyKind::Exists: return "exists";
    case PropertyKind::NotExists: return "not_exists";
    case PropertyKind::Deterministic: return "deterministic";
    case PropertyKind::NoDeadlock: return "no_deadlock";
  }
  return "?";
}

inline std::string_view verdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::Holds: return "holds";
    case Verdict::Violated: return "violated";
    case Verdict::Incomplete: return "incomplete";
  }
  return "?";
}

// Whether a property's interesting trace shows a violation (true) or a
// witness that it holds (false), given the verdict.
inline bool isOutcomeKind(PropertyKind kind) {
  return kind == PropertyKind::Forall || kind == PropertyKind::Exists ||
         kind == PropertyKind::NotExists || kind == PropertyKind::Deterministic;
}

}  // namespace fsrace::checker
