// Text for people: the outcome set, the verdicts, and traces grouped so a
// kernel developer can paste them into a mail.
#include "cli/render_text.hpp"

#include <algorithm>
#include <iomanip>
#include <set>
#include <sstream>

#include "cli/run.hpp"
#include "cli/trace_json.hpp"
#include "cli/trace_groups.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

std::string fixedText(double value, int precision) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(precision) << value;
  return out.str();
}

void renderSteps(std::ostringstream& out, const json& steps, std::size_t from, std::size_t to) {
  for (const Group& g : groupSteps(steps, from, to, true)) {
    out << "  " << g.line << "\n";
    auto changes = netChanges(steps, g.first, g.last);
    if (changes.empty()) continue;
    out << "                    ";
    for (std::size_t k = 0; k < changes.size(); ++k) out << (k ? "; " : "") << changes[k];
    out << "\n";
  }
}

void renderTrace(std::ostringstream& out, const json& trace) {
  renderSteps(out, trace["steps"], 0, trace["steps"].size());
  if (trace.contains("outcome")) out << "  => result: " << trace["outcome"]["result"].get<std::string>() << "\n";
}

// Splits `text` into lines of at most `width`, continuation lines indented.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string rest = text;
  while (rest.size() > width) {
    std::size_t cut = rest.rfind(' ', width);
    if (cut == std::string::npos || cut < width / 2) cut = width;
    lines.push_back(rest.substr(0, cut));
    rest = "                  " + rest.substr(rest[cut] == ' ' ? cut + 1 : cut);
  }
  lines.push_back(rest);
  return lines;
}

// One column of a divergence: each group, then its net changes, wrapped.
std::vector<std::string> branchColumn(const json& trace, std::size_t decided, std::size_t width) {
  std::vector<std::string> lines;
  const json& steps = trace["steps"];
  for (const Group& g : groupSteps(steps, decided, steps.size(), false)) {
    for (auto& l : wrap(g.line, width)) lines.push_back(l);
    auto changes = netChanges(steps, g.first, g.last);
    std::string joined;
    for (std::size_t k = 0; k < changes.size(); ++k) joined += (k ? "; " : "") + changes[k];
    if (!joined.empty())
      for (auto& l : wrap("                  " + joined, width)) lines.push_back(l);
  }
  lines.push_back("=> " + trace["outcome"]["result"].get<std::string>());
  return lines;
}

// A divergence: the common prefix once, then the two branches side by side.
void renderDivergence(std::ostringstream& out, const json& trace) {
  std::size_t decided = trace["decided_after"];
  const json& other = trace["other"];
  renderSteps(out, trace["steps"], 0, decided);
  out << "  -- decided here, after step " << decided << ": the next step chooses the outcome --\n";
  constexpr std::size_t kWidth = 72;
  auto left = branchColumn(trace, decided, kWidth);
  auto right = branchColumn(other, decided, kWidth);
  std::string head = "this branch -> " + branchEnd(trace, other) + " (" + std::to_string(trace["steps"].size() - decided) + " steps)";
  if (head.size() > kWidth) head = "this branch (" + std::to_string(trace["steps"].size() - decided) + " steps)";
  out << "  " << head << std::string(kWidth - head.size(), ' ') << " | the other branch -> " << branchEnd(other, trace) << " ("
      << other["steps"].size() - decided << " steps)\n";
  for (std::size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
    std::string l = i < left.size() ? left[i] : "";
    out << "  " << l << std::string(kWidth - std::min(kWidth, l.size()), ' ') << " | " << (i < right.size() ? right[i] : "") << "\n";
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
  if (by == "max_memory" && limits.contains("max_memory_mib"))
    return by + ": the state store reached the " + number(limits["max_memory_mib"]) + " MiB limit (" + limits["max_memory_from"].get<std::string>() + ")";
  if (by == "interrupted") return by + ": a signal (SIGINT, SIGTERM or SIGHUP) asked it to stop";
  return by;
}

}  // namespace

std::string renderResultText(const json& result, const std::string& property) {
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
      << stats["depth"] << ", " << (stats["complete"].get<bool>() ? "complete" : "INCOMPLETE (stopped by " + stoppedBy(result) + ")")
      << " in " << fixedText(stats["seconds"].get<double>(), 3) << " s ("
      << fixedText(stats["states_per_second"].get<double>(), 0) << " states/s, "
      << fixedText(stats["bytes_per_state"].get<double>(), 1) << " bytes/state)\n\n";

  auto fields = varyingFields(result);
  out << "outcomes (" << stats["terminal_states"] << " terminal states; fields equal in every outcome omitted):\n";
  for (const auto& o : result["outcomes"]) {
    out << "  " << std::setw(10) << std::left << o["observation"].get<std::string>() << std::right
        << std::setw(8) << o["witnesses"].get<std::uint64_t>() << "  ";
    for (const auto& f : fields) out << f << "=" << o["outcome"][f].get<std::string>() << "  ";
    out << "\n";
  }

  out << "\nproperties:\n";
  // Columns as wide as their longest entry, plus two spaces.
  int verdict_w = columnWidth(result["properties"], "verdict"), name_w = columnWidth(result["properties"], "name"),
      kind_w = columnWidth(result["properties"], "kind");
  for (const auto& p : result["properties"]) {
    out << "  " << std::setw(verdict_w) << std::left << p["verdict"].get<std::string>() << std::setw(name_w)
        << p["name"].get<std::string>() << std::setw(kind_w) << p["kind"].get<std::string>() << std::right;
    if (p["verdict"] == "incomplete") out << "undecided: the run stopped first (expected " + p["expected"].get<std::string>() + ")";
    else out << (p["as_expected"].get<bool>() ? "as expected" : "UNEXPECTED (expected " + p["expected"].get<std::string>() + ")");
    if (p.contains("observation"))
      out << "  [" << p["observation"]["observation"].get<std::string>() << ": " << p["observation"]["satisfied"]
          << " of " << (p["observation"]["satisfied"].get<std::uint64_t>() + p["observation"]["unsatisfied"].get<std::uint64_t>()) << "]";
    out << "\n";
  }

  const json& coverage = result["coverage"];
  out << "\ncoverage: "
      << (coverage["all_reachable_steps_taken"].get<bool>() ? "every step of the model was taken"
          : stats["complete"].get<bool>()                   ? "SOME STEPS WERE NEVER TAKEN"
                                                            : "not judged, the run stopped first");
  if (!coverage["never_taken"].empty()) {
    out << "; not taken:";
    for (const auto& n : coverage["never_taken"]) out << "\n  " << n["action"].get<std::string>() << " (" << n["reason"].get<std::string>() << ")";
  }
  out << "\n";

  for (const auto& shared : sharedTraces(result, property)) {
    out << "\n" << traceHeading("counterexample to " + shared.names, *shared.trace);
    if (shared.trace->contains("decided_after")) renderDivergence(out, *shared.trace);
    else renderTrace(out, *shared.trace);
  }
  const json& pinned = result["pinned"];
  if (!pinned.is_null() && !pinned["as_expected"].get<bool>())
    out << "\nstate count " << stats["states"] << " differs from the spec's expected_states " << pinned["expected_states"] << "\n";
  out << "\nsummary: " << result["summary"].get<std::string>() << "\n";
  return out.str();
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
  }
  return out.str();
}

}  // namespace fsrace::cli
