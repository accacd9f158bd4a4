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
  using ProgressFn = std::function<void(const Stats&)>;

  Explorer(const M& model, std::vector<Property<State>> properties, Limits limits = {}, unsigned threads = 1,
           Reductions reductions = {})
      : model_(model), properties_(std::move(properties)), limits_(limits), pool_(threads) {
    if constexpr (SymmetricModel<M>) {
      if (reductions.symmetry) symmetries_ = model_.symmetries();
    }
    if constexpr (ReducibleModel<M>) partial_order_ = reductions.partial_order;
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
  State canonical(const State& s) const {
    State best = s;
    if constexpr (SymmetricModel<M>) {
      for (std::size_t g = 1; g < symmetries_; ++g) {
        State image = model_.permute(s, g);
        if (std::memcmp(&image, &best, sizeof(State)) < 0) best = image;
      }
    }
    return best;
  }

  // The distinct states a stored state stands for (itself, without symmetry).
  std::vector<State> orbit(const State& s) const {
    std::vector<State> out{s};
    if constexpr (SymmetricModel<M>) {
      for (std::size_t g = 1; g < symmetries_; ++g) {
        State image = model_.permute(s, g);
        if (std::none_of(out.begin(), out.end(), [&](const State& o) { return sameState(o, image); })) out.push_back(image);
      }
    }
    return out;
  }
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
  void finish(bool complete);

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
        finish(false);
        return stats_;
      }
      runBatch(batch, batch + std::min(kBatch, level_end - batch));
    }
    level_begin = level_end;
    level_end = static_cast<std::uint32_t>(store_.size());
    if (level_begin < level_end) ++stats_.depth;
  }
  level_starts_.back() = static_cast<std::uint32_t>(store_.size());
  finish(true);
  return stats_;
}

// One batch of a level, states [begin, end), in four parallel phases. The
// sequential algorithm would number a new state by its first discovery in
// (parent index, action order); the phases reproduce exactly that:
//  1. expand: each chunk of 128 states lists its successors that are not in
//     the store, in (parent, action) order; candidate keys number them in
//     that order across the batch.
//  2. claim: each candidate claims its state's slot with a compare-and-swap;
//     among equal candidates the smallest key wins (a smaller key replaces a
//     larger one, never the reverse), so the winner is the first discovery.
//  3. count: each chunk counts its winners (in parallel); a prefix sum over
//     the chunks gives every winner its index, in key order.
//  4. publish: winners are stored at their index, their slots get the real
//     index, and per-state properties are checked; the first state (lowest
//     index) that decides a property is kept, as the sequential loop would.
// Terminal states and deadlocks are handled after phase 1, in index order.
template <Model M>
void Explorer<M>::runBatch(std::uint32_t begin, std::uint32_t end) {
  if (partial_order_) observed_ = observedGroups();
  std::size_t chunks = (end - begin + kChunk - 1) / kChunk;
  if (chunks_.size() < chunks) chunks_.resize(chunks);
  pool_.run(chunks, [&](std::size_t c, unsigned worker) {
    auto from = static_cast<std::uint32_t>(begin + c * kChunk);
    expandChunk(from, std::min(end, from + kChunk), chunks_[c], scratch_[worker]);
  });

  std::uint32_t keys = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    ChunkWork& work = chunks_[c];
    for (std::uint32_t index : work.terminals) checkTerminal(index);
    for (std::uint32_t index : work.deadlocks) recordDeadlock(index);
    work.key_base = keys;
    keys += static_cast<std::uint32_t>(work.candidates.size());
  }
  if (keys == 0) return;
  store_.reserveFor(keys, pool_);

  pool_.run(chunks, [&](std::size_t c, unsigned) {
    ChunkWork& work = chunks_[c];
    std::size_t n = work.candidates.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) __builtin_prefetch(store_.slotAddress(store_.slotFor(work.candidates[i + kAhead].hash)), 1);
      claimSlot(work.candidates[i], work.key_base + static_cast<std::uint32_t>(i), chunks);
    }
  });

  pool_.run(chunks, [&](std::size_t c, unsigned) {
    ChunkWork& work = chunks_[c];
    std::uint32_t winners = 0;
    for (Candidate& candidate : work.candidates) {
      if (candidate.displaced) candidate.slot = kLost;
      winners += candidate.slot != kLost;
    }
    work.winners = winners;
  });
  auto first_new = static_cast<std::uint32_t>(store_.size());
  std::uint32_t next = first_new;
  for (std::size_t c = 0; c < chunks; ++c) {
    chunks_[c].index_base = next;
    next += chunks_[c].winners;
  }
  store_.extend(next - first_new);

  pool_.run(chunks, [&](std::size_t c, unsigned worker) {
    ChunkWork& work = chunks_[c];
    std::vector<State>& images = scratch_[worker].images;
    work.first_hit.assign(properties_.size(), kNoState);
    std::uint32_t index = work.index_base;
    std::size_t n = work.candidates.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kAhead < n && work.candidates[i + kAhead].slot != kLost)
        __builtin_prefetch(store_.slotAddress(work.candidates[i + kAhead].slot), 1);
      const Candidate& candidate = work.candidates[i];
      if (candidate.slot == kLost) continue;
      store_.set(index, candidate.state, candidate.parent);
      store_.publish(candidate.slot, candidate.hash, index);
      std::span<const State> all = imagesOf(candidate.state, images);
      for (std::size_t p = 0; p < properties_.size(); ++p)
        if (work.first_hit[p] == kNoState && results_[p].trace_end == kNoState && decides(p, all))
          work.first_hit[p] = index;
      ++index;
    }
  });

  for (std::size_t p = 0; p < properties_.size(); ++p) {
    for (std::size_t c = 0; c < chunks && results_[p].trace_end == kNoState; ++c) {
      if (chunks_[c].first_hit[p] == kNoState) continue;
      results_[p].verdict = properties_[p].kind == PropertyKind::Always ? Verdict::Violated : Verdict::Holds;
      results_[p].trace_end = chunks_[c].first_hit[p];
    }
  }
}

template <Model M>
void Explorer<M>::expandChunk(std::uint32_t begin, std::uint32_t end, ChunkWork& out, WorkerScratch& scratch) {
  out.candidates.clear();
  out.terminals.clear();
  out.deadlocks.clear();
  // All successors first, their slots prefetched, then the lookups: the
  // table is far bigger than the caches, and this hides the misses.
  scratch.successors.clear();
  for (std::uint32_t index = begin; index < end; ++index) {
    const State current = store_.state(index);
    if (model_.isTerminal(current)) {
      out.terminals.push_back(index);
      continue;
    }
    scratch.enabled.clear();
    model_.actions(current, scratch.enabled);
    if (scratch.enabled.empty()) out.deadlocks.push_back(index);
    if (partial_order_ && scratch.enabled.size() > 1) reduceToAmple(current, scratch.enabled);
    for (const Action& action : scratch.enabled) {
      Candidate next{model_.apply(current, action), index, 0, 0, false};
      if (symmetries_ > 1) next.state = canonical(next.state);
      next.hash = hashState(next.state);
      __builtin_prefetch(store_.slotAddress(store_.slotFor(next.hash)));
      ++scratch.action_counts[kPad + model_.actionKindIndex(action)];
      scratch.successors.push_back(next);
    }
  }
  scratch.transitions += scratch.successors.size();
  // Siblings share successors, so many repeat within a chunk: a small local
  // table keeps the first of each (the smallest key, as phase 2 would) and
  // spares the shared table the rest.
  std::size_t local_size = std::bit_ceil(std::max<std::size_t>(64, 2 * scratch.successors.size()));
  scratch.local.assign(local_size, StateStore<State>::kEmpty);
  for (const Candidate& next : scratch.successors) {
    std::size_t slot = (next.hash >> 20) & (local_size - 1);
    bool repeated = false;
    for (; scratch.local[slot] != StateStore<State>::kEmpty; slot = (slot + 1) & (local_size - 1)) {
      if (sameState(out.candidates[scratch.local[slot]].state, next.state)) {
        repeated = true;
        break;
      }
    }
    if (repeated || store_.find(next.state, next.hash) != StateStore<State>::kNone) continue;
    scratch.local[slot] = static_cast<std::uint32_t>(out.candidates.size());
    out.candidates.push_back(next);
  }
}

template <Model M>
typename Explorer<M>::Candidate& Explorer<M>::candidateAt(std::uint32_t key, std::size_t chunks) {
  std::size_t lo = 0, hi = chunks;  // the last chunk whose key_base <= key
  while (hi - lo > 1) {
    std::size_t mid = (lo + hi) / 2;
    if (chunks_[mid].key_base <= key) lo = mid;
    else hi = mid;
  }
  return chunks_[lo].candidates[key - chunks_[lo].key_base];
}

template <Model M>
void Explorer<M>::claimSlot(Candidate& candidate, std::uint32_t key, std::size_t chunks) {
  std::uint32_t tag = store_.tagOf(candidate.hash);
  std::uint32_t mine = tag | store_.provisional(key);
  std::uint32_t mask = store_.indexMask();
  for (std::size_t slot = store_.slotFor(candidate.hash);; slot = store_.nextSlot(slot)) {
    auto ref = store_.slotRef(slot);
    std::uint32_t value = ref.load(std::memory_order_relaxed);
    for (;;) {
      if (value == StateStore<State>::kEmpty) {
        if (ref.compare_exchange_weak(value, mine, std::memory_order_relaxed)) {
          candidate.slot = static_cast<std::uint32_t>(slot);
          return;
        }
        continue;  // `value` now holds what got there first
      }
      if ((value & ~mask) != tag) break;  // another state: probe on
      if (store_.isReal(value)) {
        // Stored before the batch began: phase 1 would have dropped it.
        assert(!sameState(store_.state(value & mask), candidate.state));
        break;
      }
      std::uint32_t other = store_.keyOf(value);
      Candidate& holder = candidateAt(other, chunks);
      if (!sameState(holder.state, candidate.state)) break;
      if (other < key) {
        candidate.slot = kLost;
        return;
      }
      if (ref.compare_exchange_weak(value, mine, std::memory_order_relaxed)) {
        // Only the one who replaces a key writes its flag, and nobody reads
        // it before the phase ends.
        holder.displaced = true;
        candidate.slot = static_cast<std::uint32_t>(slot);
        return;
      }
    }
  }
}

// The state itself, or under symmetry all its images (computed once for all
// the properties, in `images`).
template <Model M>
auto Explorer<M>::imagesOf(const State& s, std::vector<State>& images) const -> std::span<const State> {
  if (symmetries_ == 1) return {&s, 1};
  images.assign(1, s);
  if constexpr (SymmetricModel<M>) {
    for (std::size_t g = 1; g < symmetries_; ++g) images.push_back(model_.permute(s, g));
  }
  return images;
}

// Under symmetry a stored state stands for its whole orbit: an invariant is
// violated, or a cover reached, if it is so in any image.
template <Model M>
bool Explorer<M>::decides(std::size_t p, std::span<const State> images) const {
  const Property<State>& property = properties_[p];
  if (property.kind != PropertyKind::Always && property.kind != PropertyKind::Sometimes) return false;
  bool want = property.kind == PropertyKind::Sometimes;
  return std::any_of(images.begin(), images.end(), [&](const State& s) { return property.state_predicate(s) == want; });
}

template <Model M>
void Explorer<M>::checkStateProperties(std::uint32_t index) {
  for (std::size_t p = 0; p < properties_.size(); ++p) {
    PropertyResult& result = results_[p];
    std::vector<State> images;
    if (result.trace_end != kNoState || !decides(p, imagesOf(store_.state(index), images))) continue;  // first discovery is the shortest
    result.verdict = properties_[p].kind == PropertyKind::Always ? Verdict::Violated : Verdict::Holds;
    result.trace_end = index;
  }
}

template <Model M>
void Explorer<M>::checkTerminal(std::uint32_t index) {
  if (symmetries_ == 1) return checkTerminalImage(index, store_.state(index));
  for (const State& image : orbit(store_.state(index))) checkTerminalImage(index, image);
}

// One concrete terminal state, stored at `index` (itself or an image of it).
template <Model M>
void Explorer<M>::checkTerminalImage(std::uint32_t index, const State& image) {
  ++stats_.terminal_states;
  Outcome outcome = model_.outcome(image);
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
          result.other_projection = projected;
          first_projection_[p] = std::move(projected);
        } else if (projected != first_projection_[p]) {
          result.verdict = Verdict::Violated;
          result.trace_end = index;
          result.projection = std::move(projected);
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
  for (WorkerScratch& scratch : scratch_) {
    stats_.transitions += scratch.transitions;
    for (std::size_t k = 0; k < stats_.action_counts.size(); ++k) stats_.action_counts[k] += scratch.action_counts[kPad + k];
    scratch = WorkerScratch{};
  }
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

// Appends to `trace` the first enabled action of its last state whose
// successor `reaches` holds for.
template <Model M>
template <class Reaches>
void Explorer<M>::extendTrace(ConcreteTrace& trace, const Reaches& reaches) const {
  std::vector<Action> enabled;
  model_.actions(trace.states.back(), enabled);
  for (const Action& action : enabled) {
    State next = model_.apply(trace.states.back(), action);
    if (!reaches(next)) continue;
    trace.actions.push_back(action);
    trace.states.push_back(next);
    return;
  }
  assert(false && "no enabled action reaches the next state of the trace");
}

template <Model M>
typename Explorer<M>::ConcreteTrace Explorer<M>::concreteTrace(std::uint32_t end,
                                                               const std::function<bool(const State&)>& accept) const {
  ConcreteTrace trace;
  std::vector<std::uint32_t> stored = path(end);
  trace.states.push_back(model_.initialState());
  for (std::size_t i = 1; i < stored.size(); ++i) {
    const State& want = store_.state(stored[i]);
    extendTrace(trace, [&](const State& next) { return sameState(canonical(next), want); });
  }
  if (symmetries_ == 1 || accept(trace.states.back())) return trace;
  if constexpr (SymmetricModel<M>) {
    for (std::size_t g = 1; g < symmetries_; ++g) {
      if (!accept(model_.permute(trace.states.back(), g))) continue;
      ConcreteTrace renamed;
      renamed.states.push_back(model_.permute(trace.states.front(), g));
      for (std::size_t i = 1; i < trace.states.size(); ++i) {
        State want = model_.permute(trace.states[i], g);
        extendTrace(renamed, [&](const State& next) { return sameState(next, want); });
      }
      return renamed;
    }
  }
  assert(false && "no image of the trace's end is acceptable");
  return trace;
}

// What the undecided state properties read. A decided one (a violated
// invariant, a witnessed cover) needs no more states; outcome properties and
// deadlocks are judged at states no reduction removes.
template <Model M>
std::uint64_t Explorer<M>::observedGroups() const {
  std::uint64_t groups = 0;
  for (std::size_t p = 0; p < properties_.size(); ++p) {
    PropertyKind kind = properties_[p].kind;
    if ((kind == PropertyKind::Always || kind == PropertyKind::Sometimes) && results_[p].trace_end == kNoState)
      groups |= properties_[p].reads;
  }
  return groups;
}

// The first local step, in model order, that no undecided property observes
// and whose successor is not stored yet replaces the enabled set. The store
// is read as it was when the batch began, so the choice is the same for any
// number of threads.
template <Model M>
void Explorer<M>::reduceToAmple(const State& current, std::vector<Action>& enabled) const {
  if constexpr (ReducibleModel<M>) {
    for (const Action& action : enabled) {
      std::optional<std::uint64_t> writes = model_.localStep(current, action);
      if (!writes || (*writes & observed_)) continue;
      State next = canonical(model_.apply(current, action));
      if (store_.find(next) != StateStore<State>::kNone) continue;
      Action ample = action;
      enabled.assign(1, ample);
      return;
    }
  }
}

}  // namespace fsrace::checker
