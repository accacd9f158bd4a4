// Each step's guard and effect on hand-built states.
#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>

#include "model/bcachefs_model.hpp"

namespace fsrace::model {
namespace {

Program oneFsync(Expect expect = Expect::Any) {
  Program p;
  p.fds = 1;
  Op open;
  open.kind = OpKind::Open;
  Op fsync;
  fsync.kind = OpKind::Fsync;
  fsync.expect = expect;
  fsync.label = "fsync[0]";
  fsync.failure = "fsync failed: %m";
  p.ops = {open, fsync};
  return p;
}

bool enabled(const BcachefsModel& m, const State& s, ActionKind kind) {
  std::vector<Action> actions;
  m.actions(s, actions);
  return std::any_of(actions.begin(), actions.end(), [&](const Action& a) { return a.kind == kind; });
}

State atFsyncStep(const BcachefsModel& m, FsyncStep step) {
  State s = m.initialState();
  s.pc = 1;
  s.fd_flags[0] = fdbits::kOpen;
  s.step = static_cast<std::uint8_t>(step);
  return s;
}

}  // namespace

TEST_SUITE("model") {
  TEST_CASE("the commit's journal reservation fails with EROFS once the journal is halted") {
    BcachefsModel m(oneFsync(), {}, {});
    State s = atFsyncStep(m, FsyncStep::CommitJournalResGet);
    s.halted = 1;
    s.err_seq = 1;
    State t = m.apply(s, {ActionKind::TransJournalResGet, Actor::Test});
    CHECK(t.ret_meta == EROFS);
    CHECK(t.res_held == 0);
    CHECK(t.step == static_cast<std::uint8_t>(FsyncStep::FindInode));
  }

  TEST_CASE("a reservation opens a new entry and the trigger records its seq") {
    BcachefsModel m(oneFsync(), {}, {});
    State s = atFsyncStep(m, FsyncStep::CommitJournalResGet);
    s = m.apply(s, {ActionKind::TransJournalResGet, Actor::Test});
    CHECK(s.cur_seq == 2);
    CHECK(s.res_held == 1);
    s = m.apply(s, {ActionKind::RunMemTriggers, Actor::Test});
    CHECK(s.key_seq == 2);
    CHECK(s.bi_journal_seq == 0);  // not visible until the insert
    s = m.apply(s, {ActionKind::BtreeInsertKeyCached, Actor::Test});
    CHECK(s.bi_journal_seq == 2);
    CHECK(s.entry_dirty == 1);
    CHECK_FALSE(enabled(m, s, ActionKind::JournalWrite));  // reservation still held
    s = m.apply(s, {ActionKind::TransUnlockResPut, Actor::Test});
    CHECK(enabled(m, s, ActionKind::JournalWrite));
  }

  TEST_CASE("the flush waits until its seq is flushed or at or past err_seq") {
    BcachefsModel m(oneFsync(), {}, {});
    State s = atFsyncStep(m, FsyncStep::FlushSeqAsync);
    s.flush_seq = 3;
    s.cur_seq = 3;
    s.flushed_seq_ondisk = 2;
    CHECK_FALSE(enabled(m, s, ActionKind::JournalFlushSeqAsync));
    s.err_seq = 3;
    REQUIRE(enabled(m, s, ActionKind::JournalFlushSeqAsync));
    State t = m.apply(s, {ActionKind::JournalFlushSeqAsync, Actor::Test});
    CHECK(BcachefsModel::result(t, 0) == Ret::Eio);
    s.err_seq = 0;
    s.flushed_seq_ondisk = 3;
    t = m.apply(s, {ActionKind::JournalFlushSeqAsync, Actor::Test});
    CHECK(BcachefsModel::result(t, 0) == Ret::Ok);
  }

  TEST_CASE("journal_halt sets err_seq to the current seq only if unset, and queues the read-only work") {
    BcachefsModel m(oneFsync(), {}, {});
    State s = m.initialState();
    s.cur_seq = 5;
    s.entry_open = 1;
    s.reclaim_fatal = static_cast<std::uint8_t>(FatalStep::Halt);
    State t = m.apply(s, {ActionKind::JournalHalt, Actor::Reclaim});
    CHECK(t.err_seq == 5);
    CHECK(t.halted == 1);
    CHECK(t.entry_open == 0);
    CHECK(t.ro_work_queued == 1);
    s.err_seq = 4;
    CHECK(m.apply(s, {ActionKind::JournalHalt, Actor::Reclaim}).err_seq == 4);
  }

  TEST_CASE("a failed journal write lowers err_seq to its own seq") {
    BcachefsModel m(oneFsync(), {}, {});
    State s = m.initialState();
    s.write_in_flight = 1;
    s.write_seq = 3;
    s.write_failed = 1;
    s.err_seq = 4;
    s.journal_fatal = static_cast<std::uint8_t>(FatalStep::ErrSeq);
    State t = m.apply(s, {ActionKind::JournalWriteDoneErrSeq, Actor::Journal});
    CHECK(t.err_seq == 3);
    CHECK(t.write_in_flight == 0);
  }

  TEST_CASE("reclaim's btree write on the error table starts the fatal error path, on the working table releases a pin") {
    BcachefsModel m(oneFsync(), {}, {});
    State s = m.initialState();
    s.dirty_pins = 2;
    CHECK(m.apply(s, {ActionKind::JournalReclaim, Actor::Reclaim}).dirty_pins == 1);
    s.table = static_cast<std::uint8_t>(DmTable::Error);
    State t = m.apply(s, {ActionKind::JournalReclaim, Actor::Reclaim});
    CHECK(t.reclaim_fatal == static_cast<std::uint8_t>(FatalStep::EmergencyReadOnly));
    CHECK(t.dirty_pins == 2);
  }

  TEST_CASE("a failed data write sets the mapping's errseq and does not shut the fs down") {
    BcachefsModel m(oneFsync(), {}, {});
    State s = m.initialState();
    s.pages_dirty = 1;
    s.table = static_cast<std::uint8_t>(DmTable::Error);
    s = m.apply(s, {ActionKind::Writepages, Actor::Writeback});
    s = m.apply(s, {ActionKind::WriteIndexUpdate, Actor::Writeback});
    CHECK((s.wb_err & kErrseqMaxErrno) == EIO);
    CHECK(s.emergency_ro == 0);
    CHECK(s.reclaim_fatal == 0);
  }

  TEST_CASE("fsync returns the first error of its three parts") {
    BcachefsModel m(oneFsync(), {}, {});
    State s = atFsyncStep(m, FsyncStep::FlushSeq);
    s.ret_meta = EROFS;
    State t = m.apply(s, {ActionKind::JournalFlushSeq, Actor::Test});
    CHECK(BcachefsModel::result(t, 0) == Ret::Erofs);
    s.ret_wb = EIO;
    t = m.apply(s, {ActionKind::JournalFlushSeq, Actor::Test});
    CHECK(BcachefsModel::result(t, 0) == Ret::Eio);
  }

  TEST_CASE("a failed expectation ends the program") {
    BcachefsModel m(oneFsync(Expect::Success), {}, {});
    State s = atFsyncStep(m, FsyncStep::FlushSeq);
    s.ret_wb = EIO;
    State t = m.apply(s, {ActionKind::JournalFlushSeq, Actor::Test});
    CHECK(m.isTerminal(t));
    CHECK(t.failed_op == 2);
    CHECK(m.outcome(t).back() == "fsync failed: Input/output error");
  }

  TEST_CASE("settle waits for reclaim to be idle") {
    Program p = oneFsync();
    Op settle;
    settle.kind = OpKind::Settle;
    p.ops.insert(p.ops.begin() + 1, settle);
    BcachefsModel m(p, {Fix::SettleAfterTableSwitch}, {});
    State s = m.initialState();
    s.pc = 1;
    s.dirty_pins = 1;
    CHECK_FALSE(enabled(m, s, ActionKind::Settle));
    s.dirty_pins = 0;
    CHECK(enabled(m, s, ActionKind::Settle));
  }
}

}  // namespace fsrace::model
