// The exact store of visited states: every state is kept whole, so "not seen"
// means not seen (no lossy hashing, no bitstate). States live in discovery
// order in fixed-size chunks (no reallocation, no copy, at most one partly
// used chunk); a parent index beside each state rebuilds traces without
// storing paths. An open-addressing table of 32-bit slots finds a state by
// content: each slot holds the state's index in its low bits and, in the bits
// the index does not need yet, a tag from the hash, so a probe that meets
// another state's slot rarely has to read that state to know it differs.
//
// Per state: sizeof(State) + 4 (parent) + 4 / load (slots; load in
// (0.375, 0.75] in steady state). The grid bench's 3-byte state costs
// 15 bytes.
//
// The explorer inserts a level's new states in parallel in three phases; the
// table supports that with "provisional" slots (see Explorer::runBatch).
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "checker/model_concept.hpp"
#include "checker/worker_pool.hpp"

namespace fsrace::checker {

// Fixed-seed 64-bit hash over the state's bytes: same input, same table
// layout, same exploration order on every run. Blocks of 32 bytes go to four
// independent multiply-xorshift lanes, whose multiplies overlap in the CPU,
// so a state of a few hundred bytes hashes in about a quarter of the latency
// of one chain; the rest goes word by word into the combined value, and a
// final avalanche spreads every input bit over the high bits the table's
// tags use.
inline std::uint64_t hashBytes(const unsigned char* data, std::size_t size) {
  constexpr std::uint64_t kSeed = 0x9e3779b97f4a7c15ULL;
  constexpr std::uint64_t kMul = 0xff51afd7ed558ccdULL;
  auto round = [](std::uint64_t h, std::uint64_t word) {
    h = (h ^ word) * kMul;
    return h ^ (h >> 32);
  };
  std::uint64_t h = kSeed ^ (size * kMul);
  std::size_t i = 0;
  if (size >= 32) {
    std::uint64_t lane[4] = {h, h ^ 0x243f6a8885a308d3ULL, h ^ 0x13198a2e03707344ULL, h ^ 0xa4093822299f31d0ULL};
    for (; i + 32 <= size; i += 32) {
      for (std::size_t l = 0; l < 4; ++l) {
        std::uint64_t word;
        std::memcpy(&word, data + i + 8 * l, 8);
        lane[l] = round(lane[l], word);
      }
    }
    h = round(round(round(lane[0], lane[1]), lane[2]), lane[3]);
  }
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + i, 8);
    h = round(h, word);
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, data + i, size - i);
  h = (h ^ tail) * kMul;
  h ^= h >> 29;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 32;
  return h;
}

template <class State>
std::uint64_t hashState(const State& state) {
  return hashBytes(reinterpret_cast<const unsigned char*>(&state), sizeof(State));
}

template <class State>
bool sameState(const State& a, const State& b) {
  return std::memcmp(&a, &b, sizeof(State)) == 0;
}

// An append-only array in chunks of about 1 MiB: elements never move, and
// the memory held is the elements plus at most one chunk.
template <class T>
class ChunkedArray {
 public:
  static constexpr auto kShift = static_cast<unsigned>(std::bit_width(std::max<std::size_t>(1, (std::size_t{1} << 20) / sizeof(T))) - 1);
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;

  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return chunks_[i >> kShift][i & (kChunk - 1)]; }
  const T& operator[](std::size_t i) const { return chunks_[i >> kShift][i & (kChunk - 1)]; }
  void resize(std::size_t n) {
    while (chunks_.size() * kChunk < n) chunks_.push_back(std::make_unique_for_overwrite<T[]>(kChunk));
    size_ = n;
  }
  std::size_t bytesUsed() const { return chunks_.size() * kChunk * sizeof(T) + chunks_.capacity() * sizeof(void*); }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

// The slot table: one allocation, aligned to 2 MiB and, on Linux, backed by
// transparent huge pages where the system allows it on request. The table is
// probed at random; with 4 KiB pages nearly every probe of a big table would
// also miss the TLB.
class SlotTable {
 public:
  static constexpr std::size_t kHuge = std::size_t{2} << 20;

  SlotTable() = default;
  SlotTable(const SlotTable&) = delete;
  SlotTable& operator=(const SlotTable&) = delete;
  ~SlotTable() { std::free(data_); }

  // Drops the old table, then allocates `count` slots set to `fill`.
  void assign(std::size_t count, std::uint32_t fill) {
    std::free(data_);
    data_ = nullptr;
    size_ = 0;
    std::size_t bytes = (count * sizeof(std::uint32_t) + kHuge - 1) / kHuge * kHuge;
    data_ = static_cast<std::uint32_t*>(std::aligned_alloc(kHuge, bytes));
    if (!data_) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(data_, bytes, MADV_HUGEPAGE);  // advice only: no huge pages is fine
#endif
    std::fill_n(data_, count, fill);
    size_ = count;
  }
  std::size_t size() const { return size_; }
  std::size_t bytes() const { return (size_ * sizeof(std::uint32_t) + kHuge - 1) / kHuge * kHuge; }
  std::uint32_t& operator[](std::size_t i) { return data_[i]; }
  const std::uint32_t& operator[](std::size_t i) const { return data_[i]; }

 private:
  std::uint32_t* data_ = nullptr;
  std::size_t size_ = 0;
};

template <PackedState State>
class StateStore {
 public:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();

  StateStore() {
    WorkerPool one(1);
    rebuild(10, one);
  }

  std::size_t size() const { return states_.size(); }
  const State& state(std::uint32_t index) const { return states_[index]; }
  std::uint32_t parent(std::uint32_t index) const { return parents_[index]; }

  // The index of `state`, or kNone if it was never stored. Must not run
  // while slots are provisional.
  std::uint32_t find(const State& state) const { return find(state, hashState(state)); }
  std::uint32_t find(const State& state, std::uint64_t hash) const {
    std::size_t mask = slots_.size() - 1;
    std::uint32_t tag = tagOf(hash);
    for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
      std::uint32_t value = slots_[slot];
      if (value == kEmpty) return kNone;
      if ((value & ~index_mask_) == tag && sameState(states_[value & index_mask_], state)) return value & index_mask_;
    }
  }

  // Single-threaded insertion (the initial state).
  std::pair<std::uint32_t, bool> insert(const State& state, std::uint32_t parent) {
    std::uint64_t hash = hashState(state);
    if (std::uint32_t found = find(state, hash); found != kNone) return {found, false};
    WorkerPool one(1);
    reserveFor(1, one);
    auto index = static_cast<std::uint32_t>(size());
    append(state, parent);
    publish(slotFor(hash), hash, index);
    return {index, true};
  }

  // Makes room so that `extra` more states (new ones, or provisional ones
  // during a batch) keep the load at or under 3/4; a rebuild runs on `pool`.
  void reserveFor(std::size_t extra, WorkerPool& pool) {
    std::size_t needed = size() + extra;
    assert(needed < (std::size_t{1} << 31) && "state store: more than 2^31 states");
    if (needed * 4 <= slots_.size() * 3) return;
    auto bits = static_cast<unsigned>(std::bit_width(slots_.size()) - 1);
    while (needed * 2 > (std::size_t{1} << bits)) ++bits;  // grow to load <= 1/2
    rebuild(bits, pool);
  }

  // --- the parallel insertion protocol (see Explorer::runBatch) ---
  // A provisional slot value names candidate `key` of the current batch; it
  // lies above every real index (reserveFor keeps size + candidates under
  // 3/4 of the table) and below kEmpty.
  std::uint32_t provisional(std::uint32_t key) const { return index_mask_ - 1 - key; }
  bool isReal(std::uint32_t value) const { return (value & index_mask_) < size(); }
  std::uint32_t keyOf(std::uint32_t value) const { return index_mask_ - 1 - (value & index_mask_); }
  std::uint32_t tagOf(std::uint64_t hash) const {
    return tag_shift_ >= 64 ? 0 : static_cast<std::uint32_t>(hash >> tag_shift_) << index_bits_;
  }
  std::uint32_t indexMask() const { return index_mask_; }
  std::size_t slotFor(std::uint64_t hash) const { return hash & (slots_.size() - 1); }
  std::size_t nextSlot(std::size_t slot) const { return (slot + 1) & (slots_.size() - 1); }
  std::atomic_ref<std::uint32_t> slotRef(std::size_t slot) { return std::atomic_ref<std::uint32_t>(slots_[slot]); }
  const std::uint32_t* slotAddress(std::size_t slot) const { return &slots_[slot]; }
  // Grows the arrays for `count` new states; the caller fills them in.
  void extend(std::size_t count) {
    states_.resize(states_.size() + count);
    parents_.resize(parents_.size() + count);
  }
  void set(std::uint32_t index, const State& state, std::uint32_t parent) {
    states_[index] = state;
    parents_[index] = parent;
  }
  void publish(std::size_t slot, std::uint64_t hash, std::uint32_t index) {
    std::atomic_ref<std::uint32_t>(slots_[slot]).store(tagOf(hash) | index, std::memory_order_relaxed);
  }

  // Bytes held by the store, for the memory limit and bytes/state figures.
  std::size_t bytesUsed() const { return states_.bytesUsed() + parents_.bytesUsed() + slots_.bytes(); }

 private:
  void append(const State& state, std::uint32_t parent) {
    extend(1);
    set(static_cast<std::uint32_t>(size() - 1), state, parent);
  }

  // A table of 2^bits slots: indices (and provisional keys) take `bits`
  // bits, the hash's top 32 - bits bits are the tag. Every stored state is
  // rehashed into it, in parallel (distinct states: a plain claim of the
  // first empty slot), with the slots prefetched a few states ahead.
  void rebuild(unsigned bits, WorkerPool& pool) {
    index_bits_ = bits;
    index_mask_ = bits >= 32 ? kEmpty : (std::uint32_t{1} << bits) - 1;
    tag_shift_ = 64 - (32 - bits);
    slots_.assign(std::size_t{1} << bits, kEmpty);  // frees the old table first: a lower peak
    constexpr std::size_t kRange = 1 << 16;
    constexpr std::size_t kAhead = 16;
    std::size_t n = size();
    pool.run((n + kRange - 1) / kRange, [&](std::size_t r, unsigned) {
      std::size_t end = std::min(n, (r + 1) * kRange);
      for (std::size_t i = r * kRange; i < end; ++i) {
        if (i + kAhead < end) __builtin_prefetch(&slots_[slotFor(hashState(states_[i + kAhead]))], 1);
        std::uint64_t hash = hashState(states_[i]);
        std::uint32_t value = tagOf(hash) | static_cast<std::uint32_t>(i);
        for (std::size_t slot = slotFor(hash);; slot = nextSlot(slot)) {
          std::uint32_t expected = kEmpty;
          if (slotRef(slot).compare_exchange_strong(expected, value, std::memory_order_relaxed)) break;
        }
      }
    });
  }

  ChunkedArray<State> states_;
  ChunkedArray<std::uint32_t> parents_;
  SlotTable slots_;
  unsigned index_bits_ = 0;
  std::uint32_t index_mask_ = 0;
  unsigned tag_shift_ = 64;
};

}  // namespace fsrace::checker
