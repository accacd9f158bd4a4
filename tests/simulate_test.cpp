// fsrace simulate against the exact figures (issue 15): on generic/441 with
// 1, 2 and 3 fds, under the spec's reclaim_tenth scheduler (both outcomes
// likely enough to be seen), the exact probability of each value of the key
// field and of the test failing lies inside simulate's 99% Wilson interval
// for each of ten seeds; and the same intervals exclude the exact figures
// of another scheduler, so the comparison can fail.
#include <doctest/doctest.h>

#include <string>

#include "cli/model_family.hpp"
#include "cli/run.hpp"
#include "cli/simulate.hpp"
#include "specs/scheduler.hpp"
#include "tests/from_root.hpp"

namespace {

using namespace fsrace;
using nlohmann::json;

specs::Spec generic441(int fds, const std::string& scheduler) {
  specs::Spec spec = tests::fromRoot("specs/generic-441.json", {"fds=" + std::to_string(fds)});
  specs::chooseScheduler(spec, scheduler, {});  // "": the spec's default
  return spec;
}

// The exact figures under the spec's scheduler in use: {key value: p}, and "test_fails".
std::map<std::string, double> exact(const specs::Spec& spec) {
  cli::CheckOptions options;
  options.probabilities = true;
  json solved = cli::runCheck(spec, options).result["probabilities"]["schedulers"][0];
  REQUIRE(solved["name"] == spec.schedulers.front().name);
  std::map<std::string, double> out = solved["key"]["values"].get<std::map<std::string, double>>();
  out["test_fails"] = solved["test_fails"].get<double>();
  return out;
}

json simulate(const specs::Spec& spec, std::uint64_t seed, std::uint64_t runs) {
  cli::SimulateOptions options;
  options.runs = runs;
  options.seed = seed;
  options.threads = 2;
  return cli::familyOf(spec).simulate(spec, options);
}

// The interval simulate gives for a figure named as exact() names it.
json intervalOf(const json& doc, const std::string& figure) {
  if (figure == "test_fails") return doc["test_fails"]["interval"];
  return doc["key"]["values"].contains(figure) ? doc["key"]["values"][figure]["interval"] : json::array({0.0, 1.0});
}

bool inside(double p, const json& interval) { return interval[0].get<double>() <= p && p <= interval[1].get<double>(); }

constexpr std::uint64_t kRuns = 4000;

}  // namespace

TEST_SUITE("simulate") {
  TEST_CASE("exact probabilities lie inside the 99% intervals for ten seeds, fds 1 to 3") {
    for (int fds = 1; fds <= 3; ++fds) {
      const specs::Spec spec = generic441(fds, "reclaim_tenth");
      const auto figures = exact(spec);
      REQUIRE(figures.size() == 3);  // reopen_fsync[0] = 0 or EIO, and the test failing
      for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const json doc = simulate(spec, seed, kRuns);
        REQUIRE(doc["runs"] == kRuns);
        REQUIRE(doc["ends"]["terminal"] == kRuns);
        REQUIRE(doc["confidence"] == 0.99);
        for (const auto& [figure, p] : figures) {
          INFO("fds=" << fds << " seed=" << seed << " " << figure << " exact " << p << " interval " << intervalOf(doc, figure).dump());
          CHECK(p > 0.01);  // both outcomes non-negligible, so the test is not vacuous
          CHECK(inside(p, intervalOf(doc, figure)));
        }
      }
    }
  }

  TEST_CASE("under a scheduler with class, numbered-actor and per-step rates, each seed's interval and the pooled one hold the exact figures") {
    // Rates of every kind a scheduler takes (test0 is process 0 alone), so a
    // weighting bug the engine and the chain shared in one kind would still
    // have to agree with the others; the 40,000 runs pooled give an interval
    // about three times tighter than one seed's.
    specs::Spec spec = tests::fromRoot("specs/generic-441.json", {"fds=2"});
    specs::chooseScheduler(spec, "", {"reclaim=0.1", "test0=5", "journal_write=3", "writeback=0.2", "ro_work=4"});
    const auto figures = exact(spec);
    std::map<std::string, std::uint64_t> pooled;
    std::uint64_t total = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      const json doc = simulate(spec, seed, kRuns);
      REQUIRE(doc["ends"]["terminal"] == kRuns);
      total += kRuns;
      for (const auto& [figure, p] : figures) {
        INFO("seed=" << seed << " " << figure << " exact " << p << " interval " << intervalOf(doc, figure).dump());
        CHECK(p > 0.01);
        CHECK(inside(p, intervalOf(doc, figure)));
        pooled[figure] += figure == "test_fails" ? doc["test_fails"]["runs"].get<std::uint64_t>()
                                                 : doc["key"]["values"].value(figure, json{{"runs", 0}})["runs"].get<std::uint64_t>();
      }
    }
    for (const auto& [figure, p] : figures) {
      auto [low, high] = cli::wilsonInterval(pooled[figure], total, 0.999);
      INFO(figure << " exact " << p << " pooled " << pooled[figure] << "/" << total << " [" << low << ", " << high << "]");
      CHECK(low <= p);
      CHECK(p <= high);
    }
  }

  TEST_CASE("the intervals exclude the exact figures of another scheduler") {
    for (int fds = 1; fds <= 3; ++fds) {
      const auto other = exact(generic441(fds, ""));
      for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const json doc = simulate(generic441(fds, "reclaim_tenth"), seed, kRuns);
        INFO("fds=" << fds << " seed=" << seed << " default's test_fails " << other.at("test_fails") << " interval "
                    << intervalOf(doc, "test_fails").dump());
        CHECK_FALSE(inside(other.at("test_fails"), intervalOf(doc, "test_fails")));
      }
    }
  }
}
