// Grouping of trace steps shared by the renderers: consecutive steps of the
// test inside one system call are one group, with their net state changes;
// properties violated by the same run share one trace; the outcome fields
// that tell the outcomes apart.
#pragma once

#include <algorithm>
#include <cstddef>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fsrace::cli {

using nlohmann::json;

// Net changes of steps [first, last]: field -> (before of the first change, after of the last).
inline std::vector<std::string> netChanges(const json& steps, std::size_t first, std::size_t last) {
  std::vector<std::string> order;
  std::map<std::string, std::pair<std::string, std::string>> net;
  for (std::size_t i = first; i <= last; ++i)
    for (const auto& c : steps[i]["changes"]) {
      std::string field = c["field"];
      if (!net.count(field)) {
        order.push_back(field);
        net[field].first = c["before"];
      }
      net[field].second = c["after"];
    }
  std::vector<std::string> out;
  for (const auto& field : order)
    if (net[field].first != net[field].second) out.push_back(field + " " + net[field].first + " -> " + net[field].second);
  return out;
}

struct Group {
  std::size_t first, last;  // step indices, inclusive
  std::string actor;
  std::string what;         // "fsync fd[0] (...): a, b, c"
  std::string line;         // "12-14   test      " + what
  std::string range() const { return std::to_string(first + 1) + (last > first ? "-" + std::to_string(last + 1) : ""); }
};

// Consecutive steps of the test inside one system call become one group.
inline std::vector<Group> groupSteps(const json& steps, std::size_t from, std::size_t to, bool kernel) {
  std::vector<Group> groups;
  std::size_t i = from;
  while (i < to) {
    std::size_t j = i;
    std::string actor = steps[i]["actor"];
    std::string context = steps[i]["context"];
    while (actor == "test" && j + 1 < to && steps[j + 1]["actor"] == actor && steps[j + 1]["context"] == context) ++j;
    std::string what = context.empty() ? "" : context + ": ";
    for (std::size_t k = i; k <= j; ++k) what += (k > i ? ", " : "") + steps[k]["action"].get<std::string>();
    if (j == i && kernel) what += "  [" + steps[i]["kernel"].get<std::string>() + "]";
    Group g{i, j, actor, what, ""};
    std::ostringstream line;
    line << std::setw(7) << std::left << g.range() << " " << std::setw(10) << actor << std::right << what;
    g.line = line.str();
    groups.push_back(std::move(g));
    i = j + 1;
  }
  return groups;
}

// Fields whose value differs between the outcome classes, then "result".
inline std::vector<std::string> varyingFields(const json& result) {
  std::vector<std::string> fields;
  const json& outcomes = result["outcomes"];
  for (const auto& field : result["outcome_fields"]) {
    std::string name = field.get<std::string>();
    if (name == "result") continue;
    std::set<std::string> values;
    for (const auto& o : outcomes) values.insert(o["outcome"][name].get<std::string>());
    if (values.size() > 1) fields.push_back(name);
  }
  fields.emplace_back("result");
  return fields;
}

// Properties violated by the same run share one trace, named after all of
// them; the one that carries the other branch (where the race is decided)
// is kept. `property`: only that property's trace ("" for every one).
struct SharedTrace {
  std::string names;  // "fsync_after_shutdown_consistent and test_passes"
  const json* trace;  // a fsrace.counterexample/1 document inside the result
};

inline std::vector<SharedTrace> sharedTraces(const json& result, const std::string& property = "") {
  std::vector<SharedTrace> traces;
  for (const auto& p : result["properties"]) {
    if (!p.contains("counterexample") || (!property.empty() && p["name"] != property)) continue;
    const json& cex = p["counterexample"];
    auto same = std::find_if(traces.begin(), traces.end(), [&](const SharedTrace& s) { return (*s.trace)["steps"] == cex["steps"]; });
    if (same == traces.end()) {
      traces.push_back({p["name"].get<std::string>(), &cex});
      continue;
    }
    same->names += " and " + p["name"].get<std::string>();
    if (!same->trace->contains("decided_after") && cex.contains("decided_after")) same->trace = &cex;
  }
  return traces;
}

// Where a branch of a divergence ends, as the first outcome field it does
// not share with the other branch ("reopen_fsync[0]=EIO"), or the test's
// printed result.
inline std::string branchEnd(const json& trace, const json& other) {
  const json& mine = trace["outcome"];
  const json& theirs = other["outcome"];
  for (const auto& [field, value] : mine.items())
    if (field != "result" && theirs.contains(field) && theirs[field] != value) return field + "=" + value.get<std::string>();
  return mine.value("result", "");
}

}  // namespace fsrace::cli
