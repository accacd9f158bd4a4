// Verifying fixes: golden counterexamples, replay, and verify.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/replay.hpp"
#include "cli/verify.hpp"
#include "cli/run.hpp"
#include "specs/json_reader.hpp"
#include "tests/from_root.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;

std::string sourcePath(const std::string& relative) { return std::string(FSRACE_SOURCE_DIR) + "/" + relative; }

specs::Spec loadFromRoot(const std::string& relative, const std::vector<std::string>& fixes = {}) {
  // Counterexample documents record the spec path as given; load from the
  // source root so the golden files are the same wherever the suite runs.
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(FSRACE_SOURCE_DIR);
  specs::Spec spec = specs::loadSpec(relative, {}, fixes);
  std::filesystem::current_path(cwd);
  return spec;
}

json readJson(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

const json& baselineResult() {
  static const json result = cli::runCheck(loadFromRoot("specs/generic-441.json"), {}).result;
  return result;
}

}  // namespace

TEST_SUITE("fixes") {
  TEST_CASE("the committed baseline counterexamples are what the tool generates") {
    bool update = std::getenv("FSRACE_UPDATE_GOLDEN") != nullptr;
    std::string dir = sourcePath("counterexamples/generic-441");
    std::size_t compared = 0;
    for (const auto& p : baselineResult()["properties"]) {
      if (!p.contains("counterexample")) continue;
      std::string path = dir + "/" + p["name"].get<std::string>() + ".json";
      if (update) {
        std::filesystem::create_directories(dir);
        std::ofstream(path) << p["counterexample"].dump(2) << "\n";
      }
      REQUIRE_MESSAGE(std::filesystem::exists(path), path << " is missing; regenerate with FSRACE_UPDATE_GOLDEN=1 ctest");
      json committed = readJson(path);
      json diff = json::diff(committed, p["counterexample"]);
      CHECK_MESSAGE(diff.empty(), path << " differs from the generated counterexample (FSRACE_UPDATE_GOLDEN=1 ctest "
                                          "regenerates; review the diff):\n" << diff.dump(2).substr(0, 4000));
      ++compared;
    }
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) files += entry.path().extension() == ".json";
    CHECK(compared == 2);
    CHECK(files == compared);  // no stale golden file
  }

  TEST_CASE("a baseline counterexample replays on the unmodified code") {
    json trace = readJson(sourcePath("counterexamples/generic-441/fsync_after_shutdown_consistent.json"));
    cli::validateTrace("t", trace);
    auto report = cli::replayTrace(loadFromRoot("specs/generic-441.json"), trace, false);
    CHECK(report.reproduced);
    CHECK(report.steps_replayed == trace["steps"].size());
  }

  TEST_CASE("under the recheck fix the baseline counterexample stops where the fix adds its step, and "
            "still reproduces once the fix's step is inserted") {
    json trace = readJson(sourcePath("counterexamples/generic-441/fsync_after_shutdown_consistent.json"));
    auto spec = loadFromRoot("specs/generic-441.json", {"recheck_journal_error_before_triggers"});
    auto strict = cli::replayTrace(spec, trace, true);
    CHECK_FALSE(strict.reproduced);
    CHECK(strict.message.find("run_mem_triggers (test) is not enabled under fix recheck_journal_error_before_triggers; "
                              "enabled: trans_journal_error_recheck (test)") != std::string::npos);
    auto adapted = cli::replayTrace(spec, trace, false);
    CHECK(adapted.reproduced);
    CHECK(adapted.fix_steps_inserted > 0);
  }

  TEST_CASE("a divergence does not reproduce when the fix makes both branches end alike") {
    json trace = readJson(sourcePath("counterexamples/generic-441/fsync_after_shutdown_consistent.json"));
    auto spec = loadFromRoot("specs/generic-441.json", {"flush_reports_journal_error"});
    auto report = cli::replayTrace(spec, trace, false);
    CHECK_FALSE(report.reproduced);
    CHECK(report.message.find("the other branch does not") != std::string::npos);
  }

  TEST_CASE("recheck narrows the window but a different counterexample remains") {
    auto fixed = cli::runCheck(loadFromRoot("specs/generic-441-recheck.json"), {});
    CHECK(fixed.exit_code == 0);
    const json* cex = nullptr;
    for (const auto& p : fixed.result["properties"])
      if (p["name"] == "fsync_after_shutdown_consistent") cex = &p["counterexample"];
    REQUIRE(cex != nullptr);
    json baseline_cex;
    for (const auto& p : baselineResult()["properties"])
      if (p["name"] == "fsync_after_shutdown_consistent") baseline_cex = p["counterexample"];
    CHECK((*cex)["steps"] != baseline_cex["steps"]);
    bool has_recheck = false;
    for (const auto& step : (*cex)["steps"]) has_recheck |= step["action"] == "trans_journal_error_recheck";
    CHECK(has_recheck);
    // Fewer interleavings fail than in the baseline: the window narrowed.
    auto passes = [](const json& result) {
      for (const auto& p : result["properties"])
        if (p["name"] == "test_passes") return p["observation"]["satisfied"].get<std::uint64_t>();
      return std::uint64_t{0};
    };
    CHECK(passes(fixed.result) > passes(baselineResult()));
  }

  TEST_CASE("verify runs the baseline and each fix, replaying the baseline counterexamples under each") {
    auto spec = loadFromRoot("specs/generic-441.json");
    json verify = cli::runVerify(spec, {{"recheck_journal_error_before_triggers"}, {"fsync_fails_once_shut_down"}}, {});
    CHECK(verify["format"] == "fsrace.verify/1");
    CHECK(verify["complete"] == true);
    REQUIRE(verify["rows"].size() == 3);
    CHECK(verify["rows"][0]["name"] == "baseline");
    CHECK(verify["rows"][0]["key_fsync_results"] == json::array({"0", "EIO"}));
    CHECK(verify["rows"][1]["verdicts"]["fsync_after_shutdown_consistent"] == "violated");
    const json& shut = verify["rows"][2];
    CHECK(shut["verdicts"]["fsync_after_shutdown_consistent"] == "holds");
    CHECK(shut["verdicts"]["test_passes"] == "violated");  // a deterministic failure: reported, whatever it is
    CHECK(shut["key_fsync_results"] == json::array({"EIO"}));
    REQUIRE(shut["replays"].size() == 2);
    CHECK(shut["replays"][0]["strict"]["reproduced"] == false);
  }

  TEST_CASE("settle after the switch closes the race only if reclaim is still behind at the switch") {
    auto settle = cli::runCheck(loadFromRoot("specs/generic-441-settle.json"), {});
    auto behind = cli::runCheck(loadFromRoot("specs/generic-441-settle-reclaim-behind.json"), {});
    REQUIRE(settle.exit_code == 0);
    REQUIRE(behind.exit_code == 0);
    for (const auto& o : behind.result["outcomes"]) CHECK(o["outcome"]["reopen_fsync[0]"] == "0");
    bool eio = false;
    for (const auto& o : settle.result["outcomes"]) eio |= o["outcome"]["reopen_fsync[0]"] == "EIO";
    CHECK(eio);
  }
}

}  // namespace fsrace::tests

namespace fsrace::tests {

TEST_SUITE("slice") {
  TEST_CASE("slicing drops a step that does not matter and keeps every other step enabled") {
    std::ifstream in(std::string(FSRACE_SOURCE_DIR) + "/counterexamples/generic-441/test_passes.json");
    nlohmann::json trace = nlohmann::json::parse(in);
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json");
    // Pad it: an extra reclaim flush on the working table, right after the first fsyncs.
    nlohmann::json padded = trace;
    nlohmann::json extra = {{"index", 0}, {"actor", "reclaim"}, {"action", "journal_reclaim"}, {"kernel", ""}, {"context", ""}, {"changes", nlohmann::json::array()}};
    std::size_t at = 0;
    while (padded["steps"][at]["action"] != "switch_table") ++at;
    padded["steps"].insert(padded["steps"].begin() + static_cast<std::ptrdiff_t>(at), extra);
    REQUIRE(cli::replayTrace(spec, padded, true).reproduced);  // a valid, longer trace
    nlohmann::json sliced = cli::sliceTrace(spec, padded);
    CHECK(sliced["minimality"]["sliced"] == true);
    CHECK(sliced["steps"].size() == trace["steps"].size());
    CHECK(cli::replayTrace(spec, sliced, true).reproduced);
  }

  TEST_CASE("a breadth-first shortest counterexample has nothing to slice") {
    std::ifstream in(std::string(FSRACE_SOURCE_DIR) + "/counterexamples/generic-441/test_passes.json");
    nlohmann::json trace = nlohmann::json::parse(in);
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json");
    CHECK(cli::sliceTrace(spec, trace)["steps"].size() == trace["steps"].size());
  }
}

}  // namespace fsrace::tests

namespace fsrace::tests {

TEST_SUITE("fuzz regressions") {
  TEST_CASE("inputs the fuzzers once crashed on are handled") {
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json");
    std::size_t checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(FSRACE_SOURCE_DIR) + "/tests/fuzz/regressions")) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      try {
        auto trace = specs::JsonReader(entry.path().string()).parseText(text);
        cli::validateTrace(entry.path().string(), trace);
        auto trace_spec = cli::specOfTrace(entry.path().string(), trace, spec.file, {});
        cli::replayTrace(trace_spec, trace, false);
        cli::sliceTrace(trace_spec, trace);  // once read past the program's end on a trace that does not replay
      } catch (const specs::SpecError&) {
      }
      ++checked;
    }
    CHECK(checked >= 1);
  }

  TEST_CASE("counterexamples found under --symmetry are concrete and replay") {
    specs::Spec spec = loadFromRoot("specs/generic-441-two-files.json");
    cli::CheckOptions options;
    options.reductions.symmetry = true;
    json result = cli::runCheck(spec, options).result;
    CHECK(result["reductions"]["symmetry"] == true);
    std::size_t replayed = 0;
    for (const auto& p : result["properties"]) {
      for (const char* key : {"counterexample", "witness"}) {
        if (!p.contains(key)) continue;
        auto cwd = std::filesystem::current_path();
        std::filesystem::current_path(FSRACE_SOURCE_DIR);
        cli::ReplayReport report = cli::replayTrace(spec, p[key], false);
        std::filesystem::current_path(cwd);
        INFO(p["name"].get<std::string>() << ": " << report.message);
        CHECK(report.reproduced);
        ++replayed;
      }
    }
    CHECK(replayed >= 8);
  }

  TEST_CASE("verify skips a fix the parameters contradict, and says why, instead of reporting a deadlock") {
    json verify = atSourceRoot([&] {
      auto behind = specs::loadSpec("specs/generic-441.json", {"fds=1", "reclaim_before_switch=false"});
      return cli::runVerify(behind, {{"settle_before_table_switch"}, {"settle_after_table_switch"}}, {});
    });
    REQUIRE(verify["rows"].size() == 2);  // the baseline and settle_after_table_switch
    CHECK(verify["rows"][1]["name"] == "settle_after_table_switch");
    REQUIRE(verify["skipped"].size() == 1);
    CHECK(verify["skipped"][0]["name"] == "settle_before_table_switch");
    CHECK(verify["skipped"][0]["why"].get<std::string>().rfind("/parameters/reclaim_before_switch: false together with", 0) == 0);
  }
}

}  // namespace fsrace::tests
