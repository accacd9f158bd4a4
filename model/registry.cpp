// The registry of model families: specs/ and cli/ find a model here by the
// name a spec's "model" gives. A new family is one line in families.def.
#include <algorithm>
#include <cassert>

#include "cli/model_family.hpp"

#define FSRACE_MODEL_FAMILY(ns) \
  namespace fsrace::model::ns { \
  std::vector<const cli::ModelFamily*> families(); \
  }
#include "model/families.def"
#undef FSRACE_MODEL_FAMILY

namespace fsrace {

const std::vector<const cli::ModelFamily*>& cli::modelFamilies() {
  static const std::vector<const ModelFamily*> all = [] {
    std::vector<const ModelFamily*> out;
#define FSRACE_MODEL_FAMILY(ns) \
  for (const auto* family : model::ns::families()) out.push_back(family);
#include "model/families.def"
#undef FSRACE_MODEL_FAMILY
    return out;
  }();
  return all;
}

const cli::ModelFamily& cli::familyOf(const specs::Spec& spec) {
  const auto& all = modelFamilies();
  auto it = std::find_if(all.begin(), all.end(), [&](const ModelFamily* f) { return f == spec.family; });
  assert(it != all.end() && "a spec loaded by specs::loadSpec names a registered family");
  return **it;
}

const std::vector<const specs::ModelDescription*>& specs::modelDescriptions() {
  static const std::vector<const ModelDescription*> all(cli::modelFamilies().begin(), cli::modelFamilies().end());
  return all;
}

std::vector<std::string> specs::modelNames() {
  std::vector<std::string> names;
  for (const auto* family : modelDescriptions()) names.push_back(family->name());
  return names;
}

const specs::ModelDescription* specs::findModel(const std::string& name) {
  for (const auto* family : modelDescriptions())
    if (family->name() == name) return family;
  return nullptr;
}

}  // namespace fsrace
