// Counterexamples beyond shortest: fewest actor switches, checked against
// brute force; divergence points.
#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <string>

#include "checker/state_graph.hpp"
#include "cli/run.hpp"
#include "model/bcachefs/bcachefs_model.hpp"
#include "model/bcachefs/family.hpp"
#include "tests/toy_models.hpp"

namespace fsrace::tests {
namespace {

using checker::Explorer;
using checker::PropertyKind;
using checker::StateGraph;

template <class S>
std::string bytesOf(const S& s) {
  return std::string(reinterpret_cast<const char*>(&s), sizeof(S));
}

// Brute force, independent of StateGraph: the BFS depth of every state by a
// plain map, then the fewest switches over all paths of exactly `depth`
// steps that end in a `target` state, by memoised recursion backward in
// remaining steps.
template <class M>
struct BruteForce {
  using S = typename M::State;
  using A = typename M::Action;
  const M& m;
  std::function<bool(const S&)> target;
  std::map<std::string, int> depth;
  std::map<std::tuple<std::string, int, int>, int> memo;

  explicit BruteForce(const M& model, std::function<bool(const S&)> is_target) : m(model), target(std::move(is_target)) {
    std::vector<S> level{m.initialState()};
    depth[bytesOf(level[0])] = 0;
    for (int d = 0; !level.empty(); ++d) {
      std::vector<S> next;
      for (const S& s : level) {
        if (m.isTerminal(s)) continue;
        std::vector<A> actions;
        m.actions(s, actions);
        for (const A& a : actions) {
          S t = m.apply(s, a);
          if (depth.emplace(bytesOf(t), d + 1).second) next.push_back(t);
        }
      }
      level = std::move(next);
    }
  }

  // Fewest switches from `s` (reached with last actor `last`, -1 at the start)
  // to a target in exactly `left` steps along depth-increasing edges.
  int solve(const S& s, int last, int left) {
    if (left == 0) return target(s) ? 0 : 1 << 20;
    if (m.isTerminal(s)) return 1 << 20;
    auto key = std::make_tuple(bytesOf(s), last, left);
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    int best = 1 << 20;
    std::vector<A> actions;
    m.actions(s, actions);
    int d = depth[bytesOf(s)];
    for (const A& a : actions) {
      S t = m.apply(s, a);
      if (depth[bytesOf(t)] != d + 1) continue;
      int actor = static_cast<int>(m.actorIndex(a));
      best = std::min(best, solve(t, actor, left - 1) + (last >= 0 && last != actor));
    }
    return memo[key] = best;
  }
};

}  // namespace

TEST_SUITE("minimality") {
  TEST_CASE("picks the fewest-switch trace when the breadth-first one is not") {
    IncrementRace m;
    checker::Property<IncrementRace::State> lost;
    lost.name = "x_is_2";
    lost.kind = PropertyKind::Forall;
    lost.outcome_predicate = [](const checker::Outcome& o) { return o[0] == "2"; };
    Explorer<IncrementRace> explorer(m, {lost});
    explorer.run();
    StateGraph<IncrementRace> graph(explorer);
    std::uint32_t end = explorer.results()[0].trace_end;
    auto bfs = graph.bfsTrace(end);
    CHECK(bfs.switches == 3);  // r0 r1 w0 w1
    auto best = graph.fewestSwitches(end, [&](std::uint32_t i) { return m.isTerminal(explorer.state(i)) && explorer.state(i).x == 1; });
    CHECK(best.actions.size() == 4);
    CHECK(best.switches == 2);
    BruteForce<IncrementRace> brute(m, [](const auto& s) { return s.pc0 == 2 && s.pc1 == 2 && s.x == 1; });
    CHECK(brute.solve(m.initialState(), -1, 4) == 2);
  }

  TEST_CASE("generic-441's counterexample has the fewest switches among all shortest traces (brute force, 1 fd)") {
    specs::Spec spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json", {"fds=1"});
    auto out = cli::runCheck(spec, {});
    const nlohmann::json* cex = nullptr;
    for (const auto& p : out.result["properties"])
      if (p["name"] == "fsync_after_shutdown_consistent") cex = &p["counterexample"];
    REQUIRE(cex != nullptr);
    model::BcachefsModel m = model::bcachefs::modelOf(spec);
    std::string eio = (*cex)["outcome"]["reopen_fsync[0]"];
    BruteForce<model::BcachefsModel> brute(m, [&](const model::State& s) { return m.isTerminal(s) && m.outcome(s)[2] == eio; });
    int steps = (*cex)["minimality"]["steps"];
    CHECK(brute.solve(m.initialState(), -1, steps) == (*cex)["minimality"]["switches"].get<int>());
    CHECK(brute.solve(m.initialState(), -1, steps - 1) >= 1 << 20);  // and nothing shorter exists
  }

  TEST_CASE("the divergence of generic-441 names the deciding state and its two branches") {
    specs::Spec spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json");
    auto out = cli::runCheck(spec, {});
    const nlohmann::json* cex = nullptr;
    for (const auto& p : out.result["properties"])
      if (p["name"] == "fsync_after_shutdown_consistent") cex = &p["counterexample"];
    REQUIRE(cex != nullptr);
    std::size_t decided = (*cex)["decided_after"];
    const auto& other = (*cex)["other"];
    CHECK((*cex)["outcome"]["reopen_fsync[0]"] == "EIO");
    CHECK(other["outcome"]["reopen_fsync[0]"] == "0");
    // Same prefix...
    for (std::size_t i = 0; i < decided; ++i) CHECK((*cex)["steps"][i]["action"] == other["steps"][i]["action"]);
    // ...then the commit's reservation on one side, reclaim's fatal btree write on the other.
    CHECK((*cex)["steps"][decided]["action"] == "trans_journal_res_get");
    CHECK((*cex)["steps"][decided]["context"] == "fsync fd[0] (second_fsync[0])");
    CHECK(other["steps"][decided]["action"] == "journal_reclaim");
  }
}

}  // namespace fsrace::tests
