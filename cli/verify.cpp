// fsrace verify: the baseline and each fix set side by side.
#include "cli/verify.hpp"

#include <algorithm>
#include <iomanip>
#include <set>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "cli/probabilities.hpp"
#include "cli/provenance.hpp"
#include "cli/replay.hpp"
#include "specs/json_reader.hpp"
#include "specs/model_description.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

std::string fixesName(const std::vector<std::string>& fixes) {
  if (fixes.empty()) return "baseline";
  std::string out;
  for (std::size_t i = 0; i < fixes.size(); ++i) out += (i ? " + " : "") + fixes[i];
  return out;
}

json rowJson(const specs::ModelDescription& family, const std::string& race, const std::vector<std::string>& fixes, const json& result) {
  // The outcome field a fix review is about (the model family says which).
  std::string key = family.keyOutcome(result["outcome_fields"].get<std::vector<std::string>>());
  std::set<std::string> key_values;
  for (const auto& o : result["outcomes"]) key_values.insert(o["outcome"][key].get<std::string>());
  json verdicts = json::object();
  json lengths = json::object();
  json test_passes = nullptr;
  for (const auto& p : result["properties"]) {
    verdicts[p["name"].get<std::string>()] = p["verdict"];
    if (p.contains("counterexample")) lengths[p["name"].get<std::string>()] = p["counterexample"]["minimality"]["steps"];
    if (p["name"] == family.passProperty()) test_passes = p["observation"];
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
  row["fixes"] = fixes;
  // Per scheduler: how likely the test is to fail, the key fsync's values
  // and the race property's event (cli/probabilities.hpp); or why none.
  const json& chances = result["probabilities"];
  if (!chances.is_object()) {
    row["probabilities"] = nullptr;
  } else if (!chances["computed"].get<bool>()) {
    row["probabilities"] = chances;
  } else {
    json per = json::array();
    for (const auto& s : chances["schedulers"])
      per.push_back({{"scheduler", s["name"]},
                     {"test_fails", s["test_fails"]},
                     {"test_passes", s["test_passes"]},
                     {"key", s["key"]["values"]},
                     {"race", race.empty() || !s["properties"].contains(race) ? json(nullptr) : s["properties"][race]["probability"]}});
    row["probabilities"] = {{"computed", true}, {"schedulers", per}};
  }
  // Whether the fixes close the race: null where the spec names none, or the run stopped first.
  std::string race_verdict = race.empty() ? "" : verdicts.value(race, "");
  row["closes"] = race_verdict == "holds" ? json(true) : race_verdict == "violated" ? json(false) : json(nullptr);
  return row;
}

}  // namespace

json runVerify(const specs::Spec& spec, const std::vector<std::vector<std::string>>& rows, const CheckOptions& options,
               std::vector<json>* results) {
  const specs::ModelDescription& family = *spec.family;
  json out = {{"format", "fsrace.verify/1"},
              {"spec", spec.name},
              {"spec_file", spec.file},
              {"model", spec.model},
              {"provenance", provenanceJson(&spec)},
              {"race", spec.race.empty() ? json(nullptr) : json(spec.race)},
              {"schedulers", json::array()},
              {"rows", json::array()}};
  for (const auto& s : spec.schedulers) out["schedulers"].push_back(s.json());
  json timed = json::array();
  specs::Spec base = spec;
  base.fixes.clear();
  base.expected_states.reset();
  json baseline = runCheck(base, options).result;
  bool complete = baseline["stats"]["complete"];
  out["rows"].push_back(rowJson(family, spec.race, {}, baseline));
  timed.push_back(baseline["timing"]);
  if (results) results->push_back(baseline);
  json skipped = json::array();
  for (const auto& fixes : rows) {
    specs::Spec variant = base;
    variant.fixes = fixes;
    // A combination the model refuses (see ModelDescription::checkCombination) is no row.
    try {
      family.checkCombination(specs::JsonReader(spec.file), variant);
    } catch (const specs::SpecError& e) {
      skipped.push_back({{"fixes", fixes}, {"name", fixesName(fixes)}, {"why", e.pointer() + ": " + e.problem()}});
      continue;
    }
    json result = runCheck(variant, options).result;
    complete = complete && result["stats"]["complete"].get<bool>();
    json row = rowJson(family, spec.race, fixes, result);
    for (const auto& p : baseline["properties"]) {
      if (!p.contains("counterexample")) continue;
      ReplayReport strict = replayTrace(variant, p["counterexample"], true);
      ReplayReport adapted = replayTrace(variant, p["counterexample"], false);
      row["replays"].push_back({{"property", p["name"]},
                                {"strict", {{"reproduced", strict.reproduced}, {"message", strict.message}}},
                                {"with_fix_steps", {{"reproduced", adapted.reproduced}, {"message", adapted.message}}}});
    }
    out["rows"].push_back(std::move(row));
    timed.push_back(result["timing"]);
    if (results) results->push_back(std::move(result));
  }
  out["timing"] = runsTiming(timed);
  out["complete"] = complete;
  out["skipped"] = skipped;
  // The properties the table gives a column (the race first), where the spec has them.
  json columns = json::array();
  for (const auto& name : family.verifyColumns())
    if (out["rows"][0]["verdicts"].contains(name)) columns.push_back(name);
  out["columns"] = columns;
  out["required"] = json::array();  // verify --require fills it (requirementsJson)
  return out;
}

json requirementsJson(const json& verify, const std::vector<std::string>& required) {
  json out = json::array();
  for (const auto& property : required) {
    json failing = json::array(), undecided = json::array();
    // A fix set the model refuses is no row: it cannot meet a requirement.
    for (const auto& s : verify["skipped"]) undecided.push_back(s["name"]);
    for (std::size_t i = 1; i < verify["rows"].size(); ++i) {
      const json& row = verify["rows"][i];
      std::string verdict = row["verdicts"].value(property, "violated");
      if (verdict == "violated") failing.push_back(row["name"]);
      if (verdict == "incomplete") undecided.push_back(row["name"]);
    }
    json met = !failing.empty() ? json(false) : !undecided.empty() ? json(nullptr) : json(true);
    out.push_back({{"property", property}, {"met", met}, {"failing", failing}, {"undecided", undecided}});
  }
  return out;
}

int verifyExitCode(const json& verify) {
  const json required = verify.value("required", json::array());
  if (std::any_of(required.begin(), required.end(), [](const json& r) { return r["met"] == json(false); })) return kExitViolated;
  bool undecided = std::any_of(required.begin(), required.end(), [](const json& r) { return r["met"].is_null(); });
  return verify["complete"].get<bool>() && !undecided ? kExitHolds : kExitIncomplete;
}

std::string renderVerifyText(const json& verify) {
  std::ostringstream out;
  out << "fsrace verify " << verify["spec_file"].get<std::string>() << ": " << verify["spec"].get<std::string>() << "\n\n";
  const json& rows = verify["rows"];
  // The model's main properties get a column; the others are summarised.
  const std::vector<std::string> shown = verify["columns"].get<std::vector<std::string>>();
  // A combined fix set's name is long: it gets a key, spelled out below.
  constexpr std::size_t kLongestName = 40;
  std::vector<std::string> keyed;
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> head = {"fixes", "states"};
  for (std::size_t i = 0; i < shown.size(); ++i) head.push_back("P" + std::to_string(i + 1));
  for (const char* column : {"", "passes", "shortest cex"}) head.emplace_back(*column ? column : rows[0]["key_fsync"].get<std::string>());
  // P(test fails) under each scheduler, where some row has it.
  std::vector<std::string> schedulers;
  for (const auto& s : verify.value("schedulers", json::array())) schedulers.push_back(s["name"]);
  bool chances = std::any_of(rows.begin(), rows.end(), [](const json& row) {
    return row.value("probabilities", json()).is_object() && row["probabilities"]["computed"].get<bool>() &&
           !row["probabilities"]["schedulers"][0]["test_fails"].is_null();
  });
  if (!chances) schedulers.clear();
  for (const auto& name : schedulers) head.push_back("fails@" + name);
  table.push_back(head);
  for (const auto& row : rows) {
    std::string name = row["name"];
    if (name.size() > kLongestName) {
      keyed.push_back(name);
      name = "[" + std::to_string(keyed.size()) + "]";
    }
    std::vector<std::string> cells = {name, std::to_string(row["states"].get<std::uint64_t>())};
    for (const auto& c : shown) cells.push_back(row["verdicts"].value(c, "-"));
    std::string values;
    for (const auto& v : row["key_fsync_results"]) values += (values.empty() ? "" : ",") + v.get<std::string>();
    bool complete = row["complete"].get<bool>();  // a partial run's outcomes are not the outcome set
    cells.push_back(complete ? "{" + values + "}" : "-");
    std::string passes = "-";
    if (complete && !row["test_passes"].is_null())
      passes = std::to_string(row["test_passes"]["satisfied"].get<std::uint64_t>()) + "/" +
               std::to_string(row["test_passes"]["satisfied"].get<std::uint64_t>() + row["test_passes"]["unsatisfied"].get<std::uint64_t>());
    cells.push_back(passes);
    const json& lengths = row["counterexample_steps"];
    bool has_race = !shown.empty() && lengths.contains(shown[0]);
    cells.push_back(has_race ? std::to_string(lengths[shown[0]].get<std::size_t>()) : "-");
    for (std::size_t k = 0; k < schedulers.size(); ++k) {
      const json& p = row["probabilities"];
      bool known = p.is_object() && p["computed"].get<bool>() && !p["schedulers"][k]["test_fails"].is_null();
      cells.push_back(known ? probabilityText(p["schedulers"][k]["test_fails"].get<double>(), p["schedulers"][k]["test_passes"].get<double>())
                            : "-");
    }
    table.push_back(std::move(cells));
  }
  out << tableText(table, "", 1);  // the state counts to the right
  out << "\n";
  for (std::size_t k = 0; k < keyed.size(); ++k) out << "[" << k + 1 << "] = " << keyed[k] << "\n";
  for (std::size_t i = 0; i < shown.size(); ++i) out << "P" << i + 1 << " = " << shown[i] << "\n";
  out << "passes = terminal states where the test passes / all terminal states\n";
  for (const auto& s : verify.value("schedulers", json::array()))
    if (!schedulers.empty())
      out << "fails@" << s["name"].get<std::string>() << " = the probability that the test fails, each enabled step taken in proportion to its rate: "
          << s["description"].get<std::string>() << "\n";
  for (const auto& row : rows)
    if (row.value("probabilities", json()).is_object() && !row["probabilities"]["computed"].get<bool>())
      out << "no probability for " << row["name"].get<std::string>() << ": " << row["probabilities"]["why"].get<std::string>() << "\n";
  out << "\nbaseline counterexamples replayed under each fix:\n";
  for (const auto& row : rows) {
    if (row["replays"].empty()) continue;
    out << "  " << row["name"].get<std::string>() << ":\n";
    for (const auto& r : row["replays"]) {
      out << "    " << r["property"].get<std::string>() << ":\n";
      for (const char* mode : {"strict", "with_fix_steps"}) {
        const json& m = r[mode];
        out << "      " << std::left << std::setw(16) << mode << std::right << (m["reproduced"].get<bool>() ? "reproduces: " : "does not:   ")
            << m["message"].get<std::string>() << "\n";
      }
    }
  }
  for (const auto& s : verify.value("skipped", json::array()))
    out << "\nskipped " << s["name"].get<std::string>() << ": " << s["why"].get<std::string>() << "\n";
  if (!verify["race"].is_null()) {
    std::vector<std::string> closed, open, undecided;
    for (std::size_t i = 1; i < rows.size(); ++i)
      (rows[i]["closes"].is_null() ? undecided : rows[i]["closes"].get<bool>() ? closed : open).push_back(rows[i]["name"]);
    auto names = [](const std::vector<std::string>& list) {
      std::string joined;
      for (const auto& name : list) joined += (joined.empty() ? "" : ", ") + name;
      return list.empty() ? std::string("none") : joined;
    };
    out << "\nthe race (" << verify["race"].get<std::string>() << ", as the spec names it):\n"
        << "  closed by:     " << names(closed) << "\n  not closed by: " << names(open) << "\n";
    if (!undecided.empty()) out << "  undecided:     " << names(undecided) << " (the run stopped first)\n";
  }
  for (const auto& r : verify.value("required", json::array())) {
    out << "\nrequired (--require): " << r["property"].get<std::string>() << " holds under every fix: ";
    if (r["met"] == json(true)) out << "met\n";
    else if (r["met"] == json(false)) out << "NOT MET: violated under " << r["failing"].size() << " of " << rows.size() - 1 << "\n";
    else out << "undecided: a run stopped first, or the model refused a fix set (skipped)\n";
    for (const auto& name : r["failing"]) out << "  violated under " << name.get<std::string>() << "\n";
    for (const auto& name : r["undecided"]) out << "  undecided under " << name.get<std::string>() << "\n";
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
