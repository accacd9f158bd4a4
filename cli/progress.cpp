#include "cli/progress.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace fsrace::cli {
namespace {

using checker::Stats;

std::string countText(std::uint64_t n, const char* one, const char* many) { return groupedText(n) + " " + (n == 1 ? one : many); }

// A limit as the user would have typed it: 20, 0.5.
std::string limitText(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}


std::string stoppedText(const Stats& s, const checker::Limits& limits) {
  if (s.stopped_by == "max_states") return "stopped by --max-states " + groupedText(limits.max_states);
  if (s.stopped_by == "max_seconds") return "stopped by --max-seconds " + limitText(limits.max_seconds);
  if (s.stopped_by == "max_memory") return "stopped at the memory limit";
  if (s.stopped_by == "interrupted") return "stopped by a signal";
  return "stopped by " + s.stopped_by;
}

// Time, states, rate, depth, queue and memory, each against its limit if
// it has one: "3.02 of 20 s, 1,234 states (411/s), depth 57, queue 40, 310 of 6,144 MiB".
std::string countersText(const ProgressContext& context, const Stats& s) {
  const checker::Limits& limits = context.limits;
  std::ostringstream out;
  out << std::fixed << std::setprecision(s.seconds < 10 ? 2 : 1) << s.seconds;
  if (limits.max_seconds > 0) out << " of " << limitText(limits.max_seconds);
  out << " s, " << groupedText(s.states);
  if (limits.max_states) out << " of " << groupedText(limits.max_states);
  out << " states (" << groupedText(static_cast<std::uint64_t>(s.statesPerSecond())) << "/s), depth " << s.depth;
  if (!s.complete) out << ", queue " << groupedText(s.queue);
  out << ", " << groupedText(s.store_bytes >> 20);
  if (limits.max_memory_mib) out << " of " << groupedText(limits.max_memory_mib);
  out << " MiB";
  return out.str();
}

// "12 terminal states, 2 outcomes"; a run that stopped before its first
// terminal state learned nothing of the outcome set, and says what to try.
std::string foundText(const ProgressContext& context, const Stats& s) {
  std::string found = countText(s.terminal_states, "terminal state", "terminal states") + ", " +
                      countText(s.distinct_outcomes, "outcome", "outcomes");
  if (!s.ended() || s.complete) return found;
  if (s.terminal_states == 0) return "0 terminal states yet, so no outcome learned: " + shrinkHint(context.untried);
  return found + " so far";
}

// With a pin: "57% of the 119,985 pinned states expanded, ~8 s left", the
// time at the rate since the previous line. "" without one: no estimate
// is better than a made-up one.
std::string remainingText(const ProgressContext& context, const Stats& now, const ProgressMark& previous) {
  if (!context.pinned_states || now.complete) return "";
  const std::uint64_t pinned = *context.pinned_states;
  if (now.states > pinned) return "past the " + groupedText(pinned) + " pinned states: no estimate";
  const std::uint64_t expanded = now.states - now.queue;
  std::string text = std::to_string(100 * expanded / pinned) + "% of the " + groupedText(pinned) + " pinned states expanded";
  const double interval = now.seconds - previous.seconds;
  if (now.ended() || interval <= 0 || expanded <= previous.expanded) return text;
  const double rate = static_cast<double>(expanded - previous.expanded) / interval;
  const double left = static_cast<double>(pinned - expanded) / rate;
  text += ", " + durationText(left) + " left";
  if (context.limits.max_seconds > 0 && now.seconds + left > context.limits.max_seconds)
    text += " (beyond --max-seconds " + limitText(context.limits.max_seconds) + ")";
  return text;
}

}  // namespace

std::string durationText(double seconds) {
  auto whole = [](double v) { return groupedText(static_cast<std::uint64_t>(std::max(1.0, std::round(v)))); };
  if (seconds < 99.5) return "~" + whole(seconds) + " s";
  if (seconds < 99.5 * 60) return "~" + whole(seconds / 60) + " min";
  return "~" + whole(seconds / 3600) + " h";
}

std::string groupedText(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

std::string shrinkHint(const std::vector<std::string>& untried) {
  std::vector<std::string> items = untried;
  items.push_back("smaller parameters");
  std::string text = "try " + items.front();
  for (std::size_t i = 1; i < items.size(); ++i) text += (i + 1 == items.size() ? " or " : ", ") + items[i];
  return text;
}

std::string progressLine(const ProgressContext& context, const Stats& now, const ProgressMark& previous) {
  std::string line = "fsrace: ";
  if (now.complete) line += "complete: ";
  else if (now.ended()) line += stoppedText(now, context.limits) + ": ";
  line += countersText(context, now);
  if (std::string remaining = remainingText(context, now, previous); !remaining.empty()) line += "; " + remaining;
  return line + "; " + foundText(context, now);
}

std::function<void(const Stats&)> progressPrinter(ProgressContext context) {
  return [context = std::move(context), previous = ProgressMark{}](const Stats& now) mutable {
    std::cerr << progressLine(context, now, previous) << '\n';
    previous = {now.seconds, now.states - now.queue};
  };
}

}  // namespace fsrace::cli
