// Machine output has a schema, and every document the suite produces is held to it.
#include <doctest/doctest.h>

#include <filesystem>

#include "cli/cross_check.hpp"
#include "cli/replay.hpp"
#include "cli/verify.hpp"
#include "cli/run.hpp"
#include "cli/smallest.hpp"
#include "tests/json_schema.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;

SchemaValidator validator() { return SchemaValidator(std::string(FSRACE_SOURCE_DIR) + "/docs/schema"); }

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

}  // namespace

TEST_SUITE("schema") {
  TEST_CASE("every spec's result conforms to fsrace.result/1") {
    auto v = validator();
    for (const auto& entry : std::filesystem::directory_iterator(std::string(FSRACE_SOURCE_DIR) + "/specs")) {
      if (entry.path().extension() != ".json") continue;
      auto spec = specs::loadSpec(entry.path().string());
      json result = cli::runCheck(spec, {}).result;
      auto problems = v.validate(result, "result.schema.json");
      CHECK_MESSAGE(problems.empty(), entry.path().filename().string() << ":\n" << joined(problems));
    }
  }

  TEST_CASE("an incomplete result conforms too") {
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json");
    cli::CheckOptions options;
    options.limits.max_states = 100;
    auto problems = validator().validate(cli::runCheck(spec, options).result, "result.schema.json");
    CHECK_MESSAGE(problems.empty(), joined(problems));
  }

  TEST_CASE("a result with --smallest conforms too, and a schema-breaking entry is caught") {
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json", {"fds=2"});
    json result = cli::runCheck(spec, {}).result;
    auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(FSRACE_SOURCE_DIR);
    result["smallest"] = cli::smallestScenarios(spec, {"fds=2"}, {}, result, {});
    std::filesystem::current_path(cwd);
    REQUIRE(!result["smallest"].empty());
    auto v = validator();
    auto problems = v.validate(result, "result.schema.json");
    CHECK_MESSAGE(problems.empty(), joined(problems));
    result["smallest"][0].erase("arguments");
    CHECK_FALSE(v.validate(result, "result.schema.json").empty());
  }

  TEST_CASE("the golden counterexamples conform to fsrace.counterexample/1") {
    auto v = validator();
    for (const auto& entry : std::filesystem::directory_iterator(std::string(FSRACE_SOURCE_DIR) + "/counterexamples/generic-441")) {
      std::ifstream in(entry.path());
      auto problems = v.validate(json::parse(in), "counterexample.schema.json");
      CHECK_MESSAGE(problems.empty(), entry.path().filename().string() << ":\n" << joined(problems));
    }
  }

  TEST_CASE("a verify document conforms to fsrace.verify/1") {
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json", {"fds=2"});
    json doc = cli::runVerify(spec, {{"recheck_journal_error_before_triggers"}}, {});
    auto problems = validator().validate(doc, "verify.schema.json");
    CHECK_MESSAGE(problems.empty(), joined(problems));
  }

  TEST_CASE("list documents conform to fsrace.list/1, with and without a spec") {
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json");
    for (const json& doc : {cli::listDocument(), cli::listDocument("", &spec)}) {
      auto problems = validator().validate(doc, "list.schema.json");
      CHECK_MESSAGE(problems.empty(), joined(problems));
    }
  }

  TEST_CASE("cross-check documents conform to fsrace.cross_check/1") {
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json", {"fds=2"});
    auto changed = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json", {"fds=1"});
    for (const json& doc : {cli::runCrossCheck(spec, {}), cli::runParameterCrossCheck(spec, changed, {"fds=1"}, {})}) {
      auto problems = validator().validate(doc, "cross_check.schema.json");
      CHECK_MESSAGE(problems.empty(), joined(problems));
    }
  }

  TEST_CASE("the validator rejects a document that breaks its schema") {
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json", {"fds=1"});
    json result = cli::runCheck(spec, {}).result;
    result.erase("stats");
    result["properties"][0]["verdict"] = "maybe";
    result["properties"][0]["counterexample"]["steps"][0]["actor"] = 7;
    result["timing"]["when"] = "now";
    auto problems = validator().validate(result, "result.schema.json");
    REQUIRE(problems.size() == 4);
    CHECK(problems[0] == "/: missing required \"stats\"");
  }
}

}  // namespace fsrace::tests
