// Re-executing a counterexample on the model of a spec, step by step, and
// slicing one.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/run.hpp"
#include "cli/trace_reader.hpp"
#include "specs/spec.hpp"

namespace fsrace::cli {

struct ReplayReport {
  bool reproduced = false;
  bool incomplete = false;  // the search replay repeats stopped at a limit or a signal
  std::size_t steps_replayed = 0;
  std::size_t fix_steps_inserted = 0;
  std::string message;             // one line: where it stopped, or what it reproduced
  std::vector<std::string> notes;  // steps whose effect differs from the recorded one
};

// Replays `trace` on the model of `spec` (its program, parameters and fixes).
// Unless `strict`, where a recorded step is not enabled but a step that only
// the active fixes have is (same actor), that step is taken first: the
// recorded interleaving, with the fix's own steps inserted.
ReplayReport replayTrace(const specs::Spec& spec, const nlohmann::json& trace, bool strict);



// The spec a counterexample document was made from, with its parameters, and
// its fixes plus `extra_fixes`. `spec_file` overrides the recorded path.
specs::Spec specOfTrace(const std::string& trace_file, const nlohmann::json& trace, const std::string& spec_file,
                        const std::vector<std::string>& extra_fixes);

// Delta debugging on one trace (not a divergence's pair): drops steps, last
// first, while every remaining step stays enabled and the end state still
// shows the property as recorded. Returns the sliced document with its
// changes recomputed and "sliced": true. A breadth-first shortest trace has
// nothing to drop (a shorter one would have been found first); slicing
// matters for traces that are not, such as a divergence's other branch or a
// trace replayed under a fix with the fix's steps inserted.
// Only steps at index `first` (0-based) or later are candidates, so a
// divergence's other branch keeps its common prefix.
nlohmann::json sliceTrace(const specs::Spec& spec, const nlohmann::json& trace, std::size_t first = 0);


std::string renderReplayText(const std::string& trace_file, const ReplayReport& report);


}  // namespace fsrace::cli
