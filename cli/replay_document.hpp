// fsrace replay of a counterexample document: is it what fsrace writes for
// the run it records, and does it still show its property under a fix?
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/replay.hpp"
#include "cli/run.hpp"

namespace fsrace::cli {

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

// The minimality guarantee fsrace writes for a trace like `trace` (the
// recorded one where it is one fsrace writes in that place, else the
// default, so that the comparison names it).
std::string guaranteeOf(const nlohmann::json& trace, bool other_branch);

}  // namespace fsrace::cli
