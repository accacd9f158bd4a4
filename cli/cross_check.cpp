// --cross-check: the same spec without reductions, then with each reduction
// and with all of them. A reduction that changed a verdict, an outcome or a
// witness count would be a bug of the tool, so this is how a user (and the
// suite) holds the reductions to account.
#include "cli/cross_check.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/provenance.hpp"
#include "cli/run.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

json verdicts(const json& result) {
  json out = json::object();
  for (const auto& p : result["properties"]) out[p["name"].get<std::string>()] = p["verdict"];
  return out;
}

json outcomeSet(const json& result, bool counts = true) {
  json out = json::array();
  for (const auto& o : result["outcomes"])
    out.push_back(counts ? json{{"outcome", o["outcome"]}, {"witnesses", o["witnesses"]}} : json{{"outcome", o["outcome"]}});
  std::sort(out.begin(), out.end());
  return out;
}

json runSummary(const std::string& name, const json& result) {
  const json& stats = result["stats"];
  return {{"reductions", name},
          {"states", stats["states"]},
          {"transitions", stats["transitions"]},
          {"terminal_states", stats["terminal_states"]},
          {"complete", stats["complete"]},
          {"verdicts", verdicts(result)}};
}

// What differs between the first run `a` and the run `b`; `counts`: the
// witness and terminal state counts must agree too.
json differencesOf(const std::string& name, const json& a, const json& b, bool counts = true,
                   const std::string& first = "without reductions") {
  json out = json::array();
  json va = verdicts(a), vb = verdicts(b);
  for (const auto& [property, verdict] : va.items())
    if (vb[property] != verdict)
      out.push_back(name + ": property " + property + " is " + vb[property].get<std::string>() + ", " +
                    verdict.get<std::string>() + " " + first);
  if (outcomeSet(a, counts) != outcomeSet(b, counts))
    out.push_back(name + (counts ? ": the outcome set or its witness counts differ" : ": the outcome set differs"));
  if (counts && a["stats"]["terminal_states"] != b["stats"]["terminal_states"]) out.push_back(name + ": the terminal state counts differ");
  return out;
}

// The fsrace.cross_check/1 document of `runs`, first one first. A run a
// limit stopped has no verdicts to compare: undecided, not different.
json crossCheckDocument(const std::string& compares, const specs::Spec& spec, json runs, json outcomes, json differences,
                        bool complete, json timings) {
  if (!complete) differences = json::array();
  int code = !complete ? kExitIncomplete : differences.empty() ? kExitHolds : kExitViolated;
  bool agree = complete && differences.empty();
  return {{"format", "fsrace.cross_check/1"},
          {"compares", compares},
          {"spec", spec.name},
          {"spec_file", spec.file},
          {"runs", std::move(runs)},
          {"outcomes", std::move(outcomes)},
          {"differences", std::move(differences)},
          {"agree", agree},
          {"exit_code", code},
          {"provenance", provenanceJson(&spec)},
          {"timing", runsTiming(timings)}};
}

}  // namespace

json runCrossCheck(const specs::Spec& spec, const CheckOptions& options) {
  struct Variant {
    std::string name;
    checker::Reductions reductions;
  };
  const std::vector<Variant> variants = {
      {"none", {}}, {"symmetry", {true, false}}, {"partial_order", {false, true}}, {"symmetry+partial_order", {true, true}}};
  json runs = json::array(), differences = json::array(), timings = json::array();
  json plain;
  bool complete = true;
  for (const Variant& variant : variants) {
    CheckOptions run = options;
    run.reductions = variant.reductions;
    run.slice = false;
    json result = runCheck(spec, run).result;
    complete &= result["stats"]["complete"].get<bool>();
    runs.push_back(runSummary(variant.name, result));
    timings.push_back(result["timing"]);
    if (variant.name == "none") {
      plain = std::move(result);
      continue;
    }
    for (auto& d : differencesOf(variant.name, plain, result)) differences.push_back(std::move(d));
  }
  return crossCheckDocument("reductions", spec, std::move(runs), outcomeSet(plain), std::move(differences), complete,
                            std::move(timings));
}

json runParameterCrossCheck(const specs::Spec& spec, const specs::Spec& changed, const std::vector<std::string>& sets,
                            const CheckOptions& options) {
  std::string name;
  for (const auto& set : sets) name += (name.empty() ? "" : " ") + set;
  CheckOptions run = options;
  run.slice = false;
  json first = runCheck(spec, run).result;
  json second = runCheck(changed, run).result;
  bool complete = first["stats"]["complete"].get<bool>() && second["stats"]["complete"].get<bool>();
  return crossCheckDocument("parameters", spec, json::array({runSummary("as given", first), runSummary(name, second)}),
                            outcomeSet(first, false), differencesOf(name, first, second, false, "as given"), complete,
                            json::array({first["timing"], second["timing"]}));
}

std::string renderCrossCheckText(const json& doc) {
  std::ostringstream out;
  // A parameter cross-check compares outcome sets without witness counts.
  bool counts = doc["compares"] == "reductions";
  out << "fsrace check " << (counts ? "--cross-check " : "--cross-check-set ") << doc["spec_file"].get<std::string>() << ": "
      << doc["spec"].get<std::string>() << "\n";
  std::size_t width = 24;
  for (const auto& r : doc["runs"]) width = std::max(width, r["reductions"].get<std::string>().size() + 2);
  for (const auto& r : doc["runs"])
    out << "  " << std::setw(static_cast<int>(width)) << std::left << r["reductions"].get<std::string>() << std::right << std::setw(10)
        << r["states"] << " states " << std::setw(10) << r["transitions"] << " transitions " << std::setw(7)
        << r["terminal_states"] << " terminal states  " << (r["complete"].get<bool>() ? "complete" : "INCOMPLETE") << "\n";
  if (doc["agree"].get<bool>()) {
    out << "agree: " << doc["runs"][0]["verdicts"].size() << " verdicts and " << doc["outcomes"].size()
        << (counts ? " outcomes with their witness counts are the same in every run\n" : " outcomes are the same in both runs\n");
    return out.str();
  }
  for (const auto& d : doc["differences"]) out << "DIFFERS: " << d.get<std::string>() << "\n";
  if (doc["differences"].empty()) {
    std::string stopped;
    for (const auto& r : doc["runs"])
      if (!r["complete"].get<bool>()) stopped += (stopped.empty() ? "" : ", ") + r["reductions"].get<std::string>();
    out << "undecided: a limit stopped these runs before the end, so nothing is compared: " << stopped << "\n";
  }
  return out.str();
}

}  // namespace fsrace::cli
