// Replay trusts nothing it reads: a document reproduces only if it is what
// fsrace itself writes for the run it records. Every one-field edit of a
// golden counterexample is refused (exit 2) or not reproduced (exit 1).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include "cli/replay.hpp"
#include "cli/replay_document.hpp"
#include "cli/run.hpp"
#include "specs/json_reader.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;

// What `fsrace replay` concludes, as its exit status: 0 reproduced, 1 not,
// 2 a malformed document. Runs from the source root, as the documents name
// their spec relative to it.
int replayExit(const json& trace, const std::vector<std::string>& fixes = {}) {
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(FSRACE_SOURCE_DIR);
  int code = 0;
  try {
    cli::validateTrace("t.json", trace);
    code = cli::replayDocument("t.json", trace, "", fixes, false).reproduced ? 0 : 1;
  } catch (const specs::SpecError&) {
    code = 2;
  }
  std::filesystem::current_path(cwd);
  return code;
}

// What `fsrace check` writes for the property of `trace`, run on the spec,
// parameters and fixes the document names (its counterexample or witness).
json writtenByCheck(const json& trace) {
  std::vector<std::string> sets;
  for (const auto& [key, value] : trace["parameters"].items()) sets.push_back(key + "=" + value.dump());
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(FSRACE_SOURCE_DIR);
  specs::Spec spec = specs::loadSpec(trace["spec_file"], sets, {});
  std::filesystem::current_path(cwd);
  for (const auto& fix : trace["fixes"])
    if (std::find(spec.fixes.begin(), spec.fixes.end(), fix) == spec.fixes.end()) spec.fixes.push_back(fix);
  json result = cli::runCheck(spec, {}).result;
  for (const auto& p : result["properties"])
    if (p["name"] == trace["property"]) return p.value("counterexample", p.value("witness", json()));
  return nullptr;
}

json golden(const std::string& name) {
  std::ifstream in(std::string(FSRACE_SOURCE_DIR) + "/counterexamples/generic-441/" + name);
  return json::parse(in);
}

// Every step's fields are edited when FSRACE_ALL_EDITS is set (14,549 edits,
// most of a minute); by default, those of the first two steps, the steps
// around the deciding state and the last, which exercise every field and
// every branch of replay at a tenth of the cost.
bool exhaustive() { return std::getenv("FSRACE_ALL_EDITS") != nullptr; }
bool isStepList(const json::json_pointer& at) { return at.to_string() == "/steps" || at.to_string() == "/other/steps"; }
bool sampled(const json& doc, std::size_t steps, std::size_t i) {
  std::size_t decided = doc.value("decided_after", steps / 2);
  return i < 2 || i + 1 == steps || (i + 1 >= decided && i <= decided + 1);
}

// Every one-field edit of `doc`: each scalar changed (a string gets a
// suffix, a number grows by one, a boolean flips), each member removed or
// set to null, each array shortened by its last element, each empty array
// given an element. (Edited in place through JSON pointers: flatten() would
// turn every empty array into null, so every edit would be refused for that.)
void forEachEdit(const json& doc, const std::function<void(const std::string&, const json&)>& visit) {
  std::function<void(const json&, const json::json_pointer&)> walk = [&](const json& node, const json::json_pointer& at) {
    auto with = [&](const json& value) {
      json edited = doc;
      edited[at] = value;
      return edited;
    };
    if (node.is_string()) visit(at.to_string() + " changed", with(node.get<std::string>() + "x"));
    if (node.is_boolean()) visit(at.to_string() + " flipped", with(!node.get<bool>()));
    if (node.is_number_integer()) visit(at.to_string() + " grown", with(node.get<std::int64_t>() + 1));
    if (node.is_array() && node.empty()) visit(at.to_string() + " given an element", with(json::array({"x"})));
    if (node.is_object()) {
      for (const auto& [key, member] : node.items()) {
        json removed = doc;
        removed[at].erase(key);
        visit((at / key).to_string() + " removed", removed);
        json nulled = doc;
        nulled[at / key] = nullptr;
        visit((at / key).to_string() + " null", nulled);
        walk(member, at / key);
      }
    }
    if (node.is_array() && !node.empty()) {
      json shorter = doc;
      shorter[at].erase(shorter[at].size() - 1);
      visit(at.to_string() + " shortened", shorter);
      // A step's reads: the first one edited stands for the others (they are
      // compared as one array), unless every edit is asked for.
      bool reads = !at.empty() && at.back() == "reads";
      for (std::size_t i = 0; i < node.size(); ++i)
        if ((!isStepList(at) || exhaustive() || sampled(doc, node.size(), i)) && (!reads || i == 0 || exhaustive()))
          walk(node[i], at / i);
    }
  };
  walk(doc, json::json_pointer());
}

}  // namespace

TEST_SUITE("replay") {
  TEST_CASE("the golden counterexamples reproduce as they are") {
    CHECK(replayExit(golden("fsync_after_shutdown_consistent.json")) == 0);
    CHECK(replayExit(golden("test_passes.json")) == 0);
  }

  // One case per golden, so that ctest runs them side by side. An edit may
  // turn the document into another run's genuine one (a parameter the trace
  // does not depend on, such as background_writeback in a trace without
  // background writeback): replay may reproduce it only if it is then byte
  // for byte what fsrace check writes for that run, found independently here.
  void noEditReproduces(const std::string& name) {
    std::size_t edits = 0, other_runs = 0;
    forEachEdit(golden(name), [&](const std::string& what, const json& edited) {
      ++edits;
      INFO(name << ": " << what);
      if (replayExit(edited) != 0) return;
      ++other_runs;
      CHECK(edited == writtenByCheck(edited));
    });
    MESSAGE(name << ": " << edits << " one-field edits; " << other_runs << " made another run's genuine document");
  }

  TEST_CASE("no one-field edit of the golden divergence reproduces") { noEditReproduces("fsync_after_shutdown_consistent.json"); }
  TEST_CASE("no one-field edit of the golden witness reproduces") { noEditReproduces("test_passes.json"); }

  TEST_CASE("a step without its changes is refused with its pointer") {
    json trace = golden("test_passes.json");
    trace["steps"][3].erase("changes");
    CHECK_THROWS_WITH_AS(cli::validateTrace("t.json", trace), "t.json: /steps/3/changes: missing (required)", specs::SpecError);
  }

  TEST_CASE("an edited change names the first difference") {
    json trace = golden("fsync_after_shutdown_consistent.json");
    trace["steps"][5]["changes"][0]["after"] = "7";
    auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(FSRACE_SOURCE_DIR);
    cli::ReplayReport report = cli::replayDocument("t.json", trace, "", {}, false);
    std::filesystem::current_path(cwd);
    CHECK_FALSE(report.reproduced);
    CHECK(report.message.find("/steps/5/changes/0/after: the document says \"7\"") != std::string::npos);
  }

  TEST_CASE("an edited read names the first difference, and a document without reads still reproduces") {
    json trace = golden("fsync_after_shutdown_consistent.json");
    trace["steps"][96]["reads"][1] = "flushed_seq_ondisk";
    auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(FSRACE_SOURCE_DIR);
    cli::ReplayReport edited = cli::replayDocument("t.json", trace, "", {}, false);
    for (auto& step : trace["steps"]) step.erase("reads");
    for (auto& step : trace["other"]["steps"]) step.erase("reads");
    cli::ReplayReport without = cli::replayDocument("t.json", trace, "", {}, false);
    std::filesystem::current_path(cwd);
    CHECK_FALSE(edited.reproduced);
    CHECK(edited.message.find("/steps/96/reads/1: the document says \"flushed_seq_ondisk\"") != std::string::npos);
    CHECK_MESSAGE(without.reproduced, without.message);
  }

  TEST_CASE("a tampered document does not reproduce under a fix either") {
    json trace = golden("fsync_after_shutdown_consistent.json");
    CHECK(replayExit(trace, {"settle_after_table_switch"}) == 1);  // the fix closes the race
    trace["outcome"]["result"] = "Test passed!";
    CHECK(replayExit(trace, {"recheck_journal_error_before_triggers"}) == 1);
  }

  TEST_CASE("a fix the document was made under cannot be added again") {
    json trace = golden("test_passes.json");
    trace["fixes"] = {"settle_after_table_switch"};
    CHECK(replayExit(trace, {"settle_after_table_switch"}) == 2);
  }
}

}  // namespace fsrace::tests
