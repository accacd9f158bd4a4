// Same input, same bytes out: results and traces do not depend on the run.
#include <doctest/doctest.h>

#include "cli/run.hpp"

namespace fsrace::tests {
namespace {

nlohmann::json withoutTimings(nlohmann::json result) {
  result.erase("timing");
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

  TEST_CASE("1, 2 and 3 threads give byte-identical JSON, timings aside") {
    // fds=16: 289,569 states over 388 levels, ~750 a level on average: most
    // levels are cut into several 128-state chunks, spread over the threads.
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json", {"fds=16"});
    cli::CheckOptions options;
    options.threads = 1;
    std::string one = withoutTimings(cli::runCheck(spec, options).result).dump(2);
    CHECK(one.size() > 100000);
    for (unsigned threads : {2u, 3u}) {
      CAPTURE(threads);
      options.threads = threads;
      CHECK(withoutTimings(cli::runCheck(spec, options).result).dump(2) == one);
    }
  }

  TEST_CASE("with symmetry and partial-order reduction, 1, 2 and 3 threads give byte-identical JSON") {
    // The ample choice reads the store as it was when the batch began.
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/tests/reductions/two-files-outcomes.json");
    cli::CheckOptions options;
    options.reductions = {true, true};
    options.threads = 1;
    nlohmann::json result = withoutTimings(cli::runCheck(spec, options).result);
    CHECK(result["stats"]["states"] == 115581);  // 392,436 without the reductions
    std::string one = result.dump(2);
    for (unsigned threads : {2u, 3u}) {
      CAPTURE(threads);
      options.threads = threads;
      CHECK(withoutTimings(cli::runCheck(spec, options).result).dump(2) == one);
    }
  }
}

}  // namespace fsrace::tests
