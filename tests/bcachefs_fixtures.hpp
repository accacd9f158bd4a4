// Small bcachefs models for the step tests: one open and one fsync, whether
// a step is enabled in a state, and a state inside that fsync.
#pragma once

#include <algorithm>
#include <vector>

#include "model/bcachefs/bcachefs_model.hpp"

namespace fsrace::tests {

inline model::Program oneFsyncProgram(model::Expect expect = model::Expect::Any) {
  model::Program p;
  p.fds = 1;
  model::Op open;
  open.kind = model::OpKind::Open;
  model::Op fsync;
  fsync.kind = model::OpKind::Fsync;
  fsync.expect = expect;
  fsync.label = "fsync[0]";
  fsync.failure = "fsync failed: %m";
  p.ops = {open, fsync};
  return p;
}

inline bool isEnabled(const model::BcachefsModel& m, const model::State& s, model::ActionKind kind) {
  std::vector<model::Action> actions;
  m.actions(s, actions);
  return std::any_of(actions.begin(), actions.end(), [&](const model::Action& a) { return a.kind == kind; });
}

// The initial state with the program's fd open and process 0 at `step` of the fsync.
inline model::State atFsyncStep(const model::BcachefsModel& m, model::ActionKind step) {
  model::State s = m.initialState();
  s.proc[0].pc = 1;
  s.fd_flags[0] = model::fdbits::kOpen;
  s.proc[0].step = model::fsyncStep(step);
  return s;
}

}  // namespace fsrace::tests
