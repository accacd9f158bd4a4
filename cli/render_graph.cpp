// Counterexamples as pictures: a Mermaid sequence diagram (one lane per
// actor, renders in Git forges) and a Graphviz graph of the trace, written
// with Boost.Graph. Both read only the fsrace.counterexample/1 document.
#include <algorithm>
#include <map>
#include <optional>
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
#include "cli/trace_view.hpp"
#include "specs/model_description.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

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

// What a reader sees of one branch (or the shared prefix): rows with the
// chain and the deciding window, and which rows read which.
struct Picture {
  std::vector<Row> rows;
  std::vector<Dependency> arrows;  // across actors: links of the chain, and reads inside the deciding window
};

// Rows of steps [from, to) of branch b (the prefix: b = -1, both chains).
Picture pictureOf(const Story& story, int b, std::size_t from, std::size_t to) {
  const json& steps = (*story.branches[b < 0 ? 0 : b])["steps"];
  const RowOptions options = storyRows(story, b);
  return {traceRows(steps, from, to, options), drawnDependencies(steps, options.chain, options.window, from, to)};
}

// The value step `from` wrote to `field`.
std::string written(const json& steps, const Dependency& d) {
  for (const auto& c : steps[d.from]["changes"])
    if (c["field"] == d.field) return c["after"];
  return "?";
}

// A row as lines of at most about 60 columns, joined by `br`.
std::string rowLabel(const Row& row, const std::string& br) {
  std::string text;
  for (const auto& line : wrapText(row.text, 60, (row.on_chain ? "* " : "") + row.range() + " ", 4))
    text += (text.empty() ? "" : br) + line;
  for (const auto& c : row.changes) text += br + c;
  return text;
}

void mermaidRows(std::ostringstream& out, const json& steps, const Picture& picture, const std::string& indent) {
  bool in_window = false;
  for (const Row& row : picture.rows) {
    if (row.window != in_window) {
      out << indent << (row.window ? "rect rgb(255, 244, 214)" : "end") << "\n";
      in_window = row.window;
    }
    const std::string inner = indent + (in_window ? "  " : "");
    for (const auto& d : picture.arrows)
      if (d.to >= row.first && d.to <= row.last)
        out << inner << steps[d.from]["actor"].get<std::string>() << "-->>" << row.actor << ": "
            << mermaidText(d.field + " = " + written(steps, d) + " (step " + std::to_string(d.from + 1) + ", read at " +
                           std::to_string(d.to + 1) + ")")
            << "\n";
    std::string text = mermaidText(rowLabel(row, "\x01"));
    for (std::size_t pos = 0; (pos = text.find('\x01', pos)) != std::string::npos;) text.replace(pos, 1, "<br/>");
    out << inner << "Note over " << row.actor << ": " << text << "\n";
  }
  if (in_window) out << indent << "end\n";
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
  const Story story = storyOf(trace);
  if (!trace.contains("decided_after")) {
    mermaidRows(out, steps, pictureOf(story, 0, 0, steps.size()), "  ");
    if (trace.contains("outcome")) out << "  Note over test: " << mermaidText("result: " + trace["outcome"]["result"].get<std::string>()) << "\n";
    return out.str();
  }
  const json& other = trace["other"];
  mermaidRows(out, steps, pictureOf(story, -1, 0, story.decided), "  ");
  out << "  alt " << mermaidText("decided after step " + std::to_string(story.decided) + ": branch 1 -> " + branchEnd(trace, other)) << "\n";
  mermaidRows(out, steps, pictureOf(story, 0, story.decided, steps.size()), "    ");
  out << "    Note over test: " << mermaidText("=> " + trace["outcome"]["result"].get<std::string>()) << "\n";
  out << "  else " << mermaidText("branch 2 -> " + branchEnd(other, trace)) << "\n";
  mermaidRows(out, other["steps"], pictureOf(story, 1, story.decided, other["steps"].size()), "    ");
  out << "    Note over test: " << mermaidText("=> " + other["outcome"]["result"].get<std::string>()) << "\n";
  out << "  end\n";
  return out.str();
}

std::string renderDot(const json& trace) {
  // One node per row (a system call, a folded run of calls, or a step of
  // the deciding window), in one lane (cluster) per actor; grey edges are
  // the order of the run, dashed green ones a value one actor wrote and
  // another read.
  struct Vertex {
    std::string label, lane, color;
    bool chain = false, window = false;
  };
  struct Edge {
    std::string label, style;
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, Vertex, Edge>;
  Graph g;
  const Story story = storyOf(trace);
  const int branches = story.branches[1] ? 2 : 1;
  const char* colors[3] = {"black", "red3", "blue3"};
  // Vertex of each step, per branch (the prefix's are shared).
  std::vector<std::vector<std::size_t>> vertex_of(2);
  std::map<std::pair<int, std::string>, std::optional<std::size_t>> lane_last;
  auto addRows = [&](const Picture& picture, int b, const std::string& color, std::optional<std::size_t> after) {
    for (const Row& row : picture.rows) {
      std::string label = rowLabel(row, "\\n");
      auto v = boost::add_vertex(Vertex{label, row.actor, color, row.on_chain, row.window}, g);
      for (std::size_t k = 0; k < static_cast<std::size_t>(branches); ++k)
        if (b < 0 || static_cast<std::size_t>(b) == k)
          for (std::size_t i = row.first; i <= row.last; ++i) {
            if (vertex_of[k].size() <= i) vertex_of[k].resize(i + 1);
            vertex_of[k][i] = v;
          }
      if (after) boost::add_edge(*after, v, Edge{"", "order"}, g);
      // An invisible heavy edge from the lane's previous row keeps each lane one column.
      auto& previous = lane_last[{b, row.actor}];
      if (previous) boost::add_edge(*previous, v, Edge{"", "lane"}, g);
      previous = v;
      after = v;
    }
    return after;
  };
  // Each part once: the shared steps (the whole trace without a
  // divergence), then each branch from the decision.
  const Picture shared = pictureOf(story, branches == 2 ? -1 : 0, 0, story.decided);
  auto fork = addRows(shared, -1, colors[0], std::nullopt);
  std::vector<Picture> own;
  if (branches == 1 && fork && trace.contains("outcome")) g[*fork].label += "\\n=> " + trace["outcome"]["result"].get<std::string>();
  for (int b = 0; branches == 2 && b < 2; ++b) {
    const json& branch = *story.branches[b];
    own.push_back(pictureOf(story, b, story.decided, branch["steps"].size()));
    if (auto end = addRows(own.back(), b, colors[b + 1], fork)) g[*end].label += "\\n=> " + branch["outcome"]["result"].get<std::string>();
  }
  // Dependencies drawn: across actors, the chain's links and the window's reads.
  auto addArrows = [&](const Picture& picture, std::size_t b) {
    const json& mine = (*story.branches[b])["steps"];
    for (const auto& d : picture.arrows)
      boost::add_edge(vertex_of[b][d.from], vertex_of[b][d.to], Edge{d.field + " = " + written(mine, d), "reads"}, g);
  };
  addArrows(shared, 0);
  for (std::size_t b = 0; b < own.size(); ++b) addArrows(own[b], b);
  std::ostringstream out;
  const specs::ModelDescription* family = specs::findModel(trace["model"].get<std::string>());
  std::vector<std::string> lanes = family ? family->actorNames() : std::vector<std::string>{};
  for (const auto& actor : actorsOf(trace))
    if (std::find(lanes.begin(), lanes.end(), actor) == lanes.end()) lanes.push_back(actor);
  boost::write_graphviz(
      out, g,
      [&](std::ostream& os, Graph::vertex_descriptor v) {
        const Vertex& x = g[v];
        os << "[label=" << boost::escape_dot_string(x.label) << ", color=" << x.color << (x.chain ? ", penwidth=2.5" : "")
           << (x.window ? ", style=filled, fillcolor=\"#fff4d6\"" : "") << "]";
      },
      [&](std::ostream& os, Graph::edge_descriptor e) {
        if (g[e].style == "order") os << "[color=gray60, arrowsize=0.6]";
        else if (g[e].style == "lane") os << "[style=invis, weight=10]";
        else os << "[style=dashed, color=darkgreen, fontcolor=darkgreen, fontsize=9, constraint=false, label="
                << boost::escape_dot_string(g[e].label) << "]";
      },
      [&](std::ostream& os) {
        os << "label=" << boost::escape_dot_string(trace["spec"].get<std::string>() + ": " + trace["property"].get<std::string>())
           << ";\nlabelloc=t;\nnewrank=true;\nnode [shape=box, fontsize=10, fontname=monospace];\n";
        // A lane per actor, in the model's order.
        for (const auto& lane : lanes) {
          std::string members;
          for (auto v : boost::make_iterator_range(boost::vertices(g)))
            if (g[v].lane == lane) members += " " + std::to_string(v) + ";";
          if (!members.empty())
            os << "subgraph cluster_" << lane << " {label=" << boost::escape_dot_string(lane)
               << "; style=rounded; color=gray80;" << members << "}\n";
        }
        // The legend says what the colours and lines mean.
        os << "subgraph cluster_legend {label=\"legend\"; style=rounded; color=gray80; node [fontsize=9];\n";
        os << "  legend_prefix [label=\"steps both branches share\", color=black];\n";
        for (int b = 0; b < branches && branches == 2; ++b)
          os << "  legend_branch" << b + 1 << " [label="
             << boost::escape_dot_string("branch " + std::to_string(b + 1) + " -> " +
                                         branchEnd(*story.branches[b], *story.branches[1 - b]))
             << ", color=" << colors[b + 1] << "];\n";
        os << "  legend_chain [label=\"* thick border: a step the outcome depends on\", penwidth=2.5];\n";
        os << "  legend_window [label=\"filled: the deciding window, step by step\", style=filled, fillcolor=\"#fff4d6\"];\n";
        os << "  legend_writer [label=\"writes a value\"]; legend_reader [label=\"another actor reads it\"];\n";
        os << "  legend_writer -> legend_reader [style=dashed, color=darkgreen, fontcolor=darkgreen, fontsize=9, label=\"field = value\"];\n";
        os << "  legend_prefix -> legend_chain [style=invis];\n}\n";
      });
  return out.str();
}

}  // namespace fsrace::cli
