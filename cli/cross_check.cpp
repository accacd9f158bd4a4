// --cross-check: the same spec with and without the reductions. A reduction
// that changed a verdict, an outcome or a witness count would be a bug of
// the tool, so this is how a user (and the suite) holds it to account.
#include <algorithm>
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

json runSummary(const json& result) {
  const json& stats = result["stats"];
  return {{"states", stats["states"]},          {"transitions", stats["transitions"]},
          {"terminal_states", stats["terminal_states"]}, {"seconds", stats["seconds"]},
          {"complete", stats["complete"]},      {"verdicts", verdicts(result)}};
}

}  // namespace

json runCrossCheck(const specs::Spec& spec, const CheckOptions& options) {
  CheckOptions plain = options, reduced = options;
  plain.reductions = {};
  plain.slice = reduced.slice = false;
  reduced.reductions.symmetry = true;
  json a = runCheck(spec, plain).result;
  json b = runCheck(spec, reduced).result;
  json differences = json::array();
  json va = verdicts(a), vb = verdicts(b);
  for (const auto& [name, verdict] : va.items())
    if (vb[name] != verdict) differences.push_back("property " + name + ": " + verdict.get<std::string>() + " without, " +
                                                   vb[name].get<std::string>() + " with the reductions");
  if (outcomeSet(a) != outcomeSet(b)) differences.push_back("the outcome sets (or their witness counts) differ");
  if (a["stats"]["terminal_states"] != b["stats"]["terminal_states"]) differences.push_back("the terminal state counts differ");
  bool complete = a["stats"]["complete"].get<bool>() && b["stats"]["complete"].get<bool>();
  int code = !complete ? kExitIncomplete : differences.empty() ? kExitHolds : kExitViolated;
  return {{"format", "fsrace.cross_check/1"},
          {"spec", spec.name},
          {"spec_file", spec.file},
          {"reductions", {"symmetry"}},
          {"symmetries", b["reductions"]["symmetries"]},
          {"without", runSummary(a)},
          {"with", runSummary(b)},
          {"outcomes", outcomeSet(a)},
          {"differences", differences},
          {"agree", complete && differences.empty()},
          {"exit_code", code}};
}

std::string renderCrossCheckText(const json& doc) {
  std::ostringstream out;
  out << "fsrace check --cross-check " << doc["spec_file"].get<std::string>() << ": " << doc["spec"].get<std::string>() << "\n";
  for (const char* run : {"without", "with"}) {
    const json& r = doc[run];
    out << "  " << run << " symmetry" << (std::string(run) == "with" ? "   " : "")
        << ": " << r["states"] << " states, " << r["terminal_states"] << " terminal states, "
        << (r["complete"].get<bool>() ? "complete" : "INCOMPLETE") << "\n";
  }
  if (doc["agree"].get<bool>()) {
    out << "agree: " << doc["without"]["verdicts"].size() << " verdicts and " << doc["outcomes"].size()
        << " outcomes with their witness counts are the same\n";
    return out.str();
  }
  for (const auto& d : doc["differences"]) out << "DIFFERS: " << d.get<std::string>() << "\n";
  if (doc["differences"].empty()) out << "undecided: a run was incomplete\n";
  return out.str();
}

}  // namespace fsrace::cli
