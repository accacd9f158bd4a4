// Small bcachefs models for the step tests: one open and one fsync, and
// whether a step is enabled in a state.
#pragma once

#include <vector>

#include "model/bcachefs/bcachefs_model.hpp"

namespace fsrace::tests {

inline model::Program oneFsyncProgram() {
  model::Program p;
  p.fds = 1;
  model::Op open;
  open.kind = model::OpKind::Open;
  model::Op fsync;
  fsync.kind = model::OpKind::Fsync;
  fsync.expect = model::Expect::Any;
  fsync.label = "fsync[0]";
  fsync.failure = "fsync failed: %m";
  p.ops = {open, fsync};
  return p;
}

inline bool isEnabled(const model::BcachefsModel& m, const model::State& s, model::ActionKind kind) {
  std::vector<model::Action> actions;
  m.actions(s, actions);
  for (const auto& a : actions)
    if (a.kind == kind) return true;
  return false;
}

}  // namespace fsrace::tests
