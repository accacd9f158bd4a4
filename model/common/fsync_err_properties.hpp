// The properties of fsync-err itself, for any model that runs it: whether
// the test passes, whether the fsyncs after the heal agree across
// interleavings, and generic/441's errseq expectation per fd. A model M
// provides program(), outcomeIndex(p, op), resultIndex(p), fdSlot(p, i), the
// static fd accessors of test_state.hpp, and State::proc[p].pc/failed_op.
#pragma once

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "checker/property.hpp"
#include "model/common/fsync_err.hpp"
#include "specs/model_description.hpp"

namespace fsrace::model::fsync_err {

template <class M>
using ModelProperty = checker::Property<typename M::State>;

// Every process printed "Test passed!".
template <class M>
ModelProperty<M> testPasses(const specs::PropertyInfo& info, const M& m) {
  ModelProperty<M> p{info.name, info.kind, info.description, {}, {}, {}};
  std::string passed = m.program().passed;
  std::vector<std::size_t> results;
  for (std::size_t proc = 0; proc < m.program().processes; ++proc) results.push_back(m.resultIndex(proc));
  p.outcome_predicate = [passed, results](const checker::Outcome& o) {
    return std::all_of(results.begin(), results.end(), [&](std::size_t i) { return o[i] == passed; });
  };
  return p;
}

// The fsyncs after the last switch back to the working table return the
// same results in every interleaving (deterministic over their fields).
template <class M>
ModelProperty<M> healedFsyncsAgree(const specs::PropertyInfo& info, const M& m) {
  ModelProperty<M> p{info.name, info.kind, info.description, {}, {}, {}};
  for (std::size_t proc = 0; proc < m.program().processes; ++proc)
    for (std::size_t op : healedFsyncOps(m.program())) p.projection.push_back(m.outcomeIndex(proc, op));
  if (p.projection.empty()) throw std::invalid_argument("the program has no fsync after a switch back to the working table");
  return p;
}

// generic/441's errseq expectation: an open file reports each writeback error
// at most once (one error per round of the error table: at most `rounds`
// reports); when the program passes, every fd's first file reported each
// exactly once before close and the reopened file none. Several processes:
// each one's fds, once that process has finished. `reads`: the model's
// variable groups for its fds and process control.
template <class M>
ModelProperty<M> errorsReportedOncePerFd(const specs::PropertyInfo& info, const M& m, std::uint64_t reads) {
  ModelProperty<M> p{info.name, info.kind, info.description, {}, {}, {}};
  p.reads = reads;
  const M* model = &m;
  p.state_predicate = [model](const typename M::State& s) {
    const Program& program = model->program();
    unsigned rounds = program.rounds;
    for (std::size_t fd = 0; fd < program.fds * program.processes; ++fd)
      if (M::fdReports(s, fd) > rounds || M::fdClosedReports(s, fd) > rounds) return false;
    for (std::size_t proc = 0; proc < program.processes; ++proc) {
      if (s.proc[proc].pc < program.ops.size() || s.proc[proc].failed_op != 0) continue;
      for (std::size_t i = 0; i < program.fds; ++i) {
        std::size_t fd = model->fdSlot(proc, i);
        if (!M::fdWasClosed(s, fd)) continue;
        if (M::fdClosedReports(s, fd) != rounds || M::fdReports(s, fd) != 0) return false;
      }
    }
    return true;
  };
  return p;
}

inline constexpr const char* kErrorsReportedOncePerFd =
    "errseq: an open file reports each writeback error at most once; in a passing run each fd's first file "
    "reported each round's error exactly once and the reopened file none";
inline constexpr const char* kTestPasses = "every outcome of the program is \"Test passed!\"";

}  // namespace fsrace::model::fsync_err
