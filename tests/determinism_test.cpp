// Same input, same bytes out: results and traces do not depend on the run.
#include <doctest/doctest.h>

#include "cli/run.hpp"

namespace fsrace::tests {
namespace {

nlohmann::json withoutTimings(nlohmann::json result) {
  result["stats"].erase("seconds");
  result["stats"].erase("states_per_second");
  return result;
}

}  // namespace

TEST_SUITE("determinism") {
  TEST_CASE("the same spec twice gives byte-identical JSON, timings aside") {
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441-recheck.json");
    std::string first = withoutTimings(cli::runCheck(spec, {}).result).dump(2);
    std::string second = withoutTimings(cli::runCheck(spec, {}).result).dump(2);
    CHECK(first.size() > 100000);
    CHECK(first == second);
  }
}

}  // namespace fsrace::tests
