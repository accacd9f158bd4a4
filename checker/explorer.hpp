// Exact breadth-first exploration, level by level, on one or more threads.
// See checker/README.md for the guarantees; the parallel scheme is described
// at runBatch. Every result (state numbering, verdicts, traces) is the one
// the sequential algorithm gives, whatever the number of threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <chrono>
#include <cstring>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "checker/model_concept.hpp"
#include "checker/property.hpp"
#include "checker/state_store.hpp"
#include "checker/worker_pool.hpp"

namespace fsrace::checker {

inline constexpr std::uint32_t kNoState = 0xffffffffu;

struct Limits {
  std::uint64_t max_states = 0;      // 0: no limit
  double max_seconds = 0;            // 0: no limit
  std::uint64_t max_memory_mib = 0;  // 0: no limit (store bytes, not RSS)
  // Set asynchronously (e.g. by a SIGINT handler) to stop the run cleanly.
  const std::atomic<bool>* interrupted = nullptr;
};

// Reductions the run may use. Each must leave every verdict and the outcome
// set (with its witness counts) as the unreduced run has them.
struct Reductions {
  // Store one state per orbit of the model's symmetry group (the smallest
  // image, byte-wise); properties are evaluated on every image.
  bool symmetry = false;
  // Partial-order reduction: from a state where the model names a local step
  // that no undecided property observes, explore that step alone. Keeps
  // every terminal state and deadlock, and every state property's verdict.
  bool partial_order = false;
};

struct Stats {
  std::uint64_t states = 0;
  std::uint64_t transitions = 0;
  std::uint64_t terminal_states = 0;  // concrete ones: every image of a stored one counts
  std::uint32_t depth = 0;
  double seconds = 0;
  bool complete = false;
  std::string stopped_by;  // "max_states", "max_seconds", "max_memory" when !complete
  std::size_t state_bytes = 0;
  std::size_t store_bytes = 0;
  std::uint64_t queue = 0;  // states discovered but not yet expanded (progress reports)
  std::uint64_t distinct_outcomes = 0;  // outcome classes found so far (progress reports)
  std::vector<std::uint64_t> action_counts;  // transitions per action kind

  double statesPerSecond() const { return seconds > 0 ? static_cast<double>(states) / seconds : 0; }
  // The run is over: these are its totals, not a report on the way.
  bool ended() const { return complete || !stopped_by.empty(); }
  double bytesPerState() const { return states ? static_cast<double>(store_bytes) / static_cast<double>(states) : 0; }
};

struct PropertyResult {
  Verdict verdict = Verdict::Incomplete;
  // Violated: end of the shortest counterexample. Holds (sometimes, exists):
  // end of the shortest witness. kNoState when there is no trace.
  std::uint32_t trace_end = kNoState;
  // Deterministic, violated: end of the shortest trace to the other outcome.
  std::uint32_t other_end = kNoState;
  // Deterministic: the projected outcomes at trace_end and other_end (under
  // symmetry, of the image of the stored state that showed it).
  Outcome projection;
  Outcome other_projection;
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
  // Called from the thread that runs the search, between batches, at most
  // once per interval, and once more with the totals when the run has ended
  // (Stats::ended). It sees counts only, so it changes no result.
  using ProgressFn = std::function<void(const Stats&)>;

  Explorer(const M& model, std::vector<Property<State>> properties, Limits limits = {}, unsigned threads = 1,
           Reductions reductions = {})
      : model_(model), properties_(std::move(properties)), limits_(limits), pool_(threads) {
    if constexpr (SymmetricModel<M>) {
      if (reductions.symmetry) symmetries_ = model_.symmetries();
    }
    if constexpr (ReducibleModel<M>) partial_order_ = reductions.partial_order;
    properties_.push_back(noDeadlockProperty<State>());
    results_.assign(properties_.size(), PropertyResult{});
  }

  void onProgress(ProgressFn fn, std::chrono::milliseconds interval = std::chrono::seconds(1)) {
    progress_ = std::move(fn);
    progress_interval_ = interval;
  }

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
  unsigned threads() const { return pool_.threads(); }

  // The action that first discovered `index` from its parent: the first
  // enabled action of the parent, in model order, that leads to it. It is
  // recomputed rather than stored (a byte or more per state saved).
  Action actionInto(std::uint32_t index) const {
    std::uint32_t from = store_.parent(index);
    assert(from != kNoState && "the initial state has no action into it");
    const State parent = store_.state(from);
    std::vector<Action> enabled;
    model_.actions(parent, enabled);
    for (const Action& action : enabled)
      if (sameState(canonical(model_.apply(parent, action)), store_.state(index))) return action;
    assert(false && "no action of the parent leads to the state");
    return enabled.front();
  }

  // Under symmetry, the orbit's representative: the byte-wise smallest image.
  State canonical(const State& s) const;
  // fn(action, successor index) for each step enabled in stored state
  // `index`, in model order (none from a terminal state): the edges of the
  // explored graph, rebuilt after a run (state_graph.hpp, markov.hpp).
  template <class Fn>
  void forEachSuccessor(std::uint32_t index, std::vector<Action>& scratch, Fn&& fn) const {
    const State& s = state(index);
    if (model_.isTerminal(s)) return;
    scratch.clear();
    model_.actions(s, scratch);
    for (const Action& a : scratch) fn(a, indexOf(canonical(model_.apply(s, a))));
  }
  // The distinct states a stored state stands for (itself, without symmetry).
  std::vector<State> orbit(const State& s) const;
  bool reducedBySymmetry() const { return symmetries_ > 1; }
  bool reducedByPartialOrder() const { return partial_order_; }

  // A concrete trace to a state of the orbit stored at `end` for which
  // `accept` holds (the first such image, in group order): the stored path
  // is a path of representatives, so each step takes the first enabled
  // action whose successor has the next representative, then the whole trace
  // is renamed by the permutation that makes its end acceptable. Without
  // symmetry it is the parent-link path itself.
  struct ConcreteTrace {
    std::vector<State> states;
    std::vector<Action> actions;
  };
  ConcreteTrace concreteTrace(std::uint32_t end, const std::function<bool(const State&)>& accept) const;
  template <class Reaches>
  void extendTrace(ConcreteTrace& trace, const Reaches& reaches) const;

  // State indices from the initial state to `end`, inclusive.
  std::vector<std::uint32_t> path(std::uint32_t end) const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t at = end; at != kNoState; at = store_.parent(at)) out.push_back(at);
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  using Clock = std::chrono::steady_clock;

  // Fixed sizes, independent of the thread count: the work is cut the same
  // way on any machine, which is what makes the results identical.
  static constexpr std::uint32_t kChunk = 128;          // states expanded per task
  static constexpr std::uint32_t kBatch = 128 * kChunk;  // states per batch
  static constexpr std::size_t kAhead = 16;              // prefetch distance, in candidates
  static constexpr std::size_t kPad = 8;                 // a cache line of counters

  struct Candidate {  // a successor not in the store when its batch began
    State state;
    std::uint32_t parent;
    std::uint32_t slot;  // claimed slot, or kLost
    std::uint64_t hash;
    bool displaced;      // a smaller key of the same state took its slot
  };
  static constexpr std::uint32_t kLost = 0xffffffffu;
  // Cache-line aligned: neighbours are written by different threads.
  struct alignas(64) ChunkWork {
    std::vector<Candidate> candidates;  // in (parent, action) order
    std::vector<std::uint32_t> terminals;
    std::vector<std::uint32_t> deadlocks;
    std::uint32_t key_base = 0;     // key of its first candidate within the batch
    std::uint32_t index_base = 0;   // index of its first new state
    std::uint32_t winners = 0;      // its candidates that become new states
    std::vector<std::uint32_t> first_hit;  // per property: first new state index that decides it
  };
  struct alignas(64) WorkerScratch {
    std::vector<Action> enabled;
    std::vector<Candidate> successors;
    std::vector<std::uint32_t> local;  // positions in the chunk's candidates, by hash
    std::uint64_t transitions = 0;
    // Per action kind, starting at kPad: the padding keeps two workers'
    // counters (separate heap blocks, maybe neighbours) off one cache line.
    std::vector<std::uint64_t> action_counts;
    std::vector<State> images;  // under symmetry: the images of the state being published
  };

  void runBatch(std::uint32_t begin, std::uint32_t end);
  void expandChunk(std::uint32_t begin, std::uint32_t end, ChunkWork& out, WorkerScratch& scratch);
  void reduceToAmple(const State& current, std::vector<Action>& enabled) const;
  std::uint64_t observedGroups() const;
  void claimSlot(Candidate& candidate, std::uint32_t key, std::size_t chunks);
  Candidate& candidateAt(std::uint32_t key, std::size_t chunks);
  std::span<const State> imagesOf(const State& s, std::vector<State>& images) const;
  bool decides(std::size_t property, std::span<const State> images) const;
  void checkStateProperties(std::uint32_t index);
  void checkTerminal(std::uint32_t index);
  void checkTerminalImage(std::uint32_t index, const State& image);
  void recordDeadlock(std::uint32_t index);
  bool limitHit(std::uint32_t next_index);
  void snapshot(std::uint32_t next_index);
  void finish(bool complete, std::uint32_t next_index);

  const M& model_;
  std::vector<Property<State>> properties_;
  Limits limits_;
  std::vector<PropertyResult> results_;
  std::vector<OutcomeClass> outcomes_;
  std::map<Outcome, std::size_t> outcome_index_;
  // Deterministic properties: projection of the first terminal outcome seen.
  std::vector<Outcome> first_projection_;
  StateStore<State> store_;
  WorkerPool pool_;
  std::vector<ChunkWork> chunks_;
  std::vector<WorkerScratch> scratch_;
  std::vector<std::uint32_t> level_starts_;
  Stats stats_;
  ProgressFn progress_;
  std::chrono::milliseconds progress_interval_{1000};
  std::size_t symmetries_ = 1;
  bool partial_order_ = false;
  // Partial-order reduction: variable groups read by the state properties
  // still undecided when the current batch began.
  std::uint64_t observed_ = 0;
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
  scratch_.assign(pool_.threads(), WorkerScratch{});
  for (auto& scratch : scratch_) scratch.action_counts.assign(model_.actionKindCount() + 2 * kPad, 0);

  store_.insert(canonical(model_.initialState()), kNoState);
  checkStateProperties(0);

  std::uint32_t level_begin = 0;
  auto level_end = static_cast<std::uint32_t>(store_.size());
  level_starts_.assign(1, 0);
  while (level_begin < level_end) {
    level_starts_.push_back(level_end);
    for (std::uint32_t batch = level_begin; batch < level_end; batch += std::min(kBatch, level_end - batch)) {
      if (limitHit(batch)) {
        level_starts_.back() = static_cast<std::uint32_t>(store_.size());
        finish(false, batch);
        return stats_;
      }
      runBatch(batch, batch + std::min(kBatch, level_end - batch));
    }
    level_begin = level_end;
    level_end = static_cast<std::uint32_t>(store_.size());
    if (level_begin < level_end) ++stats_.depth;
  }
  level_starts_.back() = static_cast<std::uint32_t>(store_.size());
  finish(true, static_cast<std::uint32_t>(store_.size()));
  return stats_;
}

template <Model M>
bool Explorer<M>::limitHit(std::uint32_t next_index) {
  auto now = Clock::now();
  double elapsed = std::chrono::duration<double>(now - start_).count();
  if (progress_ && now - last_progress_ >= progress_interval_) {
    last_progress_ = now;
    snapshot(next_index);
    stats_.seconds = elapsed;
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

// The counters a progress report reads, as of the first `next_index` states
// expanded. Terminal states and outcomes are counted as their batch ends, so
// they are there already.
template <Model M>
void Explorer<M>::snapshot(std::uint32_t next_index) {
  stats_.states = store_.size();
  stats_.queue = store_.size() - next_index;
  stats_.store_bytes = store_.bytesUsed();
  stats_.distinct_outcomes = outcomes_.size();
}

template <Model M>
void Explorer<M>::finish(bool complete, std::uint32_t next_index) {
  for (WorkerScratch& scratch : scratch_) {
    stats_.transitions += scratch.transitions;
    for (std::size_t k = 0; k < stats_.action_counts.size(); ++k) stats_.action_counts[k] += scratch.action_counts[kPad + k];
    scratch = WorkerScratch{};
  }
  stats_.complete = complete;
  snapshot(next_index);
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
  if (progress_) progress_(stats_);
}

}  // namespace fsrace::checker

// The rest of Explorer, one concern a file.
#include "checker/explorer_batch.hpp"
#include "checker/explorer_por.hpp"
#include "checker/explorer_symmetry.hpp"
#include "checker/explorer_traces.hpp"
#include "checker/explorer_verdicts.hpp"
