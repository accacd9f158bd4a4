// Text for people: the outcome set, the verdicts, and traces grouped so a
// kernel developer can paste them into a mail.
#include "cli/render_text.hpp"
#include "cli/probabilities.hpp"

#include <algorithm>
#include <iomanip>
#include <set>
#include <sstream>

#include "cli/progress.hpp"
#include "cli/run.hpp"
#include "cli/smallest.hpp"
#include "cli/trace_json.hpp"
#include "cli/trace_view.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

std::string fixedText(double value, int precision) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(precision) << value;
  return out.str();
}

// `items` joined with "; ", wrapped between items where it can be.
std::vector<std::string> wrapItems(const std::vector<std::string>& items, std::size_t width, std::size_t indent) {
  std::vector<std::string> lines;
  std::string line(indent, ' ');
  for (std::size_t k = 0; k < items.size(); ++k) {
    std::string item = items[k] + (k + 1 < items.size() ? ";" : "");
    bool empty = line.size() == indent;
    if (!empty && line.size() + 1 + item.size() > width) {
      lines.push_back(line);
      line = std::string(indent, ' ');
      empty = true;
    }
    if (line.size() + (empty ? 0 : 1) + item.size() > width) {  // too long for a line of its own: at spaces
      auto parts = wrapText(item, width, line + (empty ? "" : " "), indent);
      lines.insert(lines.end(), parts.begin(), parts.end() - 1);
      line = parts.back();
      continue;
    }
    line += (empty ? "" : " ") + item;
  }
  if (line.size() > indent) lines.push_back(line);
  return lines;
}

// Every line of `text` at most `width` columns where it has spaces to break
// at; a continuation is indented four more than its line.
std::string wrapLines(const std::string& text, std::size_t width) {
  std::istringstream in(text);
  std::string out, line;
  while (std::getline(in, line)) {
    if (line.size() <= width) {
      out += line + "\n";
      continue;
    }
    std::size_t lead = line.find_first_not_of(' ');
    if (lead == std::string::npos) lead = 0;
    for (const auto& l : wrapText(line.substr(lead), width, std::string(lead, ' '), lead + 4)) out += l + "\n";
  }
  return out;
}

constexpr std::size_t kRowIndent = 20;  // marker, range, actor

void renderRows(std::ostringstream& out, const std::vector<Row>& rows, std::size_t width) {
  for (const Row& row : rows) {
    std::ostringstream head;
    head << (row.on_chain ? "* " : "  ") << std::setw(7) << std::left << row.range() << " " << std::setw(10) << row.actor;
    std::string h = head.str();
    if (h.size() > kRowIndent) h += " ";
    for (const auto& l : wrapText(row.text, width, h, kRowIndent)) out << l << "\n";
    for (const auto& l : wrapItems(row.changes, width, kRowIndent)) out << l << "\n";
  }
}

// Part `b` of a story as the text shows it (see storyRows): rows off the
// chain collapse only where there is a chain, so a model that names no
// reads has every step shown.
RowOptions rowOptions(const TextOptions& text, const Story& story, int b) {
  RowOptions options = storyRows(story, b);
  options.collapse = !text.all_steps && story.reads;
  options.all_actions = text.all_steps;
  return options;
}

void renderTrace(std::ostringstream& out, const json& trace, const Story& story, const TextOptions& text) {
  const json& steps = trace["steps"];
  renderRows(out, traceRows(steps, 0, steps.size(), rowOptions(text, story, 0)), text.width);
  if (trace.contains("outcome"))
    for (const auto& l : wrapText(trace["outcome"]["result"].get<std::string>(), text.width, "  => ", 5)) out << l << "\n";
}

// A divergence: the shared steps once, then each branch to its end, its
// deciding window step by step with kernel functions.
void renderDivergence(std::ostringstream& out, const json& trace, const Story& story, const TextOptions& text) {
  const std::size_t width = text.width;
  const std::size_t decided = story.decided;
  renderRows(out, traceRows(trace["steps"], 0, decided, rowOptions(text, story, -1)), width);
  out << "  -- decided after step " << decided << ": the next step chooses the outcome --\n";
  for (int b = 0; b < 2; ++b) {
    const json& branch = *story.branches[b];
    const json& steps = branch["steps"];
    std::string head = "branch " + std::to_string(b + 1) + " -> " + branchEnd(branch, *story.branches[1 - b]) + " (steps " +
                       std::to_string(decided + 1) + "-" + std::to_string(steps.size()) + ")";
    for (const auto& l : wrapText(head, width, "  ", 4)) out << l << "\n";
    renderRows(out, traceRows(steps, decided, steps.size(), rowOptions(text, story, b)), width);
    for (const auto& l : wrapText(branch["outcome"]["result"].get<std::string>(), width, "  => ", 5)) out << l << "\n";
  }
}

// What the trace's minimality promises, in a word or two (its guarantee
// says it in full).
std::string minimalityWord(const json& trace) {
  const std::string guarantee = trace["minimality"]["guarantee"];
  if (guarantee == kShortest) return "shortest, fewest switches";
  if (guarantee == kShortestReduced) return "shortest in the reduced graph";
  if (guarantee == kSliced) return "sliced";
  if (guarantee == kShortestOnly) return "shortest; the run stopped early";
  if (guarantee == kShortestNoGraph) return "shortest; switches and divergence not computed under the memory limit";
  if (guarantee == kRandomRun) return "a random run of simulate, not the shortest";
  return "shortest";
}

std::string traceHeading(const std::string& what, const json& trace) {
  const json& min = trace["minimality"];
  return what + " (" + std::to_string(min["steps"].get<std::size_t>()) + " steps, " +
         std::to_string(min["switches"].get<std::size_t>()) + " actor switches; " + minimalityWord(trace) + "):\n";
}

int columnWidth(const json& rows, const char* key) {
  std::size_t w = 0;
  for (const auto& row : rows) w = std::max(w, row[key].get<std::string>().size());
  return static_cast<int>(w + 2);
}

// What stopped an incomplete run, in words: the limit and where it came from.
std::string stoppedBy(const json& result) {
  std::string by = result["stats"]["stopped_by"].get<std::string>();
  const json limits = result.value("limits", json::object());
  auto number = [](const json& v) { return v.is_number_float() ? fixedText(v.get<double>(), 3) : v.dump(); };
  if (by == "max_states" && limits.contains("max_states")) return by + ": the state limit (--max-states " + number(limits["max_states"]) + ")";
  if (by == "max_seconds" && limits.contains("max_seconds")) return by + ": the time limit (--max-seconds " + number(limits["max_seconds"]) + ")";
  const json timing = result.value("timing", json::object());
  if (by == "max_memory" && timing.value("memory_limit_mib", json()).is_number())
    return by + ": the state store reached the " + number(timing["memory_limit_mib"]) + " MiB limit (" +
           timing["memory_limit_from"].get<std::string>() + ")";
  if (by == "interrupted") return by + ": a signal (SIGINT, SIGTERM or SIGHUP) asked it to stop";
  return by;
}

// The reductions a run did not use that would shrink it.
std::vector<std::string> untriedReductions(const json& result) {
  std::vector<std::string> untried;
  if (!result.contains("reductions")) return untried;
  const json& reductions = result["reductions"];
  if (!reductions["symmetry"].get<bool>() && reductions["symmetries"].get<std::size_t>() > 1) untried.push_back("--symmetry");
  if (!reductions["partial_order"].get<bool>()) untried.push_back("--por");
  return untried;
}

}  // namespace

std::string renderResultText(const json& result, const TextOptions& text) {
  const std::string& property = text.property;
  std::ostringstream out;
  const json& params = result["parameters"];
  std::string fixes;
  for (const auto& f : result["fixes"]) fixes += (fixes.empty() ? "" : ", ") + f.get<std::string>();
  out << "fsrace check " << result["spec_file"].get<std::string>() << ": " << result["spec"].get<std::string>()
      << " (model " << result["model"].get<std::string>();
  // The parameters a reader looks for first, where the model has them.
  for (const char* key : {"fds", "mode"})
    if (params.contains(key)) out << ", " << key << "=" << (params[key].is_string() ? params[key].get<std::string>() : params[key].dump());
  for (const char* key : {"processes", "inodes", "rounds"})
    if (params.value(key, 1) != 1) out << ", " << key << "=" << params[key];
  out << ", fixes: " << (fixes.empty() ? "none" : fixes) << ")\n";
  const json& stats = result["stats"];
  if (result.contains("reductions") && result["reductions"]["symmetry"].get<bool>())
    out << "symmetry: one state stored per orbit of " << result["reductions"]["symmetries"]
        << " process permutations; properties checked on every image, terminal states and witnesses counted per image\n";
  if (result.contains("reductions") && result["reductions"]["partial_order"].get<bool>())
    out << "partial-order reduction: local steps no undecided property reads explored alone; terminal states, deadlocks "
           "and verdicts kept, traces shortest in the reduced graph only\n";
  out << "explored " << stats["states"] << " states, " << stats["transitions"] << " transitions, depth "
      << stats["depth"] << ", " << (stats["complete"].get<bool>() ? "complete" : "INCOMPLETE (stopped by " + stoppedBy(result) + ")");
  // A mail says what anyone who runs the spec again gets: no timing.
  if (!text.mail && result.contains("timing"))
    out << " in " << fixedText(result["timing"]["seconds"].get<double>(), 3) << " s ("
        << fixedText(result["timing"]["states_per_second"].get<double>(), 0) << " states/s, "
        << fixedText(stats["bytes_per_state"].get<double>(), 1) << " bytes/state)";
  out << "\n\n";

  auto fields = varyingFields(result);
  // The probability of each outcome under the scheduler in use, where computed.
  const std::vector<double> chance = outcomeProbabilities(result);
  if (stats["terminal_states"] == 0 && !stats["complete"].get<bool>())
    out << "outcomes: none learned: the run stopped before any terminal state; " << shrinkHint(untriedReductions(result)) << "\n";
  else
    out << "outcomes (" << stats["terminal_states"] << " terminal states"
        << (chance.empty() ? "" : "; the probability of each under scheduler " +
                                      result["probabilities"]["schedulers"][0]["name"].get<std::string>())
        << "; fields equal in every outcome omitted):\n";
  // Each outcome's figure, its distance from 1 told by the others' sum; a
  // found outcome's 0 is below a double's range.
  const std::vector<std::string> chance_text = outcomeChanceTexts(result);
  std::size_t chance_w = 0;
  for (const auto& t : chance_text) chance_w = std::max(chance_w, t.size());
  for (std::size_t i = 0; i < result["outcomes"].size(); ++i) {
    const json& o = result["outcomes"][i];
    std::ostringstream head;
    head << "  " << std::setw(10) << std::left << o["observation"].get<std::string>() << std::right << std::setw(8)
         << o["witnesses"].get<std::uint64_t>() << "  ";
    if (!chance.empty()) head << std::left << std::setw(static_cast<int>(chance_w)) << chance_text[i] << std::right << "  ";
    std::vector<std::pair<std::string, std::string>> values;
    for (const auto& f : fields) values.emplace_back(f, o["outcome"][f].get<std::string>());
    std::vector<std::string> items = foldIndexedValues(values);
    std::string joined;
    for (const auto& item : items) joined += (joined.empty() ? "" : "  ") + item;
    for (const auto& l : wrapText(joined, text.width, head.str(), head.str().size())) out << l << "\n";
  }

  out << probabilitiesText(result);

  // A mail names the properties that are violated or not as expected.
  json shown = json::array();
  for (const auto& p : result["properties"])
    if (!text.mail || p["verdict"] != "holds" || !p["as_expected"].get<bool>()) shown.push_back(p);
  const bool ignored = result.value("expectations", "spec") == "ignored";
  out << "\nproperties";
  if (ignored) out << " (--ignore-expectations: the verdicts as found)";
  if (text.mail) out << " violated or not as expected (" << result["properties"].size() - shown.size() << " more hold as expected)";
  out << ":\n";
  // Columns as wide as their longest entry, plus two spaces.
  int verdict_w = columnWidth(shown, "verdict"), name_w = columnWidth(shown, "name"), kind_w = columnWidth(shown, "kind");
  for (const auto& p : shown) {
    std::ostringstream line;
    line << "  " << std::setw(verdict_w) << std::left << p["verdict"].get<std::string>() << std::setw(name_w)
         << p["name"].get<std::string>() << std::setw(kind_w) << p["kind"].get<std::string>() << std::right;
    if (ignored) line << (p["verdict"] == "incomplete" ? "undecided: the run stopped first" : "");
    else if (p["verdict"] == "incomplete") line << "undecided: the run stopped first (expected " + p["expected"].get<std::string>() + ")";
    else line << (p["as_expected"].get<bool>() ? "as expected" : "UNEXPECTED (expected " + p["expected"].get<std::string>() + ")");
    std::string text_line = line.str();
    if (!p.contains("observation"))
      while (text_line.back() == ' ') text_line.pop_back();
    out << text_line;
    if (p.contains("observation"))
      out << (ignored ? "" : "  ") << "[" << p["observation"]["observation"].get<std::string>() << ": " << p["observation"]["satisfied"]
          << " of " << (p["observation"]["satisfied"].get<std::uint64_t>() + p["observation"]["unsatisfied"].get<std::uint64_t>()) << "]";
    out << "\n";
  }

  const json& coverage = result["coverage"];
  if (!text.mail || !coverage["all_reachable_steps_taken"].get<bool>()) {
  out << "\ncoverage: "
      << (coverage["all_reachable_steps_taken"].get<bool>() ? "every step of the model was taken"
          : stats["complete"].get<bool>()                   ? "SOME STEPS WERE NEVER TAKEN"
                                                            : "not judged, the run stopped first");
  if (!coverage["never_taken"].empty()) {
    out << "; not taken:";
    for (const auto& n : coverage["never_taken"]) out << "\n  " << n["action"].get<std::string>() << " (" << n["reason"].get<std::string>() << ")";
  }
  out << "\n";
  }

  // --smallest: the same violation in the smallest scenario, grouped where
  // properties share it, with the command that shows it.
  if (result.contains("smallest") && result["smallest"].empty())
    out << "\nsmallest scenarios: none to search for: no property is violated"
        << (result["stats"]["complete"].get<bool>() ? "" : " (the run is INCOMPLETE: a violation may lie beyond it)") << "\n";
  if (result.contains("smallest") && !result["smallest"].empty()) {
    out << "\nsmallest scenarios (each integer parameter from its minimum up to the spec's value, each run in full):\n";
    std::vector<std::pair<std::string, const json*>> groups;
    for (const auto& s : result["smallest"]) {
      auto same = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
        return (*g.second)["changed"] == s["changed"] && (*g.second)["steps"] == s["steps"] && (*g.second)["stopped"] == s["stopped"];
      });
      if (same == groups.end()) groups.emplace_back(s["property"].get<std::string>(), &s);
      else same->first += " and " + s["property"].get<std::string>();
    }
    for (const auto& [names, s] : groups) {
      const json& changed = (*s)["changed"];
      if (changed.is_null()) {
        out << "  " << names << ": the search stopped at the time limit before it was decided\n";
        continue;
      }
      const std::string values = changedSizes(*s);
      out << "  " << names << ": " << (values.empty() ? "no smaller scenario violates it" : "the same violation with " + values)
          << " (" << (*s)["states"] << " states";
      if ((*s)["steps"].get<std::size_t>() > 0) out << ", a " << (*s)["steps"] << "-step trace";
      out << ")";
      if ((*s)["unloadable_smaller"].get<std::size_t>() > 0)
        out << "; " << (*s)["unloadable_smaller"] << " smaller scenarios are not scenarios of this spec (refused by its loader)";
      if ((*s)["undecided_smaller"].get<std::size_t>() > 0)
        out << "; " << (*s)["undecided_smaller"] << " smaller ones stopped at a limit before deciding";
      if ((*s)["stopped"].get<bool>()) out << "; the search stopped at the time limit";
      out << "\n";
      if (values.empty()) continue;
      // The command, broken between arguments with shell continuations so
      // that it pastes from a mail.
      std::vector<std::string> words = commandWords(result, *s);
      for (std::size_t k = 1; k + 1 < words.size(); ++k)
        if (words[k].rfind("--", 0) == 0) words[k] += " " + words[k + 1], words.erase(words.begin() + static_cast<std::ptrdiff_t>(k) + 1);
      std::string line = "      ";
      for (const auto& word : words) {
        if (line.size() > 6 && line.size() + 1 + word.size() + 2 > text.width) {
          out << line << " \\\n";
          line = "          ";
        } else if (line.size() > 6) {
          line += " ";
        }
        line += word;
      }
      out << line << "\n";
    }
  }

  const auto traces = sharedTraces(result, property);
  for (const auto& shared : traces) {
    out << "\n" << traceHeading("counterexample to " + shared.names, *shared.trace);
    const Story story = storyOf(*shared.trace);
    const std::string legend =
        story.reads
            ? std::string("* marks the steps the outcome depends on (the writes its deciding reads read, transitively)") +
                  (text.all_steps ? "" : "; --all-steps shows every step")
            : "model " + result["model"].get<std::string>() + " names no reads: no chain is marked, every step is shown";
    for (const auto& l : wrapText(legend, text.width, "  ", 4)) out << l << "\n";
    if (story.branches[1]) renderDivergence(out, *shared.trace, story, text);
    else renderTrace(out, *shared.trace, story, text);
  }
  const json& pinned = result["pinned"];
  if (!pinned.is_null() && !pinned["as_expected"].get<bool>())
    out << "\nstate count " << stats["states"] << " differs from the spec's expected_states " << pinned["expected_states"] << "\n";
  out << "\nsummary: " << result["summary"].get<std::string>() << "\n";
  return wrapLines(out.str(), text.width);
}

std::string renderListText(const json& list) {
  std::ostringstream out;
  out << "models (a spec's \"model\"):\n";
  for (const auto& m : list["models"])
    out << "  " << m["name"].get<std::string>() << "  " << m["description"].get<std::string>() << "\n      read in: "
        << m["source"].get<std::string>() << "\n";
  auto width = columnWidth;
  for (const auto& m : list["models"]) {
    out << "\n=== model " << m["name"].get<std::string>() << " ===\n";
    out << "\nactions (actor, step, kernel function):\n";
    for (const auto& a : m["actions"]) {
      out << "  " << std::setw(10) << std::left << a["actor"].get<std::string>() << std::setw(std::max(28, width(m["actions"], "name")))
          << a["name"].get<std::string>()
          << std::right << a["kernel"].get<std::string>();
      if (!a["fix"].is_null()) out << "  (fix " << a["fix"].get<std::string>() << ")";
      if (!a["fix_point"].is_null()) out << "  (fix point " << a["fix_point"].get<std::string>() << ")";
      out << "\n              " << a["description"].get<std::string>() << "\n";
    }
    out << "\nfixes:\n";
    if (m["fixes"].empty()) out << "  none\n";
    for (const auto& f : m["fixes"])
      out << "  " << f["name"].get<std::string>() << "\n      " << f["description"].get<std::string>() << "\n      from: " << f["origin"].get<std::string>() << "\n";
    if (!m["fix_points"].empty()) {
      out << "\nfix points (a spec's \"define_fixes\": at POINT, when CONDITION, fail with ERRNO):\n";
      for (const auto& p : m["fix_points"])
        out << "  " << p["name"].get<std::string>() << "  " << p["kernel"].get<std::string>() << "\n      "
            << p["description"].get<std::string>() << "\n";
      out << "conditions:\n";
      for (const auto& c : m["fix_conditions"]) out << "  " << c["name"].get<std::string>() << "  " << c["description"].get<std::string>() << "\n";
      std::string errnos;
      for (const auto& e : m["fix_errnos"]) errnos += (errnos.empty() ? "" : ", ") + e.get<std::string>();
      out << "errnos: " << errnos << "\n";
    }
    out << "\nproperties:\n";
    int name_w = width(m["properties"], "name"), kind_w = width(m["properties"], "kind");
    for (const auto& p : m["properties"])
      out << "  " << std::setw(name_w) << std::left << p["name"].get<std::string>() << std::setw(kind_w)
          << p["kind"].get<std::string>() << std::right << p["description"].get<std::string>() << "\n";
    out << "\nparameters (--set KEY=VALUE):\n";
    name_w = width(m["parameters"], "name");
    int type_w = width(m["parameters"], "type");
    for (const auto& p : m["parameters"])
      out << "  " << std::setw(name_w) << std::left << p["name"].get<std::string>() << std::setw(type_w) << p["type"].get<std::string>()
          << std::right << "default " << p["default"].dump() << "  " << p["description"].get<std::string>() << "\n";
    const json& rates = m["rates"];
    std::string actors;
    for (const auto& a : rates["actors"]) actors += (actors.empty() ? "" : ", ") + a.get<std::string>();
    out << "\nscheduler rates (a spec's \"scheduler\" and \"schedulers\", --rate KEY=RATE, from " << rates["min"].get<double>()
        << " to " << rates["max"].get<double>() << "):\n  actor classes: " << actors << "\n  numbered actors: "
        << rates["numbered"].get<std::string>() << "\n  steps: " << rates["steps"].get<std::string>() << "\n  "
        << rates["default"].get<std::string>() << "\n";
    if (m.contains("schedulers")) {
      out << "\nthe spec's schedulers (--scheduler NAME):\n";
      for (const auto& s : m["schedulers"]) {
        out << "  " << s["name"].get<std::string>() << "  " << s["description"].get<std::string>();
        for (const auto& [key, rate] : s["rates"].items()) out << "  " << key << "=" << rate.get<double>();
        out << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace fsrace::cli
