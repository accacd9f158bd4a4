// What fsrace simulate needs of no model: intervals, the document's
// envelope, progress, text and exit status.
#include "cli/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/probabilities.hpp"
#include "cli/progress.hpp"
#include "cli/provenance.hpp"
#include "cli/trace_json.hpp"
#include "specs/model_description.hpp"

namespace fsrace::cli {

using nlohmann::json;

namespace {

// The z with P(|Z| < z) = confidence for a standard normal Z, by bisection
// on erf: exact to a double's precision, and the same everywhere.
double normalQuantile(double confidence) {
  double low = 0, high = 40;
  for (int i = 0; i < 200; ++i) {
    double mid = (low + high) / 2;
    (std::erf(mid / std::sqrt(2.0)) < confidence ? low : high) = mid;
  }
  return (low + high) / 2;
}

std::string fixed(double value, int digits) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::string intervalText(const json& figure) {
  return "[" + fixed(figure["interval"][0].get<double>(), 4) + ", " + fixed(figure["interval"][1].get<double>(), 4) + "]";
}

// The outcome fields that differ between outcomes.
std::vector<std::string> distinguishing(const json& doc) {
  std::vector<std::string> out;
  for (const auto& field : doc["outcome_fields"]) {
    std::set<std::string> values;
    for (const auto& o : doc["outcomes"]) values.insert(o["outcome"][field.get<std::string>()].get<std::string>());
    if (values.size() > 1) out.push_back(field);
  }
  // One outcome: its key field and the program's printed result.
  if (doc["outcomes"].size() == 1) out = {doc["key"]["field"].get<std::string>(), doc["outcome_fields"].back().get<std::string>()};
  // As check's table: the first and the last (the program's printed result), the rest elided.
  if (out.size() > 2) out = {out.front(), "...", out.back()};
  return out;
}

void outcomesText(std::ostringstream& out, const json& doc) {
  const auto fields = distinguishing(doc);
  out << "outcomes (" << groupedText(doc["ends"]["terminal"]) << " runs ended; fields equal in every outcome omitted):\n";
  out << "  " << std::string(10, ' ') << "runs  frequency  interval\n";
  for (const auto& o : doc["outcomes"]) {
    char counts[64];
    std::snprintf(counts, sizeof counts, "  %14s  %-9s  ", groupedText(o["runs"]).c_str(), fixed(o["frequency"], 4).c_str());
    out << counts << intervalText(o);
    for (const auto& field : fields) out << "  " << (field == "..." ? field : field + "=" + o["outcome"][field].get<std::string>());
    out << "\n";
  }
}

void propertiesText(std::ostringstream& out, const json& doc) {
  out << "properties (a simulation finds violations and witnesses; it never shows that a property holds):\n";
  for (const auto& p : doc["properties"]) {
    char head[128];
    std::snprintf(head, sizeof head, "  %-10s %s (%s)", p["verdict"].get<std::string>().c_str(), p["name"].get<std::string>().c_str(),
                  p["kind"].get<std::string>().c_str());
    out << head;
    if (p["verdict"] == "not_found") {
      out << ": no run " << (p["event"] == "violated" ? "violates" : "witnesses") << " it; frequency at most "
          << fixed(p["interval"][1], 4) << "\n";
      continue;
    }
    out << ": " << groupedText(p["runs"]) << " runs, " << fixed(p["frequency"], 4) << " " << intervalText(p) << "; first run "
        << p["first_run"].get<std::uint64_t>() << " ("
        << p[p["event"] == "violated" ? "counterexample" : "witness"]["minimality"]["steps"].get<std::uint64_t>() << " steps)\n";
  }
}

}  // namespace

std::pair<double, double> wilsonInterval(std::uint64_t successes, std::uint64_t trials, double confidence) {
  if (trials == 0) return {0.0, 1.0};
  const double n = static_cast<double>(trials), p = static_cast<double>(successes) / n;
  const double z = normalQuantile(confidence), z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  // At 0 or all successes the interval touches the end exactly.
  double low = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  double high = successes == trials ? 1.0 : std::min(1.0, centre + half);
  return {low, high};
}

json frequencyJson(std::uint64_t count, std::uint64_t runs, double confidence) {
  auto [low, high] = wilsonInterval(count, runs, confidence);
  return {{"runs", count},
          {"frequency", runs ? static_cast<double>(count) / static_cast<double>(runs) : 0.0},
          {"interval", {low, high}}};
}

json simulationHeader(const specs::Spec& spec, const SimulateOptions& options) {
  return {{"format", "fsrace.simulation/1"},
          {"spec", spec.name},
          {"spec_file", spec.file},
          {"model", spec.model},
          {"fixes", fixesJson(spec.fixes)},
          {"parameters", spec.parameters.json()},
          {"provenance", provenanceJson(&spec)},
          {"scheduler", spec.schedulers.front().json()},
          {"runs_requested", options.runs},
          {"seed", options.seed},
          {"max_steps", options.max_steps},
          {"confidence", options.confidence}};
}

std::function<void(std::uint64_t, double)> simulationProgress(std::uint64_t runs) {
  return [runs](std::uint64_t done, double seconds) {
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    std::string line = "fsrace: simulate: " + groupedText(done) + " of " + groupedText(runs) + " runs (" +
                       std::to_string(done * 100 / std::max<std::uint64_t>(runs, 1)) + "%), " +
                       groupedText(static_cast<std::uint64_t>(rate)) + " runs/s";
    if (rate > 0 && done < runs) line += ", " + durationText(static_cast<double>(runs - done) / rate) + " left";
    std::cerr << line << "\n";
  };
}

std::string renderSimulationText(const json& doc) {
  std::ostringstream out;
  const std::string rates = ratesText(specs::Scheduler{"", "", doc["scheduler"]["rates"].get<std::map<std::string, double>>()});
  out << doc["spec_file"].get<std::string>() << ": " << groupedText(doc["runs"]) << " random runs, seed "
      << doc["seed"].get<std::uint64_t>() << ", scheduler " << doc["scheduler"]["name"].get<std::string>()
      << (rates.empty() ? " (every enabled step equally likely)" : " (" + rates + ")") << ", "
      << fixed(doc["confidence"].get<double>() * 100, 1) << "% Wilson intervals\n";
  if (doc["interrupted"].get<bool>())
    out << "interrupted after " << groupedText(doc["runs"]) << " of " << groupedText(doc["runs_requested"]) << " runs\n";
  out << "ends: " << groupedText(doc["ends"]["terminal"]) << " finished, " << groupedText(doc["ends"]["deadlock"])
      << " deadlocked, " << groupedText(doc["ends"]["truncated"]) << " truncated at " << groupedText(doc["max_steps"])
      << " steps; longest run " << groupedText(doc["steps"]["longest_run"]) << " steps\n";
  if (doc["ends"]["truncated"].get<std::uint64_t>() > 0)
    out << "INCOMPLETE: " << groupedText(doc["ends"]["truncated"])
        << " runs stopped at --max-steps before the program ended; they count as no outcome, so every frequency below "
           "is of finishing within " << groupedText(doc["max_steps"]) << " steps (raise --max-steps)\n";
  outcomesText(out, doc);
  if (!doc["test_fails"].is_null())
    out << "test fails: " << fixed(doc["test_fails"]["frequency"], 4) << " " << intervalText(doc["test_fails"]) << "\n";
  propertiesText(out, doc);
  out << "traces: each property's first run is in the JSON (--format json or --json FILE); --write-counterexamples DIR "
         "writes each counterexample for fsrace replay\n";
  return out.str();
}

int simulationExitCode(const json& doc) {
  for (const auto& p : doc["properties"])
    if (p["verdict"] == "violated" && (p["expect"].is_null() || p["expect"] == "holds")) return kExitViolated;
  // A run cut at --max-steps ended in no outcome: the frequencies then
  // estimate something else than the outcomes' probabilities.
  if (doc["interrupted"].get<bool>() || doc["ends"]["truncated"].get<std::uint64_t>() > 0) return kExitIncomplete;
  return kExitHolds;
}

}  // namespace fsrace::cli
