// The progress line on stderr (--progress, or by default when stderr is a
// terminal): what the run has found so far, how far it is from the end where
// that is known (never a guess where it is not), and at the end the totals.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "checker/explorer.hpp"

namespace fsrace::cli {

// What the line says beyond the explorer's counters.
struct ProgressContext {
  // The spec's expected_states, where it applies to this run (the spec's own
  // parameters and fixes, no reduction): the run will store exactly that many.
  std::optional<std::uint64_t> pinned_states;
  checker::Limits limits;
  // Reductions not in use that would shrink this run ("--symmetry", "--por").
  std::vector<std::string> untried;
};

// Where the previous line stood: the ETA uses the rate since then.
struct ProgressMark {
  double seconds = 0;
  std::uint64_t expanded = 0;  // states expanded (discovered and no longer queued)
};

// One line, without its newline. `now` is a report on the way or, if
// now.ended(), the run's totals.
std::string progressLine(const ProgressContext& context, const checker::Stats& now, const ProgressMark& previous);

// An Explorer::onProgress callback that prints each line on stderr.
std::function<void(const checker::Stats&)> progressPrinter(ProgressContext context);

// What to try when a run stopped before it learned an outcome:
// "try --symmetry, --por or smaller parameters".
std::string shrinkHint(const std::vector<std::string>& untried);

// A time left in whole units, at least one: "~12 s", "~4 min", "~3 h".
std::string durationText(double seconds);

// 1234567 as "1,234,567".
std::string groupedText(std::uint64_t value);

}  // namespace fsrace::cli
