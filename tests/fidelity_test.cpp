// Modelling choices that the suite holds to "changes no answer": each is a
// parameter of the bcachefs models, off by default, that makes a step more
// faithful (reclaim's key-cache flush as its own commit, the halted entry's
// noflush write, the pre-reservation's slow path). With it on, every verdict
// and the outcome set must be the same, for the baseline and every fix of
// both versions (fsrace check --cross-check-set, at 1 or 2 fds; docs/model.md
// gives the same at 10).
#include <doctest/doctest.h>

#include <cerrno>
#include <string>
#include <vector>

#include "cli/cross_check.hpp"
#include "cli/run.hpp"
#include "model/bcachefs/bcachefs_model.hpp"
#include "specs/model_description.hpp"
#include "specs/spec_error.hpp"
#include "tests/bcachefs_fixtures.hpp"
#include "tests/from_root.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;
using model::ActionKind;
using model::Actor;

// The baseline and each fix of the spec's model, with and without `set`.
void checkChangesNothing(const std::string& spec_file, const std::string& set, const std::vector<std::string>& sets = {"fds=2"}) {
  specs::Spec spec = fromRoot(spec_file, sets);
  std::vector<std::string> fixes = {""};
  for (const auto& name : specs::availableFixNames(spec)) fixes.push_back(name);
  for (const auto& fix : fixes) {
    std::vector<std::string> applied;
    if (!fix.empty()) applied.push_back(fix);
    std::vector<std::string> changed = sets;
    changed.push_back(set);
    specs::Spec given;
    try {
      given = fromRoot(spec_file, sets, applied);
    } catch (const specs::SpecError&) {
      continue;  // a combination the parameters contradict (verify skips it too)
    }
    json doc = cli::runParameterCrossCheck(given, fromRoot(spec_file, changed, applied), {set}, {});
    INFO(spec_file << " " << set << " fix " << (fix.empty() ? "none" : fix) << ": " << doc["differences"].dump());
    CHECK(doc["agree"] == true);
    // The parameter did change the model: the baseline's state spaces differ
    // (under a fix they need not: a shutdown in step 6 leaves no halted entry to write).
    if (fix.empty()) CHECK(doc["runs"][0]["states"] != doc["runs"][1]["states"]);
  }
}

}  // namespace

TEST_SUITE("fidelity") {
  TEST_CASE("splitting reclaim into the key-cache flush and the node write changes no verdict or outcome") {
    // At 1 fd: the split multiplies the states by 30 (2023) to 27 (2024).
    checkChangesNothing("specs/generic-441.json", "split_reclaim=true", {"fds=1"});
    checkChangesNothing("specs/bcachefs-2024-generic-441.json", "split_reclaim=true", {"fds=1"});
  }

  TEST_CASE("writing the halted journal's last entry (noflush) changes no verdict or outcome") {
    checkChangesNothing("specs/generic-441.json", "halted_entry_written=true");
    checkChangesNothing("specs/bcachefs-2024-generic-441.json", "halted_entry_written=true");
  }

  TEST_CASE("the pre-reservation's slow path (EIO on a halted journal) changes no verdict or outcome of 2023") {
    checkChangesNothing("specs/generic-441.json", "journal_pressure=true");
    checkChangesNothing("specs/generic-441.json", "journal_pressure=true", {"fds=2", "reclaim_before_switch=false"});
  }

  TEST_CASE("a parameter cross-check reports a parameter that does change a verdict") {
    // With reclaim still behind at the switch, the settle after it holds P1; with reclaim free, not.
    json doc = cli::runParameterCrossCheck(fromRoot("specs/generic-441.json", {"fds=2"}, {"settle_after_table_switch"}),
                                           fromRoot("specs/generic-441.json", {"fds=2", "reclaim_before_switch=false"},
                                                    {"settle_after_table_switch"}),
                                           {"reclaim_before_switch=false"}, {});
    CHECK(doc["agree"] == false);
    CHECK(doc["exit_code"] == 1);
    CHECK(doc["differences"].dump().find("fsync_after_shutdown_consistent") != std::string::npos);
  }

  TEST_CASE("reclaim's key-cache flush leaves a dirty btree node, journalling the key again in 2023 only, and the node write then flushes it") {
    model::ModelOptions options;
    options.split_reclaim = true;
    model::BcachefsModel m(oneFsyncProgram(), {}, options);
    model::State s = m.initialState();
    s.dirty_pins = 1;
    REQUIRE(isEnabled(m, s, ActionKind::JournalReclaimKeyCache));
    CHECK_FALSE(isEnabled(m, s, ActionKind::JournalReclaim));
    s.btree_write_locked = 1;  // a commit holds the leaf's write lock: reclaim's commit waits
    CHECK_FALSE(isEnabled(m, s, ActionKind::JournalReclaimKeyCache));
    s.btree_write_locked = 0;
    model::State t = m.apply(s, {ActionKind::JournalReclaimKeyCache, Actor::Reclaim});
    CHECK(t.cur_seq == 2);
    CHECK(t.entry_open == 1);
    CHECK(t.entry_dirty == 1);
    CHECK(t.dirty_pins == 0);
    CHECK(t.node_pins == 1);
    CHECK(isEnabled(m, t, ActionKind::JournalWrite));
    model::State u = m.apply(t, {ActionKind::JournalReclaim, Actor::Reclaim});
    CHECK(u.node_pins == 0);
    t.table = static_cast<std::uint8_t>(model::DmTable::Error);
    model::State v = m.apply(t, {ActionKind::JournalReclaim, Actor::Reclaim});
    CHECK(v.reclaim_fatal == static_cast<std::uint8_t>(model::FatalStep::EmergencyReadOnly));
    // Since 2024 the flush commits without a journal reservation: the journal is untouched.
    options.version = model::Version::Y2024;
    model::BcachefsModel y2024(oneFsyncProgram(), {}, options);
    model::State w = y2024.apply(s, {ActionKind::JournalReclaimKeyCache, Actor::Reclaim});
    CHECK(w.cur_seq == 1);
    CHECK(w.entry_open == 0);
    CHECK(w.entry_dirty == 0);
    CHECK(w.dirty_pins == 0);
    CHECK(w.node_pins == 1);
  }

  TEST_CASE("with the flusher's inode write, sync_inode_metadata is never a local step (partial-order reduction)") {
    // Found by review: --por explored sync_inode_metadata alone on a dirty
    // inode, never the flusher's write first, and lost end states (69,719
    // unreduced, 61,201 with --por at 2 fds, 2 processes, 2 files on
    // bcachefs-2024).
    for (bool flusher : {false, true}) {
      model::ModelOptions options;
      options.version = model::Version::Y2024;
      options.flusher_writes_inode = flusher;
      model::BcachefsModel m(oneFsyncProgram(), {}, options);
      model::State s = atFsyncStep(m, ActionKind::SyncInodeMetadata);
      s.inode[0].i_dirty_sync = 1;
      model::Action a{ActionKind::SyncInodeMetadata, Actor::Test, 0};
      REQUIRE(isEnabled(m, s, ActionKind::SyncInodeMetadata));
      CHECK(isEnabled(m, s, ActionKind::WritebackInode) == flusher);
      CHECK(m.localStep(s, a).has_value() == !flusher);
    }
  }

  TEST_CASE("fix data_write_error_shuts_down: a failed data write's completion shuts the fs down, and without it nothing does") {
    for (bool fixed : {false, true}) {
      std::vector<model::Fix> fixes;
      if (fixed) fixes.push_back(model::Fix::DataWriteErrorShutsDown);
      model::BcachefsModel m(oneFsyncProgram(), fixes, {});
      model::State s = m.initialState();
      s.cur_seq = 3;
      s.inode[0].wb_in_flight = 1;
      s.inode[0].wb_io_failed = 1;
      model::State t = m.apply(s, {ActionKind::WriteIndexUpdate, Actor::Writeback, 0});
      CHECK(t.inode[0].wb_err != 0);  // mapping_set_error either way
      CHECK(t.emergency_ro == fixed);
      CHECK(t.halted == fixed);
      CHECK(t.err_seq == (fixed ? 3 : 0));
      CHECK(t.ro_work_queued == fixed);
    }
  }

  TEST_CASE("the halted entry is written noflush once its reservations are put, and never counts as flushed") {
    model::ModelOptions options;
    options.halted_entry_written = true;
    model::BcachefsModel m(oneFsyncProgram(), {}, options);
    model::State s = m.initialState();
    s.cur_seq = 2;
    s.entry_open = 1;
    s.entry_dirty = 1;
    s.res_held = 1;
    s.reclaim_fatal = static_cast<std::uint8_t>(model::FatalStep::Halt);
    s = m.apply(s, {ActionKind::JournalHalt, Actor::Reclaim});
    CHECK(s.halted == 1);
    CHECK(s.err_seq == 2);
    CHECK_FALSE(isEnabled(m, s, ActionKind::JournalWrite));  // a reservation is still held
    s.res_held = 0;
    REQUIRE(isEnabled(m, s, ActionKind::JournalWrite));
    s = m.apply(s, {ActionKind::JournalWrite, Actor::Journal});
    CHECK(s.write_in_flight == 1);
    CHECK(s.write_seq == 2);
    s = m.apply(s, {ActionKind::JournalWriteDone, Actor::Journal});
    CHECK(s.write_in_flight == 0);
    CHECK(s.flushed_seq_ondisk == 1);
    CHECK(s.noflush == 0);
    CHECK_FALSE(isEnabled(m, s, ActionKind::JournalWrite));
  }

  TEST_CASE("a write in flight at the halt completes, and the halted entry is still written after it") {
    // Found by review: the completion cleared the halted entry's bit too.
    model::ModelOptions options;
    options.halted_entry_written = true;
    model::BcachefsModel m(oneFsyncProgram(), {}, options);
    for (bool fails : {false, true}) {
      model::State s = m.initialState();
      s.cur_seq = 3;  // entry 2 in flight, entry 3 open and dirty
      s.write_in_flight = 1;
      s.write_seq = 2;
      s.write_failed = fails;
      s.entry_open = 1;
      s.entry_dirty = 1;
      s.reclaim_fatal = static_cast<std::uint8_t>(model::FatalStep::Halt);
      s = m.apply(s, {ActionKind::JournalHalt, Actor::Reclaim});
      REQUIRE((s.noflush & model::kHaltedEntryDirty) != 0);
      CHECK_FALSE(isEnabled(m, s, ActionKind::JournalWrite));  // one write at a time
      s = m.apply(s, {ActionKind::JournalWriteDone, Actor::Journal});
      if (fails) {
        for (ActionKind step : {ActionKind::FsEmergencyReadOnly, ActionKind::JournalHalt, ActionKind::JournalWriteDoneErrSeq})
          s = m.apply(s, {step, Actor::Journal});
        CHECK(s.err_seq == 2);
      }
      CHECK(s.write_in_flight == 0);
      CHECK((s.noflush & model::kHaltedEntryDirty) != 0);
      CHECK(isEnabled(m, s, ActionKind::JournalWrite));
    }
  }

  TEST_CASE("under journal pressure the commit's pre-reservation fails with EIO on a halted journal") {
    model::ModelOptions options;
    options.journal_pressure = true;
    model::BcachefsModel m(oneFsyncProgram(), {}, options);
    model::State s = atFsyncStep(m, ActionKind::TransCommitGetRw);
    s.inode[0].i_dirty_sync = 1;
    s = m.apply(s, {ActionKind::TransCommitGetRw, Actor::Test});
    CHECK(s.proc[0].step == model::fsyncStep(ActionKind::TransJournalPreresGet));
    s.halted = 1;
    s.err_seq = 1;
    s = m.apply(s, {ActionKind::TransJournalPreresGet, Actor::Test});
    CHECK(s.proc[0].ret_meta == EIO);
  }
}

}  // namespace fsrace::tests
