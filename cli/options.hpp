// The values of the command's options, read strictly: a limit is a positive
// number within range or an error naming the flag, never a silent "no
// limit"; the memory limit defaults to what this machine can give.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fsrace::cli {

// A usage error: one line, exit 2. `what()` is "FLAG VALUE: problem".
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// --max-states: a whole number from 1 to 4,000,000,000 (state numbers are 32-bit).
std::uint64_t parseStateLimit(const std::string& flag, const std::string& text);
// --max-seconds: a finite number of seconds above 0, at most 10^7.
double parseSeconds(const std::string& flag, const std::string& text);
// --max-memory: a whole number of MiB from 1 to 2^30.
std::uint64_t parseMiB(const std::string& flag, const std::string& text);

// --threads: a whole number from 1 to 4096.
unsigned parseThreads(const std::string& flag, const std::string& text);

// simulate's --runs: a whole number from 1 to 10^9; --max-steps: from 1 to
// 10^9; --seed: any 64-bit whole number, 0 included.
std::uint64_t parseRuns(const std::string& flag, const std::string& text);
std::uint64_t parseMaxSteps(const std::string& flag, const std::string& text);
std::uint64_t parseSeed(const std::string& flag, const std::string& text);
// simulate's --confidence: a number from 0.5 up to but not including 1 (0.99 is 99%).
double parseConfidence(const std::string& flag, const std::string& text);

// The memory this process can still use, in MiB: the least of the kernel's
// MemAvailable, the room left under its cgroup's memory.max, and its
// RLIMIT_AS and RLIMIT_DATA. `source` says which one bounds it.
struct AvailableMemory {
  std::uint64_t mib = 0;
  std::string source;  // "MemAvailable", "cgroup memory.max", "RLIMIT_AS", "RLIMIT_DATA"
};
AvailableMemory availableMemory();

// The default --max-memory: three quarters of what is available, leaving
// room for the edge graph of fewest-switch traces, the outcome lists and the
// table's growth. At least 16 MiB.
std::uint64_t defaultMemoryLimitMiB(const AvailableMemory& available);

}  // namespace fsrace::cli
