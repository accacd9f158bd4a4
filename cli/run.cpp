#include "cli/run.hpp"

#include <algorithm>

#include "cli/check_model.hpp"
#include "cli/model_family.hpp"
#include "cli/provenance.hpp"
#include "specs/json_reader.hpp"

namespace fsrace::cli {

using nlohmann::json;

// herd7's observation of an outcome condition over the terminal states.
json observationJson(const std::function<bool(const checker::Outcome&)>& predicate,
                     const std::vector<checker::OutcomeClass>& outcomes, bool complete) {
  std::uint64_t yes = 0, no = 0;
  for (const auto& o : outcomes) (predicate(o.values) ? yes : no) += o.witnesses;
  std::string word = !complete ? "incomplete" : yes == 0 ? "never" : no == 0 ? "always" : "sometimes";
  return {{"satisfied", yes}, {"unsatisfied", no}, {"observation", word}};
}

json coverageJson(const specs::Spec& spec, const checker::Stats& stats, const std::function<std::string(std::size_t)>& absent) {
  json taken = json::object();
  json never = json::array();
  bool all_taken = true;
  const auto& table = spec.family->actions();
  std::vector<std::string> active_points;  // where the active fixes stand
  for (const auto& fix : specs::availableFixes(spec))
    if (!fix.point.empty() && std::find(spec.fixes.begin(), spec.fixes.end(), fix.name) != spec.fixes.end())
      active_points.push_back(fix.point);
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& info = table[i];
    auto count = stats.action_counts[i];
    taken[info.name] = count;
    if (count > 0) continue;
    std::string reason;
    if (!info.fix.empty() && std::find(spec.fixes.begin(), spec.fixes.end(), info.fix) == spec.fixes.end()) {
      reason = "only under fix " + info.fix;
    } else if (!info.point.empty() && std::find(active_points.begin(), active_points.end(), info.point) == active_points.end()) {
      reason = "only under a fix at " + info.point;
    } else if (std::string why = absent(i); !why.empty()) {
      reason = why;
    } else if (!stats.complete) {
      reason = "not reached before the run stopped; it may be reachable";
      all_taken = false;
    } else {
      reason = "enabled in the model but never reached: a modelling bug or a vacuous scenario";
      all_taken = false;
    }
    never.push_back({{"action", info.name}, {"reason", reason}});
  }
  return {{"transitions", taken}, {"never_taken", never}, {"all_reachable_steps_taken", all_taken}};
}

// The limits the run was given; null where there was none. A memory limit
// taken from the memory available is the machine's: it is in `timing`.
json limitsJson(const CheckOptions& options) {
  const checker::Limits& l = options.limits;
  bool memory_given = options.memory_limit_source == "--max-memory";
  return {{"max_states", l.max_states ? json(l.max_states) : json(nullptr)},
          {"max_seconds", l.max_seconds > 0 ? json(l.max_seconds) : json(nullptr)},
          {"max_memory_mib", memory_given && l.max_memory_mib ? json(l.max_memory_mib) : json(nullptr)}};
}

json statsJson(const checker::Stats& s) {
  return {{"states", s.states},
          {"transitions", s.transitions},
          {"terminal_states", s.terminal_states},
          {"depth", s.depth},
          {"state_bytes", s.state_bytes},
          {"bytes_per_state", s.bytesPerState()},
          {"complete", s.complete},
          {"stopped_by", s.stopped_by.empty() ? json(nullptr) : json(s.stopped_by)}};
}

// What depends on the machine and the moment of the run, in one object, so
// that two runs of the same check differ nowhere else.
json timingJson(const checker::Stats& s, const CheckOptions& options) {
  const checker::Limits& l = options.limits;
  return {{"seconds", s.seconds},
          {"states_per_second", s.statesPerSecond()},
          {"memory_limit_mib", l.max_memory_mib ? json(l.max_memory_mib) : json(nullptr)},
          {"memory_limit_from", l.max_memory_mib ? json(options.memory_limit_source) : json(nullptr)}};
}

CheckOutput runCheck(const specs::Spec& spec, const CheckOptions& options) { return familyOf(spec).check(spec, options); }

json runsTiming(const json& runs) {
  double seconds = 0;
  for (const auto& timing : runs) seconds += timing["seconds"].get<double>();
  return {{"seconds", seconds}, {"runs", runs}};
}

namespace {

json modelJson(const ModelFamily& family, const std::vector<specs::FixInfo>& fix_infos) {
  json actions = json::array();
  for (const auto& info : family.actions())
    actions.push_back({{"name", info.name},
                       {"actor", info.actor},
                       {"kernel", info.kernel},
                       {"description", info.description},
                       {"fix", info.fix.empty() ? json(nullptr) : json(info.fix)},
                       {"fix_point", info.point.empty() ? json(nullptr) : json(info.point)}});
  json fixes = json::array();
  for (const auto& info : fix_infos)
    fixes.push_back({{"name", info.name},
                     {"description", info.description},
                     {"origin", info.origin},
                     {"fix_point", info.point.empty() ? json(nullptr) : json(info.point)}});
  json points = json::array();
  for (const auto& info : family.fixPoints())
    points.push_back({{"name", info.name}, {"kernel", info.kernel}, {"description", info.description}});
  json conditions = json::array();
  for (const auto& info : family.fixConditions()) conditions.push_back({{"name", info.name}, {"description", info.description}});
  json properties = json::array();
  for (const auto& info : family.properties())
    properties.push_back({{"name", info.name}, {"kind", std::string(checker::kindName(info.kind))}, {"description", info.description}});
  json parameters = json::array();
  for (const auto& info : family.parameters())
    parameters.push_back({{"name", info.name},
                          {"type", specs::typeText(info)},
                          {"default", info.default_value},
                          {"description", info.description}});
  return {{"name", family.name()},
          {"description", family.description()},
          {"source", family.source()},
          {"actions", actions},
          {"fixes", fixes},
          {"fix_points", points},
          {"fix_conditions", conditions},
          {"fix_errnos", family.fixErrnos()},
          {"properties", properties},
          {"parameters", parameters},
          {"rates",
           {{"actors", family.actorNames()},
            {"numbered", "an actor of one process or file: test1, writeback2, ... (the actor of process or file 0 is the class itself)"},
            {"steps", "any action above, by its name"},
            {"min", specs::kMinRate},
            {"max", specs::kMaxRate},
            {"default", "1 for every key: each enabled step equally likely; a step's weight is the product of its actor class's, "
                        "its actor's and its own rate, and it runs next with probability weight / the enabled steps' weights"}}}};
}

}  // namespace

json listDocument(const std::string& model, const specs::Spec* spec) {
  json models = json::array();
  if (spec) {
    models.push_back(modelJson(familyOf(*spec), specs::availableFixes(*spec)));
    json schedulers = json::array();
    for (const auto& s : spec->schedulers) schedulers.push_back(s.json());
    models.back()["schedulers"] = schedulers;
  } else {
    if (!model.empty()) specs::JsonReader("--model " + model).oneOf(model, "", specs::modelNames());
    for (const ModelFamily* family : modelFamilies())
      if (model.empty() || family->name() == model) models.push_back(modelJson(*family, family->fixes()));
  }
  return {{"format", "fsrace.list/1"}, {"provenance", provenanceJson(spec)}, {"models", models}};
}

}  // namespace fsrace::cli
