// The parallel insertion of one batch of a level beside the store: expand,
// claim, count, publish, with the numbering the sequential search gives.
// Part of Explorer (checker/explorer.hpp), which includes this file at its end.
#pragma once

#include "checker/explorer.hpp"

namespace fsrace::checker {

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

}  // namespace fsrace::checker
