// The second model family: the VFS alone, in its errseq_t (4.13+) and
// AS_EIO (4.12) versions, through the same spec envelope, checks, replay
// and reductions as bcachefs.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "cli/replay.hpp"
#include "cli/replay_document.hpp"
#include "cli/cross_check.hpp"
#include "cli/run.hpp"
#include "specs/json_reader.hpp"
#include "tests/from_root.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;

json withoutTimings(json result) {
  result.erase("timing");
  return result;
}

std::string verdict(const json& result, const std::string& property) {
  for (const auto& p : result["properties"])
    if (p["name"] == property) return p["verdict"];
  return "missing";
}

}  // namespace

TEST_SUITE("vfs") {
  TEST_CASE("generic/441 passes in every interleaving on vfs-errseq, with several processes on one file too") {
    for (const auto& sets : std::vector<std::vector<std::string>>{{}, {"processes=3", "fds=2"}, {"processes=2", "fds=2", "rounds=2"}}) {
      CAPTURE(sets.size());
      json result = cli::runCheck(fromRoot("specs/vfs-errseq-generic-441.json", sets), {}).result;
      CHECK(result["stats"]["complete"] == true);
      CHECK(verdict(result, "test_passes") == "holds");
      CHECK(verdict(result, "errors_reported_once_per_fd") == "holds");
      CHECK(result["outcomes"].size() == 1);
    }
  }

  TEST_CASE("on vfs-as-eio one fd's fsync consumes the error: with 10 fds the test always fails, with 1 only sometimes") {
    json ten = cli::runCheck(fromRoot("specs/vfs-as-eio-generic-441.json"), {}).result;
    CHECK(verdict(ten, "test_passes") == "violated");
    std::set<std::string> results;
    for (const auto& o : ten["outcomes"]) results.insert(o["outcome"]["result"]);
    CHECK(results == std::set<std::string>{"Success on second fsync on fd[1]!", "Success on second fsync on fd[2]!",
                                           "Success on second fsync on fd[3]!"});
    // One fd: its own fsync takes the data error; but a failed inode-table
    // write by the flusher leaves AS_EIO on the block device, and ext2_fsync
    // reports it to the next fsync there is: the reopen's.
    json one = cli::runCheck(fromRoot("specs/vfs-as-eio-generic-441.json", {"fds=1"}), {}).result;
    std::set<std::string> reopen;
    for (const auto& o : one["outcomes"]) reopen.insert(o["outcome"]["reopen_fsync[0]"]);
    CHECK(reopen == std::set<std::string>{"0", "EIO"});
  }

  TEST_CASE("vfs-errseq runs with 1, 2 and 3 threads to byte-identical JSON, with and without symmetry") {
    specs::Spec spec = fromRoot("specs/vfs-errseq-generic-441.json", {"processes=3", "fds=2"});
    for (bool symmetry : {false, true}) {
      cli::CheckOptions options;
      options.reductions.symmetry = symmetry;
      std::string one = withoutTimings(cli::runCheck(spec, options).result).dump(2);
      for (unsigned threads : {2u, 3u}) {
        CAPTURE(threads);
        options.threads = threads;
        CHECK(withoutTimings(cli::runCheck(spec, options).result).dump(2) == one);
      }
    }
  }

  TEST_CASE("the reductions agree with the unreduced run on both versions, and both reduce") {
    for (const char* file : {"specs/vfs-errseq-generic-441.json", "specs/vfs-as-eio-generic-441.json"}) {
      CAPTURE(file);
      json cross = cli::runCrossCheck(fromRoot(file, {"processes=2", "fds=2"}), {});
      CHECK(cross["agree"] == true);
      CHECK(cross["runs"][1]["states"].get<std::uint64_t>() < cross["runs"][0]["states"].get<std::uint64_t>());
    }
    // Outcome properties only: open and close are local, so --por reduces too.
    json cross = cli::runCrossCheck(fromRoot("tests/reductions/vfs-outcomes.json"), {});
    CHECK(cross["agree"] == true);
    CHECK(cross["runs"][0]["states"] == 4560);
    CHECK(cross["runs"][2]["reductions"] == "partial_order");
    CHECK(cross["runs"][2]["states"].get<std::uint64_t>() < 4560);
  }

  TEST_CASE("a vfs-as-eio counterexample replays as what fsrace writes") {
    json result = cli::runCheck(fromRoot("specs/vfs-as-eio-generic-441.json", {"fds=3"}), {}).result;
    json cex;
    for (const auto& p : result["properties"])
      if (p["name"] == "test_passes") cex = p["counterexample"];
    REQUIRE(cex.is_object());
    CHECK(cex["model"] == "vfs-as-eio");
    cli::validateTrace("cex.json", cex);
    auto report = atSourceRoot([&] { return cli::replayDocument("cex.json", cex, "", {}, false); });
    CHECK_MESSAGE(report.reproduced, report.message);
  }

  TEST_CASE("the models do not mix: a document of one model is not another's, and a fix of another model is refused") {
    json result = cli::runCheck(fromRoot("specs/vfs-as-eio-generic-441.json", {"fds=3"}), {}).result;
    json cex = result["properties"][1]["counterexample"];
    cex["model"] = "bcachefs-2023";  // "end_writeback" is no step of bcachefs
    CHECK_THROWS_AS(cli::validateTrace("cex.json", cex), specs::SpecError);
    std::string error;
    try {
      specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/vfs-errseq-generic-441.json", {}, {"recheck_journal_error_before_triggers"});
    } catch (const specs::SpecError& e) {
      error = e.what();
    }
    CHECK(error.find("--fix recheck_journal_error_before_triggers: /: model vfs-errseq has no fixes") != std::string::npos);
  }

  TEST_CASE("fsrace list shows every model with its own steps") {
    json list = cli::listDocument();
    std::vector<std::string> names;
    for (const auto& m : list["models"]) names.push_back(m["name"]);
    CHECK(names == std::vector<std::string>{"bcachefs-2023", "bcachefs-2024", "vfs-errseq", "vfs-as-eio"});
    CHECK(list["models"][2]["fixes"].empty());
    bool second_check = false;
    for (const auto& a : list["models"][2]["actions"]) second_check |= a["name"] == "file_check_and_advance_wb_err";
    CHECK(second_check);
    for (const auto& a : list["models"][3]["actions"]) CHECK(a["name"] != "file_check_and_advance_wb_err");
  }
}

}  // namespace fsrace::tests
