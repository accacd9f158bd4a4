#include <doctest/doctest.h>

#include <cstring>
#include <deque>
#include <map>
#include <set>

#include "checker/explorer.hpp"
#include "tests/toy_models.hpp"

namespace fsrace::tests {
namespace {

using checker::Explorer;
using checker::Property;
using checker::PropertyKind;
using checker::Verdict;

template <class S>
Property<S> always(std::string name, std::function<bool(const S&)> p) {
  Property<S> out;
  out.name = std::move(name);
  out.kind = PropertyKind::Always;
  out.state_predicate = std::move(p);
  return out;
}

template <class S>
Property<S> sometimes(std::string name, std::function<bool(const S&)> p) {
  Property<S> out = always<S>(std::move(name), std::move(p));
  out.kind = PropertyKind::Sometimes;
  return out;
}

// An independent count of the reachable states, by depth-first search.
std::size_t bruteForceStates(const IncrementRace& m) {
  using S = IncrementRace::State;
  auto key = [](const S& s) { return std::vector<int>{s.x, s.pc0, s.pc1, s.r0, s.r1}; };
  std::set<std::vector<int>> seen{key(m.initialState())};
  std::vector<S> stack{m.initialState()};
  while (!stack.empty()) {
    S s = stack.back();
    stack.pop_back();
    std::vector<IncrementRace::Action> next;
    m.actions(s, next);
    for (auto a : next) {
      S t = m.apply(s, a);
      if (seen.insert(key(t)).second) stack.push_back(t);
    }
  }
  return seen.size();
}

}  // namespace

TEST_SUITE("checker") {
  TEST_CASE("explores the increment race exactly and finds the lost update at depth 4") {
    IncrementRace m;
    Property<IncrementRace::State> no_lost_update;
    no_lost_update.name = "x_is_2";
    no_lost_update.kind = PropertyKind::Forall;
    no_lost_update.outcome_predicate = [](const checker::Outcome& o) { return o[0] == "2"; };
    Explorer<IncrementRace> explorer(m, {no_lost_update});
    const auto& stats = explorer.run();
    CHECK(stats.complete);
    CHECK(stats.states == bruteForceStates(m));
    CHECK(stats.states == 13);  // pinned: any change to the engine's state space shows here
    CHECK(stats.depth == 4);
    REQUIRE(explorer.results()[0].verdict == Verdict::Violated);
    auto path = explorer.path(explorer.results()[0].trace_end);
    CHECK(path.size() == 5);  // 4 steps
    CHECK(explorer.state(path.back()).x == 1);
    REQUIRE(explorer.outcomes().size() == 2);
  }

  TEST_CASE("deterministic over the outcome is violated by the race, with both traces") {
    IncrementRace m;
    Property<IncrementRace::State> det;
    det.name = "x_deterministic";
    det.kind = PropertyKind::Deterministic;
    det.projection = {0};
    Explorer<IncrementRace> explorer(m, {det});
    explorer.run();
    const auto& r = explorer.results()[0];
    REQUIRE(r.verdict == Verdict::Violated);
    CHECK(explorer.state(r.trace_end).x != explorer.state(r.other_end).x);
  }

  TEST_CASE("finds the shortest counterexample in a diamond, first in stable order") {
    EdgeGraph g{{{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}}, {4}, {}};
    Explorer<EdgeGraph> explorer(g, {always<EdgeGraph::State>("never_4", [](const auto& s) { return s.node != 4; })});
    explorer.run();
    REQUIRE(explorer.results()[0].verdict == Verdict::Violated);
    auto path = explorer.path(explorer.results()[0].trace_end);
    std::vector<int> nodes;
    for (auto i : path) nodes.push_back(explorer.state(i).node);
    CHECK(nodes == std::vector<int>{0, 1, 3, 4});
  }

  TEST_CASE("prefers the shorter of two routes even when the longer is listed first") {
    EdgeGraph g{{{0, 1}, {1, 2}, {2, 3}, {0, 3}}, {3}, {}};
    Explorer<EdgeGraph> explorer(g, {always<EdgeGraph::State>("never_3", [](const auto& s) { return s.node != 3; })});
    explorer.run();
    CHECK(explorer.path(explorer.results()[0].trace_end).size() == 2);
  }

  TEST_CASE("reports a deadlock at a non-terminal state with no step") {
    EdgeGraph g{{{0, 1}, {0, 2}}, {2}, {}};
    Explorer<EdgeGraph> explorer(g, {});
    explorer.run();
    REQUIRE(explorer.properties().back().kind == PropertyKind::NoDeadlock);
    CHECK(explorer.results().back().verdict == Verdict::Violated);
    CHECK(explorer.state(explorer.results().back().trace_end).node == 1);
  }

  TEST_CASE("a sometimes property never reached on a complete run is violated") {
    EdgeGraph g{{{0, 1}}, {1}, {}};
    Explorer<EdgeGraph> explorer(g, {sometimes<EdgeGraph::State>("reaches_9", [](const auto& s) { return s.node == 9; })});
    explorer.run();
    CHECK(explorer.results()[0].verdict == Verdict::Violated);
  }

  TEST_CASE("a run stopped by a limit is incomplete and never holds") {
    IncrementRace m;
    Explorer<IncrementRace> explorer(
        m, {always<IncrementRace::State>("x_small", [](const auto& s) { return s.x < 9; })}, {1, 0, 0});
    const auto& stats = explorer.run();
    CHECK_FALSE(stats.complete);
    CHECK(stats.stopped_by == "max_states");
    for (const auto& r : explorer.results()) CHECK(r.verdict == Verdict::Incomplete);
  }

  TEST_CASE("1, 2, 3 and 4 threads number every state as a plain sequential BFS does") {
    // 6^5 = 7,776 states in levels of up to ~1,000: several chunks per level,
    // and up to six discoveries of each state in one batch race to claim it.
    using Model = Counters<5, 6>;
    Model m;
    // The reference: the textbook BFS, first discovery in (parent, action) order.
    auto key = [](const Model::State& s) { return std::string(reinterpret_cast<const char*>(s.c), sizeof s.c); };
    std::vector<Model::State> order{m.initialState()};
    std::vector<std::uint32_t> parents{checker::kNoState};
    std::map<std::string, std::uint32_t> seen{{key(order[0]), 0}};
    for (std::uint32_t i = 0; i < order.size(); ++i) {
      std::vector<Model::Action> enabled;
      m.actions(order[i], enabled);
      for (const auto& a : enabled) {
        Model::State next = m.apply(order[i], a);
        if (seen.emplace(key(next), static_cast<std::uint32_t>(order.size())).second) {
          order.push_back(next);
          parents.push_back(i);
        }
      }
    }
    REQUIRE(order.size() == 7776);
    auto never_all_five = always<Model::State>("never_all_5", [](const Model::State& s) { return s.c[1] + s.c[2] + s.c[3] != 15; });
    for (unsigned threads : {1u, 2u, 3u, 4u}) {
      CAPTURE(threads);
      Explorer<Model> explorer(m, {never_all_five}, {}, threads);
      const auto& stats = explorer.run();
      REQUIRE(stats.states == order.size());
      CHECK(stats.transitions == 7775u * 6u);  // every state but the terminal one has 6 steps
      bool same = true;
      for (std::uint32_t i = 0; i < order.size() && same; ++i) {
        same = std::memcmp(&explorer.state(i), &order[i], sizeof(Model::State)) == 0 &&
               (i == 0 || explorer.path(i).end()[-2] == parents[i]);
      }
      CHECK(same);
      CHECK(explorer.results()[0].verdict == Verdict::Violated);
      // The first state in BFS order with c1 + c2 + c3 == 15.
      std::uint32_t first = 0;
      while (order[first].c[1] + order[first].c[2] + order[first].c[3] != 15) ++first;
      CHECK(explorer.results()[0].trace_end == first);
      CHECK(explorer.actionInto(first).counter < 5);
    }
  }

  TEST_CASE("progress reports come between batches with the counts so far, then once with the totals, and change nothing") {
    using Model = Counters<5, 6>;
    Model m;
    auto never_all_five = always<Model::State>("never_all_5", [](const Model::State& s) { return s.c[1] + s.c[2] + s.c[3] != 15; });
    Explorer<Model> quiet(m, {never_all_five}, {}, 2);
    const checker::Stats plain = quiet.run();
    Explorer<Model> explorer(m, {never_all_five}, {}, 2);
    std::vector<checker::Stats> reports;
    explorer.onProgress([&](const checker::Stats& s) { reports.push_back(s); }, std::chrono::milliseconds(0));
    const checker::Stats& stats = explorer.run();
    // A report before every batch (one or more a level), then the totals.
    REQUIRE(reports.size() > stats.depth);
    for (std::size_t i = 0; i + 1 < reports.size(); ++i) {
      CAPTURE(i);
      CHECK_FALSE(reports[i].ended());
      CHECK(reports[i].queue > 0);
      CHECK(reports[i].states <= reports[i + 1].states);
      CHECK(reports[i].states - reports[i].queue <= reports[i + 1].states - reports[i + 1].queue);
      CHECK(reports[i].terminal_states <= reports[i + 1].terminal_states);
      CHECK(reports[i].distinct_outcomes <= reports[i + 1].distinct_outcomes);
    }
    const checker::Stats& last = reports.back();
    CHECK(last.ended());
    CHECK(last.complete);
    CHECK(last.queue == 0);
    CHECK(last.states == 7776);
    CHECK(last.terminal_states == 1);
    CHECK(last.distinct_outcomes == explorer.outcomes().size());
    CHECK(last.transitions == stats.transitions);
    // The same run as without reports.
    CHECK(stats.states == plain.states);
    CHECK(stats.transitions == plain.transitions);
    CHECK(stats.terminal_states == plain.terminal_states);
    CHECK(stats.depth == plain.depth);
    CHECK(stats.action_counts == plain.action_counts);
    CHECK(explorer.results()[0].trace_end == quiet.results()[0].trace_end);
  }

  TEST_CASE("the last progress report of a run stopped by a limit says what stopped it and what is still queued") {
    IncrementRace race;
    Explorer<IncrementRace> small(race, {});
    small.run();
    CHECK(small.stats().distinct_outcomes == 2);  // x == 1 (the lost update) and x == 2

    Counters<5, 6> m;
    Explorer<Counters<5, 6>> explorer(m, {}, {1000, 0, 0});
    std::vector<checker::Stats> reports;
    explorer.onProgress([&](const checker::Stats& s) { reports.push_back(s); });
    explorer.run();
    REQUIRE_FALSE(reports.empty());
    const checker::Stats& last = reports.back();
    CHECK(last.stopped_by == "max_states");
    CHECK(last.states >= 1000);
    CHECK(last.queue > 0);
    CHECK(last.queue < last.states);
    CHECK(last.terminal_states == 0);
    CHECK(last.distinct_outcomes == 0);
  }

  TEST_CASE("counts transitions per action kind for coverage") {
    IncrementRace m;
    Explorer<IncrementRace> explorer(m, {});
    const auto& stats = explorer.run();
    CHECK(stats.action_counts[0] > 0);
    CHECK(stats.action_counts[1] > 0);
    CHECK(stats.action_counts[0] + stats.action_counts[1] == stats.transitions);
  }

  TEST_CASE("symmetry stores one state per orbit and changes no verdict, outcome or witness count") {
    SymmetricRace m;
    using S = SymmetricRace::State;
    auto props = [] {
      return std::vector<Property<S>>{always<S>("thread 0 never ahead", [](const S& s) { return s.pc0 <= s.pc1; }),
                                      sometimes<S>("thread 1 done first", [](const S& s) { return s.pc1 == 2 && s.pc0 == 0; })};
    };
    Explorer<SymmetricRace> plain(m, props());
    plain.run();
    Explorer<SymmetricRace> reduced(m, props(), {}, 1, {true});
    reduced.run();
    CHECK(plain.stats().states == 13);
    CHECK(reduced.stats().states == 8);  // pinned: the 13 states fall into 8 orbits
    CHECK(reduced.stats().terminal_states == plain.stats().terminal_states);
    // Neither property is symmetric; both are decided on the images.
    for (std::size_t p = 0; p < plain.results().size(); ++p) CHECK(plain.results()[p].verdict == reduced.results()[p].verdict);
    REQUIRE(plain.outcomes().size() == reduced.outcomes().size());
    std::map<checker::Outcome, std::uint64_t> a, b;
    for (const auto& o : plain.outcomes()) a[o.values] = o.witnesses;
    for (const auto& o : reduced.outcomes()) b[o.values] = o.witnesses;
    CHECK(a == b);
    // The violation's trace is rebuilt concretely and ends where thread 0 is ahead.
    auto trace = reduced.concreteTrace(reduced.results()[0].trace_end, [](const S& s) { return s.pc0 > s.pc1; });
    CHECK(trace.states.back().pc0 > trace.states.back().pc1);
    for (std::size_t i = 0; i < trace.actions.size(); ++i) {
      S next = m.apply(trace.states[i], trace.actions[i]);
      CHECK(std::memcmp(&next, &trace.states[i + 1], sizeof(S)) == 0);
    }
  }

  TEST_CASE("a false symmetry shows as a different outcome set") {
    SymmetricRace m;
    m.step1 = 2;  // the threads differ: swapping them is not a symmetry
    Explorer<SymmetricRace> plain(m, {});
    plain.run();
    Explorer<SymmetricRace> reduced(m, {}, {}, 1, {true});
    reduced.run();
    std::set<checker::Outcome> a, b;
    for (const auto& o : plain.outcomes()) a.insert(o.values);
    for (const auto& o : reduced.outcomes()) b.insert(o.values);
    CHECK(a != b);
  }

  TEST_CASE("partial-order reduction explores local steps alone and keeps every outcome") {
    LocalSteps m;
    using S = LocalSteps::State;
    Explorer<LocalSteps> plain(m, {});
    plain.run();
    Explorer<LocalSteps> reduced(m, {}, {}, 1, {false, true});
    reduced.run();
    CHECK(plain.stats().states == 17);  // 4 x 4 positions, and two values of x at the end
    CHECK(reduced.stats().states == 9);  // the local bumps one path: 5 states to both folds, then 4
    CHECK(reduced.stats().terminal_states == plain.stats().terminal_states);
    std::set<checker::Outcome> a, b;
    for (const auto& o : plain.outcomes()) a.insert(o.values);
    for (const auto& o : reduced.outcomes()) b.insert(o.values);
    CHECK(a == std::set<checker::Outcome>{{"7"}, {"8"}});  // thread 0 folds first, or thread 1
    CHECK(a == b);
    // A property that reads the local counters sees every local step: no reduction.
    Property<S> reads_own = always<S>("own counters stay small", [](const S& s) { return s.own0 < 3 && s.own1 < 3; });
    reads_own.reads = LocalSteps::kOwn;
    Explorer<LocalSteps> observed(m, {reads_own}, {}, 1, {false, true});
    observed.run();
    CHECK(observed.stats().states == plain.stats().states);
    // One that reads only x lets them go.
    Property<S> reads_x = always<S>("x stays small", [](const S& s) { return s.x < 200; });
    reads_x.reads = LocalSteps::kShared;
    Explorer<LocalSteps> unobserved(m, {reads_x}, {}, 1, {false, true});
    unobserved.run();
    CHECK(unobserved.stats().states == reduced.stats().states);
    CHECK(unobserved.results()[0].verdict == Verdict::Holds);
  }

  TEST_CASE("a step falsely declared local loses outcomes, which the comparison catches") {
    LocalSteps m;
    m.false_local = true;
    Explorer<LocalSteps> plain(m, {});
    plain.run();
    Explorer<LocalSteps> reduced(m, {}, {}, 1, {false, true});
    reduced.run();
    CHECK(reduced.outcomes().size() < plain.outcomes().size());
  }
}

}  // namespace fsrace::tests
