// The Markov chain of an explored graph (checker/markov.hpp): absorption
// probabilities against hand-computed values and against a brute-force
// recursion over the model itself, with cycles solved both ways.
#include <doctest/doctest.h>

#include <map>

#include "checker/markov.hpp"
#include "tests/toy_models.hpp"

namespace {

using namespace fsrace;
using tests::EdgeGraph;
using tests::IncrementRace;

// Every reachable state of `m`, explored on one thread.
template <class M>
struct Explored : checker::Explorer<M> {
  explicit Explored(const M& m) : checker::Explorer<M>(m, {}, {}, 1) { this->run(); }
};

// P(outcome) by the chain, for weights given per actor index.
template <class M>
std::map<std::string, double> byOutcome(const checker::Explorer<M>& explorer, const checker::MarkovSolution& solution) {
  std::map<std::string, double> out;
  for (std::uint32_t i = 0; i < explorer.stateCount(); ++i)
    if (solution.absorbed[i] > 0) out[explorer.model().outcome(explorer.state(i))[0]] += solution.absorbed[i];
  return out;
}

template <class M>
std::vector<double> actorWeights(const checker::MarkovChain<M>& chain, const M& m, const std::vector<double>& per_actor) {
  std::vector<double> w;
  for (const auto& a : chain.stepClasses()) w.push_back(per_actor.at(m.actorIndex(a)));
  return w;
}

// The same by recursion over the model: every path, its probability the
// product of its choices' (weight / enabled weight).
template <class M>
void bruteForce(const M& m, const typename M::State& s, double p, const std::vector<double>& per_actor,
                std::map<std::string, double>& out) {
  if (m.isTerminal(s)) {
    out[m.outcome(s)[0]] += p;
    return;
  }
  std::vector<typename M::Action> enabled;
  m.actions(s, enabled);
  double sum = 0;
  for (const auto& a : enabled) sum += per_actor.at(m.actorIndex(a));
  for (const auto& a : enabled) bruteForce(m, m.apply(s, a), p * per_actor.at(m.actorIndex(a)) / sum, per_actor, out);
}

TEST_CASE("markov: the lost update of the increment race, uniform and weighted") {
  IncrementRace m;
  Explored explorer(m);
  checker::MarkovChain chain(explorer);
  CHECK(chain.acyclic());
  auto uniform = byOutcome(explorer, chain.solve(actorWeights(chain, m, {1, 1})));
  CHECK(uniform["1"] == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(uniform["2"] == doctest::Approx(0.5).epsilon(1e-15));
  // Thread 0 three times as fast: both reads first happens when the first two
  // steps are by different threads: 1 - (3/4)^2 - (1/4)^2.
  auto weighted = byOutcome(explorer, chain.solve(actorWeights(chain, m, {3, 1})));
  CHECK(weighted["1"] == doctest::Approx(0.375).epsilon(1e-15));
  CHECK(weighted["2"] == doctest::Approx(0.625).epsilon(1e-15));
}

TEST_CASE("markov: acyclic graphs agree with a brute-force recursion over every path") {
  tests::LocalSteps m;
  Explored explorer(m);
  checker::MarkovChain chain(explorer);
  for (std::vector<double> weights : {std::vector<double>{1, 1}, {7, 0.5}, {0.001, 1000}}) {
    auto got = byOutcome(explorer, chain.solve(actorWeights(chain, m, weights)));
    std::map<std::string, double> want;
    bruteForce(m, m.initialState(), 1.0, weights, want);
    REQUIRE(got.size() == want.size());
    double total = 0;
    for (const auto& [outcome, p] : want) {
      CHECK(got[outcome] == doctest::Approx(p).epsilon(1e-12));
      total += got[outcome];
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-14));
  }
}

TEST_CASE("markov: a cycle with a way out, solved directly and by iteration") {
  // 0 -> 1, 0 -> 3 (end); 1 -> 0, 1 -> 2 (end). P(3) = a with a = 1/2 + 1/4 a.
  EdgeGraph g{{{0, 1}, {0, 3}, {1, 0}, {1, 2}}, {2, 3}, {}};
  Explored explorer(g);
  for (std::size_t direct_limit : {std::size_t{200}, std::size_t{0}}) {
    checker::MarkovChain chain(explorer, direct_limit);
    CHECK_FALSE(chain.acyclic());
    auto solution = chain.solve(std::vector<double>(chain.stepClasses().size(), 1.0));
    auto p = byOutcome(explorer, solution);
    CHECK(p["3"] == doctest::Approx(2.0 / 3).epsilon(1e-13));
    CHECK(p["2"] == doctest::Approx(1.0 / 3).epsilon(1e-13));
    CHECK(solution.never_ends == 0);
    CHECK(solution.cyclic_components == 1);
    CHECK(solution.iterated == (direct_limit == 0));
    CHECK(solution.converged);
  }
}

TEST_CASE("markov: a self-loop, a cycle without a way out, and a deadlock") {
  // 0 -> 0 (self), 0 -> 1, 0 -> 4 (dead end, not terminal), 0 -> 5 (end);
  // 1 -> 2 -> 1: never ends.
  EdgeGraph g{{{0, 0}, {0, 1}, {0, 4}, {0, 5}, {1, 2}, {2, 1}}, {5}, {}};
  Explored explorer(g);
  checker::MarkovChain chain(explorer);
  auto solution = chain.solve(std::vector<double>(chain.stepClasses().size(), 1.0));
  // The self-loop only delays: each of the three ways out has 1/3.
  CHECK(solution.never_ends == doctest::Approx(1.0 / 3).epsilon(1e-14));
  auto p = byOutcome(explorer, solution);
  CHECK(p["4"] == doctest::Approx(1.0 / 3).epsilon(1e-14));
  CHECK(p["5"] == doctest::Approx(1.0 / 3).epsilon(1e-14));
  CHECK(solution.cyclic_components == 2);
}

TEST_CASE("markov: a large strongly connected graph, directly and iterated, agree") {
  // 15 x 15 counters with a reset of counter 0: one component of 224 states
  // before the terminal one.
  tests::Counters<2, 15> m;
  Explored explorer(m);
  checker::MarkovChain direct(explorer, 100000), iterated(explorer, 0);
  std::vector<double> per_actor{1, 2, 0.25};
  auto a = direct.solve(actorWeights(direct, m, per_actor));
  auto b = iterated.solve(actorWeights(iterated, m, per_actor));
  CHECK(b.iterated);
  CHECK(b.converged);
  CHECK(a.largest_component > 200);
  double total = 0;
  for (std::uint32_t i = 0; i < explorer.stateCount(); ++i) {
    CHECK(a.absorbed[i] == doctest::Approx(b.absorbed[i]).epsilon(1e-10));
    total += a.absorbed[i];
  }
  CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
}

}  // namespace

namespace {

using namespace fsrace;
using tests::EdgeGraph;

// A ring 0 -> 1 -> ... -> 239 -> 0 (actor 0) where node i may also leave
// (actor 1) to node 240 when i is even, 241 when odd. With the ring's weight
// c and the exit's 1, node i is left with q = 1 / (c + 1) and passed on with
// c / (c + 1), so the run leaves at an even node with probability
// sum_k (c/(c+1))^(2k) q = 1 / (1 + c / (c + 1)) exactly (the ring's length
// is even, so going round changes nothing).
EdgeGraph twoExitRing() {
  EdgeGraph g;
  constexpr std::uint8_t kRing = 240;
  for (std::uint8_t i = 0; i < kRing; ++i) {
    g.edges.push_back({i, static_cast<std::uint8_t>((i + 1) % kRing)});
    g.actor_of_edge.push_back(0);
    g.edges.push_back({i, static_cast<std::uint8_t>(i % 2 ? kRing + 1 : kRing)});
    g.actor_of_edge.push_back(1);
  }
  g.terminal = {kRing, kRing + 1};
  return g;
}

TEST_CASE("markov: a ring of 240 states with two ways out, directly and iterated, against the closed form, at skewed weights too") {
  EdgeGraph g = twoExitRing();
  Explored explorer(g);
  for (double c : {1.0, 1e3, 1e6}) {
    CAPTURE(c);
    double continue_p = c / (c + 1);
    double even = 1 / (1 + continue_p);
    for (std::size_t direct_limit : {std::size_t{1000}, std::size_t{0}}) {
      CAPTURE(direct_limit);
      checker::MarkovChain chain(explorer, direct_limit);
      auto solution = chain.solve(actorWeights(chain, g, {c, 1.0}));
      auto p = byOutcome(explorer, solution);
      CHECK(solution.converged);
      // At c = 1e6 the ring is nearly closed (1 - r^240 is about 2.4e-4): an
      // ill-conditioned system, solved to about 1e-10.
      CHECK(p["240"] == doctest::Approx(even).epsilon(1e-9));
      CHECK(p["241"] == doctest::Approx(1 - even).epsilon(1e-9));
    }
  }
}

TEST_CASE("markov: a heavy self-loop only delays, to full precision") {
  // 0 -> 0 with weight 1e12 (actor 0), 0 -> 1 and 0 -> 2 with weight 1 and
  // 3 (actor 1, 2): the self-loop cancels out, 1/4 and 3/4 exactly; 1 - p(0,0)
  // taken as a difference would keep about 4 digits.
  EdgeGraph g{{{0, 0}, {0, 1}, {0, 2}}, {1, 2}, {0, 1, 2}};
  Explored explorer(g);
  for (std::size_t direct_limit : {std::size_t{200}, std::size_t{0}}) {
    checker::MarkovChain chain(explorer, direct_limit);
    auto p = byOutcome(explorer, chain.solve(actorWeights(chain, g, {1e12, 1, 3})));
    CHECK(p["1"] == doctest::Approx(0.25).epsilon(1e-14));
    CHECK(p["2"] == doctest::Approx(0.75).epsilon(1e-14));
  }
}

}  // namespace
