// fsrace verify: the baseline and each fix set side by side.
#include <iomanip>
#include <set>
#include <sstream>

#include "cli/replay.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

std::string fixesName(const std::vector<model::Fix>& fixes) {
  if (fixes.empty()) return "baseline";
  std::string out;
  for (std::size_t i = 0; i < fixes.size(); ++i)
    out += (i ? " + " : "") + std::string(model::fixTable()[static_cast<std::size_t>(fixes[i])].name);
  return out;
}

// The fsync whose result the report is about: the first one the
// fsync_after_shutdown_consistent projection covers, else the last fsync.
std::string keyField(const json& result) {
  const json& fields = result["outcome_fields"];
  for (const auto& f : fields)
    if (f.get<std::string>().rfind("reopen_fsync", 0) == 0 || f.get<std::string>().rfind("healed_fsync", 0) == 0) return f;
  return fields.size() >= 2 ? fields[fields.size() - 2].get<std::string>() : "result";
}

json rowJson(const std::vector<model::Fix>& fixes, const json& result) {
  std::string key = keyField(result);
  std::set<std::string> key_values;
  for (const auto& o : result["outcomes"]) key_values.insert(o["outcome"][key].get<std::string>());
  json verdicts = json::object();
  json lengths = json::object();
  json test_passes = nullptr;
  for (const auto& p : result["properties"]) {
    verdicts[p["name"].get<std::string>()] = p["verdict"];
    if (p.contains("counterexample")) lengths[p["name"].get<std::string>()] = p["counterexample"]["minimality"]["steps"];
    if (p["name"] == "test_passes") test_passes = p["observation"];
  }
  json row = {{"fixes", json::array()},
              {"name", fixesName(fixes)},
              {"states", result["stats"]["states"]},
              {"complete", result["stats"]["complete"]},
              {"stopped_by", result["stats"]["stopped_by"]},
              {"verdicts", verdicts},
              {"key_fsync", key},
              {"key_fsync_results", key_values},
              {"test_passes", test_passes},
              {"counterexample_steps", lengths},
              {"replays", json::array()}};
  for (model::Fix fix : fixes) row["fixes"].push_back(std::string(model::fixTable()[static_cast<std::size_t>(fix)].name));
  return row;
}

}  // namespace

json runVerify(const specs::Spec& spec, const std::vector<std::vector<model::Fix>>& rows, const CheckOptions& options) {
  json out = {{"format", "fsrace.verify/1"}, {"spec", spec.name}, {"spec_file", spec.file}, {"rows", json::array()}};
  specs::Spec base = spec;
  base.fixes.clear();
  base.expected_states.reset();
  json baseline = runCheck(base, options).result;
  bool complete = baseline["stats"]["complete"];
  out["rows"].push_back(rowJson({}, baseline));
  for (const auto& fixes : rows) {
    specs::Spec variant = base;
    variant.fixes = fixes;
    json result = runCheck(variant, options).result;
    complete = complete && result["stats"]["complete"].get<bool>();
    json row = rowJson(fixes, result);
    for (const auto& p : baseline["properties"]) {
      if (!p.contains("counterexample")) continue;
      ReplayReport strict = replayTrace(variant, p["counterexample"], true);
      ReplayReport adapted = replayTrace(variant, p["counterexample"], false);
      row["replays"].push_back({{"property", p["name"]},
                                {"strict", {{"reproduced", strict.reproduced}, {"message", strict.message}}},
                                {"with_fix_steps", {{"reproduced", adapted.reproduced}, {"message", adapted.message}}}});
    }
    out["rows"].push_back(std::move(row));
  }
  out["complete"] = complete;
  return out;
}

std::string renderVerifyText(const json& verify) {
  std::ostringstream out;
  out << "fsrace verify " << verify["spec_file"].get<std::string>() << ": " << verify["spec"].get<std::string>() << "\n\n";
  const json& rows = verify["rows"];
  // Witness (sometimes) properties are summarised; the others get a column.
  std::vector<std::string> shown = {"fsync_after_shutdown_consistent", "test_passes", "errors_reported_once_per_fd",
                                    "shut_down_before_healed_fsyncs", "no_deadlock"};
  shown.erase(std::remove_if(shown.begin(), shown.end(), [&](const std::string& c) { return !rows[0]["verdicts"].contains(c); }), shown.end());
  // Columns as wide as their longest entry, plus two spaces.
  std::size_t name_w = 7, states_w = 8;
  for (const auto& row : rows) {
    name_w = std::max(name_w, row["name"].get<std::string>().size() + 2);
    states_w = std::max(states_w, std::to_string(row["states"].get<std::uint64_t>()).size() + 2);
  }
  const int verdict_w = 12;  // "incomplete" and two spaces
  out << std::left << std::setw(static_cast<int>(name_w)) << "fixes" << std::setw(static_cast<int>(states_w)) << "states";
  for (std::size_t i = 0; i < shown.size(); ++i) out << std::setw(verdict_w) << ("P" + std::to_string(i + 1));
  out << std::setw(17) << rows[0]["key_fsync"].get<std::string>() << std::setw(12) << "passes" << "shortest cex\n";
  for (const auto& row : rows) {
    out << std::setw(static_cast<int>(name_w)) << row["name"].get<std::string>() << std::setw(static_cast<int>(states_w))
        << row["states"].get<std::uint64_t>();
    for (const auto& c : shown) out << std::setw(verdict_w) << row["verdicts"].value(c, "-");
    std::string values;
    for (const auto& v : row["key_fsync_results"]) values += (values.empty() ? "" : ",") + v.get<std::string>();
    bool complete = row["complete"].get<bool>();  // a partial run's outcomes are not the outcome set
    out << std::setw(17) << (complete ? "{" + values + "}" : "-");
    std::string passes = "-";
    if (complete && !row["test_passes"].is_null())
      passes = std::to_string(row["test_passes"]["satisfied"].get<std::uint64_t>()) + "/" +
               std::to_string(row["test_passes"]["satisfied"].get<std::uint64_t>() + row["test_passes"]["unsatisfied"].get<std::uint64_t>());
    out << std::setw(12) << passes;
    const json& lengths = row["counterexample_steps"];
    out << (lengths.contains("fsync_after_shutdown_consistent") ? std::to_string(lengths["fsync_after_shutdown_consistent"].get<std::size_t>()) : "-") << "\n";
  }
  out << "\n";
  for (std::size_t i = 0; i < shown.size(); ++i) out << "P" << i + 1 << " = " << shown[i] << "\n";
  out << "passes = terminal states where the test passes / all terminal states\n";
  out << "\nbaseline counterexamples replayed under each fix:\n";
  for (const auto& row : rows) {
    if (row["replays"].empty()) continue;
    out << "  " << row["name"].get<std::string>() << ":\n";
    for (const auto& r : row["replays"]) {
      out << "    " << r["property"].get<std::string>() << ":\n";
      for (const char* mode : {"strict", "with_fix_steps"}) {
        const json& m = r[mode];
        out << "      " << std::setw(16) << mode << (m["reproduced"].get<bool>() ? "reproduces: " : "does not:   ")
            << m["message"].get<std::string>() << "\n";
      }
    }
  }
  bool any_witness_violated = false;
  for (const auto& row : rows)
    for (const auto& [name, verdict] : row["verdicts"].items())
      if (std::find(shown.begin(), shown.end(), name) == shown.end() && verdict == "violated") {
        if (!any_witness_violated) out << "\nother properties violated:\n";
        any_witness_violated = true;
        out << "  " << row["name"].get<std::string>() << ": " << name << "\n";
      }
  if (!verify["complete"].get<bool>()) {
    out << "\nINCOMPLETE: verdicts of these rows are not final:\n";
    for (const auto& row : rows)
      if (!row["complete"].get<bool>())
        out << "  " << row["name"].get<std::string>() << ": stopped by " << row.value("stopped_by", json("a limit")).get<std::string>()
            << (row.value("stopped_by", json()) == "interrupted" ? " (a signal: SIGINT, SIGTERM or SIGHUP)" : "") << "\n";
  }
  return out.str();
}

}  // namespace fsrace::cli
