// The test program every model family runs: fstests' src/fsync-err.c as a
// flat list of system calls with the results the real test expects, read
// from a spec's "program". Shared by the families (generic/441 is a VFS test;
// only the filesystem under it changes), with the outcome fields and the
// failure messages the program prints.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "specs/parameters.hpp"
#include "specs/spec.hpp"

namespace fsrace::specs {
class JsonReader;
}

namespace fsrace::model {

enum class OpKind : std::uint8_t { Open, Write, Fsync, SwitchTable, Close, Settle };
enum class Expect : std::uint8_t { Any, Success, Error };
enum class DmTable : std::uint8_t { Working, Error };

// Bounds of the state layouts the families share (fds and results over all
// processes, processes, files, operations).
inline constexpr std::size_t kMaxFds = 32;
inline constexpr std::size_t kMaxResults = 160;
inline constexpr std::size_t kMaxProcesses = 4;
inline constexpr std::size_t kMaxInodes = 4;
inline constexpr std::size_t kMaxOps = 4096;

struct Op {
  OpKind kind = OpKind::Open;
  std::uint8_t fd = 0;
  bool commits_inode = false;        // Open: O_CREAT or O_TRUNC (the filesystem commits the inode)
  DmTable table = DmTable::Working;  // SwitchTable
  Expect expect = Expect::Any;       // Fsync
  std::string label;                 // Fsync: outcome field name, e.g. "reopen_fsync[0]"
  std::string failure;               // printed when the expectation fails ("%m" -> strerror)
  std::uint8_t result_slot = 0;      // Fsync: index of its result among the process's fsyncs
};

// Every test process runs `ops` on its own `fds` fds; process p's file is
// inode p % inodes. Table switches and settles are barriers: the lowest
// process still running takes them once all running processes reach them.
struct Program : specs::Scenario {
  std::uint8_t fds = 0;        // per process
  std::uint8_t processes = 1;
  std::uint8_t inodes = 1;
  std::uint8_t rounds = 1;     // times the spec's "repeat" block was expanded
  std::vector<Op> ops;
  std::string passed = "Test passed!";
};

namespace fsync_err {

// The operations a program may hold ("open", "write", ...), as a spec spells them.
const std::vector<std::string>& opNames();
// The program's parameters (fds, mode, processes, inodes, rounds), by name;
// a family lists them in its own table beside its own.
const specs::ParameterInfo& parameter(const std::string& name);
// Limits that involve several of them (errors name `at`).
void checkParameters(const specs::JsonReader& r, const specs::Parameters& p, const std::string& at);
// Reads a spec's "program" (at `at`) for the parameters `p`.
std::shared_ptr<const Program> readProgram(const specs::JsonReader& r, const nlohmann::json& program, const std::string& at,
                                           const specs::Parameters& p);
// The program a spec holds (its family read it with readProgram).
const Program& programOf(const specs::Spec& spec);

// Fsyncs per process.
std::size_t fsyncCount(const Program& program);
// Process 0 keeps the program's own names ("reopen_fsync[0]", "fd[0]"), so a
// one-process run reads as the test does; process p > 0 gets its actor's
// name, "test<p>." ("test1.reopen_fsync[0]"), as in a trace's actor column.
std::string processPrefix(std::size_t p);
// Every fsync's result, process by process, then each process's printed result.
std::vector<std::string> outcomeFields(const Program& program);
// The field of outcomeFields() a condition most likely meant by `field`,
// which is none: the closest field of the same process, whether `field`
// names it by its actor ("test1."), by the prefix of earlier versions
// ("p1.") or by none (process 0); never another process's field.
std::optional<std::string> closestField(const Program& program, const std::string& field);
// The values the outcome field `field` can take, for a model whose fsyncs
// return 0 or one of `errnos`: an fsync's "0", "-" (not run) or errno; a
// printed result's "Test passed!" or the line a failed check prints, each
// message with each fd and errno ("" where an open's commit failed).
std::vector<std::string> fieldValues(const Program& program, const std::string& field, const std::vector<std::string>& errnos);
// Whether `field` is a process's printed result ("result", "test1.result").
bool isResultField(const Program& program, const std::string& field);
// Positions in outcomeFields(): process p's result of fsync op `op`, and its printed result.
std::size_t outcomeIndex(const Program& program, std::size_t p, std::size_t op);
std::size_t resultIndex(const Program& program, std::size_t p);
// "0", "EIO", "EROFS", "errno N".
std::string errnoName(int err);
// An errseq_t as traces show it: "EIO|SEEN#3" (errno, SEEN, counter) or "0".
std::string errseqText(std::uint16_t value);
// fsync-err prints "%m" as strerror(errno) and "%d" as the fd index.
std::string formatFailure(const std::string& format, int fd, int err);
// The fsync ops after the last switch back to the working table: the ones
// the report is about ("after the test switched ... and back").
std::vector<std::size_t> healedFsyncOps(const Program& program);
// The permutations of the processes that map the program onto itself
// (every process runs the same program; with several files, process p's
// file is p % inodes, so a permutation must also permute the files), the
// identity first: the symmetry group of --symmetry.
std::vector<std::array<std::uint8_t, kMaxProcesses>> processPermutations(const Program& program);
// The test's system call at `pc` of process p, as a trace's context
// ("open(O_CREAT|O_TRUNC) fd[0]", "fsync fd[0] (reopen_fsync[0])"); "" past the end.
std::string opContext(const Program& program, std::size_t p, std::size_t pc);
// The index in an actor label ("test" 0, "test2" 2) of an actor `name` with
// `bound` instances (0: one, unnumbered); nullopt if `label` is not one.
std::optional<std::uint8_t> labelIndex(const std::string& label, const std::string& name, std::size_t bound);
// The fsync whose result a fix review is about: the first reopen (or healed)
// fsync among `fields`, else the last fsync.
std::string keyOutcome(const std::vector<std::string>& fields);

}  // namespace fsync_err
}  // namespace fsrace::model
