// check --smallest: the scenario it names violates the property, and no
// scenario nearer the minimum does (checked here by running them all).
#include <doctest/doctest.h>

#include "cli/smallest.hpp"
#include "tests/from_root.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;

const json* entryFor(const json& smallest, const std::string& property) {
  for (const auto& s : smallest)
    if (s["property"] == property) return &s;
  return nullptr;
}

std::string verdictOf(const json& result, const std::string& property) {
  for (const auto& p : result["properties"])
    if (p["name"] == property) return p["verdict"];
  return "";
}

}  // namespace

TEST_SUITE("smallest") {
  TEST_CASE("generic-441 at 3 fds: the same race with fds=1, the 42-step trace") {
    auto spec = fromRoot("specs/generic-441.json", {"fds=3"});
    json result = cli::runCheck(spec, {}).result;
    json smallest = atSourceRoot([&] { return cli::smallestScenarios(spec, {"fds=3"}, {}, result, {}); });
    for (const char* property : {"fsync_after_shutdown_consistent", "test_passes"}) {
      const json* s = entryFor(smallest, property);
      REQUIRE_MESSAGE(s, property);
      CHECK((*s)["changed"] == json({{"fds", 1}}));
      CHECK((*s)["states"] == 3303);
      CHECK((*s)["steps"] == 42);
      CHECK((*s)["counterexample"]["parameters"]["fds"] == 1);
      CHECK((*s)["counterexample"]["steps"].size() == 42);
    }
    CHECK(entryFor(smallest, "errors_reported_once_per_fd") == nullptr);  // holds: nothing to shrink
  }

  TEST_CASE("two processes on two files: the scenarios nearer the minimum are refused by the loader, and said to be") {
    auto spec = fromRoot("specs/generic-441-two-files.json");
    json result = cli::runCheck(spec, {}).result;
    json smallest = atSourceRoot([&] { return cli::smallestScenarios(spec, {}, {}, result, {}); });
    const json* s = entryFor(smallest, "test_passes");
    REQUIRE(s);
    CHECK((*s)["changed"] == json({{"inodes", 1}}));
    CHECK((*s)["arguments"] == json({"--set", "inodes=1"}));
    // Nearer the minimum: one process on one file; the spec's properties
    // name process 1's fields, so it is no scenario of the spec. (One
    // process on two files is refused too, but is as near as the answer.)
    CHECK((*s)["unloadable_smaller"] == 1);
    CHECK_THROWS_AS(fromRoot("specs/generic-441-two-files.json", {"processes=1", "inodes=1"}), specs::SpecError);
    CHECK_THROWS_AS(fromRoot("specs/generic-441-two-files.json", {"processes=1", "inodes=2"}), specs::SpecError);
    auto found = fromRoot("specs/generic-441-two-files.json", {"inodes=1"});
    json again = cli::runCheck(found, {}).result;
    CHECK(verdictOf(again, "test_passes") == "violated");
    CHECK(again["stats"]["states"] == (*s)["states"]);
  }

  TEST_CASE("the command names the fixes and the other --set, and the search shares the time limit") {
    auto spec = fromRoot("specs/generic-441.json", {"fds=3", "mode=full"}, {"recheck_journal_error_before_triggers"});
    json result = cli::runCheck(spec, {}).result;
    json smallest = atSourceRoot(
        [&] { return cli::smallestScenarios(spec, {"fds=3", "mode=full"}, {"recheck_journal_error_before_triggers"}, result, {}); });
    const json* s = entryFor(smallest, "fsync_after_shutdown_consistent");
    REQUIRE(s);
    CHECK((*s)["arguments"] == json({"--set", "mode=full", "--set", "fds=1", "--fix", "recheck_journal_error_before_triggers"}));
    CHECK((*s)["stopped"] == false);
    // A size the user set stays in the command even where the answer keeps
    // it: left out, the spec file's own value would come back.
    auto small = fromRoot("specs/generic-441.json", {"fds=1", "rounds=2"});
    json small_result = cli::runCheck(small, {}).result;
    json kept = atSourceRoot([&] { return cli::smallestScenarios(small, {"fds=1", "rounds=2"}, {}, small_result, {}); });
    const json* k = entryFor(kept, "fsync_after_shutdown_consistent");
    REQUIRE(k);
    CHECK((*k)["changed"] == json({{"rounds", 1}}));
    CHECK((*k)["arguments"] == json({"--set", "fds=1", "--set", "rounds=1"}));
    cli::CheckOptions hurried;
    hurried.limits.max_seconds = 1e-9;  // gone before the first smaller run
    json stopped = atSourceRoot(
        [&] { return cli::smallestScenarios(spec, {"fds=3", "mode=full"}, {"recheck_journal_error_before_triggers"}, result, hurried); });
    const json* t = entryFor(stopped, "fsync_after_shutdown_consistent");
    REQUIRE(t);
    CHECK((*t)["stopped"] == true);
    CHECK((*t)["changed"].is_null());
  }
}

}  // namespace fsrace::tests
