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
std::string renderCrossCheckText(const nlohmann::json& doc);

}  // namespace fsrace::cli
