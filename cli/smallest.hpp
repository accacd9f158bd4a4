// fsrace check --smallest: for each property a run violates, the smallest
// scenario that still violates it, found by checking smaller ones.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/run.hpp"
#include "specs/spec.hpp"

namespace fsrace::cli {

// The scenarios tried: every integer parameter of the model (fds,
// processes, inodes, rounds) from its minimum up to the value `spec` has,
// the others as `spec` has them; in order of their distance from the
// minimum (the sum over those parameters of value - minimum), each checked
// in full. For each property `result` (the run of `spec`) shows violated,
// the first distance at which it is violated, and there the scenario with
// the shortest counterexample. `sets` and `fixes` are the --set and --fix
// the spec was loaded with. An array, one entry per property: the sizes
// that changed, the arguments that show it, its state count and trace, and
// how many smaller scenarios the loader refused or a limit stopped.
// --max-seconds bounds the whole search (each run gets what is left); with
// --progress each run is named on stderr.
nlohmann::json smallestScenarios(const specs::Spec& spec, const std::vector<std::string>& sets,
                                 const std::vector<std::string>& fixes, const nlohmann::json& result,
                                 const CheckOptions& options);

// An entry of smallestScenarios as a reader sees it: the sizes that
// changed ("fds=1, rounds=1"), and the command that shows it as shell words
// (quoted where needed), "fsrace", "check", the spec, then each argument.
std::string changedSizes(const nlohmann::json& entry);
std::vector<std::string> commandWords(const nlohmann::json& result, const nlohmann::json& entry);

}  // namespace fsrace::cli
