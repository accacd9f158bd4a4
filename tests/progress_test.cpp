// The progress line: a pure function from the explorer's counters, the run's
// limits and its pin (if any) to one line of stderr.
#include <doctest/doctest.h>

#include "cli/progress.hpp"

namespace fsrace::tests {
namespace {

using cli::ProgressContext;
using cli::ProgressMark;
using cli::progressLine;

// Three seconds into a run: 1,200,000 of 1,234,567 states expanded, 200,000
// of them in the last second.
checker::Stats onTheWay() {
  checker::Stats s;
  s.seconds = 3.0;
  s.states = 1234567;
  s.queue = 34567;
  s.depth = 57;
  s.store_bytes = std::size_t{310} << 20;
  s.terminal_states = 12;
  s.distinct_outcomes = 2;
  return s;
}
const ProgressMark kSecondAgo{2.0, 1000000};

ProgressContext withMemoryLimit() {
  ProgressContext context;
  context.limits.max_memory_mib = 6144;
  return context;
}

}  // namespace

TEST_SUITE("progress") {
  TEST_CASE("a report on the way shows time, states, rate, depth, queue, memory, terminal states and outcomes") {
    CHECK(progressLine(withMemoryLimit(), onTheWay(), kSecondAgo) ==
          "fsrace: 3.00 s, 1,234,567 states (411,522/s), depth 57, queue 34,567, 310 of 6,144 MiB; "
          "12 terminal states, 2 outcomes");
  }

  TEST_CASE("with a pin: how much is expanded, and the time left at the rate since the previous line") {
    ProgressContext context = withMemoryLimit();
    context.pinned_states = 2000000;
    // 800,000 states to go at 200,000 a second.
    CHECK(progressLine(context, onTheWay(), kSecondAgo) ==
          "fsrace: 3.00 s, 1,234,567 states (411,522/s), depth 57, queue 34,567, 310 of 6,144 MiB; "
          "60% of the 2,000,000 pinned states expanded, ~4 s left; 12 terminal states, 2 outcomes");
  }

  TEST_CASE("without a pin there is no estimate, only the distance to the limits") {
    ProgressContext context = withMemoryLimit();
    context.limits.max_states = 2000000;
    context.limits.max_seconds = 20;
    CHECK(progressLine(context, onTheWay(), kSecondAgo) ==
          "fsrace: 3.00 of 20 s, 1,234,567 of 2,000,000 states (411,522/s), depth 57, queue 34,567, 310 of 6,144 MiB; "
          "12 terminal states, 2 outcomes");
  }

  TEST_CASE("an estimate past --max-seconds says so") {
    ProgressContext context;
    context.pinned_states = 2000000;
    context.limits.max_seconds = 5;
    std::string line = progressLine(context, onTheWay(), kSecondAgo);
    CHECK(line.find("; 60% of the 2,000,000 pinned states expanded, ~4 s left (beyond --max-seconds 5); ") != std::string::npos);
  }

  TEST_CASE("no estimate from a standstill, nor past the pinned count") {
    ProgressContext context;
    context.pinned_states = 2000000;
    std::string still = progressLine(context, onTheWay(), {3.0, 1200000});
    CHECK(still.find("; 60% of the 2,000,000 pinned states expanded; ") != std::string::npos);
    context.pinned_states = 1000000;
    std::string past = progressLine(context, onTheWay(), kSecondAgo);
    CHECK(past.find("; past the 1,000,000 pinned states: no estimate; ") != std::string::npos);
  }

  TEST_CASE("long estimates are in minutes and hours") {
    ProgressContext context;
    context.pinned_states = 100000000;
    CHECK(progressLine(context, onTheWay(), kSecondAgo).find(", ~8 min left;") != std::string::npos);  // 494 s
    context.pinned_states = 2000000000;
    CHECK(progressLine(context, onTheWay(), kSecondAgo).find(", ~3 h left;") != std::string::npos);  // 9,994 s
  }

  TEST_CASE("the last line of a complete run has the totals and no queue") {
    ProgressContext context = withMemoryLimit();
    context.pinned_states = 119985;
    checker::Stats s;
    s.complete = true;
    s.seconds = 0.5;
    s.states = 119985;
    s.depth = 250;
    s.store_bytes = std::size_t{29} << 20;
    s.terminal_states = 1260;
    s.distinct_outcomes = 2;
    CHECK(progressLine(context, s, {}) ==
          "fsrace: complete: 0.50 s, 119,985 states (239,970/s), depth 250, 29 of 6,144 MiB; 1,260 terminal states, 2 outcomes");
  }

  TEST_CASE("a run stopped before any terminal state says it learned no outcome, and what to try") {
    ProgressContext context = withMemoryLimit();
    context.limits.max_seconds = 20;
    context.untried = {"--symmetry", "--por"};
    checker::Stats s = onTheWay();
    s.seconds = 20.004;
    s.stopped_by = "max_seconds";
    s.terminal_states = 0;
    s.distinct_outcomes = 0;
    CHECK(progressLine(context, s, kSecondAgo) ==
          "fsrace: stopped by --max-seconds 20: 20.0 of 20 s, 1,234,567 states (61,716/s), depth 57, queue 34,567, "
          "310 of 6,144 MiB; 0 terminal states yet, so no outcome learned: try --symmetry, --por or smaller parameters");
  }

  TEST_CASE("a run stopped after some outcomes counts them so far, and how much of the pin it expanded") {
    ProgressContext context;
    context.pinned_states = 2000000;
    context.limits.max_states = 1000000;
    checker::Stats s = onTheWay();
    s.stopped_by = "max_states";
    s.terminal_states = 1;
    s.distinct_outcomes = 1;
    std::string line = progressLine(context, s, kSecondAgo);
    CHECK(line.starts_with("fsrace: stopped by --max-states 1,000,000: "));
    CHECK(line.ends_with("; 60% of the 2,000,000 pinned states expanded; 1 terminal state, 1 outcome so far"));
  }

  TEST_CASE("what to try names the reductions not in use") {
    CHECK(cli::shrinkHint({}) == "try smaller parameters");
    CHECK(cli::shrinkHint({"--por"}) == "try --por or smaller parameters");
    CHECK(cli::shrinkHint({"--symmetry", "--por"}) == "try --symmetry, --por or smaller parameters");
  }

  TEST_CASE("numbers are grouped by thousands") {
    CHECK(cli::groupedText(0) == "0");
    CHECK(cli::groupedText(999) == "999");
    CHECK(cli::groupedText(1000) == "1,000");
    CHECK(cli::groupedText(1234567) == "1,234,567");
    CHECK(cli::groupedText(18446744073709551615u) == "18,446,744,073,709,551,615");
  }
}

}  // namespace fsrace::tests
