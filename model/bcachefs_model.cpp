// Guards and effects of the model's steps. Each case names its kernel
// function in actions.def; docs/model.md says what each one abstracts.
#include "model/bcachefs_model.hpp"

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
void commitInodeAtomically(State& s) {
  openEntryIfNeeded(s);
  s.bi_journal_seq = s.cur_seq;
  s.entry_dirty = 1;
  if (s.dirty_pins < kMaxPins) ++s.dirty_pins;
}

bool commitsRefused(const State& s) { return s.writes_killed || s.halted; }

std::uint8_t& fatalStepOf(State& s, Actor actor) {
  assert((actor == Actor::Journal || actor == Actor::Reclaim) && "fatal path of an unexpected actor");
  return actor == Actor::Journal ? s.journal_fatal : s.reclaim_fatal;
}

void setResult(State& s, std::size_t slot, Ret ret) {
  auto shift = static_cast<unsigned>((slot % 4) * 2);
  auto& byte = s.results[slot / 4];
  byte = static_cast<std::uint8_t>((byte & ~(3u << shift)) | (static_cast<unsigned>(ret) << shift));
}

Ret retOf(int err) {
  if (err == 0) return Ret::Ok;
  if (err == kErofs) return Ret::Erofs;
  assert(err == kEio && "fsync returned an errno the model does not produce");
  return Ret::Eio;
}

void setFdReports(State& s, std::size_t fd, unsigned reports) {
  auto& flags = s.fd_flags[fd];
  flags = static_cast<std::uint8_t>((flags & ~(3u << fdbits::kReportsShift)) | (reports << fdbits::kReportsShift));
}

}  // namespace

BcachefsModel::BcachefsModel(Program program, std::vector<Fix> fixes, ModelOptions options)
    : program_(std::move(program)), fixes_(std::move(fixes)), options_(options) {
  assert(program_.ops.size() < kMaxOps && "program too long for the program counter");
  assert(program_.fds <= kMaxFds && "too many fds");
  for (Fix fix : fixes_) fix_mask_ |= 1u << static_cast<unsigned>(fix);
  if (hasFix(Fix::SettleAfterTableSwitch) || hasFix(Fix::SettleBeforeTableSwitch)) insertSettles();
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

bool BcachefsModel::testWaitsForWriteback(const State& s) const {
  if (isTerminal(s)) return false;
  const Op& op = program_.ops[s.pc];
  return op.kind == OpKind::Fsync && s.step == static_cast<std::uint8_t>(FsyncStep::WriteAndWait);
}

// The test-side settle waits for every background actor to be idle.
bool BcachefsModel::isQuiescent(const State& s) const {
  bool journal_idle = s.halted || !(s.entry_open && s.entry_dirty);
  bool reclaim_idle = s.halted || s.dirty_pins == 0;
  return !s.pages_dirty && !s.wb_in_flight && !s.write_in_flight && journal_idle && reclaim_idle &&
         s.journal_fatal == 0 && s.reclaim_fatal == 0 && !s.ro_work_queued;
}

// The condition bch2_journal_flush_seq waits on (bch2_journal_flush_seq_async
// returning non-zero): an error at or below seq, or seq flushed.
bool BcachefsModel::isFlushDecided(const State& s) const {
  if (hasFix(Fix::FlushReportsJournalError) && s.halted) return true;
  bool failed = s.err_seq != 0 && s.flush_seq >= s.err_seq;
  return failed || s.flush_seq <= s.flushed_seq_ondisk;
}

void BcachefsModel::actions(const State& s, std::vector<Action>& sink) const {
  testActions(s, sink);
  if (s.pages_dirty && !s.wb_in_flight && (options_.background_writeback || testWaitsForWriteback(s)))
    sink.push_back({ActionKind::Writepages, Actor::Writeback});
  if (s.wb_in_flight) sink.push_back({ActionKind::WriteIndexUpdate, Actor::Writeback});

  switch (static_cast<FatalStep>(s.journal_fatal)) {
    case FatalStep::None:
      if (s.entry_open && s.entry_dirty && !s.res_held && !s.write_in_flight && !s.halted)
        sink.push_back({ActionKind::JournalWrite, Actor::Journal});
      if (s.write_in_flight) sink.push_back({ActionKind::JournalWriteDone, Actor::Journal});
      break;
    case FatalStep::EmergencyReadOnly: sink.push_back({ActionKind::FsEmergencyReadOnly, Actor::Journal}); break;
    case FatalStep::Halt: sink.push_back({ActionKind::JournalHalt, Actor::Journal}); break;
    case FatalStep::ErrSeq: sink.push_back({ActionKind::JournalWriteDoneErrSeq, Actor::Journal}); break;
  }

  switch (static_cast<FatalStep>(s.reclaim_fatal)) {
    case FatalStep::None:
      if (s.dirty_pins > 0 && !s.halted && (options_.reclaim_before_switch || s.error_table_loaded))
        sink.push_back({ActionKind::JournalReclaim, Actor::Reclaim});
      break;
    case FatalStep::EmergencyReadOnly: sink.push_back({ActionKind::FsEmergencyReadOnly, Actor::Reclaim}); break;
    case FatalStep::Halt: sink.push_back({ActionKind::JournalHalt, Actor::Reclaim}); break;
    case FatalStep::ErrSeq: assert(false && "reclaim has no err_seq step"); break;
  }

  if (s.ro_work_queued) sink.push_back({ActionKind::FsReadOnlyWork, Actor::ReadOnlyWork});
}

void BcachefsModel::testActions(const State& s, std::vector<Action>& sink) const {
  if (isTerminal(s)) return;
  const Op& op = program_.ops[s.pc];
  auto add = [&](ActionKind kind) { sink.push_back({kind, Actor::Test}); };
  switch (op.kind) {
    case OpKind::Open: add(ActionKind::Open); return;
    case OpKind::Write: add(ActionKind::Write); return;
    case OpKind::SwitchTable: add(ActionKind::SwitchTable); return;
    case OpKind::Close: add(ActionKind::Close); return;
    case OpKind::Settle:
      if (isQuiescent(s)) add(ActionKind::Settle);
      return;
    case OpKind::Fsync: break;
  }
  switch (static_cast<FsyncStep>(s.step)) {
    case FsyncStep::WriteAndWait:
      if (!s.pages_dirty && !s.wb_in_flight) add(ActionKind::FileWriteAndWait);
      return;
    case FsyncStep::SyncInodeMetadata: add(ActionKind::SyncInodeMetadata); return;
    case FsyncStep::CommitGetRw: add(ActionKind::TransCommitGetRw); return;
    case FsyncStep::CommitLockWrite: add(ActionKind::TransLockWrite); return;
    case FsyncStep::CommitJournalResGet: add(ActionKind::TransJournalResGet); return;
    case FsyncStep::CommitJournalErrorRecheck: add(ActionKind::TransJournalErrorRecheck); return;
    case FsyncStep::CommitRunTriggers: add(ActionKind::RunMemTriggers); return;
    case FsyncStep::CommitInsert: add(ActionKind::BtreeInsertKeyCached); return;
    case FsyncStep::CommitUnlockResPut: add(ActionKind::TransUnlockResPut); return;
    case FsyncStep::FlushCheckShutdown: add(ActionKind::FlushInodeCheckShutdown); return;
    case FsyncStep::FlushGetRw: add(ActionKind::FlushInodeGetRw); return;
    case FsyncStep::FindInode: add(ActionKind::InodeFindByInum); return;
    case FsyncStep::FlushSeq: add(ActionKind::JournalFlushSeq); return;
    case FsyncStep::FlushSeqAsync:
      if (isFlushDecided(s)) add(ActionKind::JournalFlushSeqAsync);
      return;
  }
}

State BcachefsModel::apply(const State& before, const Action& a) const {
  State s = before;
  switch (a.kind) {
    case ActionKind::Open:
    case ActionKind::Write:
    case ActionKind::SwitchTable:
    case ActionKind::Close:
    case ActionKind::Settle:
      applyTest(s, a.kind);
      break;
    case ActionKind::FileWriteAndWait:
    case ActionKind::SyncInodeMetadata:
    case ActionKind::TransCommitGetRw:
    case ActionKind::TransLockWrite:
    case ActionKind::TransJournalResGet:
    case ActionKind::TransJournalErrorRecheck:
    case ActionKind::RunMemTriggers:
    case ActionKind::BtreeInsertKeyCached:
    case ActionKind::TransUnlockResPut:
    case ActionKind::FlushInodeCheckShutdown:
    case ActionKind::FlushInodeGetRw:
    case ActionKind::InodeFindByInum:
    case ActionKind::JournalFlushSeq:
    case ActionKind::JournalFlushSeqAsync:
      applyFsync(s, a.kind);
      break;
    case ActionKind::Writepages:
      s.pages_dirty = 0;
      s.wb_in_flight = 1;
      s.wb_io_failed = s.table == static_cast<std::uint8_t>(DmTable::Error);
      if (s.wb_io_failed) s.seen |= kSeenIoError;
      break;
    case ActionKind::WriteIndexUpdate:
      // A failed data write drops its pointers and skips the index update;
      // bch2_io_error() is a no-op, so data errors do not shut the fs down.
      // A successful write whose index update meets a read-only fs fails too.
      if (s.wb_io_failed || commitsRefused(s))
        s.wb_err = errseqSet(s.wb_err, kEio);
      else
        commitInodeAtomically(s);
      s.wb_in_flight = 0;
      s.wb_io_failed = 0;
      break;
    case ActionKind::JournalWrite:
      s.entry_open = 0;
      s.entry_dirty = 0;
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
      s.flushed_seq_ondisk = s.write_seq;
      s.write_in_flight = 0;
      s.write_seq = 0;
      break;
    case ActionKind::JournalWriteDoneErrSeq:
      if (s.err_seq == 0 || s.write_seq < s.err_seq) s.err_seq = s.write_seq;
      s.write_in_flight = 0;
      s.write_seq = 0;
      s.write_failed = 0;
      s.journal_fatal = 0;
      break;
    case ActionKind::JournalReclaim:
      if (s.table == static_cast<std::uint8_t>(DmTable::Error)) {
        s.seen |= kSeenIoError;
        s.reclaim_fatal = static_cast<std::uint8_t>(FatalStep::EmergencyReadOnly);
      } else {
        --s.dirty_pins;
      }
      break;
    case ActionKind::FsEmergencyReadOnly:
      s.emergency_ro = 1;
      fatalStepOf(s, a.actor) = static_cast<std::uint8_t>(FatalStep::Halt);
      break;
    case ActionKind::JournalHalt:
      if (!s.halted) {
        s.halted = 1;
        s.entry_open = 0;
        s.entry_dirty = 0;  // the closed entry is never written
        if (s.err_seq == 0) s.err_seq = s.cur_seq;
      }
      if (!s.writes_killed) s.ro_work_queued = 1;
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

void BcachefsModel::applyTest(State& s, ActionKind kind) const {
  assert(s.pc < program_.ops.size() && "a test step applied after the program ended (not enabled)");
  const Op& op = program_.ops[s.pc];
  auto fd = op.fd;
  switch (kind) {
    case ActionKind::Open:
      s.f_wb_err[fd] = errseqSample(s.wb_err);
      s.fd_flags[fd] = static_cast<std::uint8_t>((s.fd_flags[fd] & ~0x07u) | fdbits::kOpen);
      if (op.commits_inode) {
        if (commitsRefused(s)) {
          s.failed_op = static_cast<std::uint16_t>(s.pc + 1);
          s.pc = static_cast<std::uint16_t>(program_.ops.size());
          return;
        }
        commitInodeAtomically(s);
      }
      break;
    case ActionKind::Write:
      s.pages_dirty = 1;
      s.i_dirty_sync = 1;  // file_update_time -> __mark_inode_dirty(I_DIRTY_SYNC)
      break;
    case ActionKind::SwitchTable:
      s.table = static_cast<std::uint8_t>(op.table);
      if (op.table == DmTable::Error) s.error_table_loaded = 1;
      break;
    case ActionKind::Close: {
      unsigned reports = fdReports(s, fd);
      s.fd_flags[fd] = static_cast<std::uint8_t>(fdbits::kWasClosed | (reports << fdbits::kClosedReportsShift));
      s.f_wb_err[fd] = 0;
      break;
    }
    case ActionKind::Settle:
      break;
    default:
      assert(false && "not a plain test operation");
  }
  ++s.pc;
}

void BcachefsModel::applyFsync(State& s, ActionKind kind) const {
  assert(s.pc < program_.ops.size() && program_.ops[s.pc].kind == OpKind::Fsync && "an fsync step outside an fsync");
  const Op& op = program_.ops[s.pc];
  auto next = [&](FsyncStep step) { s.step = static_cast<std::uint8_t>(step); };
  switch (kind) {
    case ActionKind::FileWriteAndWait: {
      ErrseqCheck check = errseqCheckAndAdvance(s.wb_err, s.f_wb_err[op.fd]);
      s.wb_err = check.current;
      s.f_wb_err[op.fd] = check.since;
      s.ret_wb = static_cast<std::uint8_t>(check.err);
      if (check.err) setFdReports(s, op.fd, std::min(3u, fdReports(s, op.fd) + 1));
      if (check.err && hasFix(Fix::FsyncReturnsFirstError)) return finishFsync(s, 0);
      return next(FsyncStep::SyncInodeMetadata);
    }
    case ActionKind::SyncInodeMetadata:
      if (!s.i_dirty_sync) return afterMetadata(s);
      s.i_dirty_sync = 0;  // cleared before ->write_inode, so a failed commit leaves it clean
      return next(FsyncStep::CommitGetRw);
    case ActionKind::TransCommitGetRw:
      if (s.writes_killed) return finishCommit(s, kErofs);
      return next(FsyncStep::CommitLockWrite);
    case ActionKind::TransLockWrite:
      return next(FsyncStep::CommitJournalResGet);
    case ActionKind::TransJournalResGet:
      if (s.halted) return finishCommit(s, kErofs);
      openEntryIfNeeded(s);
      s.res_held = 1;
      s.res_seq = s.cur_seq;
      if (hasFix(Fix::RecheckJournalErrorBeforeTriggers)) return next(FsyncStep::CommitJournalErrorRecheck);
      return next(FsyncStep::CommitRunTriggers);
    case ActionKind::TransJournalErrorRecheck:
      if (s.halted) {
        s.res_held = 0;
        s.res_seq = 0;
        return finishCommit(s, kErofs);
      }
      return next(FsyncStep::CommitRunTriggers);
    case ActionKind::RunMemTriggers:
      s.key_seq = s.res_seq;  // bch2_mark_inode: bi_journal_seq = trans->journal_res.seq
      return next(FsyncStep::CommitInsert);
    case ActionKind::BtreeInsertKeyCached:
      s.bi_journal_seq = s.key_seq;
      if (s.entry_open && s.cur_seq == s.res_seq) s.entry_dirty = 1;
      if (s.dirty_pins < kMaxPins) ++s.dirty_pins;
      return next(FsyncStep::CommitUnlockResPut);
    case ActionKind::TransUnlockResPut:
      s.res_held = 0;
      s.res_seq = 0;
      s.key_seq = 0;
      return finishCommit(s, 0);
    case ActionKind::FlushInodeCheckShutdown:
      if (s.emergency_ro) return finishFsync(s, kEio);
      return next(hasFix(Fix::FlushInodeTakesWriteRef) ? FsyncStep::FlushGetRw : FsyncStep::FindInode);
    case ActionKind::FlushInodeGetRw:
      if (s.writes_killed) return finishFsync(s, kErofs);
      return next(FsyncStep::FindInode);
    case ActionKind::InodeFindByInum:
      s.flush_seq = s.bi_journal_seq;
      return next(FsyncStep::FlushSeq);
    case ActionKind::JournalFlushSeq:
      if (s.flush_seq <= s.flushed_seq_ondisk && !(hasFix(Fix::FlushReportsJournalError) && s.halted))
        return finishFsync(s, 0);
      return next(FsyncStep::FlushSeqAsync);
    case ActionKind::JournalFlushSeqAsync: {
      bool failed = (hasFix(Fix::FlushReportsJournalError) && s.halted) ||
                    (s.err_seq != 0 && s.flush_seq >= s.err_seq);
      return finishFsync(s, failed ? kEio : 0);
    }
    default:
      assert(false && "not an fsync step");
  }
}

void BcachefsModel::finishCommit(State& s, int err) const {
  s.ret_meta = static_cast<std::uint8_t>(err);
  if (err == kErofs) s.seen |= kSeenCommitErofs;
  if (err && hasFix(Fix::FsyncReturnsFirstError)) return finishFsync(s, 0);
  afterMetadata(s);
}

void BcachefsModel::afterMetadata(State& s) const {
  FsyncStep next = hasFix(Fix::FsyncFailsOnceShutDown)    ? FsyncStep::FlushCheckShutdown
                   : hasFix(Fix::FlushInodeTakesWriteRef) ? FsyncStep::FlushGetRw
                                                          : FsyncStep::FindInode;
  s.step = static_cast<std::uint8_t>(next);
}

// bch2_fsync: return bch2_err_class(ret ?: ret2 ?: ret3), then check the
// result as fsync-err does; a failed check ends the program.
void BcachefsModel::finishFsync(State& s, int flush_err) const {
  const Op& op = program_.ops[s.pc];
  int err = s.ret_wb ? s.ret_wb : s.ret_meta ? s.ret_meta : flush_err;
  if (err == kErofs && hasFix(Fix::FlushInodeTakesWriteRef)) err = kEio;
  setResult(s, op.result_slot, retOf(err));
  s.step = s.ret_wb = s.ret_meta = s.flush_seq = s.res_seq = s.key_seq = 0;
  bool ok = op.expect == Expect::Any || (op.expect == Expect::Success) == (err == 0);
  if (ok) {
    ++s.pc;
    return;
  }
  s.failed_op = static_cast<std::uint16_t>(s.pc + 1);
  s.pc = static_cast<std::uint16_t>(program_.ops.size());
}

Ret BcachefsModel::result(const State& s, std::size_t slot) {
  auto shift = static_cast<unsigned>((slot % 4) * 2);
  return static_cast<Ret>((static_cast<unsigned>(s.results[slot / 4]) >> shift) & 3u);
}

unsigned BcachefsModel::fdReports(const State& s, std::size_t fd) {
  return (s.fd_flags[fd] >> fdbits::kReportsShift) & 3u;
}
unsigned BcachefsModel::fdClosedReports(const State& s, std::size_t fd) {
  return (s.fd_flags[fd] >> fdbits::kClosedReportsShift) & 3u;
}
bool BcachefsModel::fdOpen(const State& s, std::size_t fd) { return s.fd_flags[fd] & fdbits::kOpen; }
bool BcachefsModel::fdWasClosed(const State& s, std::size_t fd) { return s.fd_flags[fd] & fdbits::kWasClosed; }

}  // namespace fsrace::model
