#include "cli/run.hpp"

#include <functional>
#include <iomanip>
#include <iostream>
#include <optional>

#include "checker/shows.hpp"
#include "checker/state_graph.hpp"
#include "cli/exit_codes.hpp"
#include "cli/replay.hpp"
#include "cli/trace_json.hpp"
#include "model/bcachefs_model.hpp"
#include "specs/parameters.hpp"
#include "specs/properties.hpp"

namespace fsrace::cli {
namespace {

using checker::PropertyKind;
using checker::Verdict;
using nlohmann::json;
using Model = model::BcachefsModel;
using Explorer = checker::Explorer<Model>;

using Graph = checker::StateGraph<Model>;

TraceView viewOf(const Explorer& explorer, const Graph::Trace& trace) {
  TraceView view{{}, trace.actions, trace.switches};
  for (std::uint32_t index : trace.states) view.states.push_back(explorer.state(index));
  return view;
}

TraceView viewOf(const Model& m, Explorer::ConcreteTrace trace) {
  TraceView view{std::move(trace.states), std::move(trace.actions), 0};
  view.switches = countSwitches(m, view.actions);
  return view;
}

using checker::project;

// Which states end a trace as good as the one found for property `p`: for a
// deterministic property, a terminal state with the projected outcome `want`.
std::function<bool(const model::State&)> acceptOf(const checker::Property<model::State>& p, const Model& m,
                                                  const checker::Outcome& want) {
  return [&p, &m, want](const model::State& s) { return checker::shows(m, p, s, want); };
}

// herd7's observation of an outcome condition over the terminal states.
json observationJson(const checker::Property<model::State>& p, const std::vector<checker::OutcomeClass>& outcomes,
                     bool complete) {
  std::uint64_t yes = 0, no = 0;
  for (const auto& o : outcomes) (p.outcome_predicate(o.values) ? yes : no) += o.witnesses;
  std::string word = !complete ? "incomplete" : yes == 0 ? "never" : no == 0 ? "always" : "sometimes";
  return {{"satisfied", yes}, {"unsatisfied", no}, {"observation", word}};
}

json coverageJson(const Model& m, const checker::Stats& stats, bool& all_taken) {
  json taken = json::object();
  json never = json::array();
  all_taken = true;
  for (const auto& info : model::actionTable()) {
    auto count = stats.action_counts[static_cast<std::size_t>(info.kind)];
    taken[std::string(info.name)] = count;
    if (count > 0) continue;
    std::string reason;
    if (!info.fix.empty() && !m.hasFix(*specs::fixByName(std::string(info.fix)))) {
      reason = "only under fix " + std::string(info.fix);
    } else if (!stats.complete) {
      reason = "not reached before the run stopped; it may be reachable";
      all_taken = false;
    } else {
      reason = "enabled in the model but never reached: a modelling bug or a vacuous scenario";
      all_taken = false;
    }
    never.push_back({{"action", std::string(info.name)}, {"reason", reason}});
  }
  return {{"transitions", taken}, {"never_taken", never}, {"all_reachable_steps_taken", all_taken}};
}

// The limits the run had; null where there was none.
json limitsJson(const CheckOptions& options) {
  const checker::Limits& l = options.limits;
  auto orNull = [](auto value) { return value ? json(value) : json(nullptr); };
  return {{"max_states", orNull(l.max_states)},
          {"max_seconds", l.max_seconds > 0 ? json(l.max_seconds) : json(nullptr)},
          {"max_memory_mib", orNull(l.max_memory_mib)},
          {"max_memory_from", l.max_memory_mib ? json(options.memory_limit_source) : json(nullptr)}};
}

json statsJson(const checker::Stats& s) {
  return {{"states", s.states},
          {"transitions", s.transitions},
          {"terminal_states", s.terminal_states},
          {"depth", s.depth},
          {"seconds", s.seconds},
          {"states_per_second", s.statesPerSecond()},
          {"state_bytes", s.state_bytes},
          {"bytes_per_state", s.bytesPerState()},
          {"complete", s.complete},
          {"stopped_by", s.stopped_by.empty() ? json(nullptr) : json(s.stopped_by)}};
}

// The breadth-first trace to `end` (made concrete under symmetry, ending in
// an image that `accept` holds for).
TraceView bfsOnly(const Explorer& explorer, std::uint32_t end, const std::function<bool(const model::State&)>& accept) {
  return viewOf(explorer.model(), explorer.concreteTrace(end, accept));
}

// The other branch of a divergence: the counterexample up to the last state
// from which both outcomes are reachable (where the race is decided), then the
// shortest way to the other outcome.
void addDivergence(json& doc, Graph& graph, const Graph::Trace& trace, const checker::Property<model::State>& p,
                   const specs::Spec& spec, const Model& m, const Explorer& explorer, std::uint32_t other_end) {
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

bool passes(const Model& m, const model::State& s) {
  auto values = m.outcome(s);
  for (std::size_t p = 0; p < m.program().processes; ++p)
    if (values[m.resultIndex(p)] != m.program().passed) return false;
  return true;
}

void printProgress(const checker::Stats& s) {
  std::cerr << "fsrace: " << s.states << " states, " << static_cast<std::uint64_t>(s.statesPerSecond())
            << " states/s, depth " << s.depth << ", queue " << s.queue << ", " << (s.store_bytes >> 20) << " MiB\n";
}

}  // namespace

CheckOutput runCheck(const specs::Spec& spec, const CheckOptions& options) {
  Model m(spec.program, spec.fixes, specs::modelOptions(spec));
  Explorer explorer(m, specs::buildProperties(spec, m), options.limits, options.threads, options.reductions);
  if (options.progress) explorer.onProgress(printProgress);
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
  constexpr std::size_t kActorBound = model::kMaxProcesses + model::kMaxInodes + model::kActorCount;
  std::uint64_t limit_bytes = options.limits.max_memory_mib << 20;
  bool graph_fits = !options.breadth_first_traces &&
                    (limit_bytes == 0 || stats.store_bytes + Graph::bytesNeeded(stats.states, stats.transitions, kActorBound) <= limit_bytes);
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
    if (p.outcome_predicate) entry["observation"] = observationJson(p, explorer.outcomes(), stats.complete);
    std::uint32_t end = r.trace_end;
    std::uint32_t other = r.other_end;
    checker::Outcome want = r.projection, other_want = r.other_projection;
    // A determinism violation is a pair of traces; the counterexample is the
    // one ending where the test program reports a failure, when one does.
    if (r.verdict == Verdict::Violated && p.kind == PropertyKind::Deterministic && passes(m, explorer.state(end))) {
      std::swap(end, other);
      std::swap(want, other_want);
    }
    if (end != checker::kNoState) {
      const char* key = r.verdict == Verdict::Violated ? "counterexample" : "witness";
      auto accept = acceptOf(p, m, want);
      if (reduced || !stats.complete || !graph_fits) {
        const char* guarantee = explorer.reducedByPartialOrder() ? kShortestReduced
                                : explorer.reducedBySymmetry()   ? kShortestSymmetric
                                : !stats.complete                ? kShortestOnly
                                                                 : kShortestNoGraph;
        entry[key] = traceJson(spec, m, bfsOnly(explorer, end, accept), p.name, p.kind, guarantee);
      } else {
        if (!graph) graph.emplace(explorer);
        auto trace = graph->fewestSwitches(end, [&](std::uint32_t at) { return accept(explorer.state(at)); });
        entry[key] = traceJson(spec, m, viewOf(explorer, trace), p.name, p.kind, kShortest);
        if (r.verdict == Verdict::Violated && p.kind == PropertyKind::Deterministic)
          addDivergence(entry[key], *graph, trace, p, spec, m, explorer, other);
      }
    }
    if (options.slice && entry.contains("counterexample")) entry["counterexample"] = sliceTrace(spec, entry["counterexample"]);
    properties.push_back(std::move(entry));
  }

  bool all_taken = true;
  json coverage = coverageJson(m, stats, all_taken);
  json pinned = nullptr;
  // The pinned count is the unreduced one.
  if (spec.expected_states && stats.complete && !reduced) {
    bool same = stats.states == *spec.expected_states;
    pinned = {{"expected_states", *spec.expected_states}, {"as_expected", same}};
    unexpected |= !same;
  }
  std::string summary = unexpected ? "unexpected" : !stats.complete ? "incomplete" : "as_expected";
  json result = {{"format", "fsrace.result/1"},
                 {"spec", spec.name},
                 {"spec_file", spec.file},
                 {"model", kModelName},
                 {"fixes", fixesJson(spec.fixes)},
                 {"parameters", parametersJson(spec)},
                 {"stats", statsJson(stats)},
                 {"limits", limitsJson(options)},
                 {"reductions",
                  {{"symmetry", explorer.reducedBySymmetry()},
                   {"symmetries", m.symmetries()},
                   {"partial_order", explorer.reducedByPartialOrder()}}},
                 {"coverage", coverage},
                 {"pinned", pinned},
                 {"outcome_fields", fields},
                 {"outcomes", outcomes},
                 {"properties", properties},
                 {"summary", summary}};
  int code = unexpected ? kExitViolated : !stats.complete ? kExitIncomplete : kExitHolds;
  return {std::move(result), code};
}

json listDocument() {
  json actions = json::array();
  for (const auto& info : model::actionTable())
    actions.push_back({{"name", std::string(info.name)},
                       {"actor", std::string(model::actorName(info.actor))},
                       {"kernel", std::string(info.kernel)},
                       {"description", std::string(info.what)},
                       {"fix", info.fix.empty() ? json(nullptr) : json(std::string(info.fix))}});
  json fixes = json::array();
  for (const auto& info : model::fixTable())
    fixes.push_back({{"name", std::string(info.name)}, {"description", std::string(info.what)}, {"origin", std::string(info.origin)}});
  json properties = json::array();
  for (const auto& named : specs::namedProperties())
    properties.push_back({{"name", named.name}, {"kind", std::string(checker::kindName(named.kind))}, {"description", named.description}});
  json parameters = json::array();
  const specs::Parameters defaults;
  for (const auto& info : specs::parameterTable())
    parameters.push_back({{"name", info.name},
                          {"type", specs::typeText(info)},
                          {"default", specs::valueOf(info, defaults)},
                          {"description", info.description}});
  return {{"format", "fsrace.list/1"},
          {"models", json::array({{{"name", kModelName}, {"description", "bcachefs fsync path, early 2023 (bcachefs-tools 1b2d60826)"}}})},
          {"actions", actions},
          {"fixes", fixes},
          {"properties", properties},
          {"parameters", parameters}};
}

}  // namespace fsrace::cli
