// The exact store of visited states: every state is kept whole, so "not seen"
// means not seen (no lossy hashing). States live in one vector in discovery
// order; an open-addressing table of 32-bit indices finds them by content.
// Parent links (index of the parent state and the action taken) live in flat
// arrays beside the states, so traces are rebuilt without storing paths.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "checker/model_concept.hpp"

namespace fsrace::checker {

// Fixed-seed 64-bit hash over the state's bytes: same input, same table
// layout, same exploration order on every run.
inline std::uint64_t hashBytes(const unsigned char* data, std::size_t size) {
  constexpr std::uint64_t kSeed = 0x9e3779b97f4a7c15ULL;
  constexpr std::uint64_t kMul = 0xff51afd7ed558ccdULL;
  std::uint64_t h = kSeed ^ (size * kMul);
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + i, 8);
    h = (h ^ word) * kMul;
    h ^= h >> 32;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, data + i, size - i);
  h = (h ^ tail) * kMul;
  h ^= h >> 29;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 32;
  return h;
}

template <PackedState State, class Action>
class StateStore {
 public:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  StateStore() { slots_.assign(1024, kNone); }

  std::size_t size() const { return states_.size(); }
  const State& state(std::uint32_t index) const { return states_[index]; }
  std::uint32_t parent(std::uint32_t index) const { return parents_[index]; }
  const Action& action(std::uint32_t index) const { return actions_[index]; }

  // Inserts `state` reached from `parent` by `action` if it is new. Returns
  // its index and whether it was new.
  std::pair<std::uint32_t, bool> insert(const State& state, std::uint32_t parent, const Action& action) {
    if ((states_.size() + 1) * 2 > slots_.size()) grow();
    std::size_t mask = slots_.size() - 1;
    std::size_t slot = hashOf(state) & mask;
    while (slots_[slot] != kNone) {
      std::uint32_t existing = slots_[slot];
      if (std::memcmp(&states_[existing], &state, sizeof(State)) == 0) return {existing, false};
      slot = (slot + 1) & mask;
    }
    assert(states_.size() < kNone && "state store: more than 2^32-1 states");
    auto index = static_cast<std::uint32_t>(states_.size());
    slots_[slot] = index;
    states_.push_back(state);
    parents_.push_back(parent);
    actions_.push_back(action);
    return {index, true};
  }

  // The index of `state`, or kNone if it was never stored.
  std::uint32_t find(const State& state) const {
    std::size_t mask = slots_.size() - 1;
    for (std::size_t slot = hashOf(state) & mask; slots_[slot] != kNone; slot = (slot + 1) & mask)
      if (std::memcmp(&states_[slots_[slot]], &state, sizeof(State)) == 0) return slots_[slot];
    return kNone;
  }

  // Bytes held by the store, for the memory limit and bytes/state figures.
  std::size_t bytesUsed() const {
    return states_.capacity() * sizeof(State) + parents_.capacity() * sizeof(std::uint32_t) +
           actions_.capacity() * sizeof(Action) + slots_.capacity() * sizeof(std::uint32_t);
  }

 private:
  static std::size_t hashOf(const State& state) {
    return static_cast<std::size_t>(hashBytes(reinterpret_cast<const unsigned char*>(&state), sizeof(State)));
  }

  void grow() {
    std::vector<std::uint32_t> bigger(slots_.size() * 2, kNone);
    std::size_t mask = bigger.size() - 1;
    for (std::uint32_t index = 0; index < states_.size(); ++index) {
      std::size_t slot = hashOf(states_[index]) & mask;
      while (bigger[slot] != kNone) slot = (slot + 1) & mask;
      bigger[slot] = index;
    }
    slots_.swap(bigger);
  }

  std::vector<State> states_;
  std::vector<std::uint32_t> parents_;
  std::vector<Action> actions_;
  std::vector<std::uint32_t> slots_;
};

}  // namespace fsrace::checker
