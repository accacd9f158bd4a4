// Exact breadth-first exploration. See checker/README.md for the guarantees.
#pragma once

#include <algorithm>
#include <atomic>
#include <cassert>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "checker/model_concept.hpp"
#include "checker/property.hpp"
#include "checker/state_store.hpp"

namespace fsrace::checker {

inline constexpr std::uint32_t kNoState = 0xffffffffu;

struct Limits {
  std::uint64_t max_states = 0;      // 0: no limit
  double max_seconds = 0;            // 0: no limit
  std::uint64_t max_memory_mib = 0;  // 0: no limit (store bytes, not RSS)
  // Set asynchronously (e.g. by a SIGINT handler) to stop the run cleanly.
  const std::atomic<bool>* interrupted = nullptr;
};

struct Stats {
  std::uint64_t states = 0;
  std::uint64_t transitions = 0;
  std::uint64_t terminal_states = 0;
  std::uint32_t depth = 0;
  double seconds = 0;
  bool complete = false;
  std::string stopped_by;  // "max_states", "max_seconds", "max_memory" when !complete
  std::size_t state_bytes = 0;
  std::size_t store_bytes = 0;
  std::uint64_t queue = 0;  // states discovered but not yet expanded (progress reports)
  std::vector<std::uint64_t> action_counts;  // transitions per action kind

  double statesPerSecond() const { return seconds > 0 ? static_cast<double>(states) / seconds : 0; }
  double bytesPerState() const { return states ? static_cast<double>(store_bytes) / static_cast<double>(states) : 0; }
};

struct PropertyResult {
  Verdict verdict = Verdict::Incomplete;
  // Violated: end of the shortest counterexample. Holds (sometimes, exists):
  // end of the shortest witness. kNoState when there is no trace.
  std::uint32_t trace_end = kNoState;
  // Deterministic, violated: end of the shortest trace to the other outcome.
  std::uint32_t other_end = kNoState;
};

struct OutcomeClass {
  Outcome values;
  std::uint64_t witnesses = 0;  // distinct terminal states with this outcome
  std::uint32_t first_state = kNoState;  // end of its shortest trace
};

struct Step {
  std::uint32_t state;  // the state reached
  bool has_action;      // false for the initial state
};

template <Model M>
class Explorer {
 public:
  using State = typename M::State;
  using Action = typename M::Action;
  using ProgressFn = std::function<void(const Stats&)>;

  Explorer(const M& model, std::vector<Property<State>> properties, Limits limits = {})
      : model_(model), properties_(std::move(properties)), limits_(limits) {
    Property<State> deadlock;
    deadlock.name = "no_deadlock";
    deadlock.kind = PropertyKind::NoDeadlock;
    deadlock.description = "every state where the program has not finished has an enabled step";
    properties_.push_back(std::move(deadlock));
    results_.assign(properties_.size(), PropertyResult{});
  }

  void onProgress(ProgressFn fn) { progress_ = std::move(fn); }

  const Stats& run();

  const Stats& stats() const { return stats_; }
  const std::vector<Property<State>>& properties() const { return properties_; }
  const std::vector<PropertyResult>& results() const { return results_; }
  const std::vector<OutcomeClass>& outcomes() const { return outcomes_; }
  const State& state(std::uint32_t index) const { return store_.state(index); }
  std::uint32_t indexOf(const State& s) const { return store_.find(s); }
  std::size_t stateCount() const { return store_.size(); }
  const M& model() const { return model_; }
  // Index of the first state of each BFS level; level k is [starts[k], starts[k+1]).
  const std::vector<std::uint32_t>& levelStarts() const { return level_starts_; }
  const Action& actionInto(std::uint32_t index) const { return store_.action(index); }

  // State indices from the initial state to `end`, inclusive.
  std::vector<std::uint32_t> path(std::uint32_t end) const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t at = end; at != kNoState; at = store_.parent(at)) out.push_back(at);
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  using Clock = std::chrono::steady_clock;

  void checkStateProperties(std::uint32_t index);
  void checkTerminal(std::uint32_t index);
  void recordDeadlock(std::uint32_t index);
  bool limitHit(std::uint32_t next_index);
  void finish(bool complete);

  const M& model_;
  std::vector<Property<State>> properties_;
  Limits limits_;
  std::vector<PropertyResult> results_;
  std::vector<OutcomeClass> outcomes_;
  std::map<Outcome, std::size_t> outcome_index_;
  // Deterministic properties: projection of the first terminal outcome seen.
  std::vector<Outcome> first_projection_;
  StateStore<State, Action> store_;
  std::vector<std::uint32_t> level_starts_;
  Stats stats_;
  ProgressFn progress_;
  Clock::time_point start_;
  Clock::time_point last_progress_;
};

template <Model M>
const Stats& Explorer<M>::run() {
  start_ = last_progress_ = Clock::now();
  stats_ = Stats{};
  stats_.state_bytes = sizeof(State);
  stats_.action_counts.assign(model_.actionKindCount(), 0);
  first_projection_.assign(properties_.size(), Outcome{});

  store_.insert(model_.initialState(), kNoState, Action{});
  checkStateProperties(0);

  std::vector<Action> enabled;
  std::uint32_t level_begin = 0;
  auto level_end = static_cast<std::uint32_t>(store_.size());
  level_starts_.assign(1, 0);
  while (level_begin < level_end) {
    level_starts_.push_back(level_end);
    for (std::uint32_t index = level_begin; index < level_end; ++index) {
      if ((index & 1023u) == 0 && limitHit(index)) {
        level_starts_.back() = static_cast<std::uint32_t>(store_.size());
        finish(false);
        return stats_;
      }
      const State current = store_.state(index);  // copy: the store may grow
      if (model_.isTerminal(current)) {
        checkTerminal(index);
        continue;
      }
      enabled.clear();
      model_.actions(current, enabled);
      if (enabled.empty()) recordDeadlock(index);
      for (const Action& action : enabled) {
        State next = model_.apply(current, action);
        ++stats_.transitions;
        ++stats_.action_counts[model_.actionKindIndex(action)];
        auto [next_index, is_new] = store_.insert(next, index, action);
        if (is_new) checkStateProperties(next_index);
      }
    }
    level_begin = level_end;
    level_end = static_cast<std::uint32_t>(store_.size());
    if (level_begin < level_end) ++stats_.depth;
  }
  level_starts_.back() = static_cast<std::uint32_t>(store_.size());
  finish(true);
  return stats_;
}

template <Model M>
void Explorer<M>::checkStateProperties(std::uint32_t index) {
  const State& s = store_.state(index);
  for (std::size_t p = 0; p < properties_.size(); ++p) {
    PropertyResult& result = results_[p];
    if (result.trace_end != kNoState) continue;  // first discovery is the shortest
    const Property<State>& property = properties_[p];
    if (property.kind == PropertyKind::Always && !property.state_predicate(s)) {
      result.verdict = Verdict::Violated;
      result.trace_end = index;
    } else if (property.kind == PropertyKind::Sometimes && property.state_predicate(s)) {
      result.verdict = Verdict::Holds;
      result.trace_end = index;
    }
  }
}

template <Model M>
void Explorer<M>::checkTerminal(std::uint32_t index) {
  ++stats_.terminal_states;
  Outcome outcome = model_.outcome(store_.state(index));
  auto [it, is_new] = outcome_index_.try_emplace(outcome, outcomes_.size());
  if (is_new) outcomes_.push_back(OutcomeClass{outcome, 0, index});
  ++outcomes_[it->second].witnesses;

  for (std::size_t p = 0; p < properties_.size(); ++p) {
    PropertyResult& result = results_[p];
    const Property<State>& property = properties_[p];
    if (result.trace_end != kNoState) continue;
    switch (property.kind) {
      case PropertyKind::Forall:
      case PropertyKind::NotExists: {
        bool satisfied = property.outcome_predicate(outcome);
        bool violates = property.kind == PropertyKind::Forall ? !satisfied : satisfied;
        if (violates) {
          result.verdict = Verdict::Violated;
          result.trace_end = index;
        }
        break;
      }
      case PropertyKind::Exists:
        if (property.outcome_predicate(outcome)) {
          result.verdict = Verdict::Holds;
          result.trace_end = index;
        }
        break;
      case PropertyKind::Deterministic: {
        Outcome projected;
        for (std::size_t field : property.projection) projected.push_back(outcome.at(field));
        if (result.other_end == kNoState) {
          result.other_end = index;
          first_projection_[p] = std::move(projected);
        } else if (projected != first_projection_[p]) {
          result.verdict = Verdict::Violated;
          result.trace_end = index;
        }
        break;
      }
      case PropertyKind::Always:
      case PropertyKind::Sometimes:
      case PropertyKind::NoDeadlock:
        break;
    }
  }
}

template <Model M>
void Explorer<M>::recordDeadlock(std::uint32_t index) {
  for (std::size_t p = 0; p < properties_.size(); ++p) {
    if (properties_[p].kind != PropertyKind::NoDeadlock || results_[p].trace_end != kNoState) continue;
    results_[p].verdict = Verdict::Violated;
    results_[p].trace_end = index;
  }
}

template <Model M>
bool Explorer<M>::limitHit(std::uint32_t next_index) {
  auto now = Clock::now();
  double elapsed = std::chrono::duration<double>(now - start_).count();
  if (progress_ && now - last_progress_ >= std::chrono::seconds(1)) {
    last_progress_ = now;
    stats_.states = store_.size();
    stats_.queue = store_.size() - next_index;
    stats_.seconds = elapsed;
    stats_.store_bytes = store_.bytesUsed();
    progress_(stats_);
  }
  if (limits_.interrupted && limits_.interrupted->load(std::memory_order_relaxed)) {
    stats_.stopped_by = "interrupted";
  } else if (limits_.max_states && store_.size() >= limits_.max_states) {
    stats_.stopped_by = "max_states";
  } else if (limits_.max_seconds > 0 && elapsed >= limits_.max_seconds) {
    stats_.stopped_by = "max_seconds";
  } else if (limits_.max_memory_mib && store_.bytesUsed() >= limits_.max_memory_mib * 1024 * 1024) {
    stats_.stopped_by = "max_memory";
  }
  return !stats_.stopped_by.empty();
}

template <Model M>
void Explorer<M>::finish(bool complete) {
  stats_.complete = complete;
  stats_.states = store_.size();
  stats_.store_bytes = store_.bytesUsed();
  stats_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  for (std::size_t p = 0; p < properties_.size(); ++p) {
    PropertyResult& result = results_[p];
    if (result.verdict != Verdict::Incomplete) continue;
    if (!complete) continue;  // undecided on a partial run: never "holds"
    switch (properties_[p].kind) {
      case PropertyKind::Always:
      case PropertyKind::Forall:
      case PropertyKind::NotExists:
      case PropertyKind::Deterministic:
      case PropertyKind::NoDeadlock:
        result.verdict = Verdict::Holds;
        break;
      case PropertyKind::Sometimes:
      case PropertyKind::Exists:
        result.verdict = Verdict::Violated;  // never reached: vacuous model or over-strong fix
        break;
    }
  }
}

}  // namespace fsrace::checker
