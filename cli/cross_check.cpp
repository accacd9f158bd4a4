// --cross-check: the same spec without reductions, then with each reduction
// and with all of them. A reduction that changed a verdict, an outcome or a
// witness count would be a bug of the tool, so this is how a user (and the
// suite) holds the reductions to account.
#include "cli/cross_check.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/run.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

json verdicts(const json& result) {
  json out = json::object();
  for (const auto& p : result["properties"]) out[p["name"].get<std::string>()] = p["verdict"];
  return out;
}

json outcomeSet(const json& result) {
  json out = json::array();
  for (const auto& o : result["outcomes"]) out.push_back({{"outcome", o["outcome"]}, {"witnesses", o["witnesses"]}});
  std::sort(out.begin(), out.end());
  return out;
}

json runSummary(const std::string& name, const json& result) {
  const json& stats = result["stats"];
  return {{"reductions", name},
          {"states", stats["states"]},
          {"transitions", stats["transitions"]},
          {"terminal_states", stats["terminal_states"]},
          {"seconds", stats["seconds"]},
          {"complete", stats["complete"]},
          {"verdicts", verdicts(result)}};
}

// What differs between the unreduced run `a` and the reduced run `b`.
json differencesOf(const std::string& name, const json& a, const json& b) {
  json out = json::array();
  json va = verdicts(a), vb = verdicts(b);
  for (const auto& [property, verdict] : va.items())
    if (vb[property] != verdict)
      out.push_back(name + ": property " + property + " is " + vb[property].get<std::string>() + ", " +
                    verdict.get<std::string>() + " without reductions");
  if (outcomeSet(a) != outcomeSet(b)) out.push_back(name + ": the outcome set or its witness counts differ");
  if (a["stats"]["terminal_states"] != b["stats"]["terminal_states"]) out.push_back(name + ": the terminal state counts differ");
  return out;
}

}  // namespace

json runCrossCheck(const specs::Spec& spec, const CheckOptions& options) {
  struct Variant {
    std::string name;
    checker::Reductions reductions;
  };
  const std::vector<Variant> variants = {
      {"none", {}}, {"symmetry", {true, false}}, {"partial_order", {false, true}}, {"symmetry+partial_order", {true, true}}};
  json runs = json::array(), differences = json::array();
  json plain;
  bool complete = true;
  for (const Variant& variant : variants) {
    CheckOptions run = options;
    run.reductions = variant.reductions;
    run.slice = false;
    json result = runCheck(spec, run).result;
    complete &= result["stats"]["complete"].get<bool>();
    runs.push_back(runSummary(variant.name, result));
    if (variant.name == "none") {
      plain = std::move(result);
      continue;
    }
    for (auto& d : differencesOf(variant.name, plain, result)) differences.push_back(std::move(d));
  }
  int code = !complete ? kExitIncomplete : differences.empty() ? kExitHolds : kExitViolated;
  return {{"format", "fsrace.cross_check/1"},
          {"spec", spec.name},
          {"spec_file", spec.file},
          {"runs", runs},
          {"outcomes", outcomeSet(plain)},
          {"differences", differences},
          {"agree", complete && differences.empty()},
          {"exit_code", code}};
}

std::string renderCrossCheckText(const json& doc) {
  std::ostringstream out;
  out << "fsrace check --cross-check " << doc["spec_file"].get<std::string>() << ": " << doc["spec"].get<std::string>() << "\n";
  for (const auto& r : doc["runs"])
    out << "  " << std::setw(24) << std::left << r["reductions"].get<std::string>() << std::right << std::setw(10)
        << r["states"] << " states " << std::setw(10) << r["transitions"] << " transitions " << std::setw(7)
        << r["terminal_states"] << " terminal states  " << (r["complete"].get<bool>() ? "complete" : "INCOMPLETE") << "\n";
  if (doc["agree"].get<bool>()) {
    out << "agree: " << doc["runs"][0]["verdicts"].size() << " verdicts and " << doc["outcomes"].size()
        << " outcomes with their witness counts are the same in every run\n";
    return out.str();
  }
  for (const auto& d : doc["differences"]) out << "DIFFERS: " << d.get<std::string>() << "\n";
  if (doc["differences"].empty()) out << "undecided: a run was incomplete\n";
  return out.str();
}

}  // namespace fsrace::cli
