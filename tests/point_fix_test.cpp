// Fixes written in a spec ("define_fixes": at a point, when a condition
// holds, fail with an errno) run as the model's own: the same states, the
// same traces, the same verify rows and replays as a built-in fix.
#include <doctest/doctest.h>

#include <filesystem>

#include "cli/replay.hpp"
#include "cli/verify.hpp"
#include "cli/replay_document.hpp"
#include "cli/run.hpp"
#include "specs/json_reader.hpp"
#include "tests/from_root.hpp"
#include "specs/model_description.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;

// A spec next to generic-441.json (so that "extends" finds it), loaded from
// the source root as the golden documents are.
specs::Spec inlineSpec(const std::string& text, const std::vector<std::string>& sets = {}) {
  return atSourceRoot([&] { return specs::loadSpecText("specs/inline.json", text, sets); });
}

std::string definedFix(const std::string& name, const std::string& at, const std::string& when, const std::string& fail) {
  return R"({"format": "fsrace.spec/1", "extends": "generic-441.json", "name": "inline",
             "define_fixes": [{"name": ")" + name + R"(", "at": ")" + at + R"(", "when": ")" + when + R"(", "fail": ")" + fail +
         R"("}], "fixes": [")" + name + R"("]})";
}

// Everything a run found, without what names the run (spec, fixes) or times it.
json findings(json result) {
  for (const char* key : {"spec", "spec_file", "fixes", "limits", "pinned", "provenance"}) result.erase(key);
  result.erase("timing");
  result.erase("coverage");
  for (auto& p : result["properties"])
    for (const char* key : {"counterexample", "witness"})
      if (p.contains(key)) p.erase(key);
  return result;
}

std::string loadError(const std::string& text) {
  try {
    inlineSpec(text);
  } catch (const specs::SpecError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("point fixes") {
  TEST_CASE("the report's recheck written in the spec explores what the built-in recheck does") {
    auto written = cli::runCheck(inlineSpec(definedFix("recheck_in_spec", "before_mem_triggers", "journal_halted", "EROFS"), {"fds=4"}), {});
    auto builtin = cli::runCheck(fromRoot("specs/generic-441.json", {"fds=4"}, {"recheck_journal_error_before_triggers"}), {});
    CHECK(written.result["stats"]["states"] == builtin.result["stats"]["states"]);
    CHECK(written.result["stats"]["transitions"] == builtin.result["stats"]["transitions"]);
    CHECK(findings(written.result) == findings(builtin.result));
    CHECK(written.result["coverage"]["transitions"]["before_mem_triggers_hook"] ==
          builtin.result["coverage"]["transitions"]["trans_journal_error_recheck"]);
  }

  TEST_CASE("a built-in point fix and the same fix written in the spec write the same traces") {
    auto written = cli::runCheck(inlineSpec(definedFix("shut_down_in_spec", "flush_inode_entry", "fs_shut_down", "EIO"), {"fds=3"}), {});
    auto builtin = cli::runCheck(fromRoot("specs/generic-441.json", {"fds=3"}, {"fsync_fails_once_shut_down"}), {});
    REQUIRE(written.result["properties"].size() == builtin.result["properties"].size());
    for (std::size_t i = 0; i < written.result["properties"].size(); ++i) {
      json a = written.result["properties"][i].value("counterexample", json()), b = builtin.result["properties"][i].value("counterexample", json());
      if (a.is_null()) {
        CHECK(b.is_null());
        continue;
      }
      CHECK(a["steps"] == b["steps"]);
      CHECK(a["fixes"] == json::array({"shut_down_in_spec"}));
    }
    CHECK(findings(written.result) == findings(builtin.result));
  }

  TEST_CASE("the fsync-entry fix generic-441.json defines is a verify row, replayed like a built-in") {
    specs::Spec spec = fromRoot("specs/generic-441.json", {"fds=2"});
    auto names = specs::availableFixNames(spec);
    CHECK(names.back() == "fsync_fails_at_entry_once_shut_down");
    json verify = cli::runVerify(spec, {{"fsync_fails_at_entry_once_shut_down"}}, {});
    const json& row = verify["rows"][1];
    CHECK(row["name"] == "fsync_fails_at_entry_once_shut_down");
    CHECK(row["verdicts"]["fsync_after_shutdown_consistent"] == "holds");
    CHECK(row["key_fsync_results"] == json::array({"EIO"}));
    REQUIRE(!row["replays"].empty());
    // The baseline's failing interleaving reaches the reopen fsync on a
    // shut-down fs: under the fix, its own step comes first.
    CHECK(row["replays"][0]["strict"]["reproduced"] == false);
  }

  TEST_CASE("a counterexample found under a fix written in the spec replays as what fsrace writes") {
    specs::Spec spec = fromRoot("specs/generic-441-fsync-entry-check.json", {"fds=2"});
    json result = cli::runCheck(spec, {}).result;
    json cex;
    for (const auto& p : result["properties"])
      if (p["name"] == "test_passes") cex = p["counterexample"];
    REQUIRE(cex.is_object());
    bool hook = false;
    for (const auto& step : cex["steps"]) hook |= step["action"] == "fsync_entry_hook";
    CHECK(hook);
    auto report = atSourceRoot([&] { return cli::replayDocument("cex.json", cex, "", {}, false); });
    CHECK_MESSAGE(report.reproduced, report.message);
  }

  TEST_CASE("point fixes at one point run in one order, whatever the order of --fix") {
    const std::string text = R"({"format": "fsrace.spec/1", "extends": "generic-441.json", "name": "inline",
      "define_fixes": [{"name": "d1", "at": "flush_inode_entry", "when": "always", "fail": "EIO"},
                       {"name": "d2", "at": "flush_inode_entry", "when": "always", "fail": "EROFS"}]})";
    auto run = [&](std::vector<std::string> fixes) {
      specs::Spec spec = inlineSpec(text, {"fds=1"});
      spec.fixes = std::move(fixes);
      return findings(cli::runCheck(spec, {}).result);
    };
    json a = run({"d1", "d2"}), b = run({"d2", "d1"});
    CHECK(a == b);
    CHECK(a["outcomes"][0]["outcome"]["first_fsync[0]"] == "EIO");  // d1 is defined first
  }

  TEST_CASE("a definition names a point, a condition and an errno of the model, and a new name") {
    CHECK(loadError(definedFix("f", "fsync_entri", "fs_shut_down", "EIO")).find(
              "/define_fixes/0/at: \"fsync_entri\" is not allowed; did you mean \"fsync_entry\"?") != std::string::npos);
    CHECK(loadError(definedFix("f", "fsync_entry", "shut_down", "EIO")).find("/define_fixes/0/when: ") != std::string::npos);
    CHECK(loadError(definedFix("f", "fsync_entry", "fs_shut_down", "EBANANA")).find(
              "/define_fixes/0/fail: \"EBANANA\" is not allowed") != std::string::npos);
    CHECK(loadError(definedFix("fsync_fails_once_shut_down", "fsync_entry", "fs_shut_down", "EIO"))
              .find("/define_fixes/0/name: fix \"fsync_fails_once_shut_down\" exists already (built into model bcachefs-2023") !=
          std::string::npos);
    CHECK(loadError(definedFix("a/b", "fsync_entry", "fs_shut_down", "EIO")).find("is not a fix name") != std::string::npos);
  }
}

}  // namespace fsrace::tests
