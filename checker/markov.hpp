// The explored state graph as a discrete-time Markov chain (after PRISM and
// Storm): from a state, each enabled step is taken with probability
// proportional to its weight. Terminal states and deadlocks absorb; the
// result is, for each, the probability that a run ends there, and the
// probability that a run never ends (it enters a cycle it cannot leave).
//
// The graph is built once (its edges and which step class each edge is);
// solve() then takes the weights of the step classes, so many schedulers
// (a sweep of one rate) cost one exploration. The solution goes through the
// strongly connected components in topological order: probability flows
// forward along an acyclic graph exactly (up to the rounding of doubles);
// a component with a cycle is solved for its expected visits, directly
// (Gaussian elimination) up to kDirectLimit states and by Gauss-Seidel
// iteration to kTolerance beyond (at most kMaxSweeps sweeps and about
// kMaxSweepWork edge visits; past that the solution says it did not converge).
#pragma once

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "checker/explorer.hpp"

namespace fsrace::checker {

// How the chain was solved: exactly on an acyclic graph, or with cycles.
struct MarkovSolution {
  std::vector<double> absorbed;  // per state: the probability that a run ends there (0 unless terminal or deadlocked)
  double never_ends = 0;         // the probability of entering a cycle with no way out
  std::size_t cyclic_components = 0;  // components with a cycle (a step back to a state already visited)
  std::size_t largest_component = 1;  // states in the largest of them
  bool iterated = false;              // some component was too large to solve directly
  // The largest relative change of a value in the last Gauss-Seidel sweep
  // (0 when none was needed): how the iteration stopped, not a bound on
  // the error, which a slowly mixing cycle can make larger.
  double last_change = 0;
  bool converged = true;              // every iteration reached kTolerance within kMaxSweeps
};

template <Model M>
class MarkovChain {
 public:
  using Action = typename M::Action;

  static constexpr std::size_t kDirectLimit = 200;
  static constexpr double kTolerance = 1e-15;
  static constexpr std::size_t kMaxSweeps = 1'000'000;
  static constexpr std::size_t kMaxSweepWork = 4'000'000'000;

  // `explorer` must have explored every reachable state, unreduced (a
  // reduced graph's branching is not the model's). Components with a cycle
  // of up to `direct_limit` states are solved directly, larger ones iterated.
  explicit MarkovChain(const Explorer<M>& explorer, std::size_t direct_limit = kDirectLimit)
      : direct_limit_(direct_limit) {
    assert(explorer.stats().complete && !explorer.reducedBySymmetry() && !explorer.reducedByPartialOrder());
    const M& m = explorer.model();
    std::size_t n = explorer.stateCount();
    const std::size_t kinds = m.actionKindCount();
    std::vector<std::int32_t> class_of;  // by actorIndex * kinds + kind: index into classes_, or -1
    begin_.reserve(n + 1);
    std::vector<Action> scratch;
    for (std::uint32_t i = 0; i < n; ++i) {
      begin_.push_back(static_cast<std::uint32_t>(to_.size()));
      explorer.forEachSuccessor(i, scratch, [&](const Action& a, std::uint32_t to) {
        std::size_t key = m.actorIndex(a) * kinds + m.actionKindIndex(a);
        if (key >= class_of.size()) class_of.resize(key + 1, -1);
        if (class_of[key] < 0) {
          if (classes_.size() > std::numeric_limits<std::uint16_t>::max())
            throw std::length_error("more than 65,536 (actor, step) pairs: a scheduler cannot weigh them");
          class_of[key] = static_cast<std::int32_t>(classes_.size());
          classes_.push_back(a);
        }
        to_.push_back(to);
        class_.push_back(static_cast<std::uint16_t>(class_of[key]));
      });
    }
    begin_.push_back(static_cast<std::uint32_t>(to_.size()));
    components();
  }

  // One action for each (actor, step) pair the graph's edges take: solve()
  // takes a weight for each, in this order.
  const std::vector<Action>& stepClasses() const { return classes_; }
  std::size_t edges() const { return to_.size(); }
  bool acyclic() const { return cyclic_.empty(); }

  MarkovSolution solve(const std::vector<double>& weights) const {
    assert(weights.size() == classes_.size());
    std::size_t n = begin_.size() - 1;
    MarkovSolution out;
    out.absorbed.assign(n, 0.0);
    std::vector<double> mass(n, 0.0);  // the probability of reaching a state (for a cycle's states: their incoming mass)
    mass[0] = 1.0;
    auto push = [&](std::uint32_t s, double visits, bool only_out) {
      double sum = weightOut(s, weights).all;
      for (std::uint32_t e = begin_[s]; e < begin_[s + 1]; ++e)
        if (!only_out || component_[to_[e]] != component_[s]) mass[to_[e]] += visits * weights[class_[e]] / sum;
    };
    out.cyclic_components = cyclic_.size();
    // Components in topological order: every edge goes to a later one (or stays inside).
    for (std::size_t c = order_.size(); c-- > 0;) {
      std::uint32_t first = order_[c];
      std::uint32_t id = component_[first];
      auto cycle = std::lower_bound(cyclic_.begin(), cyclic_.end(), id,
                                    [](const Cycle& k, std::uint32_t v) { return k.component < v; });
      if (cycle == cyclic_.end() || cycle->component != id) {
        if (mass[first] == 0) continue;
        if (begin_[first] == begin_[first + 1]) out.absorbed[first] = mass[first];
        else push(first, mass[first], false);
        continue;
      }
      const auto& members = cycle->members;
      out.largest_component = std::max(out.largest_component, members.size());
      double incoming = 0;
      for (std::uint32_t s : members) incoming += mass[s];
      if (incoming == 0) continue;
      if (!cycle->has_exit) {
        out.never_ends += incoming;
        continue;
      }
      std::vector<double> visits = members.size() <= direct_limit_ ? solveDirect(*cycle, weights, mass)
                                                                   : solveIterated(*cycle, weights, mass, out);
      for (std::size_t k = 0; k < members.size(); ++k) push(members[k], visits[k], true);
    }
    return out;
  }

 private:
  struct Cycle {
    std::uint32_t component;
    std::vector<std::uint32_t> members;  // ascending
    bool has_exit = false;
  };

  // The weight of state s's edges, all of them and those but its self-loops.
  struct Out {
    double all = 0, leaving = 0;
  };
  Out weightOut(std::uint32_t s, const std::vector<double>& weights) const {
    Out out;
    for (std::uint32_t e = begin_[s]; e < begin_[s + 1]; ++e) {
      out.all += weights[class_[e]];
      if (to_[e] != s) out.leaving += weights[class_[e]];
    }
    return out;
  }

  std::size_t localIndex(const Cycle& cycle, std::uint32_t s) const {
    return static_cast<std::size_t>(std::lower_bound(cycle.members.begin(), cycle.members.end(), s) - cycle.members.begin());
  }

  // visits = incoming + P^T visits inside the component, by Gaussian
  // elimination with partial pivoting on (I - P^T).
  std::vector<double> solveDirect(const Cycle& cycle, const std::vector<double>& weights, const std::vector<double>& mass) const {
    std::size_t k = cycle.members.size();
    std::vector<double> a(k * k, 0.0), b(k);
    for (std::size_t i = 0; i < k; ++i) b[i] = mass[cycle.members[i]];
    for (std::size_t j = 0; j < k; ++j) {
      std::uint32_t s = cycle.members[j];
      auto [sum, leave] = weightOut(s, weights);
      // 1 - P(s, s) as the weight that leaves s over the whole: with a heavy
      // self-loop, 1 - (a number near 1) would keep few digits.
      a[j * k + j] = leave / sum;
      for (std::uint32_t e = begin_[s]; e < begin_[s + 1]; ++e)
        if (to_[e] != s && component_[to_[e]] == cycle.component) a[localIndex(cycle, to_[e]) * k + j] -= weights[class_[e]] / sum;
    }
    for (std::size_t col = 0; col < k; ++col) {
      std::size_t pivot = col;
      for (std::size_t r = col + 1; r < k; ++r)
        if (std::abs(a[r * k + col]) > std::abs(a[pivot * k + col])) pivot = r;
      if (pivot != col) {
        for (std::size_t c = 0; c < k; ++c) std::swap(a[col * k + c], a[pivot * k + c]);
        std::swap(b[col], b[pivot]);
      }
      for (std::size_t r = col + 1; r < k; ++r) {
        double f = a[r * k + col] / a[col * k + col];
        if (f == 0) continue;
        for (std::size_t c = col; c < k; ++c) a[r * k + c] -= f * a[col * k + c];
        b[r] -= f * b[col];
      }
    }
    std::vector<double> x(k);
    for (std::size_t r = k; r-- > 0;) {
      double v = b[r];
      for (std::size_t c = r + 1; c < k; ++c) v -= a[r * k + c] * x[c];
      x[r] = v / a[r * k + r];
    }
    return x;
  }

  // The same by Gauss-Seidel sweeps over the component's states, until no
  // value changes by more than kTolerance (relative) in a sweep.
  std::vector<double> solveIterated(const Cycle& cycle, const std::vector<double>& weights, const std::vector<double>& mass,
                                    MarkovSolution& out) const {
    std::size_t k = cycle.members.size();
    // Incoming edges inside the component, per member: (source, probability).
    std::vector<std::vector<std::pair<std::uint32_t, double>>> in(k);
    std::vector<double> stay_out(k);  // 1 - P(s, s), as the weight that leaves s over the whole (see solveDirect)
    for (std::size_t j = 0; j < k; ++j) {
      std::uint32_t s = cycle.members[j];
      auto [sum, leave] = weightOut(s, weights);
      stay_out[j] = leave / sum;
      for (std::uint32_t e = begin_[s]; e < begin_[s + 1]; ++e)
        if (to_[e] != s && component_[to_[e]] == cycle.component)
          in[localIndex(cycle, to_[e])].emplace_back(static_cast<std::uint32_t>(j), weights[class_[e]] / sum);
    }
    std::vector<double> x(k, 0.0);
    out.iterated = true;
    double change = 0;
    // At most about kMaxSweepWork edge visits in all: a component that
    // converges that slowly is reported as not converged, not waited on.
    std::size_t edges = k;
    for (const auto& list : in) edges += list.size();
    const std::size_t max_sweeps = std::max<std::size_t>(1000, std::min(kMaxSweeps, kMaxSweepWork / edges));
    std::size_t sweep = 0;
    for (; sweep < max_sweeps; ++sweep) {
      change = 0;
      for (std::size_t i = 0; i < k; ++i) {
        double v = mass[cycle.members[i]];
        for (auto [j, p] : in[i]) v += p * x[j];
        v /= stay_out[i];
        change = std::max(change, std::abs(v - x[i]) / std::max(v, 1e-300));
        x[i] = v;
      }
      if (change <= kTolerance) break;
    }
    out.last_change = std::max(out.last_change, change);
    out.converged = out.converged && sweep < max_sweeps;
    return x;
  }

  // Tarjan's strongly connected components, without recursion. Components
  // are numbered as they complete (every component reachable from one
  // completes before it), so the reverse of that order is topological.
  void components() {
    std::size_t n = begin_.size() - 1;
    constexpr std::uint32_t kUnseen = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> index(n, kUnseen), low(n, 0);
    std::vector<bool> on_stack(n, false);
    std::vector<std::uint32_t> stack;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> call;  // (state, next edge)
    component_.assign(n, 0);
    std::uint32_t counter = 0, next_component = 0;
    for (std::uint32_t root = 0; root < n; ++root) {
      if (index[root] != kUnseen) continue;
      call.emplace_back(root, begin_[root]);
      index[root] = low[root] = counter++;
      stack.push_back(root);
      on_stack[root] = true;
      while (!call.empty()) {
        auto& [v, e] = call.back();
        if (e < begin_[v + 1]) {
          std::uint32_t w = to_[e++];
          if (index[w] == kUnseen) {
            index[w] = low[w] = counter++;
            stack.push_back(w);
            on_stack[w] = true;
            call.emplace_back(w, begin_[w]);
          } else if (on_stack[w]) {
            low[v] = std::min(low[v], index[w]);
          }
          continue;
        }
        std::uint32_t done = v;
        call.pop_back();
        if (!call.empty()) low[call.back().first] = std::min(low[call.back().first], low[done]);
        if (low[done] != index[done]) continue;
        Cycle cycle{next_component, {}, false};
        std::uint32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          component_[w] = next_component;
          cycle.members.push_back(w);
        } while (w != done);
        order_.push_back(done);
        bool self_loop = false;
        for (std::uint32_t f = begin_[done]; f < begin_[done + 1]; ++f) self_loop |= to_[f] == done;
        if (cycle.members.size() > 1 || self_loop) {
          std::sort(cycle.members.begin(), cycle.members.end());
          for (std::uint32_t s : cycle.members)
            for (std::uint32_t f = begin_[s]; f < begin_[s + 1]; ++f) cycle.has_exit |= component_[to_[f]] != next_component;
          cyclic_.push_back(std::move(cycle));
        }
        ++next_component;
      }
    }
  }

  std::size_t direct_limit_;
  std::vector<Action> classes_;
  std::vector<std::uint32_t> begin_;   // edges of state i: [begin_[i], begin_[i + 1])
  std::vector<std::uint32_t> to_;
  std::vector<std::uint16_t> class_;   // index into classes_
  std::vector<std::uint32_t> component_;  // per state
  std::vector<std::uint32_t> order_;      // one state per component, in completion order
  std::vector<Cycle> cyclic_;             // ascending by component
};

}  // namespace fsrace::checker
