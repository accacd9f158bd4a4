// Verdict bookkeeping: which property a new state, a terminal state or a
// deadlock decides, keeping the first (lowest-numbered) one.
// Part of Explorer (checker/explorer.hpp), which includes this file at its end.
#pragma once

#include "checker/explorer.hpp"

namespace fsrace::checker {

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

}  // namespace fsrace::checker
