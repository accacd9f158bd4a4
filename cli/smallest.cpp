#include "cli/smallest.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>

#include "cli/trace_view.hpp"
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
  auto isDimension = [&](const std::string& set) {
    std::string key = set.substr(0, set.find('='));
    return std::any_of(dims.begin(), dims.end(), [&](const Dimension& d) { return d.name == key; });
  };
  auto userSet = [&](const std::string& name) {
    return std::any_of(sets.begin(), sets.end(), [&](const std::string& set) { return set.substr(0, set.find('=')) == name; });
  };
  // What is left to find: the violated properties, and what they need.
  struct Wanted {
    std::string name;
    json found;                       // the best scenario at the distance it was first violated at
    int distance = -1;
    std::map<int, std::size_t> undecided_at;  // scenarios whose run stopped before deciding, by distance
  };
  std::map<int, std::size_t> unloadable_at;  // scenarios the loader refused, by distance
  // Of those, the ones strictly nearer the minimum than `distance`.
  auto below = [](const std::map<int, std::size_t>& at, int distance) {
    std::size_t n = 0;
    for (const auto& [d, count] : at)
      if (d < distance) n += count;
    return n;
  };
  std::vector<Wanted> wanted;
  for (const auto& p : result["properties"])
    if (p["verdict"] == "violated") wanted.push_back({p["name"], json(), -1, {}});
  if (wanted.empty()) return json::array();

  // The search shares --max-seconds: each run gets what is left of it.
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const double budget = options.limits.max_seconds;
  bool out_of_time = false;
  CheckOptions quiet = options;
  quiet.progress = false;
  const auto candidates = candidatesByDistance(dims);
  int farthest = 0;  // the spec's own sizes
  for (const auto& d : dims) farthest += d.value - d.min;
  int done_at = -1;  // the distance at which every property was found
  std::size_t tried = 0;
  for (const auto& candidate : candidates) {
    int distance = 0;
    for (std::size_t i = 0; i < dims.size(); ++i) distance += candidate[i] - dims[i].min;
    if (done_at >= 0 && distance > done_at) break;
    std::vector<std::string> overrides;  // the user's --set, then this scenario's sizes
    for (const auto& set : sets)
      if (!isDimension(set)) overrides.push_back(set);
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
        // Not a scenario of this spec (more inodes than processes, a
        // property that names what the smaller one lacks): said, not hidden.
        ++unloadable_at[distance];
        continue;
      }
      if (budget > 0) {
        double left = budget - std::chrono::duration<double>(Clock::now() - start).count();
        if (left <= 0) {
          out_of_time = true;
          break;
        }
        quiet.limits.max_seconds = left;
      }
      ++tried;
      if (options.progress)
        std::cerr << "fsrace: smallest: scenario " << tried << ": " << changed.dump() << " (distance " << distance << " of "
                  << farthest << ")\n";
      run = runCheck(smaller, quiet).result;
    }
    const bool complete = run["stats"]["complete"].get<bool>();
    for (auto& w : wanted) {
      if (w.distance >= 0 && w.distance < distance) continue;
      const json* p = nullptr;
      for (const auto& q : run["properties"])
        if (q["name"] == w.name) p = &q;
      if (!p || (*p)["verdict"] != "violated") {
        if (!complete && w.distance < 0) ++w.undecided_at[distance];
        continue;
      }
      std::string kind = violatedTrace(*p);
      std::size_t steps = kind.empty() ? 0 : (*p)[kind]["minimality"]["steps"].get<std::size_t>();
      if (w.distance == distance && w.found["steps"].get<std::size_t>() <= steps) continue;
      w.distance = distance;
      // The command that shows it: the user's --set and --fix, and the sizes that changed.
      json arguments = json::array();
      for (const auto& set : sets)
        if (!isDimension(set)) arguments.push_back("--set"), arguments.push_back(set);
      // Every size that differs from the spec's, and every size the user set
      // (left out, it would fall back to the file's value).
      for (std::size_t i = 0; i < dims.size(); ++i)
        if (changed.contains(dims[i].name) || userSet(dims[i].name))
          arguments.push_back("--set"), arguments.push_back(dims[i].name + "=" + std::to_string(candidate[i]));
      for (const auto& fix : fixes) arguments.push_back("--fix"), arguments.push_back(fix);
      w.found = {{"property", w.name}, {"changed", changed}, {"arguments", arguments}, {"states", run["stats"]["states"]},
                 {"steps", steps}};
      if (!kind.empty()) w.found[kind] = (*p)[kind];
    }
    if (done_at < 0 && std::all_of(wanted.begin(), wanted.end(), [](const Wanted& w) { return w.distance >= 0; }))
      done_at = distance;
  }
  json out = json::array();
  for (auto& w : wanted) {
    if (w.found.is_null()) {
      // Only when the time ran out before the spec's own size was reached.
      out.push_back({{"property", w.name}, {"changed", nullptr}, {"arguments", json::array()}, {"states", 0}, {"steps", 0},
                     {"undecided_smaller", below(w.undecided_at, farthest + 1)}, {"unloadable_smaller", below(unloadable_at, farthest + 1)},
                     {"stopped", true}});
      continue;
    }
    w.found["undecided_smaller"] = below(w.undecided_at, w.distance);
    w.found["unloadable_smaller"] = below(unloadable_at, w.distance);
    w.found["stopped"] = out_of_time;
    out.push_back(w.found);
  }
  return out;
}

std::string changedSizes(const json& entry) {
  std::string values;
  for (const auto& [key, value] : entry["changed"].items()) values += (values.empty() ? "" : ", ") + key + "=" + value.dump();
  return values;
}

std::vector<std::string> commandWords(const json& result, const json& entry) {
  std::vector<std::string> words = {"fsrace", "check", shellWord(result["spec_file"].get<std::string>())};
  for (const auto& arg : entry["arguments"]) words.push_back(shellWord(arg.get<std::string>()));
  return words;
}

}  // namespace fsrace::cli
