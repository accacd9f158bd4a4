#include <doctest/doctest.h>

#include <regex>
#include <sstream>

#include "cli/render_graph.hpp"
#include "cli/run.hpp"

namespace fsrace::tests {
namespace {

const nlohmann::json& counterexample() {
  static const nlohmann::json cex = [] {
    auto spec = specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json", {"fds=2"});
    auto result = cli::runCheck(spec, {}).result;
    for (const auto& p : result["properties"])
      if (p["name"] == "fsync_after_shutdown_consistent") return p["counterexample"];
    return nlohmann::json();
  }();
  return cex;
}

}  // namespace

TEST_SUITE("render") {
  TEST_CASE("mermaid output has the shape of a sequence diagram, with the divergence as alt/else") {
    std::istringstream in(cli::renderMermaid(counterexample()));
    std::string line;
    std::getline(in, line);
    CHECK(line == "sequenceDiagram");
    // Every statement is one of the forms the sequenceDiagram grammar has.
    const std::regex statement(R"(^  ( *)(title [^;]+|participant [a-z_]+|Note over [a-z_]+: [^;]*|alt [^;]+|else [^;]+|end)$)");
    const std::regex stray_hash(R"(#(?![0-9]+;))");
    int alts = 0, elses = 0, ends = 0, notes = 0;
    while (std::getline(in, line)) {
      // ';' only inside entity codes, which the regex checks below
      std::string without_entities = std::regex_replace(line, std::regex("#[0-9]+;"), "");
      CHECK_MESSAGE(std::regex_match(without_entities, statement), line);
      CHECK_FALSE(std::regex_search(line, stray_hash));
      alts += line.find("  alt ") == 0;
      elses += line.find("  else ") == 0;
      ends += line == "  end";
      notes += line.find("Note over") != std::string::npos;
    }
    CHECK(alts == 1);
    CHECK(elses == 1);
    CHECK(ends == 1);
    CHECK(notes > 10);
  }

  TEST_CASE("dot output is one digraph with the counterexample in red and the other branch in blue") {
    std::string dot = cli::renderDot(counterexample());
    CHECK(dot.rfind("digraph G {", 0) == 0);
    CHECK(dot.find("color=red") != std::string::npos);
    CHECK(dot.find("color=blue") != std::string::npos);
    CHECK(dot.find("(decided here)") != std::string::npos);
  }
}

}  // namespace fsrace::tests
