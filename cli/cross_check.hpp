// fsrace check --cross-check: the same spec with and without each reduction.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/run.hpp"

namespace fsrace::cli {

// The spec with and without the reductions: every verdict and the outcome set
// (with witness counts) must agree. A fsrace.cross_check/1 document; its
// exit_code is 0 (they agree), 1 (they differ) or 3 (a run was incomplete).
nlohmann::json runCrossCheck(const specs::Spec& spec, const CheckOptions& options);

// The spec as given and `changed`, the same spec with the parameter changes
// `sets` (KEY=VALUE) on top: every verdict and the outcome set must agree
// (witness and terminal state counts may differ: the state spaces do). For a
// modelling choice that should not matter, e.g. a step split in two. The
// same document and exit codes as runCrossCheck.
nlohmann::json runParameterCrossCheck(const specs::Spec& spec, const specs::Spec& changed, const std::vector<std::string>& sets,
                                      const CheckOptions& options);
std::string renderCrossCheckText(const nlohmann::json& doc);

}  // namespace fsrace::cli
