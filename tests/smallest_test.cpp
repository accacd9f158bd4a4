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

  TEST_CASE("two processes on two files: no nearer scenario violates what the smallest one does") {
    auto spec = fromRoot("specs/generic-441-two-files.json");
    json result = cli::runCheck(spec, {}).result;
    json smallest = atSourceRoot([&] { return cli::smallestScenarios(spec, {}, {}, result, {}); });
    const json* s = entryFor(smallest, "test_passes");
    REQUIRE(s);
    CHECK((*s)["changed"] == json({{"inodes", 1}}));
    // Nearer the minimum there is only one process on one file: check it by hand.
    specs::Spec one;
    bool loads = true;
    try {
      one = fromRoot("specs/generic-441-two-files.json", {"processes=1", "inodes=1"});
    } catch (const specs::SpecError&) {
      loads = false;
    }
    if (loads) CHECK(verdictOf(cli::runCheck(one, {}).result, "test_passes") != "violated");
    auto found = fromRoot("specs/generic-441-two-files.json", {"inodes=1"});
    CHECK(verdictOf(cli::runCheck(found, {}).result, "test_passes") == "violated");
  }
}

}  // namespace fsrace::tests
