#include "cli/trace_json.hpp"

#include "specs/parameters.hpp"

namespace fsrace::cli {

using nlohmann::json;

std::size_t countSwitches(const model::BcachefsModel& m, const std::vector<model::Action>& actions) {
  std::size_t switches = 0;
  for (std::size_t i = 1; i < actions.size(); ++i) switches += m.actorIndex(actions[i]) != m.actorIndex(actions[i - 1]);
  return switches;
}

json parametersJson(const specs::Spec& spec) { return specs::parametersJson(spec.parameters); }

json fixesJson(const std::vector<model::Fix>& fixes) {
  json out = json::array();
  for (model::Fix fix : fixes) out.push_back(std::string(model::fixTable()[static_cast<std::size_t>(fix)].name));
  return out;
}

json outcomeJson(const std::vector<std::string>& fields, const checker::Outcome& values) {
  json out = json::object();
  for (std::size_t i = 0; i < fields.size(); ++i) out[fields[i]] = values[i];
  return out;
}

json changesJson(const model::BcachefsModel& m, const model::State& before, const model::State& after) {
  json changes = json::array();
  for (const auto& change : m.diff(before, after))
    changes.push_back({{"field", change.field}, {"before", change.before}, {"after", change.after}});
  return changes;
}

json traceJson(const specs::Spec& spec, const model::BcachefsModel& m, const TraceView& trace, const std::string& property,
               checker::PropertyKind kind, const std::string& guarantee) {
  json steps = json::array();
  for (std::size_t i = 0; i < trace.actions.size(); ++i) {
    const auto& before = trace.states[i];
    const model::Action& action = trace.actions[i];
    const auto& info = model::actionTable()[static_cast<std::size_t>(action.kind)];
    steps.push_back({{"index", i + 1},
                     {"actor", m.actorLabel(action)},
                     {"action", std::string(info.name)},
                     {"kernel", std::string(info.kernel)},
                     {"context", m.context(before, action)},
                     {"changes", changesJson(m, before, trace.states[i + 1])}});
  }
  json doc = {{"format", "fsrace.counterexample/1"},
              {"spec", spec.name},
              {"spec_file", spec.file},
              {"model", kModelName},
              {"property", property},
              {"kind", std::string(checker::kindName(kind))},
              {"fixes", fixesJson(m.fixes())},
              {"parameters", parametersJson(spec)},
              {"minimality", {{"steps", trace.actions.size()}, {"switches", trace.switches}, {"sliced", false}, {"guarantee", guarantee}}},
              {"steps", std::move(steps)}};
  const auto& last = trace.states.back();
  if (m.isTerminal(last)) doc["outcome"] = outcomeJson(m.outcomeFields(), m.outcome(last));
  return doc;
}

}  // namespace fsrace::cli
