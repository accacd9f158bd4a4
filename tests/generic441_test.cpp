// The acceptance table of domain.md, on specs/generic-441.json as committed.
#include <doctest/doctest.h>

#include <set>

#include "cli/exit_codes.hpp"
#include "cli/run.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;

const json& baseline() {
  static const json result = [] {
    specs::Spec spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json");
    auto out = cli::runCheck(spec, {});
    REQUIRE(out.exit_code == cli::kExitHolds);  // every verdict as the spec expects
    return out.result;
  }();
  return result;
}

const json& property(const std::string& name) {
  for (const auto& p : baseline()["properties"])
    if (p["name"] == name) return p;
  FAIL("no property " << name);
  throw;
}

// Index of the first step of `trace` with this action (and context, if given).
std::ptrdiff_t stepIndex(const json& trace, const std::string& action, const std::string& context = "") {
  const json& steps = trace["steps"];
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i]["action"] == action && (context.empty() || steps[i]["context"] == context)) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

std::string changeTo(const json& step, const std::string& field) {
  for (const auto& c : step["changes"])
    if (c["field"] == field) return c["after"];
  return "";
}

}  // namespace

TEST_SUITE("generic-441") {
  TEST_CASE("the exploration is complete and its figures are pinned") {
    const json& stats = baseline()["stats"];
    CHECK(stats["complete"] == true);
    CHECK(stats["states"] == 119985);
    CHECK(stats["transitions"] == 292684);
    CHECK(stats["terminal_states"] == 1260);
    CHECK(stats["depth"] == 250);
  }

  TEST_CASE("the reopen fsync of fd[0] returns 0 in some interleavings and EIO in others, nothing else") {
    std::set<std::string> values;
    for (const auto& o : baseline()["outcomes"]) {
      values.insert(o["outcome"]["reopen_fsync[0]"].get<std::string>());
      CHECK(o["observation"] == "sometimes");
    }
    CHECK(values == std::set<std::string>{"0", "EIO"});
    CHECK(property("reopen_fsync_never_erofs")["verdict"] == "holds");
  }

  TEST_CASE("fsync after shutdown is inconsistent and the test fails in some interleavings") {
    CHECK(property("fsync_after_shutdown_consistent")["verdict"] == "violated");
    CHECK(property("test_passes")["verdict"] == "violated");
    CHECK(property("errors_reported_once_per_fd")["verdict"] == "holds");
    CHECK(property("shut_down_before_healed_fsyncs")["verdict"] == "holds");
    CHECK(property("no_deadlock")["verdict"] == "holds");
  }

  TEST_CASE("the shortest counterexample is the seed's failing interleaving") {
    const json& trace = property("fsync_after_shutdown_consistent")["counterexample"];
    CHECK(trace["format"] == "fsrace.counterexample/1");
    CHECK(trace["minimality"]["steps"] == 150);
    CHECK(trace["outcome"]["reopen_fsync[0]"] == "EIO");
    // The commit in fd[0]'s second fsync runs the inode trigger and inserts the key...
    const std::string fsync0 = "fsync fd[0] (second_fsync[0])";
    auto trigger = stepIndex(trace, "run_mem_triggers", fsync0);
    auto insert = stepIndex(trace, "btree_insert_key_cached", fsync0);
    REQUIRE(trigger >= 0);
    REQUIRE(insert > trigger);
    std::string seq = changeTo(trace["steps"][static_cast<std::size_t>(insert)], "bi_journal_seq");
    REQUIRE_FALSE(seq.empty());
    // ...before reclaim's I/O error shuts the fs down and halts the journal at that seq...
    auto reclaim = stepIndex(trace, "journal_reclaim");
    auto halt = stepIndex(trace, "journal_halt");
    REQUIRE(reclaim > insert);
    REQUIRE(halt > reclaim);
    CHECK(trace["steps"][static_cast<std::size_t>(halt)]["actor"] == "reclaim");
    CHECK(changeTo(trace["steps"][static_cast<std::size_t>(halt)], "err_seq") == seq);
    // ...and the reopen fsync's flush finds err_seq set and returns EIO.
    const json& last = trace["steps"].back();
    CHECK(last["action"] == "journal_flush_seq_async");
    CHECK(last["context"] == "fsync fd[0] (reopen_fsync[0])");
    CHECK(changeTo(last, "reopen_fsync[0]") == "EIO");
  }

  TEST_CASE("the passing interleaving is a witness: EROFS commit after shutdown, nothing to flush") {
    const json& p = property("reopen_fsync_returns_0");
    CHECK(p["verdict"] == "holds");
    const json& trace = p["witness"];
    auto shutdown = stepIndex(trace, "fs_emergency_read_only");
    const std::string fsync0 = "fsync fd[0] (second_fsync[0])";
    std::ptrdiff_t erofs = -1;
    for (std::size_t i = 0; i < trace["steps"].size(); ++i)
      if (trace["steps"][i]["context"] == fsync0 && changeTo(trace["steps"][i], "ret_meta") == "EROFS")
        erofs = static_cast<std::ptrdiff_t>(i);
    REQUIRE(shutdown >= 0);
    CHECK(erofs > shutdown);
    CHECK(stepIndex(trace, "run_mem_triggers", fsync0) == -1);
    CHECK(trace["outcome"]["result"] == "Test passed!");
    CHECK(trace["steps"].back()["action"] == "journal_flush_seq");  // already flushed: nothing to do
  }

  TEST_CASE("every step of the unmodified code is taken: the others need a fix, or options this scenario leaves off") {
    const json& coverage = baseline()["coverage"];
    CHECK(coverage["all_reachable_steps_taken"] == true);
    std::set<std::string> never, off;
    for (const auto& n : coverage["never_taken"]) {
      std::string reason = n["reason"];
      (reason.rfind("only under", 0) == 0 ? never : off).insert(n["action"].get<std::string>());
    }
    CHECK(never == std::set<std::string>{"settle", "trans_journal_error_recheck", "flush_inode_get_rw", "fsync_entry_hook",
                                         "before_mem_triggers_hook", "flush_inode_hook"});
    // Steps of options generic-441 leaves off (journal_pressure, flusher_writes_inode, split_reclaim).
    CHECK(off == std::set<std::string>{"trans_journal_preres_get", "writeback_inode", "journal_reclaim_key_cache"});
  }

  TEST_CASE("a run with a state limit is incomplete and claims nothing holds") {
    specs::Spec spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json");
    cli::CheckOptions options;
    options.limits.max_states = 100;
    auto out = cli::runCheck(spec, options);
    CHECK(out.exit_code == cli::kExitIncomplete);
    CHECK(out.result["stats"]["complete"] == false);
    for (const auto& p : out.result["properties"]) CHECK(p["verdict"] != "holds");
  }
}

}  // namespace fsrace::tests
