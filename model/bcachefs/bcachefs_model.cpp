// Guards and effects of the model's steps. Each case names its kernel
// function in actions.def; docs/model.md says what each one abstracts.
#include "model/bcachefs/bcachefs_model.hpp"

#include <algorithm>
#include <cassert>
#include <cerrno>

namespace fsrace::model {
namespace {

constexpr int kEio = EIO;
constexpr int kErofs = EROFS;

// Opens a new journal entry if none is open (journal_entry_open), as a
// reservation does. The caller has checked that the journal is not halted.
void openEntryIfNeeded(State& s) {
  assert(!s.halted && "journal entry opened on a halted journal");
  if (s.entry_open) return;
  assert(s.cur_seq < 250 && "journal sequence numbers exhausted: program too long");
  ++s.cur_seq;
  s.entry_open = 1;
  s.entry_dirty = 0;
}

// An atomic inode commit (bch2_setattr / bch2_create on open, the extent
// update of a data write): reserve, run the inode trigger, insert, release.
// The caller has checked that no process holds the btree write lock.
void commitInodeAtomically(State& s, Inode& inode) {
  openEntryIfNeeded(s);
  inode.bi_journal_seq = s.cur_seq;
  s.entry_dirty = 1;
  if (s.dirty_pins < kMaxPins) ++s.dirty_pins;
}

void addNodePin(State& s) {
  if (s.node_pins < kMaxPins) ++s.node_pins;
}

bool commitsRefused(const State& s) { return s.writes_killed || s.halted; }

std::uint8_t& fatalStepOf(State& s, Actor actor) {
  assert((actor == Actor::Journal || actor == Actor::Reclaim) && "fatal path of an unexpected actor");
  return actor == Actor::Journal ? s.journal_fatal : s.reclaim_fatal;
}

std::uint8_t holderOf(std::size_t p) { return static_cast<std::uint8_t>(p + 1); }

[[maybe_unused]] bool isBarrier(OpKind kind) { return kind == OpKind::SwitchTable || kind == OpKind::Settle; }

}  // namespace

BcachefsModel::BcachefsModel(Program program, std::vector<Fix> fixes, ModelOptions options, std::vector<PointFix> point_fixes)
    : program_(std::move(program)), fixes_(std::move(fixes)), options_(options) {
  assert(program_.ops.size() < kMaxOps && "program too long for the program counter");
  assert(program_.fds <= kMaxFds && "too many fds");
  assert(program_.processes >= 1 && program_.processes <= kMaxProcesses && "process count out of range");
  assert(program_.inodes >= 1 && program_.inodes <= program_.processes && "inode count out of range");
  assert(std::size_t{program_.fds} * program_.processes <= kMaxFds && "too many fds over all processes");
  for (Fix fix : fixes_) fix_mask_ |= 1u << static_cast<unsigned>(fix);
  // Point fixes at one point run in a fixed order, whatever the order they
  // were asked for in: the built-in ones in fixes.def order, then the spec's.
  for (const auto& info : fixTable())
    if (info.point && hasFix(info.fix)) point_fixes_.push_back(*info.point);
  point_fixes_.insert(point_fixes_.end(), point_fixes.begin(), point_fixes.end());
  for (const PointFix& f : point_fixes_) hook_mask_ |= std::uint64_t{1} << static_cast<unsigned>(f.point);
  if (hasFix(Fix::SettleAfterTableSwitch) || hasFix(Fix::SettleBeforeTableSwitch)) insertSettles();
  for (const Op& op : program_.ops) fsyncs_ += op.kind == OpKind::Fsync;
  assert(fsyncs_ * program_.processes <= kMaxResults && "too many fsync results over all processes");
  buildPermutations();
}

void BcachefsModel::buildPermutations() { permutations_ = fsync_err::processPermutations(program_); }

State BcachefsModel::permute(const State& s, std::size_t g) const {
  const auto& sigma = permutations_[g];
  State t = s;
  auto remap = [&](std::uint8_t holder) { return holder ? holderOf(sigma[holder - 1U]) : holder; };
  for (std::size_t p = 0; p < program_.processes; ++p) {
    std::size_t q = sigma[p];
    t.proc[q] = s.proc[p];
    t.inode[inodeOf(q)] = s.inode[inodeOf(p)];
    t.inode[inodeOf(q)].update_lock = remap(s.inode[inodeOf(p)].update_lock);
    for (std::size_t fd = 0; fd < program_.fds; ++fd) {
      t.f_wb_err[fdSlot(q, fd)] = s.f_wb_err[fdSlot(p, fd)];
      t.fd_flags[fdSlot(q, fd)] = s.fd_flags[fdSlot(p, fd)];
    }
    for (std::size_t k = 0; k < fsyncs_; ++k) setResultAt(t.results, resultSlot(q, k), result(s, resultSlot(p, k)));
  }
  t.btree_write_locked = remap(s.btree_write_locked);
  return t;
}

// Fixes settle_after_table_switch and settle_before_table_switch: the test
// waits for quiescence after (the report's "artificial delay after the
// dm-table switchover") or before every dm table switch.
void BcachefsModel::insertSettles() {
  Op settle;
  settle.kind = OpKind::Settle;
  std::vector<Op> ops;
  for (const Op& op : program_.ops) {
    bool is_switch = op.kind == OpKind::SwitchTable;
    if (is_switch && hasFix(Fix::SettleBeforeTableSwitch)) ops.push_back(settle);
    ops.push_back(op);
    if (is_switch && hasFix(Fix::SettleAfterTableSwitch)) ops.push_back(settle);
  }
  program_.ops = std::move(ops);
  assert(program_.ops.size() < kMaxOps && "program too long for the program counter");
}

State BcachefsModel::initialState() const {
  State s{};
  s.cur_seq = 1;
  s.flushed_seq_ondisk = 1;  // the mount's journal entries are on disk
  s.table = static_cast<std::uint8_t>(DmTable::Working);
  return s;
}

// A process inside fsync's file_write_and_wait_range on this inode makes its
// writeback run even without the background flusher.
bool BcachefsModel::testWaitsForWriteback(const State& s, std::size_t inode) const {
  for (std::size_t p = 0; p < program_.processes; ++p) {
    const Process& proc = s.proc[p];
    if (proc.pc >= program_.ops.size() || inodeOf(p) != inode) continue;
    if (program_.ops[proc.pc].kind == OpKind::Fsync && nextFsyncStep(proc) == ActionKind::FileWriteAndWait)
      return true;
  }
  return false;
}

// The test-side settle waits for every background actor to be idle.
bool BcachefsModel::isQuiescent(const State& s) const {
  for (std::size_t i = 0; i < program_.inodes; ++i)
    if (s.inode[i].pages_dirty || s.inode[i].wb_in_flight) return false;
  bool journal_idle = (s.halted || !(s.entry_open && s.entry_dirty)) && !(s.noflush & kHaltedEntryDirty);
  bool reclaim_idle = s.halted || (s.dirty_pins == 0 && s.node_pins == 0);
  return !s.write_in_flight && journal_idle && reclaim_idle && s.journal_fatal == 0 && s.reclaim_fatal == 0 &&
         !s.ro_work_queued;
}

// The condition bch2_journal_flush_seq waits on (bch2_journal_flush_seq_async
// returning non-zero): an error at or below seq, or seq flushed.
bool BcachefsModel::isFlushDecided(const State& s, const Process& proc) const {
  if (hasFix(Fix::FlushReportsJournalError) && s.halted) return true;
  bool failed = s.err_seq != 0 && proc.flush_seq >= s.err_seq;
  return failed || proc.flush_seq <= s.flushed_seq_ondisk || isFlushStranded(s, proc);
}

// 2024: once halted, flushed_seq_ondisk no longer moves, so a seq below
// err_seq that is not flushed and has no write in flight that could still
// fail at or below it is never flushed: bch2_journal_flush_seq_async moves
// on to a new entry and its reservation fails with EROFS. (In 2023 a
// written entry always counts as flushed, so this cannot happen there.)
bool BcachefsModel::isFlushStranded(const State& s, const Process& proc) const {
  if (options_.version != Version::Y2024 || !s.halted) return false;
  return !(s.write_in_flight && s.write_seq <= proc.flush_seq);
}

void BcachefsModel::actions(const State& s, std::vector<Action>& sink) const {
  for (std::size_t p = 0; p < program_.processes; ++p) testActions(s, p, sink);
  for (std::size_t i = 0; i < program_.inodes; ++i) {
    const Inode& inode = s.inode[i];
    auto who = static_cast<std::uint8_t>(i);
    if (inode.pages_dirty && !inode.wb_in_flight && (options_.background_writeback || testWaitsForWriteback(s, i)))
      sink.push_back({ActionKind::Writepages, Actor::Writeback, who});
    // A successful write's index update takes the btree write lock; a failed
    // one, or one refused by a read-only fs, does not get that far.
    if (inode.wb_in_flight && (inode.wb_io_failed || commitsRefused(s) || !s.btree_write_locked))
      sink.push_back({ActionKind::WriteIndexUpdate, Actor::Writeback, who});
    // The flusher's ->write_inode: not while an fsync holds ei_update_lock
    // (which it takes after clearing I_DIRTY_SYNC, so the inode is clean
    // then anyway); its commit waits for the btree write lock.
    if (flusherWritesInodes() && inode.i_dirty_sync && !inode.update_lock && (commitsRefused(s) || !s.btree_write_locked))
      sink.push_back({ActionKind::WritebackInode, Actor::Writeback, who});
  }

  switch (static_cast<FatalStep>(s.journal_fatal)) {
    case FatalStep::None:
      if (s.entry_open && s.entry_dirty && !s.res_held && !s.write_in_flight && !s.halted)
        sink.push_back({ActionKind::JournalWrite, Actor::Journal});
      // The halted entry goes out once its last reservation is put.
      if ((s.noflush & kHaltedEntryDirty) && !s.res_held && !s.write_in_flight)
        sink.push_back({ActionKind::JournalWrite, Actor::Journal});
      if (s.write_in_flight) sink.push_back({ActionKind::JournalWriteDone, Actor::Journal});
      break;
    case FatalStep::EmergencyReadOnly: sink.push_back({ActionKind::FsEmergencyReadOnly, Actor::Journal}); break;
    case FatalStep::Halt: sink.push_back({ActionKind::JournalHalt, Actor::Journal}); break;
    case FatalStep::ErrSeq: sink.push_back({ActionKind::JournalWriteDoneErrSeq, Actor::Journal}); break;
  }

  switch (static_cast<FatalStep>(s.reclaim_fatal)) {
    case FatalStep::None: {
      if (s.halted || !(options_.reclaim_before_switch || s.error_table_loaded)) break;
      if (!options_.split_reclaim) {
        if (s.dirty_pins > 0) sink.push_back({ActionKind::JournalReclaim, Actor::Reclaim});
        break;
      }
      // The key-cache flush commits under the leaf's write lock, so it waits
      // for a commit that holds it (and the other way round).
      if (s.dirty_pins > 0 && !s.btree_write_locked) sink.push_back({ActionKind::JournalReclaimKeyCache, Actor::Reclaim});
      if (s.node_pins > 0) sink.push_back({ActionKind::JournalReclaim, Actor::Reclaim});
      break;
    }
    case FatalStep::EmergencyReadOnly: sink.push_back({ActionKind::FsEmergencyReadOnly, Actor::Reclaim}); break;
    case FatalStep::Halt: sink.push_back({ActionKind::JournalHalt, Actor::Reclaim}); break;
    case FatalStep::ErrSeq: assert(false && "reclaim has no err_seq step"); break;
  }

  if (s.ro_work_queued) sink.push_back({ActionKind::FsReadOnlyWork, Actor::ReadOnlyWork});
}

void BcachefsModel::testActions(const State& s, std::size_t p, std::vector<Action>& sink) const {
  const Process& proc = s.proc[p];
  if (proc.pc >= program_.ops.size()) return;
  const Op& op = program_.ops[proc.pc];
  const Inode& inode = s.inode[inodeOf(p)];
  auto add = [&](ActionKind kind) { sink.push_back({kind, Actor::Test, static_cast<std::uint8_t>(p)}); };
  switch (op.kind) {
    case OpKind::Open:
      if (!op.commits_inode || commitsRefused(s) || !s.btree_write_locked) add(ActionKind::Open);
      return;
    case OpKind::Write: add(ActionKind::Write); return;
    case OpKind::SwitchTable:
      if (isBarrierTaker(program_, s, p)) add(ActionKind::SwitchTable);
      return;
    case OpKind::Close: add(ActionKind::Close); return;
    case OpKind::Settle:
      if (isBarrierTaker(program_, s, p) && isQuiescent(s)) add(ActionKind::Settle);
      return;
    case OpKind::Fsync: break;
  }
  ActionKind next = nextFsyncStep(proc);
  assert(isFsyncStep(next) && "a process inside an fsync is at an fsync step");
  if (isFsyncStepEnabled(s, proc, inode, next)) add(next);
}

// The fsync steps that wait: for writeback, for ei_update_lock, for the
// btree write lock, for the journal flush to be decided.
bool BcachefsModel::isFsyncStepEnabled(const State& s, const Process& proc, const Inode& inode, ActionKind next) const {
  if (next == ActionKind::FileWriteAndWait) return !inode.pages_dirty && !inode.wb_in_flight;
  if (next == ActionKind::SyncInodeMetadata) return !inode.i_dirty_sync || !inode.update_lock;
  if (next == ActionKind::TransLockWrite) return !s.btree_write_locked;
  if (next == ActionKind::JournalFlushSeqAsync) return isFlushDecided(s, proc);
  return true;
}

State BcachefsModel::apply(const State& before, const Action& a) const {
  State s = before;
  switch (a.kind) {
    case ActionKind::Open:
    case ActionKind::Write:
    case ActionKind::Close:
      applyTest(s, a.who, a.kind);
      break;
    case ActionKind::SwitchTable:
    case ActionKind::Settle:
      applyBarrier(s, a.who, a.kind);
      break;
    case ActionKind::FsyncEntryHook:
    case ActionKind::FileWriteAndWait:
    case ActionKind::SyncInodeMetadata:
    case ActionKind::TransCommitGetRw:
    case ActionKind::TransJournalPreresGet:
    case ActionKind::TransLockWrite:
    case ActionKind::TransJournalResGet:
    case ActionKind::TransJournalErrorRecheck:
    case ActionKind::BeforeMemTriggersHook:
    case ActionKind::RunMemTriggers:
    case ActionKind::BtreeInsertKeyCached:
    case ActionKind::TransUnlockResPut:
    case ActionKind::FlushInodeHook:
    case ActionKind::FlushInodeGetRw:
    case ActionKind::InodeFindByInum:
    case ActionKind::JournalFlushSeq:
    case ActionKind::JournalFlushSeqAsync:
      applyFsync(s, a.who, a.kind);
      break;
    case ActionKind::Writepages: {
      Inode& inode = s.inode[a.who];
      inode.pages_dirty = 0;
      inode.wb_in_flight = 1;
      inode.wb_io_failed = s.table == static_cast<std::uint8_t>(DmTable::Error);
      if (inode.wb_io_failed) s.seen |= kSeenIoError;
      break;
    }
    case ActionKind::WriteIndexUpdate: {
      // A failed data write drops its pointers and skips the index update;
      // bch2_io_error() is a no-op, so data errors do not shut the fs down.
      // A successful write whose index update meets a read-only fs fails too.
      Inode& inode = s.inode[a.who];
      if (inode.wb_io_failed || commitsRefused(s)) {
        // Fix data_write_error_shuts_down: bch2_fatal_error in the
        // completion itself, so the fs is down before fsync's wait returns.
        if (inode.wb_io_failed && hasFix(Fix::DataWriteErrorShutsDown)) {
          s.emergency_ro = 1;
          haltJournal(s);
        }
        inode.wb_err = errseqSet(inode.wb_err, kEio);
      } else {
        commitInodeAtomically(s, inode);
        if (options_.split_reclaim) addNodePin(s);  // the extents leaf is not key-cached
      }
      inode.wb_in_flight = 0;
      inode.wb_io_failed = 0;
      break;
    }
    case ActionKind::WritebackInode: {
      // __writeback_single_inode clears I_DIRTY_SYNC before ->write_inode
      // and ignores its error: a refused commit leaves the inode clean.
      Inode& inode = s.inode[a.who];
      inode.i_dirty_sync = 0;
      if (!commitsRefused(s)) commitInodeAtomically(s, inode);
      break;
    }
    case ActionKind::JournalWrite:
      if (s.noflush & kHaltedEntryDirty) {
        // bch2_journal_write picks noflush on a halted journal.
        s.noflush = kWriteNoflush;
      } else {
        s.entry_open = 0;
        s.entry_dirty = 0;
      }
      s.write_in_flight = 1;
      s.write_seq = s.cur_seq;
      s.write_failed = s.table == static_cast<std::uint8_t>(DmTable::Error);
      if (s.write_failed) s.seen |= kSeenIoError;
      break;
    case ActionKind::JournalWriteDone:
      if (s.write_failed) {
        s.journal_fatal = static_cast<std::uint8_t>(FatalStep::EmergencyReadOnly);
        break;
      }
      // Since 2024 a write that completes after an error was recorded no
      // longer counts as flushed (journal_write_done checks err_seq).
      if (!(s.noflush & kWriteNoflush) && (options_.version == Version::Y2023 || s.err_seq == 0))
        s.flushed_seq_ondisk = s.write_seq;
      s.noflush &= static_cast<std::uint8_t>(~kWriteNoflush);  // a halted entry still waits
      s.write_in_flight = 0;
      s.write_seq = 0;
      break;
    case ActionKind::JournalWriteDoneErrSeq:
      if (s.err_seq == 0 || s.write_seq < s.err_seq) s.err_seq = s.write_seq;
      s.write_in_flight = 0;
      s.write_seq = 0;
      s.write_failed = 0;
      s.journal_fatal = 0;
      s.noflush &= static_cast<std::uint8_t>(~kWriteNoflush);
      break;
    case ActionKind::JournalReclaimKeyCache:
      // A commit with NORUN triggers: bi_journal_seq in the key is unchanged.
      // In 2023 it journals the key again, in the open entry; since 2024 it
      // commits without a journal reservation (BCH_TRANS_COMMIT_no_journal_res)
      // and the leaf keeps the key's old pin.
      if (options_.version == Version::Y2023) {
        openEntryIfNeeded(s);
        s.entry_dirty = 1;
      }
      --s.dirty_pins;
      addNodePin(s);
      break;
    case ActionKind::JournalReclaim:
      if (s.table == static_cast<std::uint8_t>(DmTable::Error)) {
        s.seen |= kSeenIoError;
        s.reclaim_fatal = static_cast<std::uint8_t>(FatalStep::EmergencyReadOnly);
      } else if (options_.split_reclaim) {
        --s.node_pins;
      } else {
        --s.dirty_pins;
      }
      break;
    case ActionKind::FsEmergencyReadOnly:
      s.emergency_ro = 1;
      fatalStepOf(s, a.actor) = static_cast<std::uint8_t>(FatalStep::Halt);
      break;
    case ActionKind::JournalHalt:
      haltJournal(s);
      fatalStepOf(s, a.actor) =
          static_cast<std::uint8_t>(a.actor == Actor::Journal ? FatalStep::ErrSeq : FatalStep::None);
      break;
    case ActionKind::FsReadOnlyWork:
      s.writes_killed = 1;
      s.ro_work_queued = 0;
      break;
  }
  return s;
}

void BcachefsModel::applyTest(State& s, std::size_t p, ActionKind kind) const {
  Process& proc = s.proc[p];
  assert(proc.pc < program_.ops.size() && "a test step applied after the process ended (not enabled)");
  const Op& op = program_.ops[proc.pc];
  std::size_t fd = fdSlot(p, op.fd);
  Inode& inode = s.inode[inodeOf(p)];
  switch (kind) {
    case ActionKind::Open:
      s.f_wb_err[fd] = errseqSample(inode.wb_err);
      s.fd_flags[fd] = fdbits::opened(s.fd_flags[fd]);
      if (op.commits_inode) {
        if (commitsRefused(s)) {
          proc.failed_op = static_cast<std::uint16_t>(proc.pc + 1);
          return endProcess(s, p);
        }
        commitInodeAtomically(s, inode);
      }
      break;
    case ActionKind::Write:
      inode.pages_dirty = 1;
      inode.i_dirty_sync = 1;  // file_update_time -> __mark_inode_dirty(I_DIRTY_SYNC)
      break;
    case ActionKind::Close: {
      s.fd_flags[fd] = fdbits::closed(s.fd_flags[fd]);
      s.f_wb_err[fd] = 0;
      break;
    }
    default:
      assert(false && "not a plain test operation");
  }
  ++proc.pc;
}

// A table switch or settle: once, for every running process at once.
void BcachefsModel::applyBarrier(State& s, std::size_t p, ActionKind kind) const {
  std::uint16_t pc = s.proc[p].pc;
  assert(pc < program_.ops.size() && isBarrier(program_.ops[pc].kind) && "a barrier step outside a barrier");
  const Op& op = program_.ops[pc];
  if (kind == ActionKind::SwitchTable) {
    s.table = static_cast<std::uint8_t>(op.table);
    if (op.table == DmTable::Error) s.error_table_loaded = 1;
  }
  passBarrier(program_, s, pc);
}

void BcachefsModel::applyFsync(State& s, std::size_t p, ActionKind kind) const {
  Process& proc = s.proc[p];
  assert(proc.pc < program_.ops.size() && program_.ops[proc.pc].kind == OpKind::Fsync && "an fsync step outside an fsync");
  const Op& op = program_.ops[proc.pc];
  std::size_t fd = fdSlot(p, op.fd);
  Inode& inode = s.inode[inodeOf(p)];
  auto next = [&](ActionKind step) { proc.step = fsyncStep(step); };
  switch (kind) {
    case ActionKind::FsyncEntryHook:
      if (int err = pointFailure(s, kind)) return finishFsync(s, p, err);
      return next(ActionKind::FileWriteAndWait);
    case ActionKind::FileWriteAndWait: {
      ErrseqCheck check = errseqCheckAndAdvance(inode.wb_err, s.f_wb_err[fd]);
      inode.wb_err = check.current;
      s.f_wb_err[fd] = check.since;
      proc.ret_wb = static_cast<std::uint8_t>(check.err);
      if (check.err) s.fd_flags[fd] = fdbits::reported(s.fd_flags[fd]);
      if (check.err && stopsAtFirstError()) return finishFsync(s, p, 0);
      return next(ActionKind::SyncInodeMetadata);
    }
    case ActionKind::SyncInodeMetadata:
      if (!inode.i_dirty_sync) return afterMetadata(s, p);
      inode.i_dirty_sync = 0;  // cleared before ->write_inode, so a failed commit leaves it clean
      inode.update_lock = holderOf(p);  // bch2_vfs_write_inode: mutex_lock(&ei_update_lock)
      return next(ActionKind::TransCommitGetRw);
    case ActionKind::TransCommitGetRw:
      if (s.writes_killed) return finishCommit(s, p, kErofs);
      return next(options_.journal_pressure ? ActionKind::TransJournalPreresGet : ActionKind::TransLockWrite);
    case ActionKind::TransJournalPreresGet:
      if (s.halted) return finishCommit(s, p, kEio);
      return next(ActionKind::TransLockWrite);
    case ActionKind::TransLockWrite:
      s.btree_write_locked = holderOf(p);
      return next(ActionKind::TransJournalResGet);
    case ActionKind::TransJournalResGet:
      if (s.halted) return finishCommit(s, p, kErofs);
      openEntryIfNeeded(s);
      ++s.res_held;
      proc.res_seq = s.cur_seq;
      if (hasFix(Fix::RecheckJournalErrorBeforeTriggers)) return next(ActionKind::TransJournalErrorRecheck);
      return next(afterReservation());
    case ActionKind::TransJournalErrorRecheck:
      if (s.halted) return dropReservation(s, p, kErofs);
      return next(afterReservation());
    case ActionKind::BeforeMemTriggersHook:
      if (int err = pointFailure(s, kind)) return dropReservation(s, p, err);
      return next(ActionKind::RunMemTriggers);
    case ActionKind::RunMemTriggers:
      proc.key_seq = proc.res_seq;  // bch2_mark_inode: bi_journal_seq = trans->journal_res.seq
      return next(ActionKind::BtreeInsertKeyCached);
    case ActionKind::BtreeInsertKeyCached:
      inode.bi_journal_seq = proc.key_seq;
      if (s.entry_open && s.cur_seq == proc.res_seq) s.entry_dirty = 1;
      // A key copied into the entry the halt closed: that entry's write has
      // waited for this reservation.
      if (options_.halted_entry_written && s.halted && s.cur_seq == proc.res_seq) s.noflush |= kHaltedEntryDirty;
      if (s.dirty_pins < kMaxPins) ++s.dirty_pins;
      return next(ActionKind::TransUnlockResPut);
    case ActionKind::TransUnlockResPut:
      --s.res_held;
      proc.res_seq = 0;
      proc.key_seq = 0;
      return finishCommit(s, p, 0);
    case ActionKind::FlushInodeHook:
      if (int err = pointFailure(s, kind)) return finishFsync(s, p, err);
      return next(flushTakesWriteRef() ? ActionKind::FlushInodeGetRw : ActionKind::InodeFindByInum);
    case ActionKind::FlushInodeGetRw:
      if (s.writes_killed) return finishFsync(s, p, kErofs);
      return next(ActionKind::InodeFindByInum);
    case ActionKind::InodeFindByInum:
      proc.flush_seq = inode.bi_journal_seq;
      return next(ActionKind::JournalFlushSeq);
    case ActionKind::JournalFlushSeq:
      if (proc.flush_seq <= s.flushed_seq_ondisk && !(hasFix(Fix::FlushReportsJournalError) && s.halted))
        return finishFsync(s, p, 0);
      return next(ActionKind::JournalFlushSeqAsync);
    case ActionKind::JournalFlushSeqAsync: {
      bool failed = (hasFix(Fix::FlushReportsJournalError) && s.halted) ||
                    (s.err_seq != 0 && proc.flush_seq >= s.err_seq);
      if (failed) return finishFsync(s, p, kEio);
      if (proc.flush_seq <= s.flushed_seq_ondisk) return finishFsync(s, p, 0);
      assert(isFlushStranded(s, proc) && "journal_flush_seq_async taken before the flush was decided");
      return finishFsync(s, p, kErofs);
    }
    default:
      assert(false && "not an fsync step");
  }
}

std::string BcachefsModel::absentFromScenario(std::size_t kind) const {
  switch (static_cast<ActionKind>(kind)) {
    case ActionKind::WritebackInode:
      return flusherWritesInodes() ? "" : "only with background_writeback and flusher_writes_inode: the flusher's inode write";
    case ActionKind::JournalReclaimKeyCache:
      return options_.split_reclaim ? "" : "only with split_reclaim";
    case ActionKind::TransJournalPreresGet:
      if (options_.journal_pressure) return "";
      return options_.version == Version::Y2023 ? "only with journal_pressure" : "the 2024 commit has no journal pre-reservation";
    default:
      return "";
  }
}

ActionKind BcachefsModel::nextFsyncStep(const Process& proc) const {
  ActionKind next = fsyncAction(proc.step);
  // Step 0 is fsync's entry: its hook where a fix stands there, else the first real step.
  if (next == ActionKind::FsyncEntryHook && !hasPointFix(next)) return ActionKind::FileWriteAndWait;
  return next;
}

// The step after the commit's journal reservation (and the proposed recheck).
ActionKind BcachefsModel::afterReservation() const {
  return hasPointFix(ActionKind::BeforeMemTriggersHook) ? ActionKind::BeforeMemTriggersHook : ActionKind::RunMemTriggers;
}

namespace {

bool conditionHolds(const State& s, Condition c) {
  switch (c) {
    case Condition::Always: return true;
    case Condition::FsShutDown: return s.emergency_ro;
    case Condition::JournalHalted: return s.halted;
    case Condition::WritesKilled: return s.writes_killed;
    case Condition::JournalError: return s.err_seq != 0;
  }
  return false;
}

}  // namespace

int BcachefsModel::pointFailure(const State& s, ActionKind point) const {
  for (const PointFix& f : point_fixes_)
    if (f.point == point && conditionHolds(s, f.when)) return f.err;
  return 0;
}

// bch2_journal_halt and bch2_fs_read_only_async.
void BcachefsModel::haltJournal(State& s) const {
  if (!s.halted) {
    s.halted = 1;
    if (options_.halted_entry_written && s.entry_open && s.entry_dirty) s.noflush |= kHaltedEntryDirty;
    s.entry_open = 0;
    // The closed entry is written noflush in the kernel; that write can
    // only lower err_seq to its own seq, which is cur_seq already, and
    // never counts as flushed, so the model drops it unless
    // halted_entry_written asks for it.
    s.entry_dirty = 0;
    if (s.err_seq == 0) s.err_seq = s.cur_seq;
  }
  if (!s.writes_killed) s.ro_work_queued = 1;
}

// A check between the reservation and the triggers failed the commit: the
// reservation is released unused.
void BcachefsModel::dropReservation(State& s, std::size_t p, int err) const {
  --s.res_held;
  s.proc[p].res_seq = 0;
  finishCommit(s, p, err);
}

// The commit ended (err 0 or an errno): drop the btree write lock if it was
// taken and ei_update_lock (bch2_vfs_write_inode's mutex_unlock).
void BcachefsModel::finishCommit(State& s, std::size_t p, int err) const {
  Process& proc = s.proc[p];
  proc.ret_meta = static_cast<std::uint8_t>(err);
  if (s.btree_write_locked == holderOf(p)) s.btree_write_locked = 0;
  s.inode[inodeOf(p)].update_lock = 0;
  if (err == kErofs) s.seen |= kSeenCommitErofs;
  if (err && stopsAtFirstError()) return finishFsync(s, p, 0);
  afterMetadata(s, p);
}

void BcachefsModel::afterMetadata(State& s, std::size_t p) const {
  ActionKind next = hasPointFix(ActionKind::FlushInodeHook)  ? ActionKind::FlushInodeHook
                   : flushTakesWriteRef() ? ActionKind::FlushInodeGetRw
                                                          : ActionKind::InodeFindByInum;
  s.proc[p].step = fsyncStep(next);
}

// bch2_fsync: return bch2_err_class(ret ?: ret2 ?: ret3), then check the
// result as fsync-err does; a failed check ends the process.
void BcachefsModel::finishFsync(State& s, std::size_t p, int flush_err) const {
  Process& proc = s.proc[p];
  int err = proc.ret_wb ? proc.ret_wb : proc.ret_meta ? proc.ret_meta : flush_err;
  if (err == kErofs && mapsErofsToEio()) err = kEio;
  if (options_.version == Version::Y2024) {
    // bch2_fsync's exit: file_check_and_advance_wb_err once more, its error
    // returned only if nothing else failed. Merged into the last step: it
    // reads only the file's errseq, which nothing in that step writes.
    std::size_t fd = fdSlot(p, program_.ops[proc.pc].fd);
    Inode& inode = s.inode[inodeOf(p)];
    ErrseqCheck check = errseqCheckAndAdvance(inode.wb_err, s.f_wb_err[fd]);
    inode.wb_err = check.current;
    s.f_wb_err[fd] = check.since;
    if (!err && check.err) {
      err = check.err;
      s.fd_flags[fd] = fdbits::reported(s.fd_flags[fd]);
    }
  }
  proc.step = proc.ret_wb = proc.ret_meta = proc.flush_seq = proc.res_seq = proc.key_seq = 0;
  recordFsync(program_, fsyncs_, s, p, err);
}

// fsync-err prints the failure and exits 1.
void BcachefsModel::endProcess(State& s, std::size_t p) const {
  s.proc[p].pc = static_cast<std::uint16_t>(program_.ops.size());
}

// Whether process p is the only one still running on its file, and no data
// write of the file is pending or in flight. Both stay true until p itself
// acts: processes never change files, a finished one stays finished, and
// only a process on the file dirties its pages. Then no other actor can
// read or write the file's inode, mapping or page cache before p's next step.
bool BcachefsModel::ownsInode(const State& s, std::size_t p) const {
  std::size_t inode = inodeOf(p);
  for (std::size_t q = 0; q < program_.processes; ++q)
    if (q != p && inodeOf(q) == inode && s.proc[q].pc < program_.ops.size()) return false;
  return !s.inode[inode].pages_dirty && !s.inode[inode].wb_in_flight;
}

// Why these steps are local (checker::ReducibleModel): each is the only step
// its process can take at this pc and step, and none is disabled by another
// actor; each reads and writes only
//  - its own process's variables (control, locals, fds, results), which no
//    other actor touches: other processes have their own, and the barrier
//    that moves every process needs this one at the barrier, so it cannot
//    run first;
//  - and, under ownsInode, its file's inode, mapping errseq and dirty
//    flags, which then no other actor touches before this step.
// A step that could end the process is never local (the end of the program
// stops every actor). A close that leads straight into an fsync is not local
// without background writeback, whose guard reads whether a process waits
// in file_write_and_wait_range.
std::optional<std::uint64_t> BcachefsModel::localStep(const State& s, const Action& a) const {
  if (a.actor != Actor::Test) return std::nullopt;
  const Process& proc = s.proc[a.who];
  std::size_t next = proc.pc + 1U;
  bool last_op = next >= program_.ops.size();
  using namespace vars;
  switch (a.kind) {
    case ActionKind::RunMemTriggers:
      return kProcessControl | kProcessLocals;
    case ActionKind::Close:
      if (last_op || (!options_.background_writeback && program_.ops[next].kind == OpKind::Fsync)) return std::nullopt;
      return kProcessControl | kFds;
    case ActionKind::Open:
      if (last_op || program_.ops[proc.pc].commits_inode || !ownsInode(s, a.who)) return std::nullopt;
      return kProcessControl | kFds;
    case ActionKind::FileWriteAndWait: {
      if (!ownsInode(s, a.who)) return std::nullopt;
      if (stopsAtFirstError()) {
        // An error ends the fsync here, and a failed check the process: not local then.
        if (last_op) return std::nullopt;
        std::size_t fd = fdSlot(a.who, program_.ops[proc.pc].fd);
        if (errseqCheckAndAdvance(s.inode[inodeOf(a.who)].wb_err, s.f_wb_err[fd]).err) return std::nullopt;
      }
      return kProcessControl | kProcessLocals | kFds | kInode | kResults;
    }
    case ActionKind::SyncInodeMetadata:
      // The flusher's inode write races it for a dirty inode: which one
      // commits decides what fsync does next.
      if (flusherWritesInodes()) return std::nullopt;
      [[fallthrough]];
    case ActionKind::InodeFindByInum:
      if (!ownsInode(s, a.who)) return std::nullopt;
      return kProcessControl | kProcessLocals | kInode;
    default:
      return std::nullopt;
  }
}

}  // namespace fsrace::model
