// One curve of `fsrace sweep` on one model, as a template over it (the
// model families instantiate it through cli/family_base.hpp): the spec
// explored once, complete and unreduced, its Markov chain built once, then
// solved at each point of the sweep, which costs little next to the
// exploration.
#pragma once

#include <algorithm>
#include <cassert>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/explorer.hpp"
#include "checker/markov.hpp"
#include "cli/probabilities.hpp"
#include "cli/progress.hpp"
#include "cli/run.hpp"
#include "cli/sweep_plan.hpp"
#include "specs/spec.hpp"

namespace fsrace::cli {

// Whether each outcome (aligned with `outcomes`) is the measure's event, or
// nullopt for a deterministic property, whose event (an outcome outside the
// commonest class) depends on the probabilities.
template <class State>
std::optional<std::vector<bool>> eventOutcomes(const std::vector<std::string>& fields, const std::vector<checker::OutcomeClass>& outcomes,
                                               const std::vector<checker::Property<State>>& properties, const SweepMeasure& measure) {
  std::vector<bool> in(outcomes.size(), false);
  if (measure.kind == SweepMeasure::Kind::Outcome) {
    auto at = static_cast<std::size_t>(std::find(fields.begin(), fields.end(), measure.field) - fields.begin());
    assert(at < fields.size() && "the measure's field was checked against the spec's outcome fields");
    for (std::size_t i = 0; i < outcomes.size(); ++i) in[i] = outcomes[i].values[at] == measure.value;
    return in;
  }
  auto p = std::find_if(properties.begin(), properties.end(), [&](const auto& q) { return q.name == measure.property; });
  assert(p != properties.end() && checker::isOutcomeKind(p->kind) && "the measure's property was checked against the spec's");
  if (p->kind == checker::PropertyKind::Deterministic) return std::nullopt;
  // forall: violated where the predicate fails; exists, not_exists: witnessed or violated where it holds.
  bool event_when = p->kind != checker::PropertyKind::Forall;
  for (std::size_t i = 0; i < outcomes.size(); ++i) in[i] = p->outcome_predicate(outcomes[i].values) == event_when;
  return in;
}

// P(measure) from one solution's outcome probabilities `p` (aligned with
// `outcomes`); `elsewhere`: the probability of ending in no outcome (a
// deadlock, or never). The smaller of the event and the other outcomes is
// summed, the larger is 1 minus the rest: near 1 as near 0, a figure is
// then as exact as the flow that made it, not the rounding of a sum.
// The figure and its complement (the other outcomes and `elsewhere`, summed
// on their own), which says how far from 1 a figure near 1 is; -1 where the
// measure (a deterministic property's) has none of its own.
template <class State>
std::pair<double, double> measureProbability(const specs::Spec& spec, const std::vector<std::string>& fields,
                                             const std::vector<checker::OutcomeClass>& outcomes, const std::vector<double>& p,
                                             double elsewhere, const std::vector<checker::Property<State>>& properties,
                                             const SweepMeasure& measure) {
  auto in = eventOutcomes(fields, outcomes, properties, measure);
  if (!in) {
    nlohmann::json figures = outcomeFigures(spec, fields, outcomes, p, elsewhere, properties);
    return {std::min(figures["properties"][measure.property]["probability"].get<double>(), 1.0), -1.0};
  }
  double event = 0, other = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) ((*in)[i] ? event : other) += p[i];
  return {std::min(closer(event, other, elsewhere), 1.0), other + elsewhere};
}

template <class M>
nlohmann::json sweepModel(const specs::Spec& spec, const M& m, std::vector<checker::Property<typename M::State>> props,
                          const SweepPlan& plan, const CheckOptions& options) {
  using nlohmann::json;
  // Probabilities need the graph as the model branches: never reduced.
  checker::Explorer<M> explorer(m, std::move(props), options.limits, options.threads, {});
  if (options.progress) explorer.onProgress(progressPrinter(ProgressContext{std::nullopt, options.limits, {}}));
  const checker::Stats& stats = explorer.run();
  json curve = {{"states", stats.states},
                {"complete", stats.complete},
                {"stopped_by", stats.stopped_by.empty() ? json(nullptr) : json(stats.stopped_by)},
                {"probabilities", nullptr},
                {"why", nullptr}};
  std::uint64_t limit_bytes = options.limits.max_memory_mib << 20;
  if (!stats.complete) curve["why"] = "the run stopped (" + stats.stopped_by + ") before it explored every state";
  else if (limit_bytes != 0 && stats.store_bytes + chainBytes(stats) > limit_bytes)
    curve["why"] = "the Markov chain (" + std::to_string(chainBytes(stats) >> 20) + " MiB) does not fit in the memory limit";
  double solve_seconds = 0;
  if (curve["why"].is_null()) {
    auto start = std::chrono::steady_clock::now();
    checker::MarkovChain<M> chain(explorer);
    const auto fields = m.outcomeFields();
    json values = json::array(), complements = json::array();
    bool converged = true;
    std::size_t underflow = 0;
    for (double multiplier : plan.multipliers) {
      auto solution = chain.solve(schedulerWeights(spec, m, chain, scaledScheduler(plan, multiplier)));
      OutcomeDistribution ends = outcomeDistribution(explorer, solution);
      auto [value, complement] = measureProbability(spec, fields, explorer.outcomes(), ends.outcomes,
                                                    ends.deadlock + solution.never_ends, explorer.properties(), plan.measure);
      values.push_back(value);
      complements.push_back(complement < 0 ? json(nullptr) : json(complement));
      converged = converged && solution.converged;
      underflow = std::max<std::size_t>(underflow, static_cast<std::size_t>(std::count(ends.outcomes.begin(), ends.outcomes.end(), 0.0)));
    }
    curve["probabilities"] = values;
    curve["complements"] = complements;
    curve["converged"] = converged;
    curve["underflow"] = underflow;
    // A swept key that weighs no step of this curve's scenario leaves it flat.
    specs::Scheduler probe;
    probe.rates[plan.key] = 2.0;
    curve["key_weighs_steps"] = unusedRates(spec, m, chain, probe).empty();
    solve_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  curve["timing"] = {{"seconds", stats.seconds + solve_seconds}, {"explore_seconds", stats.seconds}, {"solve_seconds", solve_seconds}};
  return curve;
}

}  // namespace fsrace::cli
