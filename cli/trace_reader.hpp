// Reading a fsrace.counterexample/1 document strictly: every field replay
// uses is checked for presence, type and range before anything runs, and
// every problem is one SpecError line naming the file and a JSON pointer.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/trace_json.hpp"
#include "model/bcachefs_model.hpp"

namespace fsrace::cli {

// The largest trace replay accepts (a counterexample of this tool is far shorter).
inline constexpr int kMaxTraceSteps = 100000;

// Checks the document's shape; throws SpecError naming `file` and a pointer.
void validateTrace(const std::string& file, const nlohmann::json& trace);

// The step's action and actor; validateTrace has checked both names.
model::Action recordedAction(const nlohmann::json& step);

// The recorded steps applied from the initial state, enabled or not (replay
// has checked that each is enabled before anything relies on the result).
TraceView reexecute(const model::BcachefsModel& m, const nlohmann::json& steps);

}  // namespace fsrace::cli
