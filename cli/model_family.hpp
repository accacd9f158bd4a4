// A model family as the fsrace command sees it: its description (for specs,
// traces and `fsrace list`) and what runs on it. One object per registered
// model (model/registry.cpp); check, simulate, verify, replay and list reach a model
// only through this interface, so cli/ names none.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/replay.hpp"
#include "cli/run.hpp"
#include "cli/sweep_plan.hpp"
#include "cli/simulate.hpp"
#include "specs/model_description.hpp"

namespace fsrace::cli {

class ModelFamily : public specs::ModelDescription {
 public:
  // fsrace check of `spec` (see runCheck).
  virtual CheckOutput check(const specs::Spec& spec, const CheckOptions& options) const = 0;
  // One trace (not a divergence's pair) replayed on the spec's model (see replayTrace).
  virtual ReplayReport replayOne(const specs::Spec& spec, const nlohmann::json& trace, bool strict, bool compare_changes) const = 0;
  // Delta debugging of a trace (see sliceTrace).
  virtual nlohmann::json slice(const specs::Spec& spec, const nlohmann::json& trace, std::size_t first) const = 0;
  // The document fsrace writes for the run `trace` records: its steps
  // re-executed under `spec`, named by `spec_file` (see documentDifference).
  virtual nlohmann::json rewrite(const specs::Spec& spec, const nlohmann::json& trace, const nlohmann::json& spec_file,
                                 bool other_branch) const = 0;
  // fsrace simulate of `spec` under its scheduler: the fsrace.simulation/1
  // document (see simulateModel).
  virtual nlohmann::json simulate(const specs::Spec& spec, const SimulateOptions& options) const = 0;
  // The size of the spec's symmetry group (1: nothing for --symmetry to reduce).
  virtual std::size_t symmetries(const specs::Spec& spec) const = 0;

  // fsrace sweep (cli/sweep.hpp): one curve, the spec explored once,
  // complete and unreduced, then its Markov chain solved at each of the
  // plan's multipliers. {"states", "complete", "stopped_by", "probabilities"
  // (one per multiplier, or null), "why" (null, or why there are none),
  // "timing"}.
  virtual nlohmann::json sweepCurve(const specs::Spec& spec, const SweepPlan& plan, const CheckOptions& options) const = 0;
};

// The registry (model/registry.cpp): every model family, the default first.
const std::vector<const ModelFamily*>& modelFamilies();
// The family of a loaded spec.
const ModelFamily& familyOf(const specs::Spec& spec);

}  // namespace fsrace::cli
