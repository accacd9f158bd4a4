// The December 2024 version of the bcachefs model: upstream's fsync changes
// since the report are its code, not fixes, and the steps that changed since
// 2023 behave as the 2024 source does.
#include <doctest/doctest.h>

#include <cerrno>
#include <set>
#include <string>

#include "cli/run.hpp"
#include "model/bcachefs/bcachefs_model.hpp"
#include "specs/spec_error.hpp"
#include "tests/bcachefs_fixtures.hpp"
#include "tests/from_root.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;
using model::ActionKind;
using model::Actor;
using model::BcachefsModel;
using model::Version;

BcachefsModel modelOf(Version version) {
  model::ModelOptions options;
  options.version = version;
  return BcachefsModel(oneFsyncProgram(), {}, options);
}

std::set<std::string> reopenResults(const json& result) {
  std::set<std::string> out;
  for (const auto& o : result["outcomes"]) out.insert(o["outcome"]["reopen_fsync[0]"]);
  return out;
}

json modelList(const std::string& name) {
  json list = cli::listDocument();
  for (const auto& m : list["models"])
    if (m["name"] == name) return m;
  return json();
}

}  // namespace

TEST_SUITE("bcachefs-2024") {
  TEST_CASE("fsrace list shows both versions, each with the commit it was read at") {
    json y2023 = modelList("bcachefs-2023");
    json y2024 = modelList("bcachefs-2024");
    REQUIRE(!y2024.is_null());
    CHECK(y2023["source"].get<std::string>().find("1b2d60826") != std::string::npos);
    CHECK(y2024["source"].get<std::string>().find("1055935ff") != std::string::npos);
    // Upstream's changes are the 2024 code: not fixes there, and their steps belong to no fix.
    std::set<std::string> fixes;
    for (const auto& f : y2024["fixes"]) fixes.insert(f["name"]);
    for (const char* upstream : {"fsync_returns_first_error", "flush_inode_takes_write_ref", "fsync_maps_erofs_to_eio"})
      CHECK(fixes.count(upstream) == 0);
    CHECK(fixes.count("recheck_journal_error_before_triggers") == 1);
    for (const auto& a : y2024["actions"])
      if (a["name"] == "flush_inode_get_rw") CHECK(a["fix"].is_null());
    for (const auto& a : y2023["actions"])
      if (a["name"] == "flush_inode_get_rw") CHECK(a["fix"] == "flush_inode_takes_write_ref");
  }

  TEST_CASE("an upstream change asked for as a fix of bcachefs-2024 is refused, saying why") {
    std::string error;
    try {
      fromRoot("specs/bcachefs-2024-generic-441.json", {}, {"fsync_returns_first_error"});
    } catch (const specs::SpecError& e) {
      error = e.what();
    }
    CHECK(error.find("fix fsync_returns_first_error is already part of model bcachefs-2024") != std::string::npos);
    CHECK(error.find("use model bcachefs-2023 to apply it as a fix") != std::string::npos);
  }

  TEST_CASE("a flush write that completes after an error was recorded counts as flushed in 2023, not in 2024") {
    for (Version version : {Version::Y2023, Version::Y2024}) {
      BcachefsModel m = modelOf(version);
      model::State s = m.initialState();
      s.cur_seq = 4;
      s.write_in_flight = 1;
      s.write_seq = 3;
      s.err_seq = 4;
      s.halted = 1;
      model::State t = m.apply(s, {ActionKind::JournalWriteDone, Actor::Journal});
      CHECK(t.write_in_flight == 0);
      CHECK(t.flushed_seq_ondisk == (version == Version::Y2023 ? 3 : 1));
    }
  }

  TEST_CASE("2024: an unflushed seq below err_seq on a halted journal ends the flush with EROFS, returned as EIO") {
    BcachefsModel m = modelOf(Version::Y2024);
    model::State s = atFsyncStep(m, ActionKind::JournalFlushSeqAsync);
    s.proc[0].flush_seq = 3;
    s.cur_seq = 4;
    s.err_seq = 4;
    s.halted = 1;
    REQUIRE(isEnabled(m, s, ActionKind::JournalFlushSeqAsync));
    model::State t = m.apply(s, {ActionKind::JournalFlushSeqAsync, Actor::Test});
    CHECK(BcachefsModel::result(t, 0) == model::retOf(EIO));
    // A write of that seq still in flight may yet fail at it: the flush waits.
    s.write_in_flight = 1;
    s.write_seq = 3;
    CHECK_FALSE(isEnabled(m, s, ActionKind::JournalFlushSeqAsync));
  }

  TEST_CASE("without the flusher's inode writes, 2024 explores exactly 2023 with upstream's three fixes") {
    // The journal changes of 2024 (err_seq stops flushed_seq_ondisk, a stranded
    // flush gets EROFS, the exit's errseq check) change no state of generic/441:
    // grafting upstream's fsync changes onto 2023 gave the right answer, except
    // for the flusher, whose inode write the Dec 2023 change made matter.
    json grafted = cli::runCheck(fromRoot("specs/generic-441.json", {"fds=3"},
                                          {"fsync_returns_first_error", "flush_inode_takes_write_ref", "fsync_maps_erofs_to_eio"}),
                                 {})
                       .result;
    json y2024 = cli::runCheck(fromRoot("specs/bcachefs-2024-generic-441.json", {"fds=3", "flusher_writes_inode=false"}), {}).result;
    CHECK(grafted["stats"]["states"] == y2024["stats"]["states"]);
    CHECK(grafted["stats"]["transitions"] == y2024["stats"]["transitions"]);
    CHECK(grafted["outcomes"] == y2024["outcomes"]);
    // With the flusher (the 2024 default) the version differs.
    json flusher = cli::runCheck(fromRoot("specs/bcachefs-2024-generic-441.json", {"fds=3"}), {}).result;
    CHECK(flusher["stats"]["states"] != y2024["stats"]["states"]);
  }

  TEST_CASE("the flake survives upstream's changes: the reopen fsync of fd[0] returns 0 or EIO") {
    json result = cli::runCheck(fromRoot("specs/bcachefs-2024-generic-441.json", {"fds=2"}), {}).result;
    CHECK(result["stats"]["complete"] == true);
    CHECK(reopenResults(result) == std::set<std::string>{"0", "EIO"});
  }

  TEST_CASE("2024 with reclaim behind at the switch and a settle after it: the reopen fsync always returns EIO") {
    json result = cli::runCheck(
                      fromRoot("specs/bcachefs-2024-generic-441.json", {"fds=2", "reclaim_before_switch=false"}, {"settle_after_table_switch"}),
                      {})
                      .result;
    CHECK(reopenResults(result) == std::set<std::string>{"EIO"});
  }
}

}  // namespace fsrace::tests
