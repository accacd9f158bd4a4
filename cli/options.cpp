#include "cli/options.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace fsrace::cli {
namespace {

[[noreturn]] void refuse(const std::string& flag, const std::string& text, const std::string& expected) {
  throw UsageError(flag + " " + text + ": expected " + expected);
}

std::uint64_t wholeNumber(const std::string& flag, const std::string& text, std::uint64_t max, const std::string& expected) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value == 0 || value > max) refuse(flag, text, expected);
  return value;
}

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

// "MemAvailable:   12345 kB" from /proc/meminfo, in MiB.
std::uint64_t memAvailableMiB() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib / 1024;
  return kUnlimited;
}

// This process's cgroup (v2): memory.max less memory.current, in MiB.
std::uint64_t cgroupRoomMiB() {
  std::ifstream self("/proc/self/cgroup");
  std::string line, path;
  while (std::getline(self, line))
    if (line.rfind("0::", 0) == 0) path = line.substr(3);
  if (path.empty()) return kUnlimited;
  std::ifstream max_in("/sys/fs/cgroup" + path + "/memory.max"), current_in("/sys/fs/cgroup" + path + "/memory.current");
  std::string max_text;
  std::uint64_t current = 0;
  if (!(max_in >> max_text) || max_text == "max" || !(current_in >> current)) return kUnlimited;
  std::uint64_t max = 0;
  std::istringstream(max_text) >> max;
  return max > current ? (max - current) / kMiB : 0;
}

// Room left under a resource limit, given what this process already uses
// of it (from /proc/self/statm: its virtual size, or its data segment).
std::uint64_t rlimitRoomMiB(int resource) {
  struct rlimit rl {};
  if (::getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return kUnlimited;
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0, shared = 0, text = 0, lib = 0, data = 0;
  statm >> size >> resident >> shared >> text >> lib >> data;
  std::uint64_t used = (resource == RLIMIT_AS ? size : data) * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  auto limit = static_cast<std::uint64_t>(rl.rlim_cur);
  return limit > used ? (limit - used) / kMiB : 0;
}

}  // namespace

std::uint64_t parseStateLimit(const std::string& flag, const std::string& text) {
  return wholeNumber(flag, text, 4'000'000'000ull, "a whole number of states from 1 to 4000000000 (omit the option for no limit)");
}

double parseSeconds(const std::string& flag, const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value) || value <= 0 || value > 1e7)
    refuse(flag, text, "a number of seconds above 0 and at most 10000000 (omit the option for no limit)");
  return value;
}

std::uint64_t parseMiB(const std::string& flag, const std::string& text) {
  return wholeNumber(flag, text, std::uint64_t{1} << 30, "a whole number of MiB from 1 to 1073741824");
}

std::uint64_t parseRuns(const std::string& flag, const std::string& text) {
  return wholeNumber(flag, text, 1'000'000'000, "a whole number of runs from 1 to 1000000000");
}

std::uint64_t parseMaxSteps(const std::string& flag, const std::string& text) {
  return wholeNumber(flag, text, 1'000'000'000, "a whole number of steps from 1 to 1000000000");
}

std::uint64_t parseSeed(const std::string& flag, const std::string& text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) refuse(flag, text, "a whole number from 0 to 18446744073709551615");
  return value;
}

double parseConfidence(const std::string& flag, const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  // At 1 the interval is all of [0, 1]; below 0.5 it is narrower than the
  // estimate's own error and says nothing a reader could use.
  if (text.empty() || ec != std::errc() || ptr != end || !(value >= 0.5 && value < 1))
    refuse(flag, text, "a number from 0.5 up to but not including 1, such as 0.99");
  return value;
}

unsigned parseThreads(const std::string& flag, const std::string& text) {
  return static_cast<unsigned>(wholeNumber(flag, text, 4096, "a whole number of threads from 1 to 4096"));
}

AvailableMemory availableMemory() {
  AvailableMemory best{memAvailableMiB(), "MemAvailable"};
  auto consider = [&](std::uint64_t mib, const char* source) {
    if (mib < best.mib) best = {mib, source};
  };
  consider(cgroupRoomMiB(), "cgroup memory.max");
  consider(rlimitRoomMiB(RLIMIT_AS), "RLIMIT_AS");
  consider(rlimitRoomMiB(RLIMIT_DATA), "RLIMIT_DATA");
  if (best.mib == kUnlimited) best = {std::uint64_t{1} << 20, "nothing (no memory figure could be read)"};
  return best;
}

std::uint64_t defaultMemoryLimitMiB(const AvailableMemory& available) {
  return std::max<std::uint64_t>(16, available.mib / 4 * 3);
}

}  // namespace fsrace::cli
