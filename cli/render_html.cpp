// The HTML report. The tables are written here; the lanes are drawn in the
// browser by cli/report/report.js from the traces embedded as JSON, with the
// groups and deciding windows computed here (one definition, shared with text).
#include "cli/render_html.hpp"
#include "cli/probabilities.hpp"
#include "cli/sweep.hpp"

#include <algorithm>
#include <cassert>
#include <iomanip>
#include <sstream>

#include "cli/report_assets.hpp"
#include "cli/smallest.hpp"
#include "cli/trace_view.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

const std::string kPassed = "Test passed!";

std::string text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::string h(const json& value) { return escapeHtml(text(value)); }

// The first script of the page: every uncaught error, rejected promise and
// console.error is counted in <html data-console-errors>, where the browser
// test reads it.
const char* const kErrorHook = R"(
(function () {
  var root = document.documentElement, count = 0;
  function record() { root.setAttribute('data-console-errors', String(++count)); }
  root.setAttribute('data-console-errors', '0');
  window.addEventListener('error', record);
  window.addEventListener('unhandledrejection', record);
  var original = console.error;
  console.error = function () { record(); return original.apply(console, arguments); };
})();
)";

// ---- the traces, as data for report.js ----

// The text's rows, unfolded: one per system call (or run of one background actor's steps).
void groupsJson(const json& steps, std::size_t from, std::size_t to, json& into) {
  RowOptions options;
  options.fold = false;
  for (const Row& row : traceRows(steps, from, to, options)) into.push_back({{"first", row.first}, {"last", row.last}, {"actor", row.actor}});
}

// Branch `b` of a story: its steps, groups, deciding window (inclusive),
// the steps its outcome depends on, and the dependencies drawn as arrows.
json branchJson(const std::string& name, const Story& story, int b) {
  const json& trace = *story.branches[b];
  const json* other = story.branches[1 - b];
  const json& steps = trace["steps"];
  json branch = {{"name", name}, {"steps", steps}, {"groups", json::array()}, {"window", nullptr},
                 {"result", trace.contains("outcome") ? trace["outcome"].value("result", "") : ""},
                 {"end", other ? branchEnd(trace, *other) : ""}, {"chain", json::array()}, {"arrows", json::array()}};
  groupsJson(steps, 0, story.decided, branch["groups"]);  // the shared prefix: the same groups in both branches
  groupsJson(steps, story.decided, steps.size(), branch["groups"]);
  Window window = other ? story.windows[b] : Window{};
  if (other) branch["window"] = {window.first, window.end - 1};
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (story.chains[b][i]) branch["chain"].push_back(i);
  for (const auto& d : drawnDependencies(steps, story.chains[b], window, 0, steps.size()))
    branch["arrows"].push_back({{"from", d.from}, {"to", d.to}, {"field", d.field}});
  return branch;
}

json traceJson(const SharedTrace& shared, std::size_t id) {
  const json& trace = *shared.trace;
  const Story story = storyOf(trace);
  json view = {{"id", id}, {"names", shared.names}, {"actors", json::array()}, {"branches", json::array()},
               {"decided_after", trace.value("decided_after", json())}};
  if (story.branches[1]) {
    view["branches"].push_back(branchJson("this branch", story, 0));
    view["branches"].push_back(branchJson("the other branch", story, 1));
  } else {
    view["branches"].push_back(branchJson("the trace", story, 0));
  }
  // Lanes in the order the actors first take a step.
  for (const auto& branch : view["branches"])
    for (const auto& step : branch["steps"])
      if (std::find(view["actors"].begin(), view["actors"].end(), step["actor"]) == view["actors"].end())
        view["actors"].push_back(step["actor"]);
  return view;
}

// ---- the tables ----

// The terminal states of `outcomes` as one bar, a segment per outcome,
// passing ones green; `label` names each segment by that outcome field.
std::string outcomeBar(const json& outcomes, const std::string& label) {
  std::uint64_t total = 0;
  for (const auto& o : outcomes) total += o["witnesses"].get<std::uint64_t>();
  if (total == 0) return "<div class=\"bar empty\"></div>";
  std::ostringstream out;
  out << "<div class=\"bar\">";
  for (const auto& o : outcomes) {
    std::uint64_t n = o["witnesses"];
    bool passes = outcomePasses(o["outcome"]);
    std::string name = o["outcome"].value(label, "");
    out << "<span class=\"seg " << (passes ? "pass" : "fail") << "\" style=\"width:" << std::fixed << std::setprecision(2)
        << 100.0 * static_cast<double>(n) / static_cast<double>(total) << "%\" title=\"" << escapeHtml(label + "=" + name) << ": "
        << n << " terminal states, " << (passes ? "passing" : "failing") << " (" << h(o["outcome"].value("result", "")) << ")\">"
        << escapeHtml(name) << " " << n << "</span>";
  }
  out << "</div>";
  return out.str();
}

// Passing terminal states / all terminal states, as "126/1260 pass".
std::string passCount(const json& outcomes) {
  std::uint64_t total = 0, passing = 0;
  for (const auto& o : outcomes) {
    total += o["witnesses"].get<std::uint64_t>();
    if (outcomePasses(o["outcome"])) passing += o["witnesses"].get<std::uint64_t>();
  }
  return std::to_string(passing) + "/" + std::to_string(total) + " pass";
}

std::string verdictPill(const std::string& verdict) { return "<span class=\"verdict " + escapeHtml(verdict) + "\">" + escapeHtml(verdict) + "</span>"; }

void renderHeader(std::ostringstream& out, const json& result) {
  out << "<header><h1>fsrace report: " << h(result["spec"]) << "</h1>\n<p class=\"meta\"><code>" << h(result["spec_file"])
      << "</code> · model <code>" << h(result["model"]) << "</code> · fixes: ";
  std::string fixes;
  for (const auto& f : result["fixes"]) fixes += (fixes.empty() ? "" : ", ") + text(f);
  out << "<code>" << escapeHtml(fixes.empty() ? "none" : fixes) << "</code></p>\n<p class=\"meta\">parameters: <code>";
  for (const auto& [key, value] : result["parameters"].items()) out << escapeHtml(key) << "=" << h(value) << " ";
  const json& stats = result["stats"];
  out << "</code></p>\n<p class=\"meta\">" << h(stats["states"]) << " states, " << h(stats["transitions"]) << " transitions, depth "
      << h(stats["depth"]) << ", " << (stats["complete"].get<bool>() ? "complete" : "<b class=\"bad\">INCOMPLETE</b> (stopped by " + h(stats["stopped_by"]) + ")")
      << " · summary: <b class=\"" << (result["summary"] == "as_expected" || result["summary"] == "holds" ? "good" : "bad") << "\">"
      << h(result["summary"]) << "</b></p>\n";
  // Which fsrace made it, from which spec: what a reviewer needs to run it again.
  if (result.contains("provenance")) {
    const json& made = result["provenance"];
    out << "<p class=\"meta\">made by fsrace " << h(made["fsrace"]);
    if (!made["commit"].is_null())
      out << " (commit <code>" << escapeHtml(text(made["commit"]).substr(0, 12)) << "</code>"
          << (made["dirty"].get<bool>() ? ", with uncommitted changes" : "") << ")";
    if (made.contains("spec_sha256")) out << " · spec sha256 <code>" << h(made["spec_sha256"]) << "</code>";
    out << "</p>\n";
  }
  out << "</header>\n";
}

// Per scheduler: P(test fails) and the key fsync's values (the text's table).
void renderProbabilities(std::ostringstream& out, const json& result) {
  const json& p = result.value("probabilities", json());
  if (!p.is_object()) return;
  if (!p["computed"].get<bool>()) {
    out << "<p class=\"note\">Probabilities not computed: " << h(p["why"]) << ".</p>\n";
    return;
  }
  const json& schedulers = p["schedulers"];
  std::string key = text(schedulers[0]["key"]["field"]);
  std::vector<std::string> values;
  for (const auto& s : schedulers)
    for (const auto& [value, q] : s["key"]["values"].items())
      if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
  std::sort(values.begin(), values.end());
  bool has_test = !schedulers[0]["test_fails"].is_null();
  out << "<h3>Probabilities</h3>\n<p class=\"note\">Each enabled step taken in proportion to its rate; exact on the explored graph ("
      << h(p["method"]) << ").</p>\n<table class=\"outcomes\"><tr><th>scheduler</th>";
  if (has_test) out << "<th>test fails</th>";
  for (const auto& v : values) out << "<th><code>" << escapeHtml(key + "=" + v) << "</code></th>";
  out << "<th>what it assumes</th></tr>\n";
  for (const auto& s : schedulers) {
    out << "<tr><td><code>" << h(s["name"]) << "</code></td>";
    if (has_test) out << "<td class=\"num\">" << escapeHtml(testFailsText(s)) << "</td>";
    for (const auto& v : values) out << "<td class=\"num\">" << escapeHtml(keyValueText(s, v)) << "</td>";
    out << "<td>" << h(s["description"]) << "</td></tr>\n";
  }
  out << "</table>\n";
}

void renderOutcomes(std::ostringstream& out, const json& result) {
  auto fields = varyingFields(result);
  out << "<section id=\"outcomes\"><h2>Outcome set</h2>\n<p class=\"note\">" << h(result["stats"]["terminal_states"])
      << " terminal states; fields equal in every outcome omitted. " << passCount(result["outcomes"]) << ".</p>\n"
      << outcomeBar(result["outcomes"], fields.front())
      << "\n<table class=\"outcomes\"><tr><th>observation</th><th>terminal states</th>";
  // The probability of each outcome under the scheduler in use, where computed.
  const std::vector<double> chance = outcomeProbabilities(result);
  const std::vector<std::string> chance_text = outcomeChanceTexts(result);
  if (!chance.empty())
    out << "<th title=\"each enabled step taken in proportion to its rate\">probability under <code>"
        << h(result["probabilities"]["schedulers"][0]["name"]) << "</code></th>";
  out << "<th>outcome</th><th>result</th></tr>\n";
  for (std::size_t i = 0; i < result["outcomes"].size(); ++i) {
    const json& o = result["outcomes"][i];
    out << "<tr class=\"" << (outcomePasses(o["outcome"]) ? "pass" : "fail") << "\"><td>" << h(o["observation"]) << "</td><td class=\"num\">"
        << h(o["witnesses"]) << "</td>";
    if (!chance.empty()) out << "<td class=\"num\">" << escapeHtml(chance_text[i]) << "</td>";
    out << "<td class=\"fields\">";
    std::vector<std::pair<std::string, std::string>> values;  // folded as the text folds them: reopen_fsync[1..9]=-
    for (const auto& f : fields)
      if (f != "result") values.emplace_back(f, text(o["outcome"].value(f, "")));
    for (const auto& item : foldIndexedValues(values)) out << "<code>" << escapeHtml(item) << "</code> ";
    out << "</td><td><code>" << h(o["outcome"].value("result", "")) << "</code></td></tr>\n";
  }
  out << "</table>\n";
  renderProbabilities(out, result);
  out << "</section>\n";
}

void renderProperties(std::ostringstream& out, const json& result, const std::vector<SharedTrace>& traces) {
  // Under --ignore-expectations the verdicts stand alone: no expectation to meet.
  const bool ignored = result.value("expectations", "spec") == "ignored";
  out << "<section id=\"properties\"><h2>Properties</h2>\n";
  if (ignored) out << "<p class=\"note\">--ignore-expectations: the verdicts as found; the spec's expectations are not checked.</p>\n";
  out << "<table class=\"properties\"><tr><th>property</th><th>kind</th><th>verdict</th>"
      << (ignored ? "" : "<th>expected</th><th></th>") << "<th>observation</th><th>trace</th></tr>\n";
  for (const auto& p : result["properties"]) {
    std::string judged = p["verdict"] == "incomplete" ? "undecided: the run stopped first"
                         : p["as_expected"].get<bool>() ? "as expected" : "UNEXPECTED";
    out << "<tr><td><code>" << h(p["name"]) << "</code></td><td>" << h(p["kind"]) << "</td><td>" << verdictPill(text(p["verdict"]));
    if (!ignored)
      out << "</td><td>" << h(p["expected"]) << "</td><td class=\"" << (judged == "as expected" ? "good" : "bad") << "\">" << judged;
    out << "</td><td>";
    if (p.contains("observation")) {
      const json& ob = p["observation"];
      out << h(ob["observation"]) << ": " << h(ob["satisfied"]) << " of "
          << ob["satisfied"].get<std::uint64_t>() + ob["unsatisfied"].get<std::uint64_t>();
    }
    out << "</td><td>";
    for (std::size_t i = 0; i < traces.size(); ++i)
      if (p.contains("counterexample") && (*traces[i].trace)["steps"] == p["counterexample"]["steps"])
        out << "<a href=\"#trace-" << i + 1 << "\">counterexample " << i + 1 << "</a>";
    out << "</td></tr>\n";
  }
  out << "</table></section>\n";
}

void renderTraceSection(std::ostringstream& out, const SharedTrace& shared, std::size_t id) {
  const json& trace = *shared.trace;
  const json& min = trace["minimality"];
  out << "<section class=\"trace\" id=\"trace-" << id << "\" data-trace=\"" << id << "\"><h2>Counterexample " << id << " to <code>"
      << escapeHtml(shared.names) << "</code></h2>\n<p class=\"meta\">" << h(min["steps"]) << " steps, " << h(min["switches"])
      << " actor switches; " << h(min["guarantee"]) << "</p>\n";
  if (trace.contains("decided_after")) {
    std::size_t decided = trace["decided_after"];
    const Story story = storyOf(trace);
    Window mine = story.windows[0], theirs = story.windows[1];
    out << "<p class=\"note\">Decided after step " << decided << ": both outcomes are reachable from that state, and the next step chooses. "
        << "<span class=\"window-key\">Deciding window</span>: steps " << mine.first + 1 << "–" << mine.end << " in this branch, "
        << theirs.first + 1 << "–" << theirs.end << " in the other (the system call in progress at the decision, to its end). "
        << "A thick border marks a step the outcome depends on (a write its deciding reads read, transitively); an arrow, "
        << "a value one actor wrote and another read, on that chain or inside the window.</p>\n";
  }
  out << "<div class=\"branches\">\n";
  auto branch = [&](std::size_t index, const std::string& name, const json& mine, const json* other) {
    out << "<div class=\"branch\" data-branch=\"" << index << "\"><h3>" << escapeHtml(name);
    if (other)
      out << " → <code>" << escapeHtml(branchEnd(mine, *other)) << "</code> <span class=\"dim\">("
          << mine["steps"].size() - trace["decided_after"].get<std::size_t>() << " steps after the decision)</span>";
    out << "</h3>\n<div class=\"lanes-host\"><noscript>The lanes are drawn by the report's inlined JavaScript.</noscript></div>\n";
    if (mine.contains("outcome")) out << "<p class=\"ends\">⇒ " << h(mine["outcome"].value("result", "")) << "</p>";
    out << "</div>\n";
  };
  if (trace.contains("decided_after")) {
    branch(0, "this branch", trace, &trace["other"]);
    branch(1, "the other branch", trace["other"], &trace);
  } else {
    branch(0, "the trace", trace, nullptr);
  }
  out << "</div></section>\n";
}

// check --smallest: each violated property's smallest scenario, and the command that shows it.
void renderSmallest(std::ostringstream& out, const json& result) {
  if (!result.contains("smallest") || result["smallest"].empty()) return;
  out << "<section id=\"smallest\"><h2>Smallest scenarios</h2>\n<p class=\"note\">Each integer parameter from its minimum up to "
         "the spec's value, nearest the minimum first, each run in full.</p>\n<table class=\"properties\"><tr><th>property</th>"
         "<th>the same violation with</th><th>states</th><th>trace</th><th>command</th></tr>\n";
  for (const auto& s : result["smallest"]) {
    out << "<tr><td><code>" << h(s["property"]) << "</code></td><td>";
    if (s["changed"].is_null()) {
      out << "the search stopped at the time limit first</td><td></td><td></td><td></td></tr>\n";
      continue;
    }
    const std::string values = changedSizes(s);
    std::string command;
    for (const auto& word : commandWords(result, s)) command += (command.empty() ? "" : " ") + word;
    out << (values.empty() ? "no smaller scenario violates it" : "<code>" + escapeHtml(values) + "</code>") << "</td><td class=\"num\">"
        << h(s["states"]) << "</td><td class=\"num\">" << h(s["steps"]) << " steps</td><td>"
        << (values.empty() ? "" : "<code>" + escapeHtml(command) + "</code>") << "</td></tr>\n";
  }
  out << "</table></section>\n";
}

std::string shortName(std::size_t i) { return "P" + std::to_string(i + 1); }

void renderVerify(std::ostringstream& out, const json& verify, const std::vector<json>& results) {
  const auto columns = verify["columns"].get<std::vector<std::string>>();
  const json& rows = verify["rows"];
  out << "<section id=\"fixes\"><h2>Fixes</h2>\n<p class=\"note\">The baseline (the spec as written, with the fixes it names itself and no <code>--fix</code>) and each fix, each checked in "
         "full. The bar is the row's terminal states, one segment per outcome, named by <code>"
      << h(rows[0]["key_fsync"]) << "</code>: <span class=\"seg-key pass\">passing</span> (every process printed “Test passed!”) or "
      << "<span class=\"seg-key fail\">failing</span>.</p>\n<div class=\"wide\"><table class=\"verify\"><tr><th>fixes</th><th>states</th>";
  for (std::size_t i = 0; i < columns.size(); ++i) out << "<th title=\"" << escapeHtml(columns[i]) << "\">" << shortName(i) << "</th>";
  out << "<th><code>" << h(rows[0]["key_fsync"]) << "</code></th><th>end states</th><th>shortest</th>";
  // P(test fails) under each scheduler, where the rows have it.
  std::vector<std::string> schedulers;
  for (const auto& s : verify.value("schedulers", json::array())) schedulers.push_back(text(s["name"]));
  auto chances = [](const json& row) {
    const json& p = row.value("probabilities", json());
    return p.is_object() && p["computed"].get<bool>() && !p["schedulers"][0]["test_fails"].is_null();
  };
  if (std::none_of(rows.begin(), rows.end(), chances)) schedulers.clear();
  for (const auto& name : schedulers) out << "<th title=\"the probability that the test fails\">fails@" << escapeHtml(name) << "</th>";
  out << "</tr>\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const json& row = rows[r];
    out << "<tr><td><code>" << h(row["name"]) << "</code></td><td class=\"num\">" << h(row["states"]) << "</td>";
    for (const auto& c : columns) out << "<td>" << verdictPill(row["verdicts"].value(c, "-")) << "</td>";
    std::string values;
    for (const auto& v : row["key_fsync_results"]) values += (values.empty() ? "" : ",") + text(v);
    bool complete = row["complete"].get<bool>();  // a partial run's outcomes are not the outcome set
    out << "<td><code>" << (complete ? "{" + escapeHtml(values) + "}" : "-") << "</code></td><td class=\"bar-cell\">";
    if (complete && r < results.size())
      out << outcomeBar(results[r]["outcomes"], text(row["key_fsync"])) << "<span class=\"count\">" << passCount(results[r]["outcomes"]) << "</span>";
    else out << "incomplete: stopped by " << h(row["stopped_by"]);
    const json& lengths = row["counterexample_steps"];
    out << "</td><td class=\"num\">" << (!columns.empty() && lengths.contains(columns[0]) ? h(lengths[columns[0]]) : "-") << "</td>";
    for (std::size_t k = 0; k < schedulers.size(); ++k) {
      const json& s = chances(row) ? row["probabilities"]["schedulers"][k] : json();
      out << "<td class=\"num\">"
          << (s.is_object() ? escapeHtml(probabilityText(s["test_fails"].get<double>(), s["test_passes"].get<double>())) : "-") << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</table></div>\n<p class=\"legend\">";
  for (std::size_t i = 0; i < columns.size(); ++i) out << shortName(i) << " = <code>" << escapeHtml(columns[i]) << "</code> ";
  out << "</p>\n<details><summary>The baseline's counterexamples replayed under each fix</summary><ul class=\"replays\">";
  for (const auto& row : rows)
    for (const auto& rep : row["replays"])
      for (const char* mode : {"strict", "with_fix_steps"})
        out << "<li><code>" << h(row["name"]) << "</code> · <code>" << h(rep["property"]) << "</code> · " << mode << ": "
            << (rep[mode]["reproduced"].get<bool>() ? "reproduces" : "does not") << " — " << h(rep[mode]["message"]) << "</li>";
  out << "</ul></details>\n";
  for (const auto& s : verify.value("skipped", json::array()))
    out << "<p class=\"note\">skipped <code>" << h(s["name"]) << "</code>: " << h(s["why"]) << "</p>\n";
  out << "</section>\n";
}

// The sweep's picture, inline (SVG is HTML's own), with what it assumes.
void renderSweep(std::ostringstream& out, const json& sweep, bool log_y) {
  out << "<section id=\"sweep\"><h2>How the rate of <code>" << h(sweep["key"]) << "</code> moves "
      << h(sweep["measure"]["label"]) << "</h2>\n<p class=\"note\">Exact on each explored graph, as a Markov chain: from a state, "
      << "each enabled step runs next with probability proportional to its rate, here scheduler <code>" << h(sweep["scheduler"]["name"])
      << "</code> (" << h(sweep["scheduler"]["description"]) << ") with the rate of <code>" << h(sweep["key"])
      << "</code> multiplied along the x axis. Real timing is no such scheduler: read the curves for how a fix moves the "
      << "window, not as the odds of a run.</p>\n<div class=\"wide\">" << renderSweepSvg(sweep, log_y) << "</div>\n";
  for (const auto& c : sweep["curves"])
    if (!c["why"].is_null()) out << "<p class=\"note\"><code>" << h(c["name"]) << "</code>: no numbers: " << h(c["why"]) << "</p>\n";
  for (const auto& s : sweep["skipped"])
    out << "<p class=\"note\">skipped <code>" << h(s["name"]) << "</code>: " << h(s["why"]) << "</p>\n";
  out << "</section>\n";
}

}  // namespace

std::string escapeHtml(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string scriptJson(const json& doc) {
  std::string dumped = doc.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(dumped.size());
  for (char c : dumped) {
    // Outside strings JSON has none of these characters, so this stays the same document.
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

bool outcomePasses(const json& outcome) {
  bool any = false;
  for (const auto& [field, value] : outcome.items()) {
    bool is_result = field == "result" || (field.size() > 7 && field.compare(field.size() - 7, 7, ".result") == 0);
    if (!is_result) continue;
    if (value != kPassed) return false;
    any = true;
  }
  return any;
}

std::string renderHtmlReport(const json& result, const json* verify, const std::vector<json>& verify_results, SweepPicture sweep) {
  auto traces = sharedTraces(result);
  json data = {{"format", "fsrace.report/1"}, {"spec", result["spec"]}, {"traces", json::array()}};
  for (std::size_t i = 0; i < traces.size(); ++i) data["traces"].push_back(traceJson(traces[i], i + 1));
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>fsrace report: " << h(result["spec"])
      << "</title>\n<script>" << kErrorHook << "</script>\n<style>\n" << kReportCss << "</style></head>\n<body>\n<main>\n";
  renderHeader(out, result);
  renderOutcomes(out, result);
  renderProperties(out, result, traces);
  renderSmallest(out, result);
  if (verify) renderVerify(out, *verify, verify_results);
  if (sweep.sweep) renderSweep(out, *sweep.sweep, sweep.log_y);
  for (std::size_t i = 0; i < traces.size(); ++i) renderTraceSection(out, traces[i], i + 1);
  if (traces.empty()) out << "<section><h2>Counterexamples</h2><p class=\"note\">No property has a counterexample.</p></section>\n";
  out << "</main>\n<aside id=\"state-panel\"><h2>State</h2><p class=\"note\">Click a step to see the state after it.</p></aside>\n"
      << "<script type=\"application/json\" id=\"fsrace-data\">" << scriptJson(data) << "</script>\n<script>\n" << kReportJs
      << "</script>\n</body></html>\n";
  return out.str();
}

}  // namespace fsrace::cli
