#include "cli/completion_names.hpp"

#include <algorithm>
#include <cassert>
#include <set>

#include "specs/model_description.hpp"
#include "specs/scheduler.hpp"

namespace fsrace::cli {

namespace {

void addModelNames(const std::string& kind, const specs::ModelDescription& family, std::set<std::string>& names) {
  if (kind == "models") names.insert(family.name());
  if (kind == "fixes")
    for (const auto& info : family.fixes()) names.insert(info.name);
  if (kind == "properties")
    for (const auto& info : family.properties()) names.insert(info.name);
  if (kind == "parameters")
    for (const auto& info : family.parameters()) names.insert(info.name + "=");
  if (kind == "rates")
    for (const auto& key : specs::rateKeys(family)) names.insert(key);
}

void addSpecNames(const std::string& kind, const specs::Spec& spec, std::set<std::string>& names) {
  if (kind == "models") names.insert(spec.model);
  if (kind == "fixes")
    for (const auto& name : specs::availableFixNames(spec)) names.insert(name);
  if (kind == "properties") {
    for (const auto& property : spec.properties) names.insert(property.name);
    names.insert("no_deadlock");
  }
  if (kind == "parameters")
    for (const auto& info : spec.family->parameters()) names.insert(info.name + "=");
  if (kind == "rates")
    for (const auto& key : specs::rateKeys(*spec.family)) names.insert(key);
  // The alternatives --scheduler may name (the default is what runs without it).
  if (kind == "schedulers")
    for (std::size_t i = 1; i < spec.schedulers.size(); ++i) names.insert(spec.schedulers[i].name);
}

}  // namespace

std::string completionNames(const std::string& kind, const std::string& model, const specs::Spec* spec) {
  assert(std::find(kCompletionKinds.begin(), kCompletionKinds.end(), kind) != kCompletionKinds.end() &&
         "--names is checked against kCompletionKinds when parsed");
  std::set<std::string> names;
  if (spec) addSpecNames(kind, *spec, names);
  for (const auto* family : specs::modelDescriptions())
    if (!spec && (model.empty() || family->name() == model)) addModelNames(kind, *family, names);
  std::string text;
  for (const auto& name : names) text += name + "\n";
  return text;
}

}  // namespace fsrace::cli
