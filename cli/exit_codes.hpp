// The fsrace command's exit statuses, in one place (DESIGN.md, "Command line").
#pragma once

namespace fsrace::cli {

inline constexpr int kExitHolds = 0;       // everything checked holds, or matches the spec's expectations
inline constexpr int kExitViolated = 1;    // a property is violated or an expectation is not met
inline constexpr int kExitUsage = 2;       // bad input or usage; one line on stderr
inline constexpr int kExitIncomplete = 3;  // a limit was hit before the exploration finished

}  // namespace fsrace::cli
