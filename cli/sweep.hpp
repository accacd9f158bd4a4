// fsrace sweep: how an outcome's probability moves with one rate of the
// scheduler (an actor class, an actor or a step), for the spec as given and
// under each fix, as a fsrace.sweep/1 document, a table or an SVG picture.
// Each curve is one exploration; each point is one solution of its chain.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/run.hpp"
#include "cli/sweep_plan.hpp"
#include "specs/spec.hpp"

namespace fsrace::cli {

// What the command line asks for, before it is checked against the spec.
struct SweepRequest {
  std::string key;
  std::string from = "0.01", to = "100", points = "25";  // as typed: parsed strictly (parseSweepRange)
  std::string measure = "test_fails";
};

// The most points a sweep takes: each is one solution of every curve's chain.
inline constexpr std::size_t kSweepMaxPoints = 1000;

// `points` multipliers from `from` to `to`, evenly spaced on a log scale,
// both ends included.
std::vector<double> logSpaced(double from, double to, std::size_t points);

// The plan a request makes on `spec` (its scheduler in use, spec.schedulers[0]):
// the key a rate key of the model, from < to both positive, 2 to 1000
// points, every rate the sweep sets within the scheduler's range, the
// measure one the spec can answer. Errors are UsageErrors naming the flag.
SweepPlan planSweep(const specs::Spec& spec, const SweepRequest& request);

// The measure `text` names: "test_fails", an outcome property of the spec,
// or FIELD=VALUE over its outcome fields.
SweepMeasure parseMeasure(const specs::Spec& spec, const std::string& text);

// The sweep: a curve for the spec as given, then one for each of
// `fix_rows` (fix sets on top of the spec's own); a set the model refuses
// is skipped, with why. A fsrace.sweep/1 document.
nlohmann::json runSweep(const specs::Spec& spec, const std::vector<std::vector<std::string>>& fix_rows, const SweepPlan& plan,
                        const CheckOptions& options);

// 0, or 3 when a curve's run stopped first (it has no numbers).
int sweepExitCode(const nlohmann::json& sweep);

std::string renderSweepText(const nlohmann::json& sweep);

// The sweep as one self-contained SVG picture (no script, no external
// reference): the multiplier on a log x axis, P(measure) on y, linear from
// 0 to 1 or with `log_y` logarithmic (zeros drawn at the axis' floor, which
// the legend says), a polyline with markers per complete curve.
std::string renderSweepSvg(const nlohmann::json& sweep, bool log_y);

}  // namespace fsrace::cli
