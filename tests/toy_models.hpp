// Toy models for engine tests: they know nothing of filesystems.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checker/model_concept.hpp"

namespace fsrace::tests {

// Two threads each do `r = x; x = r + 1`. The lost update leaves x == 1.
struct IncrementRace {
  struct State {
    std::uint8_t x, pc0, pc1, r0, r1;
  };
  struct Action {
    std::uint8_t thread;
  };
  State initialState() const { return {0, 0, 0, 0, 0}; }
  void actions(const State& s, std::vector<Action>& sink) const {
    if (s.pc0 < 2) sink.push_back({0});
    if (s.pc1 < 2) sink.push_back({1});
  }
  State apply(const State& before, const Action& a) const {
    State s = before;
    std::uint8_t& pc = a.thread ? s.pc1 : s.pc0;
    std::uint8_t& r = a.thread ? s.r1 : s.r0;
    if (pc == 0) r = s.x;
    else s.x = static_cast<std::uint8_t>(r + 1);
    ++pc;
    return s;
  }
  bool isTerminal(const State& s) const { return s.pc0 == 2 && s.pc1 == 2; }
  std::size_t actionKindCount() const { return 2; }
  std::size_t actionKindIndex(const Action& a) const { return a.thread; }
  std::size_t actorIndex(const Action& a) const { return a.thread; }
  std::vector<std::string> outcomeFields() const { return {"x"}; }
  std::vector<std::string> outcome(const State& s) const { return {std::to_string(s.x)}; }
};

// The increment race with its two threads declared interchangeable: the swap
// is a real symmetry when both threads add `step0 == step1`; with different
// steps it is a false one, which a cross-check must catch.
struct SymmetricRace : IncrementRace {
  std::uint8_t step0 = 1, step1 = 1;

  State apply(const State& before, const Action& a) const {
    State s = before;
    std::uint8_t& pc = a.thread ? s.pc1 : s.pc0;
    std::uint8_t& r = a.thread ? s.r1 : s.r0;
    if (pc == 0) r = s.x;
    else s.x = static_cast<std::uint8_t>(r + (a.thread ? step1 : step0));
    ++pc;
    return s;
  }
  std::size_t symmetries() const { return 2; }
  State permute(const State& s, std::size_t g) const { return g ? State{s.x, s.pc1, s.pc0, s.r1, s.r0} : s; }
};

// Two threads: each first bumps its own counter (a local step), then folds
// it into the shared x as x = 2x + own + thread. The fold is not local: x's final
// value depends on the order. `false_local` also declares the fold local,
// which a partial-order reduction must not be told: outcomes go missing.
struct LocalSteps {
  struct State {
    std::uint8_t x, pc0, pc1, own0, own1;
  };
  struct Action {
    std::uint8_t thread;
  };
  bool false_local = false;
  static constexpr std::uint64_t kOwn = 1, kShared = 2;

  State initialState() const { return {0, 0, 0, 0, 0}; }
  void actions(const State& s, std::vector<Action>& sink) const {
    if (s.pc0 < 3) sink.push_back({0});
    if (s.pc1 < 3) sink.push_back({1});
  }
  State apply(const State& before, const Action& a) const {
    State s = before;
    std::uint8_t& pc = a.thread ? s.pc1 : s.pc0;
    std::uint8_t& own = a.thread ? s.own1 : s.own0;
    if (pc < 2) ++own;
    else s.x = static_cast<std::uint8_t>(2 * s.x + own + a.thread);
    ++pc;
    return s;
  }
  std::optional<std::uint64_t> localStep(const State& s, const Action& a) const {
    std::uint8_t pc = a.thread ? s.pc1 : s.pc0;
    if (pc < 2) return kOwn;
    if (false_local) return kShared;
    return std::nullopt;
  }
  bool isTerminal(const State& s) const { return s.pc0 == 3 && s.pc1 == 3; }
  std::size_t actionKindCount() const { return 2; }
  std::size_t actionKindIndex(const Action& a) const { return a.thread; }
  std::size_t actorIndex(const Action& a) const { return a.thread; }
  std::vector<std::string> outcomeFields() const { return {"x"}; }
  std::vector<std::string> outcome(const State& s) const { return {std::to_string(s.x)}; }
};

// A graph given by its edges; `terminal` nodes end the program.
struct EdgeGraph {
  struct State {
    std::uint8_t node;
  };
  struct Action {
    std::uint8_t to;
    std::uint8_t actor;
  };
  std::vector<std::pair<std::uint8_t, std::uint8_t>> edges;
  std::vector<std::uint8_t> terminal;
  std::vector<std::uint8_t> actor_of_edge;  // optional: actor per edge, same order as edges

  State initialState() const { return {0}; }
  void actions(const State& s, std::vector<Action>& sink) const {
    for (std::size_t i = 0; i < edges.size(); ++i)
      if (edges[i].first == s.node)
        sink.push_back({edges[i].second, actor_of_edge.empty() ? std::uint8_t{0} : actor_of_edge[i]});
  }
  State apply(const State&, const Action& a) const { return {a.to}; }
  bool isTerminal(const State& s) const {
    for (auto t : terminal)
      if (t == s.node) return true;
    return false;
  }
  std::size_t actionKindCount() const { return 256; }
  std::size_t actionKindIndex(const Action& a) const { return a.to; }
  std::size_t actorIndex(const Action& a) const { return a.actor; }
  std::vector<std::string> outcomeFields() const { return {"node"}; }
  std::vector<std::string> outcome(const State& s) const { return {std::to_string(s.node)}; }
};

static_assert(checker::Model<IncrementRace>);
static_assert(checker::Model<EdgeGraph>);

// Counters: `kCounters` counters mod `kModulo`, each step increments one,
// and counter 0 may also reset to 0: kModulo^kCounters states, wide levels
// and many ways to reach each state, which is what the parallel claim
// protocol must get right. Terminal when every counter is kModulo - 1.
template <std::size_t kCounters, unsigned kModulo>
struct Counters {
  struct State {
    std::uint8_t c[kCounters];
  };
  struct Action {
    std::uint8_t counter;  // kCounters: reset counter 0
  };
  State initialState() const { return State{}; }
  void actions(const State& s, std::vector<Action>& sink) const {
    if (isTerminal(s)) return;
    for (std::size_t i = 0; i <= kCounters; ++i) sink.push_back({static_cast<std::uint8_t>(i)});
  }
  State apply(const State& before, const Action& a) const {
    State s = before;
    if (a.counter == kCounters) s.c[0] = 0;
    else s.c[a.counter] = static_cast<std::uint8_t>((s.c[a.counter] + 1) % kModulo);
    return s;
  }
  bool isTerminal(const State& s) const {
    for (std::size_t i = 0; i < kCounters; ++i)
      if (s.c[i] != kModulo - 1) return false;
    return true;
  }
  std::size_t actionKindCount() const { return kCounters + 1; }
  std::size_t actionKindIndex(const Action& a) const { return a.counter; }
  std::size_t actorIndex(const Action& a) const { return a.counter; }
  std::vector<std::string> outcomeFields() const { return {"c0"}; }
  std::vector<std::string> outcome(const State& s) const { return {std::to_string(s.c[0])}; }
};

}  // namespace fsrace::tests
