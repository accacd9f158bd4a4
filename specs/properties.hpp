// A spec's properties built for a model: the model family's named
// properties (C++ predicates over its states and outcomes), and the outcome
// conditions written in the spec itself, which need nothing of the model
// but its outcome fields.
#pragma once

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "checker/property.hpp"
#include "specs/model_description.hpp"
#include "specs/spec.hpp"

namespace fsrace::specs {

template <class M>
struct NamedProperty {
  PropertyInfo info;
  // Throws std::invalid_argument (why) where it does not apply to the scenario.
  std::function<checker::Property<typename M::State>(const M&)> make;
};

template <class State>
checker::Property<State> headerOf(const PropertyInfo& info) {
  checker::Property<State> p;
  p.name = info.name;
  p.kind = info.kind;
  p.description = info.description;
  return p;
}

// The outcome condition `ps` (exists / forall / not_exists / deterministic)
// over the fields `fields`.
template <class State>
checker::Property<State> conditionProperty(const PropertySpec& ps, const std::vector<std::string>& fields) {
  auto fieldIndex = [&](const std::string& field) {
    return static_cast<std::size_t>(std::find(fields.begin(), fields.end(), field) - fields.begin());
  };
  checker::Property<State> p;
  p.name = ps.name;
  p.kind = *ps.kind;
  p.description = ps.description;
  if (p.kind == checker::PropertyKind::Deterministic) {
    for (const auto& field : ps.fields) p.projection.push_back(fieldIndex(field));
    return p;
  }
  std::vector<std::pair<std::size_t, std::string>> where;
  for (const auto& [field, value] : ps.where) where.emplace_back(fieldIndex(field), value);
  p.outcome_predicate = [where](const checker::Outcome& o) {
    return std::all_of(where.begin(), where.end(), [&](const auto& w) { return o[w.first] == w.second; });
  };
  return p;
}

// The properties of `spec`, in its order, built for `m`. Throws SpecError
// (naming the spec file and the property) for one that does not apply to
// the scenario, e.g. fsync_after_shutdown_consistent with no fsync after the heal.
template <class M>
std::vector<checker::Property<typename M::State>> buildProperties(const Spec& spec, const M& m,
                                                                  const std::vector<NamedProperty<M>>& named) {
  std::vector<checker::Property<typename M::State>> out;
  const auto fields = m.outcomeFields();
  for (std::size_t i = 0; i < spec.properties.size(); ++i) {
    const PropertySpec& ps = spec.properties[i];
    if (ps.kind) {
      out.push_back(conditionProperty<typename M::State>(ps, fields));
      continue;
    }
    auto it = std::find_if(named.begin(), named.end(), [&](const auto& n) { return n.info.name == ps.name; });
    try {
      out.push_back(it->make(m));
    } catch (const std::invalid_argument& e) {
      throw SpecError(spec.file, "/properties/" + std::to_string(i) + "/name",
                      "\"" + ps.name + "\" does not apply: " + e.what() + " (expected a property of this scenario)");
    }
  }
  return out;
}

// The infos of a named-property table, for ModelDescription::properties().
template <class M>
std::vector<PropertyInfo> infosOf(const std::vector<NamedProperty<M>>& named) {
  std::vector<PropertyInfo> out;
  for (const auto& n : named) out.push_back(n.info);
  return out;
}

}  // namespace fsrace::specs
