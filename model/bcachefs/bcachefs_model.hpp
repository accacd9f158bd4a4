// The bcachefs fsync path of early 2023 (bcachefs-tools 1b2d60826, Feb 2023)
// as a transition system: the fstests fsync-err program, page-cache writeback,
// journal writes, journal reclaim and emergency read-only, with each kernel
// function split where another actor can run in between. docs/model.md is the
// fidelity table; actions.def names the kernel function of every step.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/common/errseq.hpp"
#include "model/common/fsync_err.hpp"
#include "model/common/test_state.hpp"
#include "model/common/trace_fields.hpp"

namespace fsrace::model {

enum class Actor : std::uint8_t { Test, Writeback, Journal, Reclaim, ReadOnlyWork, Any };
inline constexpr std::size_t kActorCount = 5;  // Any is only a column of actions.def

enum class ActionKind : std::uint8_t {
#define FSRACE_ACTION(kind, actor, json, kernel, what, fix) kind,
#include "model/bcachefs/actions.def"
#undef FSRACE_ACTION
};

inline constexpr std::size_t kActionKindCount = 0
#define FSRACE_ACTION(kind, actor, json, kernel, what, fix) +1
#include "model/bcachefs/actions.def"
#undef FSRACE_ACTION
    ;
static_assert(kActionKindCount <= 64, "hasPointFix keeps one bit per action kind");

enum class Fix : std::uint8_t {
#define FSRACE_FIX(kind, json, what, origin) kind,
#include "model/bcachefs/fixes.def"
#undef FSRACE_FIX
};

struct ActionInfo {
  ActionKind kind;
  Actor actor;
  std::string_view name;
  std::string_view kernel;
  std::string_view what;
  std::string_view fix;
  std::string_view point;  // a hook step: the fix point it stands at
};

// What a fix written as "at point P, when C holds, fail with errno E" may
// test: a condition on the state, read atomically by the hook step.
enum class Condition : std::uint8_t { Always, FsShutDown, JournalHalted, WritesKilled, JournalError };

struct ConditionInfo {
  Condition condition;
  std::string_view name;
  std::string_view what;
};

// "At the hook step `point`, when `when` holds, fail with `err`."
struct PointFix {
  ActionKind point;
  Condition when;
  int err;  // EIO or EROFS: what an fsync result can record
};

struct FixInfo {
  Fix fix;
  std::string_view name;
  std::string_view what;
  std::string_view origin;
  std::optional<PointFix> point;  // a FSRACE_POINT_FIX: what it does, without code
};

const std::vector<ActionInfo>& actionTable();
const std::vector<FixInfo>& fixTable();
const std::vector<ConditionInfo>& conditionTable();
std::string_view actorName(Actor actor);
// "test", "test2", "writeback1", "journal", ...: the actor and its process
// (test) or inode (writeback); nullopt for anything else.
std::optional<std::pair<Actor, std::uint8_t>> parseActorLabel(const std::string& label);

// Where the test process is inside one fsync(2): its next step, as the
// offset from the first fsync step in actions.def, which lists them
// together in the order an fsync takes them.
inline constexpr ActionKind kFirstFsyncStep = ActionKind::FsyncEntryHook;
inline constexpr ActionKind kLastFsyncStep = ActionKind::JournalFlushSeqAsync;
constexpr bool isFsyncStep(ActionKind kind) { return kind >= kFirstFsyncStep && kind <= kLastFsyncStep; }
constexpr std::uint8_t fsyncStep(ActionKind kind) {
  return static_cast<std::uint8_t>(static_cast<std::uint8_t>(kind) - static_cast<std::uint8_t>(kFirstFsyncStep));
}
constexpr ActionKind fsyncAction(std::uint8_t step) {
  return static_cast<ActionKind>(static_cast<std::uint8_t>(kFirstFsyncStep) + step);
}

// Where an actor is on the fatal-error path (bch2_fatal_error).
enum class FatalStep : std::uint8_t { None = 0, EmergencyReadOnly, Halt, ErrSeq };

// The halted journal's last entry and its noflush write (halted_entry_written).
enum NoflushBit : std::uint8_t {
  kHaltedEntryDirty = 1,  // the entry the halt closed holds keys and is not written yet
  kWriteNoflush = 2,      // the write in flight is a noflush write: success does not flush
};

// Sticky observations, for witness properties.
enum SeenBit : std::uint8_t {
  kSeenIoError = 1,        // some I/O hit the error table
  kSeenCommitErofs = 2,    // a write_inode commit failed with EROFS
};

inline constexpr std::uint8_t kMaxPins = 3;

// One test process: a copy of the spec's program, and where it is inside
// fsync(2). Processes share the file(s), the journal and the dm table.
struct Process {
  std::uint16_t pc;         // index of the current operation
  std::uint16_t failed_op;  // 1 + index of the operation whose check failed, or 0
  std::uint8_t step;        // inside an fsync: fsyncStep() of its next step
  std::uint8_t ret_wb;      // errno from file_write_and_wait_range
  std::uint8_t ret_meta;    // errno from sync_inode_metadata (the commit)
  std::uint8_t flush_seq;   // bi_journal_seq read by bch2_flush_inode
  std::uint8_t res_seq;     // the commit's journal reservation
  std::uint8_t key_seq;     // bi_journal_seq in the key being committed
};

// One file: its bcachefs inode, VFS inode flags, page cache and mapping.
struct Inode {
  errseq_t wb_err;              // mapping->wb_err
  std::uint8_t bi_journal_seq;  // in the btree / key cache
  std::uint8_t i_dirty_sync;    // VFS I_DIRTY_SYNC
  std::uint8_t pages_dirty;
  std::uint8_t wb_in_flight;
  std::uint8_t wb_io_failed;
  std::uint8_t update_lock;     // ei_update_lock: 1 + the process holding it, or 0
};

struct State {
  std::array<Process, kMaxProcesses> proc;
  std::array<Inode, kMaxInodes> inode;
  // Each open file's errseq sample and flags; process p's fd i is slot p * fds + i.
  std::array<errseq_t, kMaxFds> f_wb_err;
  std::array<std::uint8_t, kMaxFds> fd_flags;
  Results results;  // Ret per fsync, 2 bits each
  // Btree write lock on the inodes btree leaf: 1 + the process holding it, or 0.
  std::uint8_t btree_write_locked;
  // The journal.
  std::uint8_t cur_seq;            // journal_cur_seq
  std::uint8_t entry_open;         // the current entry accepts reservations
  std::uint8_t entry_dirty;        // the current entry holds keys to write
  std::uint8_t res_held;           // reservations on the current entry outstanding
  std::uint8_t write_in_flight;
  std::uint8_t write_seq;
  std::uint8_t write_failed;
  std::uint8_t flushed_seq_ondisk;
  std::uint8_t err_seq;            // 0: no error
  std::uint8_t halted;             // bch2_journal_error() != 0
  std::uint8_t journal_fatal;      // FatalStep of the journal-write completion
  // Journal reclaim.
  std::uint8_t dirty_pins;         // dirty key-cache entries (all pins, unless split_reclaim) pinning the journal
  std::uint8_t node_pins;          // split_reclaim: dirty btree nodes pinning the journal
  std::uint8_t noflush;            // halted_entry_written: NoflushBit
  std::uint8_t reclaim_fatal;      // FatalStep of reclaim
  // Filesystem.
  std::uint8_t emergency_ro;       // BCH_FS_EMERGENCY_RO
  std::uint8_t ro_work_queued;
  std::uint8_t writes_killed;      // c->writes killed by the read-only work
  std::uint8_t table;              // DmTable
  std::uint8_t seen;               // SeenBit
  std::uint8_t error_table_loaded; // the error table has been loaded at least once
};

static_assert(std::has_unique_object_representations_v<State>, "State must have no padding");

// `who` is the process of a test step and the inode of a writeback step.
using Action = Step<ActionKind, Actor>;

// Variable groups, for partial-order reduction (checker::Property::reads and
// BcachefsModel::localStep): a bit each.
// The test's groups (kProcessLocals: ret_wb, ret_meta, flush/res/key seqs)
// are in model/common/test_state.hpp.
namespace vars {
inline constexpr std::uint64_t kLocks = 1u << kFirstModelGroup;  // btree write lock
inline constexpr std::uint64_t kJournal = 1u << (kFirstModelGroup + 1);  // journal, reclaim, pins
inline constexpr std::uint64_t kFs = 1u << (kFirstModelGroup + 2);       // emergency_ro, read-only work, c->writes
inline constexpr std::uint64_t kTable = 1u << (kFirstModelGroup + 3);    // dm table, error_table_loaded
inline constexpr std::uint64_t kSeen = 1u << (kFirstModelGroup + 4);     // sticky observations
}  // namespace vars

// Which upstream code the model stands for (docs/model.md): the commit the
// 2023 model was read at, or the one of December 2024, where upstream's
// changes to fsync since the report are code, not fixes.
enum class Version : std::uint8_t { Y2023, Y2024 };

struct ModelOptions {
  Version version = Version::Y2023;
  // Page-cache writeback may run in the background (the flusher), not only
  // inside fsync's file_write_and_wait_range.
  bool background_writeback = true;
  // Journal reclaim may flush pins while the working table is still loaded
  // before the first switch to the error table. false: reclaim is still
  // behind when the table switches (the timing the report observed).
  bool reclaim_before_switch = true;
  // The flusher also writes dirty inodes (->write_inode), not only pages.
  bool flusher_writes_inode = false;
  // Journal reclaim in two steps: the key-cache flush (a commit without I/O
  // that journals the key again and leaves a dirty btree node) and the node
  // write. false: one step per pin, the node write.
  bool split_reclaim = false;
  // The entry the halt closes is written (noflush) once its reservations
  // are released, as the kernel does; false: it is dropped.
  bool halted_entry_written = false;
  // 2023: the journal is short of space, so the commit's pre-reservation
  // takes its slow path, which fails with EIO on a halted journal (the fast
  // path does not look at the halt).
  bool journal_pressure = false;
};

class BcachefsModel {
 public:
  using State = model::State;
  using Action = model::Action;

  // `point_fixes`: fixes written as "at P when C fail with E" in a spec, on
  // top of the FSRACE_POINT_FIX entries among `fixes`.
  BcachefsModel(Program program, std::vector<Fix> fixes, ModelOptions options, std::vector<PointFix> point_fixes = {});

  State initialState() const;
  void actions(const State& s, std::vector<Action>& sink) const;
  State apply(const State& s, const Action& a) const;
  bool isTerminal(const State& s) const { return allFinished(program_, s); }

  std::size_t actionKindCount() const { return actionTable().size(); }
  std::size_t actionKindIndex(const Action& a) const { return static_cast<std::size_t>(a.kind); }
  // Test processes first, then one writeback per inode, then the rest.
  std::size_t actorIndex(const Action& a) const {
    switch (a.actor) {
      case Actor::Test: return a.who;
      case Actor::Writeback: return kMaxProcesses + a.who;
      case Actor::Journal:
      case Actor::Reclaim:
      case Actor::ReadOnlyWork:
      case Actor::Any: break;
    }
    return kMaxProcesses + kMaxInodes + static_cast<std::size_t>(a.actor);
  }
  // Every actorIndex is below this.
  static constexpr std::size_t kActorBound = kMaxProcesses + kMaxInodes + kActorCount;
  // "test", "test1", ...: the actor column of a trace.
  std::string actorLabel(const Action& a) const;
  // The step a trace records as `actor` taking the action of actionTable()[kind]; nullopt if no such actor.
  std::optional<Action> parseStep(const std::string& actor, std::size_t kind) const;
  // Whether every process of a terminal state printed "Test passed!".
  bool passes(const State& s) const;

  // Symmetry (fsrace check --symmetry): the permutations of the processes
  // that map the program onto itself (every process runs the same program;
  // with several inodes, process p's file is p % inodes, so the permutation
  // must also permute the files). Index 0 is the identity.
  std::size_t symmetries() const { return permutations_.size(); }
  State permute(const State& s, std::size_t g) const;

  // Partial-order reduction (fsrace check --por): the variable groups `a`
  // writes if it is a local step in s (see checker::ReducibleModel), else
  // nullopt. Only test steps that touch their own process's variables and,
  // when no other actor can reach it first, their own file's inode (see the
  // definition for the argument).
  std::optional<std::uint64_t> localStep(const State& s, const Action& a) const;

  std::vector<std::string> outcomeFields() const;
  std::vector<std::string> outcome(const State& s) const;
  // Positions in outcomeFields(): process p's result of fsync op `op`, and its printed result.
  std::size_t outcomeIndex(std::size_t p, std::size_t op) const;
  std::size_t resultIndex(std::size_t p) const;

  // For traces: every named field of a state, and what an action changed.
  Fields fields(const State& s) const;
  std::vector<FieldChange> diff(const State& before, const State& after) const;
  // The test operation a step belongs to, e.g. "fsync(fd[0]) reopen_fsync[0]".
  std::string context(const State& before, const Action& a) const;
  // The fields (as fields() names them) whose values in `before` decide
  // what step `a` does: its guard, the branch it takes, the values it
  // writes. Traces show the chain of writes the deciding reads depend on.
  std::vector<std::string> reads(const State& before, const Action& a) const;

  const Program& program() const { return program_; }
  const std::vector<Fix>& fixes() const { return fixes_; }
  const ModelOptions& options() const { return options_; }
  // Upstream's fsync changes since the report: code in the 2024 version,
  // fixes on the 2023 one.
  bool stopsAtFirstError() const { return options_.version == Version::Y2024 || hasFix(Fix::FsyncReturnsFirstError); }
  bool flushTakesWriteRef() const { return options_.version == Version::Y2024 || hasFix(Fix::FlushInodeTakesWriteRef); }
  bool mapsErofsToEio() const { return options_.version == Version::Y2024 || hasFix(Fix::FsyncMapsErofsToEio); }
  // The flusher runs (background_writeback) and writes dirty inodes too.
  bool flusherWritesInodes() const { return options_.background_writeback && options_.flusher_writes_inode; }
  // Why step `kind` cannot occur with these options, or "" (coverage).
  std::string absentFromScenario(std::size_t kind) const;
  bool hasFix(Fix fix) const { return (fix_mask_ >> static_cast<unsigned>(fix)) & 1u; }
  // Whether some point fix stands at the hook step `point` (asked at every
  // fsync step of every state explored: a bit, not a search).
  bool hasPointFix(ActionKind point) const { return (hook_mask_ >> static_cast<unsigned>(point)) & 1u; }
  // The step an fsync takes next: the one proc.step names, past a hook no fix stands at.
  ActionKind nextFsyncStep(const Process& proc) const;
  std::size_t inodeOf(std::size_t p) const { return p % program_.inodes; }
  // The state's slot for process p's fd, and for its fsync result `slot`.
  std::size_t fdSlot(std::size_t p, std::size_t fd) const { return p * program_.fds + fd; }
  std::size_t resultSlot(std::size_t p, std::size_t slot) const { return p * fsyncs_ + slot; }
  // Fsyncs in the program (per process).
  std::size_t fsyncs() const { return fsyncs_; }

  static Ret result(const State& s, std::size_t slot) { return resultAt(s.results, slot); }
  static unsigned fdReports(const State& s, std::size_t fd) { return fdbits::reports(s.fd_flags[fd]); }
  static unsigned fdClosedReports(const State& s, std::size_t fd) { return fdbits::closedReports(s.fd_flags[fd]); }
  static bool fdOpen(const State& s, std::size_t fd) { return fdbits::isOpen(s.fd_flags[fd]); }
  static bool fdWasClosed(const State& s, std::size_t fd) { return fdbits::wasClosed(s.fd_flags[fd]); }

 private:
  void insertSettles();
  void buildPermutations();
  void testActions(const State& s, std::size_t p, std::vector<Action>& sink) const;
  void applyTest(State& s, std::size_t p, ActionKind kind) const;
  void applyBarrier(State& s, std::size_t p, ActionKind kind) const;
  void applyFsync(State& s, std::size_t p, ActionKind kind) const;
  void finishCommit(State& s, std::size_t p, int err) const;
  void afterMetadata(State& s, std::size_t p) const;
  void finishFsync(State& s, std::size_t p, int flush_err) const;
  void endProcess(State& s, std::size_t p) const;
  bool isQuiescent(const State& s) const;
  bool isFlushDecided(const State& s, const Process& proc) const;
  bool isFlushStranded(const State& s, const Process& proc) const;
  bool isFsyncStepEnabled(const State& s, const Process& proc, const Inode& inode, ActionKind next) const;
  bool testWaitsForWriteback(const State& s, std::size_t inode) const;
  bool ownsInode(const State& s, std::size_t p) const;
  // The errno of the first point fix at `point` whose condition holds in s, or 0.
  int pointFailure(const State& s, ActionKind point) const;
  ActionKind afterReservation() const;
  void dropReservation(State& s, std::size_t p, int err) const;
  void haltJournal(State& s) const;
  std::string processPrefix(std::size_t p) const;

  Program program_;
  std::vector<Fix> fixes_;
  std::uint32_t fix_mask_ = 0;
  std::vector<PointFix> point_fixes_;
  std::uint64_t hook_mask_ = 0;  // the hook steps some point fix stands at
  ModelOptions options_;
  std::size_t fsyncs_ = 0;
  std::vector<std::array<std::uint8_t, kMaxProcesses>> permutations_;
};

}  // namespace fsrace::model
