// The simulator (checker/simulator.hpp) on toy models: the same result for
// any thread count and for the same seed, other runs for another seed, and
// the scheduler's weights honoured (frequencies against the exact figures
// the increment race has by hand).
#include <doctest/doctest.h>

#include "checker/simulator.hpp"
#include "cli/simulate.hpp"
#include "tests/toy_models.hpp"

namespace {

using namespace fsrace;
using checker::PropertyKind;
using tests::EdgeGraph;
using tests::IncrementRace;
using Race = checker::Simulator<IncrementRace>;

checker::Property<IncrementRace::State> property(const std::string& name, PropertyKind kind) {
  checker::Property<IncrementRace::State> p;
  p.name = name;
  p.kind = kind;
  return p;
}

std::vector<checker::Property<IncrementRace::State>> raceProperties() {
  auto no_lost_update = property("no_lost_update", PropertyKind::Forall);
  no_lost_update.outcome_predicate = [](const checker::Outcome& o) { return o[0] == "2"; };
  auto interleaved = property("interleaved", PropertyKind::Sometimes);
  interleaved.state_predicate = [](const IncrementRace::State& s) { return s.pc0 == 1 && s.pc1 == 1; };
  auto agree = property("agree", PropertyKind::Deterministic);
  agree.projection = {0};
  return {no_lost_update, interleaved, agree};
}

// A run as the threads that took its steps, in order.
std::vector<int> threadsOf(const std::vector<IncrementRace::Action>& steps) {
  std::vector<int> out;
  for (const auto& a : steps) out.push_back(a.thread);
  return out;
}

// Thread 0's steps `w0` times as likely as thread 1's.
Race race(double w0 = 1) {
  return Race(IncrementRace{}, raceProperties(), [w0](const IncrementRace::Action& a) { return a.thread == 0 ? w0 : 1.0; });
}

checker::SimulationResult simulate(const Race& r, std::uint64_t runs, std::uint64_t seed, unsigned threads = 1) {
  checker::SimulationOptions options;
  options.runs = runs;
  options.seed = seed;
  options.threads = threads;
  return r.run(options);
}

// Everything a result says but its time.
void requireSame(const checker::SimulationResult& a, const checker::SimulationResult& b) {
  REQUIRE(a.runs == b.runs);
  CHECK(a.steps == b.steps);
  CHECK(a.deadlocks == b.deadlocks);
  CHECK(a.truncated == b.truncated);
  REQUIRE(a.outcomes.size() == b.outcomes.size());
  for (const auto& [outcome, tally] : a.outcomes) {
    REQUIRE(b.outcomes.count(outcome) == 1);
    CHECK(tally.runs == b.outcomes.at(outcome).runs);
    CHECK(tally.first_run == b.outcomes.at(outcome).first_run);
  }
  REQUIRE(a.properties.size() == b.properties.size());
  for (std::size_t p = 0; p < a.properties.size(); ++p) {
    CHECK(a.properties[p].runs == b.properties[p].runs);
    CHECK(a.properties[p].first_run == b.properties[p].first_run);
  }
}

std::uint64_t runsOf(const checker::SimulationResult& r, const std::string& x) {
  auto it = r.outcomes.find({x});
  return it == r.outcomes.end() ? 0 : it->second.runs;
}

}  // namespace

TEST_SUITE("simulator") {
  TEST_CASE("gives the same result on one, two and three threads") {
    const Race r = race();
    auto one = simulate(r, 3001, 7, 1);
    requireSame(one, simulate(r, 3001, 7, 2));
    requireSame(one, simulate(r, 3001, 7, 3));
    CHECK(one.runs == 3001);
  }

  TEST_CASE("gives the same result for the same seed, and other runs for another") {
    const Race r = race();
    requireSame(simulate(r, 2000, 42), simulate(r, 2000, 42));
    CHECK(runsOf(simulate(r, 2000, 42), "1") != runsOf(simulate(r, 2000, 43), "1"));
    std::size_t differ = 0;
    for (std::uint64_t run = 0; run < 20; ++run) differ += threadsOf(r.regenerate(42, run, 100)) != threadsOf(r.regenerate(43, run, 100));
    CHECK(differ > 0);
    // A run is a function of (seed, index): regenerated, it is the same.
    CHECK(threadsOf(r.regenerate(42, 5, 100)) == threadsOf(r.regenerate(42, 5, 100)));
  }

  TEST_CASE("honours the weights: frequencies agree with the exact probabilities") {
    // x = 2 when one thread runs both its steps first: 1/2 for equal
    // weights, (3/4)^2 + (1/4)^2 = 5/8 with thread 0 three times as likely.
    for (auto [w0, exact, other] : {std::tuple{1.0, 0.5, 0.625}, std::tuple{3.0, 0.625, 0.5}}) {
      auto result = simulate(race(w0), 20000, 1);
      auto [low, high] = cli::wilsonInterval(runsOf(result, "2"), result.runs, 0.999);
      CHECK(low <= exact);
      CHECK(exact <= high);
      CHECK_FALSE((low <= other && other <= high));
    }
  }

  TEST_CASE("tallies outcome properties from the outcomes, first runs by lowest index") {
    auto result = simulate(race(), 1000, 3, 2);
    const std::uint64_t lost = runsOf(result, "1"), kept = runsOf(result, "2");
    CHECK(lost + kept == 1000);
    CHECK(result.properties[0].runs == lost);  // no_lost_update violated
    CHECK(result.properties[0].first_run == result.outcomes.at({"1"}).first_run);
    CHECK(result.properties[2].runs == std::min(lost, kept));  // agree: the runs outside the commonest outcome
    CHECK(result.properties[1].runs > 0);  // interleaved witnessed
    CHECK(result.properties[3].runs == 0);  // no_deadlock
  }

  TEST_CASE("counts deadlocks and truncated runs") {
    // From 0: to 1 (terminal), to 2 (a dead end) or to 3, which loops forever.
    EdgeGraph g{{{0, 1}, {0, 2}, {0, 3}, {3, 3}}, {1}, {}};
    checker::Simulator<EdgeGraph> s(g, {}, [](const EdgeGraph::Action&) { return 1.0; });
    checker::SimulationOptions options;
    options.runs = 3000;
    options.max_steps = 10;
    auto result = s.run(options);
    CHECK(result.deadlocks + result.truncated + runsOf(result, "1") == 3000);
    CHECK(result.deadlocks > 800);
    CHECK(result.truncated > 800);
    CHECK(result.longest_run == 10);
    CHECK(result.properties.back().runs == result.deadlocks);  // no_deadlock
    checker::RunEnd end{};
    auto steps = s.regenerate(1, *result.properties.back().first_run, 10, &end);
    CHECK(end == checker::RunEnd::Deadlock);
    CHECK(steps.size() == 1);
  }

  TEST_CASE("wilson intervals: the textbook figures, and the ends exact") {
    auto [low, high] = cli::wilsonInterval(81, 263, 0.95);  // Wilson (1927) via Newcombe (1998): 0.2553 to 0.3662
    CHECK(low == doctest::Approx(0.2553).epsilon(0.001));
    CHECK(high == doctest::Approx(0.3662).epsilon(0.001));
    CHECK(cli::wilsonInterval(0, 100, 0.99).first == 0.0);
    CHECK(cli::wilsonInterval(100, 100, 0.99).second == 1.0);
    CHECK(cli::wilsonInterval(0, 100, 0.99).second < 0.07);
  }
}
