// What every fsync-err model records of the test itself, in the same
// layout: each open file's errseq sample and report counts, and each fsync's
// result in two bits. The families share these, and the properties over
// them (fsync_err_properties.hpp).
#pragma once

#include <array>
#include <cassert>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/common/fsync_err.hpp"
#include "model/common/trace_fields.hpp"

namespace fsrace::model {

// What an fsync returned, as recorded in the state (two bits each).
enum class Ret : std::uint8_t { NotRun = 0, Ok = 1, Eio = 2, Erofs = 3 };

inline Ret retOf(int err) {
  if (err == 0) return Ret::Ok;
  if (err == EROFS) return Ret::Erofs;
  assert(err == EIO && "fsync returned an errno the model does not record");
  return Ret::Eio;
}

inline int errnoOf(Ret ret) { return ret == Ret::Eio ? EIO : ret == Ret::Erofs ? EROFS : 0; }

// "-" (not run), "0", "EIO", "EROFS": an fsync's outcome field.
inline std::string retName(Ret ret) { return ret == Ret::NotRun ? "-" : fsync_err::errnoName(errnoOf(ret)); }

using Results = std::array<std::uint8_t, kMaxResults / 4>;

inline Ret resultAt(const Results& results, std::size_t slot) {
  auto shift = static_cast<unsigned>((slot % 4) * 2);
  return static_cast<Ret>((static_cast<unsigned>(results[slot / 4]) >> shift) & 3u);
}

inline void setResultAt(Results& results, std::size_t slot, Ret ret) {
  auto shift = static_cast<unsigned>((slot % 4) * 2);
  auto& byte = results[slot / 4];
  byte = static_cast<std::uint8_t>((byte & ~(3u << shift)) | (static_cast<unsigned>(ret) << shift));
}

// One open file: bit 0 open, bits 1-3 errors reported to this open file by
// fsync (saturating at 7), bits 4-6 errors the previous open file on this fd
// saw before close, bit 7 the fd has been closed at least once.
namespace fdbits {
inline constexpr std::uint8_t kOpen = 0x01;
inline constexpr unsigned kReportsShift = 1;
inline constexpr unsigned kClosedReportsShift = 4;
inline constexpr unsigned kReportsMax = 7;
inline constexpr std::uint8_t kWasClosed = 0x80;

inline unsigned reports(std::uint8_t flags) { return (flags >> kReportsShift) & kReportsMax; }
inline unsigned closedReports(std::uint8_t flags) { return (flags >> kClosedReportsShift) & kReportsMax; }
inline bool isOpen(std::uint8_t flags) { return flags & kOpen; }
inline bool wasClosed(std::uint8_t flags) { return flags & kWasClosed; }
// open(2) on the fd: open, no reports yet (what the fd's earlier file saw is kept).
inline std::uint8_t opened(std::uint8_t flags) {
  return static_cast<std::uint8_t>((flags & ~(kOpen | kReportsMax << kReportsShift)) | kOpen);
}
// close(2): what the open file saw moves to the closed-reports bits.
inline std::uint8_t closed(std::uint8_t flags) {
  return static_cast<std::uint8_t>(kWasClosed | (reports(flags) << kClosedReportsShift));
}
// One more error reported to the open file by an fsync.
inline std::uint8_t reported(std::uint8_t flags) {
  unsigned n = reports(flags) + 1 > kReportsMax ? kReportsMax : reports(flags) + 1;
  return static_cast<std::uint8_t>((flags & ~(kReportsMax << kReportsShift)) | (n << kReportsShift));
}
}  // namespace fdbits

// A step of a model whose actors are the test processes and per-file
// workers: `who` is the process of a test step and the file of a per-file
// actor's step.
template <class Kind, class Actor>
struct Step {
  Kind kind;
  Actor actor;
  std::uint8_t who = 0;
  friend bool operator==(const Step&, const Step&) = default;
};

// Whether every process has finished the program (the terminal states).
template <class State>
bool allFinished(const Program& program, const State& s) {
  for (std::size_t p = 0; p < program.processes; ++p)
    if (s.proc[p].pc < program.ops.size()) return false;
  return true;
}

// A barrier (table switch, settle) is taken once, by the lowest process still
// running, when every running process has reached it.
template <class State>
bool isBarrierTaker(const Program& program, const State& s, std::size_t p) {
  std::uint16_t pc = s.proc[p].pc;
  for (std::size_t q = 0; q < program.processes; ++q) {
    std::uint16_t other = s.proc[q].pc;
    if (other >= program.ops.size()) continue;
    if (other != pc || q < p) return false;
  }
  return true;
}

// A barrier at `pc` is taken: every process there moves past it.
template <class State>
void passBarrier(const Program& program, State& s, std::uint16_t pc) {
  for (std::size_t q = 0; q < program.processes; ++q)
    if (s.proc[q].pc == pc) ++s.proc[q].pc;
}

// Process p's fsync returned `err`: the result is recorded and checked as
// fsync-err does; on to the next operation, or, if the check fails, the
// process prints the failure and exits (failed_op set, pc past the end).
template <class State>
void recordFsync(const Program& program, std::size_t fsyncs, State& s, std::size_t p, int err) {
  auto& proc = s.proc[p];
  const Op& op = program.ops[proc.pc];
  setResultAt(s.results, p * fsyncs + op.result_slot, retOf(err));
  if (op.expect == Expect::Any || (op.expect == Expect::Success) == (err == 0)) {
    ++proc.pc;
    return;
  }
  proc.failed_op = static_cast<std::uint16_t>(proc.pc + 1);
  proc.pc = static_cast<std::uint16_t>(program.ops.size());
}

// Every process printed "Test passed!" (in a terminal state).
template <class State>
bool allPassed(const Program& program, const State& s) {
  for (std::size_t p = 0; p < program.processes; ++p)
    if (s.proc[p].failed_op != 0) return false;
  return true;
}

// For traces: each fsync's result so far, as the fields `m.outcomeFields()` name.
template <class M>
void addResultFields(const M& m, const typename M::State& s, Fields& out) {
  auto names = m.outcomeFields();
  auto values = m.outcome(s);
  std::size_t results = names.size() - m.program().processes;  // the printed results come last
  for (std::size_t i = 0; i < results; ++i) out.emplace_back(names[i], values[i]);
}

// What a step changed, field by field (a process's pc and fsync step are
// what the step is, not what it changed).
template <class M>
std::vector<FieldChange> changedFields(const M& m, const typename M::State& before, const typename M::State& after) {
  return diffFields(m.fields(before), m.fields(after),
                    [](const std::string& name) { return endsWith(name, "pc") || endsWith(name, "fsync_step"); });
}

// The test's system call a test step belongs to; "" for another actor's.
template <class M>
std::string testContext(const M& m, const typename M::State& before, const typename M::Action& a) {
  if (a.actor != decltype(a.actor)::Test) return "";
  return fsync_err::opContext(m.program(), a.who, before.proc[a.who].pc);
}

// Variable groups of the test's own state, for partial-order reduction
// (checker::Property::reads and each model's localStep): a bit each; a
// model numbers its own groups from kFirstModelGroup.
namespace vars {
inline constexpr std::uint64_t kProcessControl = 1u << 0;  // pc, fsync step, failed_op
inline constexpr std::uint64_t kProcessLocals = 1u << 1;   // a process's values inside an fsync
inline constexpr std::uint64_t kFds = 1u << 2;             // f_wb_err, fd_flags
inline constexpr std::uint64_t kResults = 1u << 3;         // fsync results
inline constexpr std::uint64_t kInode = 1u << 4;           // every Inode field
inline constexpr unsigned kFirstModelGroup = 5;
}  // namespace vars

// The outcome of a state: every fsync's result, process by process, then
// what each process printed (fsync_err::outcomeFields names them). A failed
// operation other than an fsync is an open whose commit a read-only fs refused.
template <class State>
std::vector<std::string> outcomeOf(const Program& program, std::size_t fsyncs, const State& s) {
  std::vector<std::string> values;
  for (std::size_t p = 0; p < program.processes; ++p)
    for (const Op& op : program.ops)
      if (op.kind == OpKind::Fsync) values.push_back(retName(resultAt(s.results, p * fsyncs + op.result_slot)));
  for (std::size_t p = 0; p < program.processes; ++p) {
    if (s.proc[p].failed_op == 0) {
      values.push_back(program.passed);
      continue;
    }
    const Op& failed = program.ops[s.proc[p].failed_op - 1U];
    Ret ret = failed.kind == OpKind::Fsync ? resultAt(s.results, p * fsyncs + failed.result_slot) : Ret::Erofs;
    values.push_back(fsync_err::formatFailure(failed.failure, failed.fd, errnoOf(ret)));
  }
  return values;
}

}  // namespace fsrace::model
