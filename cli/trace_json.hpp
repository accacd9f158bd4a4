// The fsrace.counterexample/1 document of a run, written in one place: by
// check for the traces it finds, and by replay, which re-executes a
// document's steps and compares what it writes with what the document says.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/property.hpp"
#include "model/bcachefs_model.hpp"
#include "specs/spec.hpp"

namespace fsrace::cli {

inline constexpr const char* kModelName = "bcachefs-2023";

// What a trace's "minimality" promises, one sentence per way it was found.
inline constexpr const char* kShortest =
    "fewest steps (breadth-first), then fewest actor switches, then first in the model's stable order";
inline constexpr const char* kShortestOnly =
    "fewest steps (breadth-first), then first in the model's stable order (the run was incomplete)";
inline constexpr const char* kShortestSymmetric =
    "fewest steps (breadth-first over process-symmetry orbits), then first in the model's stable order; fewest switches "
    "and divergences are computed only without --symmetry";
inline constexpr const char* kShortestReduced =
    "fewest steps in the reduced state graph (breadth-first; --por may postpone local steps, so a shorter trace may "
    "exist), then first in the model's stable order; fewest switches and divergences are computed only without reductions";
inline constexpr const char* kShortestNoGraph =
    "fewest steps (breadth-first), then first in the model's stable order; fewest switches and divergences are not "
    "computed: their edge graph would not fit under the memory limit";
inline constexpr const char* kContinuation =
    "the counterexample's steps up to the deciding state, then the shortest continuation to the other outcome";
inline constexpr const char* kSliced =
    "delta debugging of the trace the search found: steps dropped one at a time, last first, while the end still shows "
    "the property (one pass)";
// What a trace found by the search may promise (a sliced one says kSliced).
inline const std::vector<std::string> kSearchGuarantees = {kShortest, kShortestOnly, kShortestSymmetric, kShortestReduced,
                                                           kShortestNoGraph};

// A trace as concrete states: states[i] --actions[i]--> states[i + 1].
struct TraceView {
  std::vector<model::State> states;
  std::vector<model::Action> actions;
  std::size_t switches = 0;  // changes of actor between consecutive steps
};

std::size_t countSwitches(const model::BcachefsModel& m, const std::vector<model::Action>& actions);

inline bool sameStep(const model::Action& a, const model::Action& b) {
  return a.kind == b.kind && a.actor == b.actor && a.who == b.who;
}

// How many steps two traces share from the start (a divergence: up to its deciding state).
inline std::size_t commonPrefix(const std::vector<model::Action>& a, const std::vector<model::Action>& b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && sameStep(a[n], b[n])) ++n;
  return n;
}

nlohmann::json parametersJson(const specs::Spec& spec);
nlohmann::json fixesJson(const std::vector<model::Fix>& fixes);
nlohmann::json outcomeJson(const std::vector<std::string>& fields, const checker::Outcome& values);
nlohmann::json changesJson(const model::BcachefsModel& m, const model::State& before, const model::State& after);

// The fsrace.counterexample/1 document of `trace`.
nlohmann::json traceJson(const specs::Spec& spec, const model::BcachefsModel& m, const TraceView& trace,
                         const std::string& property, checker::PropertyKind kind, const std::string& guarantee);

}  // namespace fsrace::cli
