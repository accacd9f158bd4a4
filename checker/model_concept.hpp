// The contract between a model and the engine, in the spirit of Stateright's
// Model trait: the model says what a state is and what may happen next; the
// engine decides how to explore. Nothing here knows what a filesystem is.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace fsrace::checker {

// A state is stored, compared and hashed as bytes, so it must be trivially
// copyable and have no padding (two equal values have equal bytes).
template <class S>
concept PackedState = std::is_trivially_copyable_v<S> && std::has_unique_object_representations_v<S>;

template <class M>
concept Model = requires(const M& m, const typename M::State& s, const typename M::Action& a,
                         std::vector<typename M::Action>& sink) {
  requires PackedState<typename M::State>;
  requires std::is_trivially_copyable_v<typename M::Action>;
  // The one initial state.
  { m.initialState() } -> std::same_as<typename M::State>;
  // Appends the enabled actions of `s` to `sink`, in a deterministic order.
  { m.actions(s, sink) } -> std::same_as<void>;
  // The effect of an enabled action: pure and deterministic.
  { m.apply(s, a) } -> std::same_as<typename M::State>;
  // A terminal state is one where the observed program has finished; the
  // engine does not explore past it and evaluates outcome properties there.
  { m.isTerminal(s) } -> std::same_as<bool>;
  // Dense indices used for coverage statistics and context-switch counting.
  { m.actionKindCount() } -> std::convertible_to<std::size_t>;
  { m.actionKindIndex(a) } -> std::convertible_to<std::size_t>;
  { m.actorIndex(a) } -> std::convertible_to<std::size_t>;
  // The observable result of a terminal state: one value per named field.
  { m.outcomeFields() } -> std::convertible_to<std::vector<std::string>>;
  { m.outcome(s) } -> std::convertible_to<std::vector<std::string>>;
};

// A model with a symmetry group (e.g. interchangeable processes): permute(s, g)
// for g in [0, symmetries()), g = 0 the identity. The group must map the
// transition relation onto itself: s -> t implies permute(s, g) ->
// permute(t, g), and the initial state must be fixed by every g. Properties
// need not be symmetric: the explorer evaluates them over whole orbits.
template <class M>
concept SymmetricModel = Model<M> && requires(const M& m, const typename M::State& s, std::size_t g) {
  { m.symmetries() } -> std::convertible_to<std::size_t>;
  { m.permute(s, g) } -> std::same_as<typename M::State>;
};

// A model that knows which of its steps are local, for partial-order
// reduction: localStep(s, a) gives the variable groups `a` writes (bits, as
// in Property::reads) if `a` is local in s, nullopt otherwise. Local means:
// its actor can take no other step before it, no other actor's step can
// enable, disable or observe it or be enabled, disabled or changed by it, in
// s or in any state reachable from s before it is taken, and it does not end
// the program. The explorer then may explore `a` alone from s (an ample set
// of one) when it also writes nothing an undecided property reads and its
// successor is new (the proviso that keeps a step from being postponed
// forever around a cycle).
template <class M>
concept ReducibleModel = Model<M> && requires(const M& m, const typename M::State& s, const typename M::Action& a) {
  { m.localStep(s, a) } -> std::same_as<std::optional<std::uint64_t>>;
};

}  // namespace fsrace::checker
