// Outcome probabilities under the spec's schedulers (specs/scheduler.hpp),
// computed exactly on the explored graph as a Markov chain
// (checker/markov.hpp): the "probabilities" of a fsrace.result/1 document.
// A template over the model, instantiated by check_model.hpp; what needs
// no model is in probabilities.cpp.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/explorer.hpp"
#include "checker/markov.hpp"
#include "checker/shows.hpp"
#include "specs/model_description.hpp"
#include "specs/spec.hpp"

namespace fsrace::cli {

// The weight of a step taken by the actor `label` ("test1", "reclaim") of
// step `step` ("journal_reclaim") under `scheduler`: the product of the
// rates of its actor class (the label without its number), its actor and its step.
double stepWeight(const specs::Scheduler& scheduler, const std::string& label, const std::string& step);

// Whether the rate given for `key` weighs a step of `step` taken by the
// actor `label`: key is its actor class, its numbered actor ("test1"; the
// class's first, "test", is also "test0"), or the step.
bool rateApplies(const std::string& key, const std::string& label, const std::string& step);

// "reclaim x0.01, test1 x2": the rates in words ("" for none).
std::string ratesText(const specs::Scheduler& scheduler);

// A probability for people: 4 significant digits ("0.8731", "1.2e-05", "0",
// "1"), and near 1 what it lacks ("1 - 6.8e-13").
std::string probabilityText(double p);
// The same for an event whose complement has probability `complement`,
// computed on its own: "1 - 3.1e-20" rather than "1" when it can fail to happen.
std::string probabilityText(double p, double complement);

// The same for an event the exploration found possible (`possible`): a 0
// is then a probability below a double's range, "< 1e-300"; and a 0
// complement the exploration found possible (`complement_possible`) gives
// "1 - < 1e-300".
std::string chanceText(double p, double complement, bool possible, bool complement_possible = false);

// A scheduler's entry of "probabilities" for people: P(test fails), and
// P(key field = value) (its outcomes were found, so a 0 is an underflow).
std::string testFailsText(const nlohmann::json& scheduler);
std::string keyValueText(const nlohmann::json& scheduler, const std::string& value);

// The "probabilities" section of check's text: one row per scheduler, with
// P(test fails) and the key field's values; the schedulers spelt out below.
// "" when the result has none.
std::string probabilitiesText(const nlohmann::json& result);

// The probability of each outcome of `result` under the scheduler in use,
// aligned with its "outcomes"; empty when none was computed.
std::vector<double> outcomeProbabilities(const nlohmann::json& result);

// The memory the Markov chain of a run takes: per edge its target and step
// class, per state its edges, component and two doubles (solve's mass and
// result).
inline std::uint64_t chainBytes(const checker::Stats& stats) { return stats.transitions * 6 + stats.states * 32; }

// The same for people, each as chanceText shows it (the likeliest with its
// distance from 1); empty when none was computed.
std::vector<std::string> outcomeChanceTexts(const nlohmann::json& result);

// What the document says when no probability was computed, and why.
nlohmann::json probabilitiesNotComputed(const std::string& why);

// The probability of an event that happens with probability `event` over
// some outcomes and `rest` over the others, from the smaller sum: the larger
// is 1 minus it and `elsewhere` (runs that end in a deadlock or never end),
// so exactly 1 when nothing else can happen; the smaller keeps its relative
// precision.
inline double closer(double event, double rest, double elsewhere) {
  return event <= rest ? event : std::max(0.0, 1.0 - rest - elsewhere);
}

// The outcome-level figures of one solution, from the probability of each
// outcome class (aligned with `outcomes`): per outcome property, the
// probability of its violation (forall, not_exists) or witness (exists), or
// for deterministic, of each projected class; the key field's values; and
// the test's failure (the family's pass property violated).
template <class State>
nlohmann::json outcomeFigures(const specs::Spec& spec, const std::vector<std::string>& fields,
                              const std::vector<checker::OutcomeClass>& outcomes, const std::vector<double>& p,
                              double elsewhere, const std::vector<checker::Property<State>>& properties) {
  using nlohmann::json;
  using checker::PropertyKind;
  json props = json::object();
  double test_fails = -1, test_passes = -1;
  for (const auto& property : properties) {
    if (!checker::isOutcomeKind(property.kind)) continue;
    if (property.kind == PropertyKind::Deterministic) {
      std::map<checker::Outcome, double> classes;
      for (std::size_t i = 0; i < outcomes.size(); ++i) classes[checker::project(outcomes[i].values, property.projection)] += p[i];
      json list = json::array();
      double commonest = 0, all = 0;
      for (const auto& [values, q] : classes) {
        json named = json::object();
        for (std::size_t k = 0; k < property.projection.size(); ++k) named[fields[property.projection[k]]] = values[k];
        list.push_back({{"outcome", named}, {"probability", q}});
        commonest = std::max(commonest, q);
      }
      // The others summed, not 1 - commonest: a small figure keeps its digits.
      bool skipped = false;
      for (const auto& [values, q] : classes) {
        if (q == commonest && !skipped) skipped = true;
        else all += q;
      }
      all = closer(all, commonest, elsewhere);
      props[property.name] = {{"kind", "deterministic"}, {"event", "not_commonest"}, {"probability", all}, {"classes", list}};
      continue;
    }
    // Summed over the outcomes where the event happens, not as 1 - the
    // others: a small figure keeps its digits.
    bool counts_satisfied = property.kind != PropertyKind::Forall;
    double event = 0, rest = 0;
    for (std::size_t i = 0; i < outcomes.size(); ++i)
      (property.outcome_predicate(outcomes[i].values) == counts_satisfied ? event : rest) += p[i];
    event = closer(event, rest, elsewhere);
    bool witness = property.kind == PropertyKind::Exists;
    props[property.name] = {{"kind", std::string(checker::kindName(property.kind))},
                            {"event", witness ? "witnessed" : "violated"},
                            {"probability", event}};
    if (property.name == spec.family->passProperty()) {
      test_fails = event;
      test_passes = rest;
    }
  }
  std::string key = spec.family->keyOutcome(fields);
  auto at = std::find(fields.begin(), fields.end(), key) - fields.begin();
  std::map<std::string, double> sums;
  double total = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    sums[outcomes[i].values[static_cast<std::size_t>(at)]] += p[i];
    total += p[i];
  }
  json values = json::object();
  for (const auto& [v, q] : sums) values[v] = closer(q, total - q, elsewhere);
  return {{"properties", props},
          {"key", {{"field", key}, {"values", values}}},
          {"test_fails", test_fails < 0 ? json(nullptr) : json(test_fails)},
          {"test_passes", test_passes < 0 ? json(nullptr) : json(test_passes)}};
}

// The weight of each of the chain's step classes under `scheduler`, as
// MarkovChain::solve takes them.
template <class M>
std::vector<double> schedulerWeights(const specs::Spec& spec, const M& m, const checker::MarkovChain<M>& chain,
                                     const specs::Scheduler& scheduler) {
  std::vector<double> weights;
  for (const auto& a : chain.stepClasses())
    weights.push_back(stepWeight(scheduler, m.actorLabel(a), spec.family->actions()[m.actionKindIndex(a)].name));
  return weights;
}

// The keys of `scheduler`'s rates that weigh none of the chain's steps.
template <class M>
std::vector<std::string> unusedRates(const specs::Spec& spec, const M& m, const checker::MarkovChain<M>& chain,
                                     const specs::Scheduler& scheduler) {
  std::vector<std::string> unused;
  for (const auto& [key, rate] : scheduler.rates) {
    bool used = false;
    for (const auto& a : chain.stepClasses())
      used = used || rateApplies(key, m.actorLabel(a), spec.family->actions()[m.actionKindIndex(a)].name);
    if (!used) unused.push_back(key);
  }
  return unused;
}

// Where the runs of one solution end: the probability of each outcome class
// (aligned with explorer.outcomes()) and of a deadlock.
struct OutcomeDistribution {
  std::vector<double> outcomes;
  double deadlock = 0;
};

template <class M>
OutcomeDistribution outcomeDistribution(const checker::Explorer<M>& explorer, const checker::MarkovSolution& solution) {
  const M& m = explorer.model();
  const auto& outcomes = explorer.outcomes();
  std::map<checker::Outcome, std::size_t> index;
  for (std::size_t i = 0; i < outcomes.size(); ++i) index.emplace(outcomes[i].values, i);
  OutcomeDistribution out;
  out.outcomes.assign(outcomes.size(), 0.0);
  for (std::uint32_t s = 0; s < explorer.stateCount(); ++s) {
    double q = solution.absorbed[s];
    if (q == 0) continue;
    const auto& state = explorer.state(s);
    if (m.isTerminal(state)) out.outcomes[index.at(m.outcome(state))] += q;
    else out.deadlock += q;
  }
  // Rounding leaves the sum a hair off 1 (about 1e-16 per addition): the
  // likeliest outcome gets what the others leave, so that an outcome
  // reached on every run has probability 1 exactly.
  if (!out.outcomes.empty()) {
    auto& p = out.outcomes;
    std::size_t likeliest = static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
    double others = out.deadlock + solution.never_ends;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (i != likeliest) others += p[i];
    p[likeliest] = std::max(0.0, 1.0 - others);
  }
  return out;
}

// The "probabilities" object: for each of the spec's schedulers, the
// probability of each outcome (aligned with the document's "outcomes"),
// the outcome figures (outcomeFigures), and of ending in a deadlock or
// never ending; how the chain was solved.
template <class M>
nlohmann::json probabilitiesJson(const specs::Spec& spec, const checker::Explorer<M>& explorer) {
  using nlohmann::json;
  const M& m = explorer.model();
  checker::MarkovChain<M> chain(explorer);
  const auto fields = m.outcomeFields();
  json schedulers = json::array();
  checker::MarkovSolution last;
  for (const auto& scheduler : spec.schedulers) {
    checker::MarkovSolution solution = chain.solve(schedulerWeights(spec, m, chain, scheduler));
    OutcomeDistribution ends = outcomeDistribution(explorer, solution);
    const std::vector<double>& p = ends.outcomes;
    double deadlock = ends.deadlock;
    json entry = scheduler.json();
    entry["outcomes"] = p;
    // Every outcome found has a positive probability (every weight is); a
    // 0 is one below what a double holds.
    entry["underflow"] = std::count(p.begin(), p.end(), 0.0);
    entry["unused_rates"] = unusedRates(spec, m, chain, scheduler);
    entry.update(outcomeFigures(spec, fields, explorer.outcomes(), p, deadlock + solution.never_ends, explorer.properties()));
    entry["deadlock"] = deadlock;
    entry["never_ends"] = solution.never_ends;
    entry["converged"] = solution.converged;
    entry["last_change"] = solution.last_change;
    schedulers.push_back(std::move(entry));
    last = std::move(solution);
  }
  return {{"computed", true},
          {"method", chain.acyclic() ? "acyclic" : last.iterated ? "cyclic_iterated" : "cyclic_direct"},
          {"cyclic_components", last.cyclic_components},
          {"largest_cyclic_component", chain.acyclic() ? 0 : last.largest_component},
          {"tolerance", last.iterated ? json(checker::MarkovChain<M>::kTolerance) : json(nullptr)},
          {"schedulers", schedulers}};
}

}  // namespace fsrace::cli
