// Counterexamples as pictures: a Mermaid sequence diagram (one lane per
// actor, renders in Git forges) and a Graphviz graph of the trace, written
// with Boost.Graph. Both read only the fsrace.counterexample/1 document.
#include <set>
#include <sstream>

// GCC 12 reports -W(maybe-)uninitialized inside Boost.Graph (boost::optional
// copies in its iterators and named_graph) once its templates are inlined
// here, at -O1 with the sanitizers as at -O2: false positives in the library,
// silenced for this file only, which is the only user of Boost.Graph.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>

#include "cli/render_graph.hpp"
#include "cli/trace_groups.hpp"
#include "specs/model_description.hpp"

namespace fsrace::cli {
namespace {

// Mermaid note text: characters that end a statement or start markup become
// Mermaid's entity codes; "->" becomes an arrow.
std::string mermaidText(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '>') {
      out += "\u2192";
      ++i;
    } else if (c == '#') {
      out += "#35;";
    } else if (c == ';') {
      out += "#59;";
    } else if (c == '<') {
      out += "#60;";
    } else if (c == '>') {
      out += "#62;";
    } else {
      out += c;
    }
  }
  return out;
}

void mermaidSteps(std::ostringstream& out, const json& steps, std::size_t from, std::size_t to, const std::string& indent) {
  for (const Group& g : groupSteps(steps, from, to, false)) {
    auto changes = netChanges(steps, g.first, g.last);
    // Long runs of steps: one step per line after the system call.
    std::string what = g.what;
    if (what.size() > 80) {
      std::size_t pos = 0;
      while ((pos = what.find(", ", pos)) != std::string::npos) what.replace(pos, 2, ",\x01");
      std::size_t colon = what.find(": ");
      if (colon != std::string::npos) what.replace(colon, 2, ":\x01");
    }
    std::string text = mermaidText(g.range() + " " + what);
    for (std::size_t pos = 0; (pos = text.find('\x01', pos)) != std::string::npos;) text.replace(pos, 1, "<br/>");
    for (const auto& c : changes) text += "<br/>" + mermaidText(c);
    out << indent << "Note over " << g.actor << ": " << text << "\n";
  }
}

std::set<std::string> actorsOf(const json& trace) {
  std::set<std::string> actors;
  for (const auto& s : trace["steps"]) actors.insert(s["actor"].get<std::string>());
  if (trace.contains("other"))
    for (const auto& s : trace["other"]["steps"]) actors.insert(s["actor"].get<std::string>());
  return actors;
}

}  // namespace

std::string renderMermaid(const json& trace) {
  std::ostringstream out;
  out << "sequenceDiagram\n";
  out << "  title " << mermaidText(trace["spec"].get<std::string>() + ": " + trace["property"].get<std::string>()) << "\n";
  // Lanes in the model's order of its actors (the test first).
  const specs::ModelDescription* family = specs::findModel(trace["model"].get<std::string>());
  for (const auto& actor : family ? family->actorNames() : std::vector<std::string>{})
    if (actorsOf(trace).count(actor)) out << "  participant " << actor << "\n";
  const json& steps = trace["steps"];
  if (!trace.contains("decided_after")) {
    mermaidSteps(out, steps, 0, steps.size(), "  ");
    if (trace.contains("outcome")) out << "  Note over test: " << mermaidText("result: " + trace["outcome"]["result"].get<std::string>()) << "\n";
    return out.str();
  }
  std::size_t decided = trace["decided_after"];
  const json& other = trace["other"];
  mermaidSteps(out, steps, 0, decided, "  ");
  out << "  alt " << mermaidText("decided here: " + trace["outcome"]["result"].get<std::string>()) << "\n";
  mermaidSteps(out, steps, decided, steps.size(), "    ");
  out << "  else " << mermaidText(other["outcome"]["result"].get<std::string>()) << "\n";
  mermaidSteps(out, other["steps"], decided, other["steps"].size(), "    ");
  out << "  end\n";
  return out.str();
}

std::string renderDot(const json& trace) {
  struct Vertex {
    std::string label;
  };
  struct Edge {
    std::string label;
    std::string color;
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, Vertex, Edge>;
  Graph g;
  auto start = boost::add_vertex(Vertex{"initial state"}, g);
  auto addBranch = [&](const json& steps, std::size_t from, Graph::vertex_descriptor at, const std::string& color) {
    for (const Group& group : groupSteps(steps, from, steps.size(), false)) {
      auto changes = netChanges(steps, group.first, group.last);
      std::string label = "after step " + std::to_string(group.last + 1);
      for (const auto& c : changes) label += "\\n" + c;
      auto next = boost::add_vertex(Vertex{label}, g);
      boost::add_edge(at, next, Edge{group.range() + " " + group.actor + "\\n" + group.what, color}, g);
      at = next;
    }
    return at;
  };
  const json& steps = trace["steps"];
  std::size_t decided = trace.value("decided_after", steps.size());
  // The common prefix (or the whole trace), then the branches.
  json prefix = json::array();
  for (std::size_t i = 0; i < decided; ++i) prefix.push_back(steps[i]);
  auto fork = addBranch(prefix, 0, start, "black");
  auto end = addBranch(steps, decided, fork, "red");
  g[end].label += "\\n=> " + trace.value("outcome", json::object()).value("result", std::string("end"));
  if (trace.contains("other")) {
    auto other_end = addBranch(trace["other"]["steps"], decided, fork, "blue");
    g[other_end].label += "\\n=> " + trace["other"]["outcome"]["result"].get<std::string>();
    g[fork].label += "\\n(decided here)";
  }
  std::ostringstream out;
  boost::write_graphviz(
      out, g,
      [&](std::ostream& os, Graph::vertex_descriptor v) {
        os << "[shape=box, fontsize=10, label=" << boost::escape_dot_string(g[v].label) << "]";
      },
      [&](std::ostream& os, Graph::edge_descriptor e) {
        os << "[fontsize=9, color=" << g[e].color << ", fontcolor=" << g[e].color
           << (g[e].color == "black" ? "" : ", penwidth=2") << ", label=" << boost::escape_dot_string(g[e].label) << "]";
      },
      [&](std::ostream& os) {
        os << "label=" << boost::escape_dot_string(trace["spec"].get<std::string>() + ": " + trace["property"].get<std::string>())
           << ";\nlabelloc=t;\n";
      });
  return out.str();
}

}  // namespace fsrace::cli
