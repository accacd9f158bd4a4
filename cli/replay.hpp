// Re-executing a counterexample document on the model, step by step, and
// running the spec under several fix sets side by side.
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

// fsrace replay: the document (validated) re-executed under the spec and
// fixes it records; reproduced only if every step replays, the end state
// shows the property, and the document is exactly what fsrace writes for
// that run (else the message names the first difference by its JSON
// pointer). With `extra_fixes` (none of them recorded already), the same
// interleaving is then replayed under them too, as replayTrace does.
// `search` holds the limits (and interrupt flag) of the check that replay
// repeats; if it stops, the report is not reproduced and incomplete.
ReplayReport replayDocument(const std::string& trace_file, const nlohmann::json& trace, const std::string& spec_file,
                            const std::vector<std::string>& extra_fixes, bool strict, const CheckOptions& search = {});

// The first difference between `trace` and the document fsrace writes for
// the run it records under `spec`, as "/pointer: ..."; "" if there is none.
// Every step must replay (replayTrace says so first).
std::string documentDifference(const specs::Spec& spec, const nlohmann::json& trace);

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

// The minimality guarantee fsrace writes for a trace like `trace` (the
// recorded one where it is one fsrace writes in that place, else the
// default, so that the comparison names it).
std::string guaranteeOf(const nlohmann::json& trace, bool other_branch);

std::string renderReplayText(const std::string& trace_file, const ReplayReport& report);

// fsrace verify: the baseline and each fix set, with the baseline's
// counterexamples replayed under each. A fsrace.verify/1 document.
nlohmann::json runVerify(const specs::Spec& spec, const std::vector<std::vector<std::string>>& rows,
                         const CheckOptions& options);
std::string renderVerifyText(const nlohmann::json& verify);

}  // namespace fsrace::cli
