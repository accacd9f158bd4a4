#include <doctest/doctest.h>

#include <algorithm>
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
    const std::regex statement(
        R"(^  ( *)(title [^;]+|participant [a-z_]+|Note over [a-z_]+: [^;]*|[a-z_]+-->>[a-z_]+: [^;]*|alt [^;]+|else [^;]+|rect rgb\(\d+, \d+, \d+\)|end)$)");
    const std::regex stray_hash(R"(#(?![0-9]+;))");
    int alts = 0, elses = 0, ends = 0, notes = 0, rects = 0;
    std::vector<std::string> arrows;
    while (std::getline(in, line)) {
      // ';' only inside entity codes, which the regex checks below
      std::string without_entities = std::regex_replace(line, std::regex("#[0-9]+;"), "");
      CHECK_MESSAGE(std::regex_match(without_entities, statement), line);
      CHECK_FALSE(std::regex_search(line, stray_hash));
      alts += line.find("  alt ") == 0;
      elses += line.find("  else ") == 0;
      ends += line.find_first_not_of(' ') != std::string::npos && line.substr(line.find_first_not_of(' ')) == "end";
      rects += line.find("rect rgb") != std::string::npos;
      notes += line.find("Note over") != std::string::npos;
      if (line.find("-->>") != std::string::npos) arrows.push_back(line.substr(line.find_first_not_of(' ')));
    }
    CHECK(alts == 1);
    CHECK(elses == 1);
    CHECK(rects == 3);  // the deciding window: its part before the decision, then in each branch
    CHECK(ends == alts + rects);
    CHECK(notes > 10);
    // The race's dependency, drawn: reclaim's halt sets err_seq, the flush reads it.
    CHECK(std::any_of(arrows.begin(), arrows.end(), [](const std::string& a) { return a.rfind("reclaim-->>test: err_seq = ", 0) == 0; }));
  }

  TEST_CASE("dot output is one digraph with a lane per actor, the branches in colour and a legend") {
    std::string dot = cli::renderDot(counterexample());
    CHECK(dot.rfind("digraph G {", 0) == 0);
    for (const char* lane : {"test", "writeback", "journal", "reclaim"})
      CHECK_MESSAGE(dot.find(std::string("subgraph cluster_") + lane + " {") != std::string::npos, lane);
    CHECK(dot.find("subgraph cluster_legend {") != std::string::npos);
    CHECK(dot.find("color=red3") != std::string::npos);
    CHECK(dot.find("color=blue3") != std::string::npos);
    CHECK(dot.find("style=dashed, color=darkgreen") != std::string::npos);
    CHECK(dot.find("label=\"err_seq = ") != std::string::npos);
  }
}

}  // namespace fsrace::tests
