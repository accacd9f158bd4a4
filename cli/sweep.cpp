// fsrace sweep: the request checked against the spec, the curves run
// through the model families, the document and its table. The picture is
// in sweep_svg.cpp.
#include "cli/sweep.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/model_family.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/probabilities.hpp"
#include "cli/provenance.hpp"
#include "specs/json_reader.hpp"
#include "specs/model_description.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

std::string numberText(double value) { return cli::numberText("%g", value); }

// Three digits are enough to place a point of a table.
std::string shortNumberText(double value) { return cli::numberText("%.3g", value); }

// A multiplier as typed: a finite decimal number above 0, the whole text
// (strtod alone would take leading blanks, hex and "inf").
double parseMultiplier(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  bool decimal = std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || std::strchr(".eE+-", c); });
  bool whole = !text.empty() && decimal && end == text.c_str() + text.size();
  if (!whole || !std::isfinite(value))
    throw UsageError(flag + " " + text + ": not a number (expected a rate multiplier above 0, e.g. 0.01)");
  if (value <= 0)
    throw UsageError(flag + " " + text + ": not above 0 (expected a rate multiplier above 0; a rate of 0 would take the steps out "
                     "of the model, which is a change to the model, not to the scheduler)");
  return value;
}

std::size_t parsePoints(const std::string& text) {
  bool digits = !text.empty() && text.size() <= 6 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  std::size_t points = digits ? std::stoul(text) : 0;
  if (points < 2 || points > kSweepMaxPoints)
    throw UsageError("--points " + text + ": expected a whole number from 2 to " + std::to_string(kSweepMaxPoints) +
                     " (a sweep has both ends)");
  return points;
}

// The kind of the spec's property `name`, if it has one by that name.
std::optional<checker::PropertyKind> propertyKind(const specs::Spec& spec, const std::string& name) {
  for (const auto& p : spec.properties) {
    if (p.name != name) continue;
    if (p.kind) return p.kind;
    for (const auto& info : spec.family->properties())
      if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

SweepMeasure outcomeMeasure(const specs::Spec& spec, const std::string& text) {
  std::string flag = "--measure " + text;
  auto eq = text.find('=');
  SweepMeasure measure{SweepMeasure::Kind::Outcome, text, "", text.substr(0, eq), text.substr(eq + 1)};
  auto fields = spec.family->outcomeFields(spec);
  if (std::find(fields.begin(), fields.end(), measure.field) == fields.end()) {
    auto near = spec.family->closestOutcomeField(spec, measure.field);
    throw UsageError(flag + ": " + spec.file + " has no outcome field \"" + measure.field + "\"" +
                     (near ? "; did you mean \"" + *near + "\"?" : " (expected FIELD=VALUE over its outcome fields; see fsrace check)"));
  }
  specs::OutcomeValues values = spec.family->outcomeValues(spec, measure.field);
  if (std::find(values.values.begin(), values.values.end(), measure.value) == values.values.end()) {
    auto near = specs::suggest(measure.value, values.values);
    throw UsageError(flag + ": " + measure.field + " cannot be \"" + measure.value + "\"" +
                     (near ? "; did you mean \"" + *near + "\"?" : " (expected " + values.expected + ")"));
  }
  return measure;
}

// The measure in words, for the table's heading and the picture's y axis.
std::string measureLabel(const specs::Spec& spec, const SweepMeasure& measure) {
  switch (measure.kind) {
    case SweepMeasure::Kind::TestFails: return "P(test fails)";
    case SweepMeasure::Kind::Outcome: return "P(" + measure.field + "=" + measure.value + ")";
    case SweepMeasure::Kind::Property: break;
  }
  auto kind = *propertyKind(spec, measure.property);
  if (kind == checker::PropertyKind::Exists) return "P(" + measure.property + " witnessed)";
  if (kind == checker::PropertyKind::Deterministic) return "P(" + measure.property + ": not the commonest outcome)";
  return "P(" + measure.property + " violated)";
}

std::string measureKindName(SweepMeasure::Kind kind) {
  switch (kind) {
    case SweepMeasure::Kind::TestFails: return "test_fails";
    case SweepMeasure::Kind::Property: return "property";
    case SweepMeasure::Kind::Outcome: return "outcome";
  }
  return "";
}

json measureJson(const specs::Spec& spec, const SweepMeasure& measure) {
  auto orNull = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {{"text", measure.text},
          {"kind", measureKindName(measure.kind)},
          {"property", orNull(measure.property)},
          {"field", orNull(measure.field)},
          {"value", measure.kind == SweepMeasure::Kind::Outcome ? json(measure.value) : json(nullptr)},
          {"label", measureLabel(spec, measure)}};
}

std::string curveName(const std::vector<std::string>& added) {
  std::string out;
  for (const auto& fix : added) out += (out.empty() ? "" : " + ") + fix;
  return out.empty() ? "baseline" : out;
}

}  // namespace

specs::Scheduler scaledScheduler(const SweepPlan& plan, double multiplier) {
  specs::Scheduler scaled = plan.scheduler;
  auto it = scaled.rates.find(plan.key);
  scaled.rates[plan.key] = (it == scaled.rates.end() ? 1.0 : it->second) * multiplier;
  return scaled;
}

std::vector<double> logSpaced(double from, double to, std::size_t points) {
  assert(points >= 2 && from > 0 && from < to && "checked by planSweep");
  std::vector<double> out;
  double low = std::log10(from), high = std::log10(to);
  for (std::size_t i = 0; i < points; ++i)
    out.push_back(std::pow(10.0, low + (high - low) * static_cast<double>(i) / static_cast<double>(points - 1)));
  // The ends as given, not as a power of ten rounds them.
  out.front() = from;
  out.back() = to;
  return out;
}

SweepMeasure parseMeasure(const specs::Spec& spec, const std::string& text) {
  if (text.find('=') != std::string::npos) return outcomeMeasure(spec, text);
  std::string pass = spec.family->passProperty();
  if (text == "test_fails") {
    auto kind = pass.empty() ? std::nullopt : propertyKind(spec, pass);
    if (!kind || !checker::isOutcomeKind(*kind))
      throw UsageError("--measure test_fails: " + spec.file + " has no property that says the test passed (expected a property or FIELD=VALUE)");
    return {SweepMeasure::Kind::TestFails, text, pass, "", ""};
  }
  auto kind = propertyKind(spec, text);
  if (kind && checker::isOutcomeKind(*kind)) return {SweepMeasure::Kind::Property, text, text, "", ""};
  if (kind)
    throw UsageError("--measure " + text + ": a property of kind " + std::string(checker::kindName(*kind)) +
                     ", which no single outcome decides (expected test_fails, a forall, exists, not_exists or "
                     "deterministic property, or FIELD=VALUE)");
  std::vector<std::string> names{"test_fails"};
  for (const auto& p : spec.properties)
    if (auto k = propertyKind(spec, p.name); k && checker::isOutcomeKind(*k)) names.push_back(p.name);
  auto near = specs::suggest(text, names);
  throw UsageError("--measure " + text + ": " + spec.file + " has no such property" +
                   (near ? "; did you mean \"" + *near + "\"?" : " (expected test_fails, an outcome property or FIELD=VALUE)"));
}

SweepPlan planSweep(const specs::Spec& spec, const SweepRequest& request) {
  if (std::string problem = specs::rateKeyProblem(*spec.family, request.key); !problem.empty())
    throw UsageError("--rate " + request.key + ": " + problem);
  double from = parseMultiplier("--from", request.from), to = parseMultiplier("--to", request.to);
  if (from >= to)
    throw UsageError("--from " + request.from + " --to " + request.to + ": expected --from below --to (the sweep goes up from one to the other)");
  SweepPlan plan{request.key, spec.schedulers.front(), logSpaced(from, to, parsePoints(request.points)), parseMeasure(spec, request.measure)};
  double base = scaledScheduler(plan, 1.0).rates.at(plan.key);
  if (base * from < specs::kMinRate * (1 - 1e-9) || base * to > specs::kMaxRate * (1 + 1e-9))
    throw UsageError("--from " + request.from + " --to " + request.to + ": the rate of " + plan.key + " (" + numberText(base) +
                     " in scheduler " + plan.scheduler.name + ") would go from " + numberText(base * from) + " to " +
                     numberText(base * to) + " (expected rates from " + numberText(specs::kMinRate) + " to " +
                     numberText(specs::kMaxRate) + ")");
  return plan;
}

json runSweep(const specs::Spec& spec, const std::vector<std::vector<std::string>>& fix_rows, const SweepPlan& plan,
              const CheckOptions& options) {
  const ModelFamily& family = familyOf(spec);
  json curves = json::array(), skipped = json::array(), timed = json::array();
  bool complete = true;
  std::vector<std::vector<std::string>> rows{{}};
  rows.insert(rows.end(), fix_rows.begin(), fix_rows.end());
  for (const auto& added : rows) {
    specs::Spec variant = spec;
    variant.fixes.insert(variant.fixes.end(), added.begin(), added.end());
    // A combination the model refuses (ModelDescription::checkCombination) is no curve, as in verify.
    try {
      family.checkCombination(specs::JsonReader(spec.file), variant);
    } catch (const specs::SpecError& e) {
      skipped.push_back({{"fixes", variant.fixes}, {"name", curveName(added)}, {"why", e.pointer() + ": " + e.problem()}});
      continue;
    }
    json curve = family.sweepCurve(variant, plan, options);
    timed.push_back(curve["timing"]);
    curve.erase("timing");
    curve["name"] = curveName(added);
    curve["fixes"] = variant.fixes;
    complete = complete && curve["complete"].get<bool>() && !curve["probabilities"].is_null();
    curves.push_back(std::move(curve));
  }
  double seconds = 0;
  for (const auto& t : timed) seconds += t["seconds"].get<double>();
  json rates = json::array();
  for (double m : plan.multipliers) rates.push_back(scaledScheduler(plan, m).rates.at(plan.key));
  return {{"format", "fsrace.sweep/1"},
          {"spec", spec.name},
          {"spec_file", spec.file},
          {"model", spec.model},
          {"parameters", spec.parameters.json()},
          {"fixes", spec.fixes},
          {"provenance", provenanceJson(&spec)},
          {"scheduler", plan.scheduler.json()},
          {"key", plan.key},
          {"multipliers", plan.multipliers},
          {"rates", rates},
          {"measure", measureJson(spec, plan.measure)},
          {"curves", curves},
          {"skipped", skipped},
          {"complete", complete},
          {"timing", {{"seconds", seconds}, {"curves", timed}}}};
}

int sweepExitCode(const json& sweep) { return sweep["complete"].get<bool>() ? kExitHolds : kExitIncomplete; }

std::string renderSweepText(const json& sweep) {
  std::ostringstream out;
  const json& scheduler = sweep["scheduler"];
  std::string key = sweep["key"];
  out << "fsrace sweep " << sweep["spec_file"].get<std::string>() << ": " << sweep["spec"].get<std::string>() << " (model "
      << sweep["model"].get<std::string>() << ")\n"
      << sweep["measure"]["label"].get<std::string>() << " as the rate of " << key << " varies, on scheduler "
      << scheduler["name"].get<std::string>() << " (" << scheduler["description"].get<std::string>() << ")\n\n";
  std::vector<std::vector<std::string>> table{{"x", key + " rate"}};
  for (const auto& c : sweep["curves"]) table[0].push_back(c["name"]);
  for (std::size_t i = 0; i < sweep["multipliers"].size(); ++i) {
    std::vector<std::string> cells{shortNumberText(sweep["multipliers"][i].get<double>()) + "x",
                                   shortNumberText(sweep["rates"][i].get<double>())};
    for (const auto& c : sweep["curves"])
      cells.push_back(c["probabilities"].is_null() ? "-"
                      : c["complements"][i].is_null()
                          ? probabilityText(c["probabilities"][i].get<double>())
                          : chanceText(c["probabilities"][i].get<double>(), c["complements"][i].get<double>(), false));
    table.push_back(std::move(cells));
  }
  out << tableText(table);
  out << "\ncurves (each explored once, then solved at every point):\n";
  for (const auto& c : sweep["curves"]) {
    out << "  " << c["name"].get<std::string>() << ": " << c["states"].get<std::uint64_t>() << " states";
    if (!c["why"].is_null()) out << "; no numbers: " << c["why"].get<std::string>();
    if (c.value("key_weighs_steps", true) == false)
      out << "; FLAT: " << sweep["key"].get<std::string>() << " weighs no step of this scenario, so its rate changes nothing";
    if (c.value("converged", true) == false) out << "; NOT CONVERGED at some point (a cycle iterated past its work bound)";
    if (c.value("underflow", std::size_t{0}) > 0) out << "; some outcome's probability fell below a double's range (shown as 0)";
    out << "\n";
  }
  for (const auto& s : sweep["skipped"]) out << "\nskipped " << s["name"].get<std::string>() << ": " << s["why"].get<std::string>() << "\n";
  if (!sweep["complete"].get<bool>()) out << "\nINCOMPLETE: a curve has no numbers (above)\n";
  return out.str();
}

}  // namespace fsrace::cli
