// fsrace simulate: random runs of a spec under its scheduler, for scenarios
// too large to explore (docs/simulate.md). What needs no model: the options,
// the Wilson interval, the text; cli/simulate_model.hpp runs a model.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "specs/spec.hpp"

namespace fsrace::cli {

struct SimulateOptions {
  std::uint64_t runs = 1;
  std::uint64_t seed = 1;
  std::uint64_t max_steps = 100'000;
  unsigned threads = 1;
  double confidence = 0.99;
  bool progress = false;  // runs done, runs/s and time left on stderr, once a second
  const std::atomic<bool>* interrupted = nullptr;
};

// The two-sided Wilson score interval of `successes` in `trials` at
// `confidence` (0 < confidence < 1), clamped to [0, 1]; [0, 1] for no trials.
std::pair<double, double> wilsonInterval(std::uint64_t successes, std::uint64_t trials, double confidence);

// {"runs", "frequency", "interval": [low, high]} of `count` in `runs`.
nlohmann::json frequencyJson(std::uint64_t count, std::uint64_t runs, double confidence);

// The parts of a fsrace.simulation/1 document that need no model.
nlohmann::json simulationHeader(const specs::Spec& spec, const SimulateOptions& options);

// The progress line's callback: "12,000 of 100,000 runs (12%), 4,100 runs/s, ~21 s left".
std::function<void(std::uint64_t, double)> simulationProgress(std::uint64_t runs);

// The document for people: the outcome table, the property lines, where the traces are.
std::string renderSimulationText(const nlohmann::json& doc);

// The exit status: 1 if a run violates a property the spec expects to hold, else 0.
int simulationExitCode(const nlohmann::json& doc);

}  // namespace fsrace::cli
