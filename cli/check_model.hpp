// fsrace check on one model, as a template over it: the explorer, the
// choice of counterexamples (fewest steps, then fewest switches; the other
// branch of a divergence) and the fsrace.result/1 document. A model family
// instantiates it (cli/family_base.hpp); run.cpp holds what needs no model.
#pragma once

#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/explorer.hpp"
#include "checker/shows.hpp"
#include "checker/state_graph.hpp"
#include "cli/exit_codes.hpp"
#include "cli/probabilities.hpp"
#include "cli/progress.hpp"
#include "cli/provenance.hpp"
#include "cli/replay.hpp"
#include "cli/run.hpp"
#include "cli/trace_json.hpp"

namespace fsrace::cli {

// The parts of the result document that need no model (run.cpp).
// `absent(i)`: why step i of the model cannot occur in this scenario at all
// (its program has no such operation), or "".
nlohmann::json coverageJson(const specs::Spec& spec, const checker::Stats& stats,
                            const std::function<std::string(std::size_t)>& absent);
nlohmann::json limitsJson(const CheckOptions& options);
nlohmann::json statsJson(const checker::Stats& stats);
nlohmann::json timingJson(const checker::Stats& stats, const CheckOptions& options);
nlohmann::json observationJson(const std::function<bool(const checker::Outcome&)>& predicate,
                               const std::vector<checker::OutcomeClass>& outcomes, bool complete);

namespace detail {

template <class M>
TraceView<M> viewOf(const checker::Explorer<M>& explorer, const typename checker::StateGraph<M>::Trace& trace) {
  TraceView<M> view{{}, trace.actions, trace.switches};
  for (std::uint32_t index : trace.states) view.states.push_back(explorer.state(index));
  return view;
}

// The other branch of a divergence: the counterexample up to the last state
// from which both outcomes are reachable (where the race is decided), then the
// shortest way to the other outcome.
template <class M>
void addDivergence(nlohmann::json& doc, checker::StateGraph<M>& graph, const typename checker::StateGraph<M>::Trace& trace,
                   const checker::Property<typename M::State>& p, const specs::Spec& spec, const M& m,
                   const checker::Explorer<M>& explorer, std::uint32_t other_end) {
  using checker::project;
  auto a = project(m.outcome(explorer.state(trace.states.back())), p.projection);
  auto b = project(m.outcome(explorer.state(other_end)), p.projection);
  auto classify = [&](std::uint32_t i) {
    auto o = project(m.outcome(explorer.state(i)), p.projection);
    return o == a ? 0 : o == b ? 1 : -1;
  };
  auto divergence = graph.divergence(trace, classify);
  if (!divergence) return;
  doc["decided_after"] = divergence->decided_after;
  doc["other"] = traceJson(spec, m, viewOf(explorer, divergence->other), p.name, p.kind, kContinuation);
}

// What the progress line needs to know of this run: the pinned count if it
// applies (as for the result's "pinned": the spec's own parameters and fixes,
// no reduction), the limits, and the reductions that could shrink it.
template <class M>
ProgressContext progressContext(const specs::Spec& spec, const M& m, const checker::Explorer<M>& explorer,
                                const CheckOptions& options) {
  ProgressContext context;
  bool reduced = explorer.reducedBySymmetry() || explorer.reducedByPartialOrder();
  if (!reduced) context.pinned_states = spec.expected_states;
  context.limits = options.limits;
  if constexpr (checker::SymmetricModel<M>)
    if (!explorer.reducedBySymmetry() && m.symmetries() > 1) context.untried.push_back("--symmetry");
  if constexpr (checker::ReducibleModel<M>)
    if (!explorer.reducedByPartialOrder()) context.untried.push_back("--por");
  return context;
}

}  // namespace detail

template <class M>
CheckOutput checkModel(const specs::Spec& spec, const M& m, std::vector<checker::Property<typename M::State>> props_in,
                       const CheckOptions& options) {
  using checker::PropertyKind;
  using checker::Verdict;
  using nlohmann::json;
  using Explorer = checker::Explorer<M>;
  using Graph = checker::StateGraph<M>;
  using State = typename M::State;

  Explorer explorer(m, std::move(props_in), options.limits, options.threads, options.reductions);
  if (options.progress) explorer.onProgress(progressPrinter(detail::progressContext(spec, m, explorer, options)));
  const checker::Stats& stats = explorer.run();
  // Fewest-switch traces, divergences and the pinned count need the whole graph.
  bool reduced = explorer.reducedBySymmetry() || explorer.reducedByPartialOrder();

  auto fields = m.outcomeFields();
  json outcomes = json::array();
  for (const auto& o : explorer.outcomes())
    outcomes.push_back({{"outcome", outcomeJson(fields, o.values)},
                        {"witnesses", o.witnesses},
                        {"observation", !stats.complete ? "incomplete" : explorer.outcomes().size() == 1 ? "always" : "sometimes"}});

  bool unexpected = false;
  std::optional<Graph> graph;  // built on the first trace of a complete run
  // The edge graph comes on top of the store: under a memory limit, only if
  // both fit.
  std::uint64_t limit_bytes = options.limits.max_memory_mib << 20;
  bool graph_fits = !options.breadth_first_traces &&
                    (limit_bytes == 0 || stats.store_bytes + Graph::bytesNeeded(stats.states, stats.transitions, M::kActorBound) <= limit_bytes);
  json properties = json::array();
  const auto& props = explorer.properties();
  for (std::size_t i = 0; i < props.size(); ++i) {
    const auto& p = props[i];
    const auto& r = explorer.results()[i];
    std::optional<Verdict> expected = Verdict::Holds;
    if (i < spec.properties.size()) expected = spec.properties[i].expect.value_or(Verdict::Holds);
    // An undecided verdict meets no expectation, and contradicts none: the
    // run's exit status says incomplete.
    bool as_expected = r.verdict == *expected;
    unexpected |= r.verdict != Verdict::Incomplete && !as_expected;
    json entry = {{"name", p.name},
                  {"kind", std::string(checker::kindName(p.kind))},
                  {"description", p.description},
                  {"verdict", std::string(checker::verdictName(r.verdict))},
                  {"expected", std::string(checker::verdictName(*expected))},
                  {"as_expected", as_expected}};
    if (p.outcome_predicate) entry["observation"] = observationJson(p.outcome_predicate, explorer.outcomes(), stats.complete);
    std::uint32_t end = r.trace_end;
    std::uint32_t other = r.other_end;
    checker::Outcome want = r.projection, other_want = r.other_projection;
    // A determinism violation is a pair of traces; the counterexample is the
    // one ending where the test program reports a failure, when one does.
    if (r.verdict == Verdict::Violated && p.kind == PropertyKind::Deterministic && m.passes(explorer.state(end))) {
      std::swap(end, other);
      std::swap(want, other_want);
    }
    if (end != checker::kNoState) {
      const char* key = r.verdict == Verdict::Violated ? "counterexample" : "witness";
      // Which states end a trace as good as the one found.
      auto accept = [&p, &m, want](const State& s) { return checker::shows(m, p, s, want); };
      if (reduced || !stats.complete || !graph_fits) {
        const char* guarantee = explorer.reducedByPartialOrder() ? kShortestReduced
                                : explorer.reducedBySymmetry()   ? kShortestSymmetric
                                : !stats.complete                ? kShortestOnly
                                                                 : kShortestNoGraph;
        // The breadth-first trace to `end` (made concrete under symmetry,
        // ending in an image that `accept` holds for).
        auto concrete = explorer.concreteTrace(end, accept);
        TraceView<M> view{std::move(concrete.states), std::move(concrete.actions), 0};
        view.switches = countSwitches(m, view.actions);
        entry[key] = traceJson(spec, m, view, p.name, p.kind, guarantee);
      } else {
        if (!graph) graph.emplace(explorer);
        auto trace = graph->fewestSwitches(end, [&](std::uint32_t at) { return accept(explorer.state(at)); });
        entry[key] = traceJson(spec, m, detail::viewOf(explorer, trace), p.name, p.kind, kShortest);
        if (r.verdict == Verdict::Violated && p.kind == PropertyKind::Deterministic)
          detail::addDivergence(entry[key], *graph, trace, p, spec, m, explorer, other);
      }
    }
    if (options.slice && entry.contains("counterexample")) entry["counterexample"] = sliceTrace(spec, entry["counterexample"]);
    properties.push_back(std::move(entry));
  }

  json coverage = coverageJson(spec, stats, [&](std::size_t kind) {
    if constexpr (requires { m.absentFromScenario(kind); }) return m.absentFromScenario(kind);
    return std::string();
  });
  json pinned = nullptr;
  // The pinned count is the unreduced one.
  if (spec.expected_states && stats.complete && !reduced && !spec.expectations_ignored) {
    bool same = stats.states == *spec.expected_states;
    pinned = {{"expected_states", *spec.expected_states}, {"as_expected", same}};
    unexpected |= !same;
  }
  std::size_t symmetries = 1;
  if constexpr (checker::SymmetricModel<M>) symmetries = m.symmetries();
  json probabilities = nullptr;
  if (options.probabilities) {
    std::uint64_t chain_bytes = chainBytes(stats);
    if (!stats.complete) probabilities = probabilitiesNotComputed("the run stopped before it explored every state");
    else if (stats.transitions > std::numeric_limits<std::uint32_t>::max())
      probabilities = probabilitiesNotComputed("more than 2^32 transitions: the Markov chain numbers its edges in 32 bits");
    else if (reduced)
      probabilities = probabilitiesNotComputed("not under --symmetry or --por: the reduced graph does not branch as the model does");
    else if (limit_bytes != 0 && stats.store_bytes + chain_bytes > limit_bytes)
      probabilities = probabilitiesNotComputed("the Markov chain (" + std::to_string(chain_bytes >> 20) + " MiB) does not fit in the memory limit");
    else probabilities = probabilitiesJson(spec, explorer);
  }
  // Without expectations a violation is just that.
  std::string summary = unexpected ? (spec.expectations_ignored ? "violated" : "unexpected")
                        : !stats.complete ? "incomplete"
                        : spec.expectations_ignored ? "holds" : "as_expected";
  json result = {{"format", "fsrace.result/1"},
                 {"spec", spec.name},
                 {"spec_file", spec.file},
                 {"model", spec.model},
                 {"fixes", fixesJson(spec.fixes)},
                 {"parameters", spec.parameters.json()},
                 {"stats", statsJson(stats)},
                 {"limits", limitsJson(options)},
                 {"timing", timingJson(stats, options)},
                 {"provenance", provenanceJson(&spec)},
                 {"reductions",
                  {{"symmetry", explorer.reducedBySymmetry()},
                   {"symmetries", symmetries},
                   {"partial_order", explorer.reducedByPartialOrder()}}},
                 {"coverage", coverage},
                 {"pinned", pinned},
                 {"outcome_fields", fields},
                 {"outcomes", outcomes},
                 {"probabilities", probabilities},
                 {"properties", properties},
                 {"expectations", spec.expectations_ignored ? "ignored" : "spec"},
                 {"summary", summary}};
  int code = unexpected ? kExitViolated : !stats.complete ? kExitIncomplete : kExitHolds;
  return {std::move(result), code};
}

}  // namespace fsrace::cli
