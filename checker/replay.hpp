// Re-executing a recorded run, and shortening one: the engine's half of
// `fsrace replay` and `--slice`, over actions (the documents are read and
// written at the edge, in cli/).
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

#include "checker/model_concept.hpp"

namespace fsrace::checker {

template <Model M>
struct ReplayRun {
  std::size_t replayed = 0;  // recorded steps taken, in order
  std::size_t inserted = 0;  // steps of the model's own taken before a recorded one (not strict)
  bool stopped = false;      // recorded step `replayed` was not enabled
  std::vector<typename M::Action> enabled;  // what was enabled where it stopped
  typename M::State end;     // the state reached
};

// Takes the recorded `steps` from the initial state, each only if enabled.
// Unless `strict`, where a recorded step is not enabled but an enabled step
// of the same actor is one `insertable` accepts (a step only a fix adds, say),
// that step is taken first and the recorded one retried: the recorded
// interleaving with the inserted steps, at most 4 per recorded step in all.
// `on_step(i, before, after)` sees every recorded step taken.
template <Model M, class Insertable, class OnStep>
ReplayRun<M> replaySteps(const M& m, const std::vector<typename M::Action>& steps, bool strict, Insertable insertable,
                         OnStep on_step) {
  using Action = typename M::Action;
  ReplayRun<M> run;
  run.end = m.initialState();
  std::vector<Action> enabled;
  for (std::size_t i = 0; i < steps.size();) {
    const Action& want = steps[i];
    enabled.clear();
    m.actions(run.end, enabled);
    if (std::find(enabled.begin(), enabled.end(), want) != enabled.end()) {
      auto next = m.apply(run.end, want);
      on_step(i, run.end, next);
      run.end = next;
      run.replayed = ++i;
      continue;
    }
    std::optional<Action> extra;
    if (!strict && run.inserted < 4 * steps.size())
      for (const Action& a : enabled)
        if (m.actorIndex(a) == m.actorIndex(want) && insertable(a)) {
          extra = a;
          break;
        }
    if (!extra) {
      run.stopped = true;
      run.enabled = enabled;
      return run;
    }
    run.end = m.apply(run.end, *extra);
    ++run.inserted;
  }
  return run;
}

// Delta debugging of one run: drops steps, last first, from index `first`
// on, while every remaining step stays enabled (strict replay) and the end
// state still satisfies `shows`. One pass; `steps` must replay to begin with.
template <Model M, class Shows>
std::vector<typename M::Action> sliceSteps(const M& m, std::vector<typename M::Action> steps, std::size_t first, Shows shows) {
  auto keeps = [&](const std::vector<typename M::Action>& candidate) {
    auto run = replaySteps(m, candidate, true, [](const auto&) { return false; }, [](std::size_t, const auto&, const auto&) {});
    return !run.stopped && shows(run.end);
  };
  for (std::size_t i = steps.size(); i-- > first;) {
    auto candidate = steps;
    candidate.erase(candidate.begin() + static_cast<std::ptrdiff_t>(i));
    if (keeps(candidate)) steps = std::move(candidate);
  }
  return steps;
}

}  // namespace fsrace::checker
