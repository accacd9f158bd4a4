// The throughput "grid": 8 counters mod 8, each step increments one of them.
// 8^8 = 16,777,216 states, 8 transitions each. A second model for the
// generic checker (it needs no change for it), and the benchmark's yardstick.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fsrace::bench {

struct GridModel {
  struct State {
    std::array<std::uint8_t, 3> bits;  // 8 counters x 3 bits, packed
  };
  struct Action {
    std::uint8_t counter;
  };

  static unsigned word(const State& s) {
    return static_cast<unsigned>(s.bits[0]) | static_cast<unsigned>(s.bits[1]) << 8u | static_cast<unsigned>(s.bits[2]) << 16u;
  }

  State initialState() const { return State{{0, 0, 0}}; }
  void actions(const State&, std::vector<Action>& sink) const {
    for (std::uint8_t i = 0; i < 8; ++i) sink.push_back({i});
  }
  State apply(const State& s, const Action& a) const {
    unsigned w = word(s);
    unsigned shift = 3u * a.counter;
    unsigned value = ((w >> shift) + 1u) & 7u;
    w = (w & ~(7u << shift)) | (value << shift);
    return State{{static_cast<std::uint8_t>(w), static_cast<std::uint8_t>(w >> 8), static_cast<std::uint8_t>(w >> 16)}};
  }
  bool isTerminal(const State&) const { return false; }
  std::size_t actionKindCount() const { return 8; }
  std::size_t actionKindIndex(const Action& a) const { return a.counter; }
  std::size_t actorIndex(const Action& a) const { return a.counter; }
  std::vector<std::string> outcomeFields() const { return {}; }
  std::vector<std::string> outcome(const State&) const { return {}; }
};

}  // namespace fsrace::bench
