// What one curve of `fsrace sweep` needs to know, shared by the command
// (cli/sweep.cpp) and the model families (cli/sweep_model.hpp): which rate
// is swept over which multipliers, on top of which scheduler, and what is
// measured at each point.
#pragma once

#include <string>
#include <vector>

#include "specs/scheduler.hpp"

namespace fsrace::cli {

// What a sweep measures at each point: the probability of an event over
// the outcomes a run ends in.
struct SweepMeasure {
  enum class Kind { TestFails, Property, Outcome };
  Kind kind = Kind::TestFails;
  std::string text;      // as given: "test_fails", a property name, or FIELD=VALUE
  std::string property;  // TestFails: the family's pass property; Property: the property
  std::string field, value;  // Outcome: P(field = value)
};

struct SweepPlan {
  std::string key;               // the actor class, actor or step whose rate is swept
  specs::Scheduler scheduler;    // the scheduler in use; the key's rate is multiplied on top of it
  std::vector<double> multipliers;  // ascending
  SweepMeasure measure;
};

// The scheduler of one point: `plan.scheduler` with the key's rate (1 where
// it gives none) times `multiplier`.
specs::Scheduler scaledScheduler(const SweepPlan& plan, double multiplier);

}  // namespace fsrace::cli
