#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace fsrace::cli {

// A fsrace.counterexample/1 document as a Mermaid sequenceDiagram; a
// divergence becomes an alt/else block after the common prefix.
std::string renderMermaid(const nlohmann::json& trace);

// The same trace as a Graphviz digraph: one node per state after a group of
// steps; the counterexample in red, the other branch of a divergence in blue.
std::string renderDot(const nlohmann::json& trace);

}  // namespace fsrace::cli
