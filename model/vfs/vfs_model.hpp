// The VFS alone: a journal-less filesystem whose fsync is
// generic_file_fsync (ext2's: write back and wait, sync the inode, check the
// mapping's error) under fstests' fsync-err, with background writeback and
// the device-mapper table. Two versions of how the VFS reports a writeback
// error to fsync: errseq_t (Linux 4.13 and later: every open file sees each
// error once) and the AS_EIO flag (4.12 and before: the first fsync to look
// clears it). docs/model.md says what each step stands for.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "model/common/errseq.hpp"
#include "model/common/fsync_err.hpp"
#include "model/common/test_state.hpp"
#include "model/common/trace_fields.hpp"

namespace fsrace::model::vfs {

enum class Actor : std::uint8_t { Test, Writeback };
enum class Version : std::uint8_t { Both, Errseq, AsEio };

enum class ActionKind : std::uint8_t {
#define FSRACE_ACTION(kind, actor, json, version, kernel, what) kind,
#include "model/vfs/actions.def"
#undef FSRACE_ACTION
};

struct ActionInfo {
  ActionKind kind;
  Actor actor;
  std::string_view name;
  Version version;
  std::string_view kernel;
  std::string_view what;
};

// Every step of either version, in actions.def order.
const std::vector<ActionInfo>& allActions();
std::string_view actorName(Actor actor);

struct Process {
  std::uint16_t pc;         // index of the current operation
  std::uint16_t failed_op;  // 1 + index of the operation whose check failed, or 0
  std::uint8_t step;        // inside an fsync: offset of its next step from write_and_wait_range
  std::uint8_t ret_meta;    // errno of sync_inode_metadata
};

namespace inodebits {
inline constexpr std::uint8_t kPagesDirty = 0x01;
inline constexpr std::uint8_t kWbInFlight = 0x02;
inline constexpr std::uint8_t kWbIoFailed = 0x04;
inline constexpr std::uint8_t kDirtySync = 0x08;  // VFS I_DIRTY_SYNC
inline constexpr std::uint8_t kAsEio = 0x10;      // AS_EIO (and PG_error) on the mapping
inline constexpr std::uint8_t kBufferDirty = 0x20;  // the inode table block's buffer awaits writeback
}  // namespace inodebits

struct Inode {
  errseq_t wb_err;  // mapping->wb_err (errseq version)
  std::uint8_t flags;
  std::uint8_t unused;  // always 0: keeps the struct free of padding
};

struct State {
  std::array<Process, kMaxProcesses> proc;
  std::array<Inode, kMaxInodes> inode;
  std::array<errseq_t, kMaxFds> f_wb_err;  // process p's fd i is slot p * fds + i
  std::array<std::uint8_t, kMaxFds> fd_flags;
  Results results;
  std::uint8_t table;               // DmTable
  std::uint8_t error_table_hit;     // some I/O was submitted to the error table
  std::uint8_t bdev_as_eio;         // AS_EIO on the block device's mapping (4.12)
  std::uint8_t bdev_error;          // some inode table write failed (an error only the block device keeps)
};

static_assert(std::has_unique_object_representations_v<State>, "State must have no padding");

// `who` is the process of a test step and the inode of a writeback step.
using Action = Step<ActionKind, Actor>;

// Variable groups, for partial-order reduction (checker::Property::reads and
// VfsModel::localStep): a bit each.
// The test's groups are model::vars (model/common/test_state.hpp).
namespace vars {
using namespace model::vars;
inline constexpr std::uint64_t kDevice = 1u << kFirstModelGroup;  // dm table, the block device's error state, error_table_hit
}  // namespace vars

struct Options {
  Version version = Version::Errseq;
  // Writeback may run in the background (the flusher), not only inside fsync.
  bool background_writeback = true;
};

class VfsModel {
 public:
  using State = vfs::State;
  using Action = vfs::Action;
  static constexpr std::size_t kActorBound = kMaxProcesses + kMaxInodes;

  VfsModel(Program program, Options options);

  State initialState() const;
  void actions(const State& s, std::vector<Action>& sink) const;
  State apply(const State& s, const Action& a) const;
  bool isTerminal(const State& s) const { return allFinished(program_, s); }

  // The steps of this version: its action table, indexed by actionKindIndex.
  const std::vector<ActionInfo>& actionTable() const { return table_; }
  std::size_t actionKindCount() const { return table_.size(); }
  std::size_t actionKindIndex(const Action& a) const { return index_[static_cast<std::size_t>(a.kind)]; }
  std::size_t actorIndex(const Action& a) const { return a.actor == Actor::Test ? a.who : kMaxProcesses + a.who; }
  std::string actorLabel(const Action& a) const;
  std::optional<Action> parseStep(const std::string& actor, std::size_t kind) const;
  // Why step `kind` cannot occur in this program at all ("" if it can).
  std::string absentFromScenario(std::size_t kind) const;

  std::size_t symmetries() const { return permutations_.size(); }
  // Partial-order reduction (fsrace check --por): see checker::ReducibleModel
  // and the definition for the argument.
  std::optional<std::uint64_t> localStep(const State& s, const Action& a) const;
  State permute(const State& s, std::size_t g) const;

  std::vector<std::string> outcomeFields() const { return fsync_err::outcomeFields(program_); }
  std::vector<std::string> outcome(const State& s) const;
  std::size_t outcomeIndex(std::size_t p, std::size_t op) const { return fsync_err::outcomeIndex(program_, p, op); }
  std::size_t resultIndex(std::size_t p) const { return fsync_err::resultIndex(program_, p); }
  bool passes(const State& s) const;

  Fields fields(const State& s) const;
  std::vector<FieldChange> diff(const State& before, const State& after) const;
  std::string context(const State& before, const Action& a) const;

  const Program& program() const { return program_; }
  const Options& options() const { return options_; }
  std::size_t inodeOf(std::size_t p) const { return p % program_.inodes; }
  std::size_t fdSlot(std::size_t p, std::size_t fd) const { return p * program_.fds + fd; }
  std::size_t resultSlot(std::size_t p, std::size_t slot) const { return p * fsyncs_ + slot; }

  static Ret result(const State& s, std::size_t slot) { return resultAt(s.results, slot); }
  static unsigned fdReports(const State& s, std::size_t fd) { return fdbits::reports(s.fd_flags[fd]); }
  static unsigned fdClosedReports(const State& s, std::size_t fd) { return fdbits::closedReports(s.fd_flags[fd]); }
  static bool fdWasClosed(const State& s, std::size_t fd) { return fdbits::wasClosed(s.fd_flags[fd]); }

 private:
  bool errseq() const { return options_.version == Version::Errseq; }
  ActionKind fsyncStepKind(std::size_t step) const { return fsync_steps_[step]; }
  void testActions(const State& s, std::size_t p, std::vector<Action>& sink) const;
  bool isQuiescent(const State& s) const;
  bool testWaitsForWriteback(const State& s, std::size_t inode) const;
  bool ownsInode(const State& s, std::size_t p) const;
  void applyTest(State& s, std::size_t p, ActionKind kind) const;
  void applyFsync(State& s, std::size_t p, ActionKind kind) const;
  void finishFsync(State& s, std::size_t p, int err) const;

  Program program_;
  Options options_;
  std::size_t fsyncs_ = 0;
  std::vector<ActionInfo> table_;
  std::vector<std::size_t> index_;          // ActionKind -> index in table_
  std::vector<ActionKind> fsync_steps_;     // this version's fsync steps, in order
  std::vector<std::array<std::uint8_t, kMaxProcesses>> permutations_;
};

}  // namespace fsrace::model::vfs
