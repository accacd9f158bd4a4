// The explored state graph with its edges, rebuilt after a complete run, and
// what needs edges: traces with the fewest actor switches among the shortest,
// and the point where a divergence is decided. Only built when a trace is
// asked for; exploration itself stores no edges.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "checker/explorer.hpp"

namespace fsrace::checker {

template <Model M>
class StateGraph {
 public:
  using Action = typename M::Action;

  struct Trace {
    std::vector<std::uint32_t> states;  // from the initial state
    std::vector<Action> actions;        // actions[i] leads from states[i] to states[i + 1]
    std::size_t switches = 0;           // changes of actor between consecutive steps
  };

  explicit StateGraph(const Explorer<M>& explorer);

  // An upper bound of the bytes a graph of `states` and `transitions` takes
  // when no actor index reaches `actors`: the edge arrays (grown by doubling),
  // and per state its edge start and one switch count and edge per actor.
  static std::size_t bytesNeeded(std::size_t states, std::size_t transitions, std::size_t actors) {
    return 2 * transitions * (2 * sizeof(std::uint32_t) + sizeof(Action)) +
           states * (sizeof(std::uint32_t) + actors * (sizeof(std::uint16_t) + sizeof(std::uint32_t)));
  }

  std::uint32_t depthOf(std::uint32_t index) const {
    const auto& starts = explorer_.levelStarts();
    return static_cast<std::uint32_t>(std::upper_bound(starts.begin(), starts.end(), index) - starts.begin() - 1);
  }

  // Among the states at the depth of `end` for which `candidate` holds, a
  // trace with the fewest steps and, among those, the fewest actor switches.
  // Ties keep the breadth-first trace to `end` if it is among them; else the
  // lowest state index and the first action in model order win.
  Trace fewestSwitches(std::uint32_t end, const std::function<bool(std::uint32_t)>& candidate);

  // The parent-link trace to `end` (shortest; first in model order).
  Trace bfsTrace(std::uint32_t end) const;

  // Along `trace`, the last state from which both an outcome of class A and
  // one of class B are reachable (`classify` maps terminal states to 0 for A,
  // 1 for B, -1 for neither), and the shortest continuation from it to B.
  struct Divergence {
    std::size_t decided_after;  // steps of `trace` before the deciding state
    Trace other;                // the same prefix, then the shortest way to B
  };
  std::optional<Divergence> divergence(const Trace& trace, const std::function<int(std::uint32_t)>& classify);

 private:
  static constexpr std::uint16_t kInf = std::numeric_limits<std::uint16_t>::max();

  void buildSwitchTable();
  std::size_t countSwitches(const std::vector<Action>& actions) const;

  const Explorer<M>& explorer_;
  const M& model_;
  std::size_t actors_ = 0;
  // Successors in CSR form: edges of state i are [edge_begin_[i], edge_begin_[i + 1]).
  std::vector<std::uint32_t> edge_begin_;
  std::vector<std::uint32_t> edge_to_;
  std::vector<Action> edge_action_;
  // best_[i * actors_ + a]: fewest switches over shortest paths to i whose last step is by actor a.
  std::vector<std::uint16_t> best_;
  std::vector<std::uint32_t> best_edge_;  // the edge that achieves it (index into edge_to_)
  std::vector<std::uint32_t> edge_from_;
};

template <Model M>
StateGraph<M>::StateGraph(const Explorer<M>& explorer) : explorer_(explorer), model_(explorer.model()) {
  assert(explorer.stats().complete && "the state graph needs a complete exploration");
  std::size_t n = explorer.stateCount();
  edge_begin_.reserve(n + 1);
  std::vector<Action> scratch;
  for (std::uint32_t i = 0; i < n; ++i) {
    edge_begin_.push_back(static_cast<std::uint32_t>(edge_to_.size()));
    explorer.forEachSuccessor(i, scratch, [&](const Action& a, std::uint32_t to) {
      edge_to_.push_back(to);
      edge_action_.push_back(a);
      edge_from_.push_back(i);
      actors_ = std::max(actors_, static_cast<std::size_t>(model_.actorIndex(a)) + 1);
    });
  }
  edge_begin_.push_back(static_cast<std::uint32_t>(edge_to_.size()));
}

template <Model M>
std::size_t StateGraph<M>::countSwitches(const std::vector<Action>& actions) const {
  std::size_t switches = 0;
  for (std::size_t i = 1; i < actions.size(); ++i)
    switches += model_.actorIndex(actions[i]) != model_.actorIndex(actions[i - 1]);
  return switches;
}

template <Model M>
typename StateGraph<M>::Trace StateGraph<M>::bfsTrace(std::uint32_t end) const {
  Trace trace;
  trace.states = explorer_.path(end);
  for (std::size_t i = 1; i < trace.states.size(); ++i) trace.actions.push_back(explorer_.actionInto(trace.states[i]));
  trace.switches = countSwitches(trace.actions);
  return trace;
}

// Forward over the BFS levels, along edges from level k to level k + 1 only
// (exactly the edges of shortest paths).
template <Model M>
void StateGraph<M>::buildSwitchTable() {
  std::size_t n = explorer_.stateCount();
  best_.assign(n * actors_, kInf);
  best_edge_.assign(n * actors_, 0);
  std::vector<std::uint32_t> depth(n);
  for (std::uint32_t i = 0; i < n; ++i) depth[i] = depthOf(i);
  for (std::uint32_t s = 0; s < n; ++s) {
    for (std::uint32_t e = edge_begin_[s]; e < edge_begin_[s + 1]; ++e) {
      std::uint32_t t = edge_to_[e];
      if (depth[t] != depth[s] + 1) continue;
      std::size_t a = model_.actorIndex(edge_action_[e]);
      std::uint16_t value = kInf;
      if (s == 0) value = 0;
      for (std::size_t la = 0; la < actors_ && s != 0; ++la) {
        if (best_[s * actors_ + la] == kInf) continue;
        auto v = static_cast<std::uint16_t>(best_[s * actors_ + la] + (la != a));
        value = std::min(value, v);
      }
      if (value < best_[t * actors_ + a]) {
        best_[t * actors_ + a] = value;
        best_edge_[t * actors_ + a] = e;
      }
    }
  }
}

template <Model M>
typename StateGraph<M>::Trace StateGraph<M>::fewestSwitches(std::uint32_t end,
                                                            const std::function<bool(std::uint32_t)>& candidate) {
  if (end == 0 || actors_ == 0) return bfsTrace(end);
  if (best_.empty()) buildSwitchTable();
  std::uint32_t d = depthOf(end);
  const auto& starts = explorer_.levelStarts();
  std::uint32_t best_state = end;
  std::size_t best_actor = 0;
  std::uint16_t best_value = kInf;
  for (std::uint32_t t = starts[d]; t < starts[d + 1]; ++t) {
    if (t != end && !candidate(t)) continue;
    for (std::size_t a = 0; a < actors_; ++a) {
      if (best_[t * actors_ + a] >= best_value) continue;
      best_value = best_[t * actors_ + a];
      best_state = t;
      best_actor = a;
    }
  }
  assert(best_value != kInf && "no shortest path to the end state");
  // Ties keep the breadth-first trace (first discovery in model order).
  Trace bfs = bfsTrace(end);
  if (bfs.switches <= best_value) return bfs;
  Trace trace;
  std::uint32_t at = best_state;
  std::size_t actor = best_actor;
  while (at != 0) {
    std::uint32_t e = best_edge_[at * actors_ + actor];
    trace.states.push_back(at);
    trace.actions.push_back(edge_action_[e]);
    std::uint32_t from = edge_from_[e];
    // The predecessor's last actor: the one that achieves best_[at][actor].
    std::size_t a = model_.actorIndex(edge_action_[e]);
    std::uint16_t want = best_[at * actors_ + actor];
    std::size_t next_actor = 0;
    for (std::size_t la = 0; la < actors_ && from != 0; ++la)
      if (best_[from * actors_ + la] != kInf && best_[from * actors_ + la] + (la != a) == want) {
        next_actor = la;
        break;
      }
    at = from;
    actor = next_actor;
  }
  trace.states.push_back(0);
  std::reverse(trace.states.begin(), trace.states.end());
  std::reverse(trace.actions.begin(), trace.actions.end());
  trace.switches = countSwitches(trace.actions);
  assert(trace.switches == best_value && "switch table and trace disagree");
  return trace;
}

template <Model M>
std::optional<typename StateGraph<M>::Divergence> StateGraph<M>::divergence(
    const Trace& trace, const std::function<int(std::uint32_t)>& classify) {
  std::size_t n = explorer_.stateCount();
  // reach[i]: bit 0 if class A is reachable from i, bit 1 if class B is.
  std::vector<std::uint8_t> reach(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    int c = model_.isTerminal(explorer_.state(i)) ? classify(i) : -1;
    if (c >= 0) reach[i] = static_cast<std::uint8_t>(1u << c);
  }
  for (bool changed = true; changed;) {  // a fixpoint: the graph may have cycles
    changed = false;
    for (std::uint32_t i = static_cast<std::uint32_t>(n); i-- > 0;) {
      std::uint8_t r = reach[i];
      for (std::uint32_t e = edge_begin_[i]; e < edge_begin_[i + 1]; ++e) r |= reach[edge_to_[e]];
      if (r != reach[i]) {
        reach[i] = r;
        changed = true;
      }
    }
  }
  std::optional<std::size_t> decided;
  for (std::size_t k = 0; k < trace.states.size(); ++k)
    if (reach[trace.states[k]] == 3) decided = k;
  if (!decided) return std::nullopt;
  // Breadth-first from the deciding state to the nearest class-B terminal.
  std::uint32_t from = trace.states[*decided];
  std::vector<std::uint32_t> via(n, kNoState);
  std::deque<std::uint32_t> queue{from};
  via[from] = from;
  std::uint32_t found = kNoState;
  while (!queue.empty() && found == kNoState) {
    std::uint32_t s = queue.front();
    queue.pop_front();
    for (std::uint32_t e = edge_begin_[s]; e < edge_begin_[s + 1]; ++e) {
      std::uint32_t t = edge_to_[e];
      if (via[t] != kNoState || !(reach[t] & 2)) continue;
      via[t] = e;
      if (model_.isTerminal(explorer_.state(t)) && classify(t) == 1) {
        found = t;
        break;
      }
      queue.push_back(t);
    }
  }
  assert(found != kNoState && "class B reachable but not found");
  Divergence out;
  out.decided_after = *decided;
  std::vector<std::uint32_t> tail_states;
  std::vector<Action> tail_actions;
  for (std::uint32_t at = found; at != from; at = edge_from_[via[at]]) {
    tail_states.push_back(at);
    tail_actions.push_back(edge_action_[via[at]]);
  }
  out.other.states.assign(trace.states.begin(), trace.states.begin() + static_cast<std::ptrdiff_t>(*decided) + 1);
  out.other.actions.assign(trace.actions.begin(), trace.actions.begin() + static_cast<std::ptrdiff_t>(*decided));
  out.other.states.insert(out.other.states.end(), tail_states.rbegin(), tail_states.rend());
  out.other.actions.insert(out.other.actions.end(), tail_actions.rbegin(), tail_actions.rend());
  out.other.switches = countSwitches(out.other.actions);
  return out;
}

}  // namespace fsrace::checker
