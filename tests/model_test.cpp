// Each step's guard and effect on hand-built states.
#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "model/bcachefs/bcachefs_model.hpp"
#include "tests/bcachefs_fixtures.hpp"

namespace fsrace::model {
using tests::atFsyncStep;
using tests::isEnabled;
using tests::oneFsyncProgram;

TEST_SUITE("model") {
  TEST_CASE("the commit's journal reservation fails with EROFS once the journal is halted") {
    BcachefsModel m(oneFsyncProgram(), {}, {});
    State s = atFsyncStep(m, ActionKind::TransJournalResGet);
    s.halted = 1;
    s.err_seq = 1;
    State t = m.apply(s, {ActionKind::TransJournalResGet, Actor::Test});
    CHECK(t.proc[0].ret_meta == EROFS);
    CHECK(t.res_held == 0);
    CHECK(t.proc[0].step == model::fsyncStep(ActionKind::InodeFindByInum));
  }

  TEST_CASE("a reservation opens a new entry and the trigger records its seq") {
    BcachefsModel m(oneFsyncProgram(), {}, {});
    State s = atFsyncStep(m, ActionKind::TransJournalResGet);
    s = m.apply(s, {ActionKind::TransJournalResGet, Actor::Test});
    CHECK(s.cur_seq == 2);
    CHECK(s.res_held == 1);
    s = m.apply(s, {ActionKind::RunMemTriggers, Actor::Test});
    CHECK(s.proc[0].key_seq == 2);
    CHECK(s.inode[0].bi_journal_seq == 0);  // not visible until the insert
    s = m.apply(s, {ActionKind::BtreeInsertKeyCached, Actor::Test});
    CHECK(s.inode[0].bi_journal_seq == 2);
    CHECK(s.entry_dirty == 1);
    CHECK_FALSE(isEnabled(m, s, ActionKind::JournalWrite));  // reservation still held
    s = m.apply(s, {ActionKind::TransUnlockResPut, Actor::Test});
    CHECK(isEnabled(m, s, ActionKind::JournalWrite));
  }

  TEST_CASE("the flush waits until its seq is flushed or at or past err_seq") {
    BcachefsModel m(oneFsyncProgram(), {}, {});
    State s = atFsyncStep(m, ActionKind::JournalFlushSeqAsync);
    s.proc[0].flush_seq = 3;
    s.cur_seq = 3;
    s.flushed_seq_ondisk = 2;
    CHECK_FALSE(isEnabled(m, s, ActionKind::JournalFlushSeqAsync));
    s.err_seq = 3;
    REQUIRE(isEnabled(m, s, ActionKind::JournalFlushSeqAsync));
    State t = m.apply(s, {ActionKind::JournalFlushSeqAsync, Actor::Test});
    CHECK(BcachefsModel::result(t, 0) == Ret::Eio);
    s.err_seq = 0;
    s.flushed_seq_ondisk = 3;
    t = m.apply(s, {ActionKind::JournalFlushSeqAsync, Actor::Test});
    CHECK(BcachefsModel::result(t, 0) == Ret::Ok);
  }

  TEST_CASE("journal_halt sets err_seq to the current seq only if unset, and queues the read-only work") {
    BcachefsModel m(oneFsyncProgram(), {}, {});
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
    BcachefsModel m(oneFsyncProgram(), {}, {});
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
    BcachefsModel m(oneFsyncProgram(), {}, {});
    State s = m.initialState();
    s.dirty_pins = 2;
    CHECK(m.apply(s, {ActionKind::JournalReclaim, Actor::Reclaim}).dirty_pins == 1);
    s.table = static_cast<std::uint8_t>(DmTable::Error);
    State t = m.apply(s, {ActionKind::JournalReclaim, Actor::Reclaim});
    CHECK(t.reclaim_fatal == static_cast<std::uint8_t>(FatalStep::EmergencyReadOnly));
    CHECK(t.dirty_pins == 2);
  }

  TEST_CASE("a failed data write sets the mapping's errseq and does not shut the fs down") {
    BcachefsModel m(oneFsyncProgram(), {}, {});
    State s = m.initialState();
    s.inode[0].pages_dirty = 1;
    s.table = static_cast<std::uint8_t>(DmTable::Error);
    s = m.apply(s, {ActionKind::Writepages, Actor::Writeback});
    s = m.apply(s, {ActionKind::WriteIndexUpdate, Actor::Writeback});
    CHECK((s.inode[0].wb_err & kErrseqMaxErrno) == EIO);
    CHECK(s.emergency_ro == 0);
    CHECK(s.reclaim_fatal == 0);
  }

  TEST_CASE("fsync returns the first error of its three parts") {
    BcachefsModel m(oneFsyncProgram(), {}, {});
    State s = atFsyncStep(m, ActionKind::JournalFlushSeq);
    s.proc[0].ret_meta = EROFS;
    State t = m.apply(s, {ActionKind::JournalFlushSeq, Actor::Test});
    CHECK(BcachefsModel::result(t, 0) == Ret::Erofs);
    s.proc[0].ret_wb = EIO;
    t = m.apply(s, {ActionKind::JournalFlushSeq, Actor::Test});
    CHECK(BcachefsModel::result(t, 0) == Ret::Eio);
  }

  TEST_CASE("a failed expectation ends the program") {
    BcachefsModel m(oneFsyncProgram(Expect::Success), {}, {});
    State s = atFsyncStep(m, ActionKind::JournalFlushSeq);
    s.proc[0].ret_wb = EIO;
    State t = m.apply(s, {ActionKind::JournalFlushSeq, Actor::Test});
    CHECK(m.isTerminal(t));
    CHECK(t.proc[0].failed_op == 2);
    CHECK(m.outcome(t).back() == "fsync failed: Input/output error");
  }

  TEST_CASE("settle waits for reclaim to be idle") {
    Program p = oneFsyncProgram();
    Op settle;
    settle.kind = OpKind::Settle;
    p.ops.insert(p.ops.begin() + 1, settle);
    BcachefsModel m(p, {Fix::SettleAfterTableSwitch}, {});
    State s = m.initialState();
    s.proc[0].pc = 1;
    s.dirty_pins = 1;
    CHECK_FALSE(isEnabled(m, s, ActionKind::Settle));
    s.dirty_pins = 0;
    CHECK(isEnabled(m, s, ActionKind::Settle));
  }

  TEST_CASE("a table switch is a barrier: taken once, by the lowest running process, for all") {
    Program p = oneFsyncProgram();
    Op error_table;
    error_table.kind = OpKind::SwitchTable;
    error_table.table = DmTable::Error;
    p.ops.insert(p.ops.begin() + 1, error_table);
    p.processes = 2;
    BcachefsModel m(p, {}, {});
    State s = m.initialState();
    s.proc[0].pc = 1;  // process 1 has not opened yet
    CHECK_FALSE(isEnabled(m, s, ActionKind::SwitchTable));
    s.proc[1].pc = 1;
    std::vector<Action> actions;
    m.actions(s, actions);
    CHECK(std::count_if(actions.begin(), actions.end(), [](const Action& a) { return a.kind == ActionKind::SwitchTable; }) == 1);
    State t = m.apply(s, {ActionKind::SwitchTable, Actor::Test, 0});
    CHECK(t.table == static_cast<std::uint8_t>(DmTable::Error));
    CHECK(t.proc[0].pc == 2);
    CHECK(t.proc[1].pc == 2);
    s.proc[0].pc = static_cast<std::uint16_t>(p.ops.size());  // process 0 failed and exited
    actions.clear();
    m.actions(s, actions);
    CHECK(std::any_of(actions.begin(), actions.end(), [](const Action& a) { return a.kind == ActionKind::SwitchTable && a.who == 1; }));
  }

  TEST_CASE("two processes' commits on one file: ei_update_lock, then the btree write lock") {
    Program p = oneFsyncProgram();
    p.processes = 2;
    BcachefsModel m(p, {}, {});
    State s = m.initialState();
    for (std::size_t q = 0; q < 2; ++q) {
      s.proc[q].pc = 1;
      s.proc[q].step = model::fsyncStep(ActionKind::SyncInodeMetadata);
    }
    s.inode[0].i_dirty_sync = 1;
    s = m.apply(s, {ActionKind::SyncInodeMetadata, Actor::Test, 0});
    CHECK(s.inode[0].update_lock == 1);
    // The inode is clean now: process 1's write_inode is not called at all.
    State t = m.apply(s, {ActionKind::SyncInodeMetadata, Actor::Test, 1});
    CHECK(t.proc[1].step == model::fsyncStep(ActionKind::InodeFindByInum));
    s.inode[0].i_dirty_sync = 1;  // dirtied again by a write
    std::vector<Action> actions;
    m.actions(s, actions);
    CHECK_FALSE(std::any_of(actions.begin(), actions.end(), [](const Action& a) { return a.kind == ActionKind::SyncInodeMetadata && a.who == 1; }));
    s = m.apply(s, {ActionKind::TransCommitGetRw, Actor::Test, 0});
    s = m.apply(s, {ActionKind::TransLockWrite, Actor::Test, 0});
    CHECK(s.btree_write_locked == 1);
    s.inode[0].wb_in_flight = 1;  // a successful data write's index update waits for the lock
    CHECK_FALSE(isEnabled(m, s, ActionKind::WriteIndexUpdate));
    s = m.apply(s, {ActionKind::TransJournalResGet, Actor::Test, 0});
    s = m.apply(s, {ActionKind::RunMemTriggers, Actor::Test, 0});
    s = m.apply(s, {ActionKind::BtreeInsertKeyCached, Actor::Test, 0});
    s = m.apply(s, {ActionKind::TransUnlockResPut, Actor::Test, 0});
    CHECK(s.btree_write_locked == 0);
    CHECK(s.inode[0].update_lock == 0);
    CHECK(isEnabled(m, s, ActionKind::WriteIndexUpdate));
  }

  TEST_CASE("the process symmetry permutes processes, their fds, results and locks together") {
    Program p = oneFsyncProgram();
    p.processes = 2;
    p.inodes = 2;
    BcachefsModel m(p, {}, {});
    REQUIRE(m.symmetries() == 2);
    State s = m.initialState();
    s.proc[1].pc = 1;
    s.fd_flags[m.fdSlot(1, 0)] = fdbits::kOpen;
    s.inode[1].update_lock = 2;
    s.inode[1].bi_journal_seq = 3;
    s.btree_write_locked = 2;
    State t = m.permute(s, 1);
    CHECK(t.proc[0].pc == 1);
    CHECK(t.proc[1].pc == 0);
    CHECK(t.fd_flags[m.fdSlot(0, 0)] == fdbits::kOpen);
    CHECK(t.inode[0].update_lock == 1);
    CHECK(t.inode[0].bi_journal_seq == 3);
    CHECK(t.btree_write_locked == 1);
    State back = m.permute(t, 1);
    CHECK(std::memcmp(&s, &back, sizeof(State)) == 0);
    Program three = oneFsyncProgram();
    three.processes = 3;
    three.inodes = 3;
    CHECK(BcachefsModel(three, {}, {}).symmetries() == 6);
    three.inodes = 1;
    CHECK(BcachefsModel(three, {}, {}).symmetries() == 6);
  }
}

}  // namespace fsrace::model
