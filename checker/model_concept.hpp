// The contract between a model and the engine, in the spirit of Stateright's
// Model trait: the model says what a state is and what may happen next; the
// engine decides how to explore. Nothing here knows what a filesystem is.
#pragma once

#include <concepts>
#include <cstddef>
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

}  // namespace fsrace::checker
