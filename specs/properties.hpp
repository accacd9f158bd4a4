// The named properties: C++ predicates over the bcachefs model's states and
// outcomes. A spec refers to them by name.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "checker/property.hpp"
#include "model/bcachefs_model.hpp"
#include "specs/spec.hpp"

namespace fsrace::specs {

using ModelProperty = checker::Property<model::State>;

struct NamedProperty {
  std::string name;
  checker::PropertyKind kind;
  std::string description;
  std::function<ModelProperty(const model::BcachefsModel&)> make;
};

const std::vector<NamedProperty>& namedProperties();

// The properties of a spec, built for `model`. Throws SpecError (naming the
// spec file and the property) for one that does not apply to the program,
// e.g. fsync_after_shutdown_consistent with no fsync after the heal.
std::vector<ModelProperty> buildProperties(const Spec& spec, const model::BcachefsModel& model);

}  // namespace fsrace::specs
