// Symmetry: a stored state stands for its orbit; its representative is the
// byte-wise smallest image.
// Part of Explorer (checker/explorer.hpp), which includes this file at its end.
#pragma once

#include "checker/explorer.hpp"

namespace fsrace::checker {

// Under symmetry, the orbit's representative: the byte-wise smallest image.
template <Model M>
auto Explorer<M>::canonical(const State& s) const -> State {
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
template <Model M>
auto Explorer<M>::orbit(const State& s) const -> std::vector<State> {
  std::vector<State> out{s};
  if constexpr (SymmetricModel<M>) {
    for (std::size_t g = 1; g < symmetries_; ++g) {
      State image = model_.permute(s, g);
      if (std::none_of(out.begin(), out.end(), [&](const State& o) { return sameState(o, image); })) out.push_back(image);
    }
  }
  return out;
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

}  // namespace fsrace::checker
