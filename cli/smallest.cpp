#include "cli/smallest.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "specs/model_description.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;

struct Dimension {
  std::string name;
  int min, value;
};

// Every combination of the dimensions' values, by distance from the minimum.
std::vector<std::vector<int>> candidatesByDistance(const std::vector<Dimension>& dims) {
  std::vector<std::vector<int>> all{{}};
  for (const auto& d : dims) {
    std::vector<std::vector<int>> next;
    for (const auto& prefix : all)
      for (int v = d.min; v <= d.value; ++v) {
        auto c = prefix;
        c.push_back(v);
        next.push_back(std::move(c));
      }
    all = std::move(next);
  }
  auto distance = [&](const std::vector<int>& c) {
    int sum = 0;
    for (std::size_t i = 0; i < dims.size(); ++i) sum += c[i] - dims[i].min;
    return sum;
  };
  std::stable_sort(all.begin(), all.end(), [&](const auto& a, const auto& b) { return distance(a) < distance(b); });
  return all;
}

std::string violatedTrace(const json& property) {
  return property.contains("counterexample") ? "counterexample" : property.contains("witness") ? "witness" : "";
}

}  // namespace

json smallestScenarios(const specs::Spec& spec, const std::vector<std::string>& sets, const std::vector<std::string>& fixes,
                       const json& result, const CheckOptions& options) {
  std::vector<Dimension> dims;
  for (const auto& info : spec.family->parameters())
    if (info.type == specs::ParameterInfo::Type::Integer)
      dims.push_back({info.name, info.min, spec.parameters.integer(info.name)});
  // What is left to find: the violated properties, and what they need.
  struct Wanted {
    std::string name;
    json found;                       // the best scenario at the distance it was first violated at
    int distance = -1;
    std::size_t undecided_below = 0;  // smaller scenarios whose run stopped before deciding
  };
  std::vector<Wanted> wanted;
  for (const auto& p : result["properties"])
    if (p["verdict"] == "violated") wanted.push_back({p["name"], json(), -1, 0});
  if (wanted.empty()) return json::array();

  CheckOptions quiet = options;
  quiet.progress = false;
  int done_at = -1;  // the distance at which every property was found
  for (const auto& candidate : candidatesByDistance(dims)) {
    int distance = 0;
    for (std::size_t i = 0; i < dims.size(); ++i) distance += candidate[i] - dims[i].min;
    if (done_at >= 0 && distance > done_at) break;
    std::vector<std::string> overrides = sets;
    json changed = json::object();
    for (std::size_t i = 0; i < dims.size(); ++i) {
      overrides.push_back(dims[i].name + "=" + std::to_string(candidate[i]));
      if (candidate[i] != dims[i].value) changed[dims[i].name] = candidate[i];
    }
    json run;
    if (changed.empty()) {
      run = result;  // the spec as given: already checked
    } else {
      specs::Spec smaller;
      try {
        smaller = specs::loadSpec(spec.file, overrides, fixes);
      } catch (const specs::SpecError&) {
        continue;  // not a scenario (e.g. more inodes than processes)
      }
      run = runCheck(smaller, quiet).result;
    }
    const bool complete = run["stats"]["complete"].get<bool>();
    for (auto& w : wanted) {
      if (w.distance >= 0 && w.distance < distance) continue;
      const json* p = nullptr;
      for (const auto& q : run["properties"])
        if (q["name"] == w.name) p = &q;
      if (!p || (*p)["verdict"] != "violated") {
        if (!complete && w.distance < 0) ++w.undecided_below;
        continue;
      }
      std::string kind = violatedTrace(*p);
      std::size_t steps = kind.empty() ? 0 : (*p)[kind]["minimality"]["steps"].get<std::size_t>();
      if (w.distance == distance && w.found["steps"].get<std::size_t>() <= steps) continue;
      w.distance = distance;
      w.found = {{"property", w.name}, {"changed", changed}, {"states", run["stats"]["states"]}, {"steps", steps}};
      if (!kind.empty()) w.found[kind] = (*p)[kind];
    }
    if (done_at < 0 && std::all_of(wanted.begin(), wanted.end(), [](const Wanted& w) { return w.distance >= 0; }))
      done_at = distance;
  }
  json out = json::array();
  for (auto& w : wanted) {
    if (w.found.is_null()) continue;  // the spec's own run violates it, so it is always found
    w.found["undecided_smaller"] = w.undecided_below;
    out.push_back(w.found);
  }
  return out;
}

}  // namespace fsrace::cli
