#include "cli/trace_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>

#include "checker/property.hpp"
#include "specs/json_reader.hpp"
#include "specs/scheduler.hpp"

namespace fsrace::cli {
namespace {

using nlohmann::json;
using specs::JsonReader;
using specs::pointerJoin;

const std::vector<std::string> kTraceKeys = {"format", "spec", "spec_file", "model", "property", "kind", "fixes", "parameters",
                                             "minimality", "steps", "outcome", "decided_after", "other", "provenance", "simulation"};
const std::vector<std::string> kRequiredKeys = {"format", "spec", "spec_file", "model", "property", "kind", "fixes", "parameters",
                                                "minimality", "steps"};
const std::vector<std::string> kStepKeys = {"index", "actor", "action", "kernel", "context", "changes", "reads"};
const std::vector<std::string> kMinimalityKeys = {"steps", "switches", "sliced", "guarantee"};
const std::vector<std::string> kChangeKeys = {"field", "before", "after"};

const json& member(const JsonReader& r, const json& object, const std::string& at, const std::string& key) {
  if (!object.contains(key)) r.fail(pointerJoin(at, key), "missing (required)");
  return object.at(key);
}

void requireString(const JsonReader& r, const json& value, const std::string& at, const std::string& what) {
  if (!value.is_string()) r.fail(at, specs::typeName(value) + " (expected " + what + ")");
}

std::vector<std::string> actionNames(const specs::ModelDescription& family) {
  std::vector<std::string> names;
  for (const auto& info : family.actions()) names.push_back(info.name);
  return names;
}

std::vector<std::string> kindNames() {
  using checker::PropertyKind;
  std::vector<std::string> names;
  for (PropertyKind kind : {PropertyKind::Always, PropertyKind::Sometimes, PropertyKind::Forall, PropertyKind::Exists,
                            PropertyKind::NotExists, PropertyKind::Deterministic, PropertyKind::NoDeadlock})
    names.emplace_back(checker::kindName(kind));
  return names;
}

void validateActor(const JsonReader& r, const specs::ModelDescription& family, const json& step, const std::string& step_at) {
  std::string at = pointerJoin(step_at, "actor");
  const json& actor = member(r, step, step_at, "actor");
  requireString(r, actor, at, "an actor name");
  if (family.isActorLabel(actor.get<std::string>())) return;
  r.oneOf(actor.get<std::string>(), at, family.actorNames());
}

void validateChanges(const JsonReader& r, const json& changes, const std::string& at) {
  r.requireArray(changes, at);
  for (std::size_t i = 0; i < changes.size(); ++i) {
    std::string change_at = pointerJoin(at, i);
    r.requireObject(changes[i], change_at);
    r.checkKeys(changes[i], change_at, kChangeKeys);
    for (const auto& key : kChangeKeys) r.string(changes[i], change_at, key.c_str());
  }
}

void validateStep(const JsonReader& r, const specs::ModelDescription& family, const json& step, const std::string& step_at,
                  std::size_t position) {
  r.requireObject(step, step_at);
  r.checkKeys(step, step_at, kStepKeys);
  r.integer(step, step_at, "index", 1, kMaxTraceSteps);
  if (step["index"].get<std::size_t>() != position)
    r.fail(pointerJoin(step_at, "index"), std::to_string(step["index"].get<std::size_t>()) + " (expected " + std::to_string(position) +
                                              ": steps are numbered from 1 in order)");
  validateActor(r, family, step, step_at);
  r.oneOf(step, step_at, "action", actionNames(family));
  r.string(step, step_at, "kernel");
  r.string(step, step_at, "context");
  validateChanges(r, member(r, step, step_at, "changes"), pointerJoin(step_at, "changes"));
  // Optional: documents written before steps named their reads have none.
  if (step.contains("reads")) {
    const std::string reads_at = pointerJoin(step_at, "reads");
    r.requireArray(step["reads"], reads_at);
    for (std::size_t i = 0; i < step["reads"].size(); ++i) requireString(r, step["reads"][i], pointerJoin(reads_at, i), "a field name");
  }
}

// Built-in fixes are checked here; a name the model does not know may be
// one the spec defines ("define_fixes"), which specOfTrace checks once the
// spec is loaded.
void validateFixes(const JsonReader& r, const specs::ModelDescription& family, const json& fixes, const std::string& at) {
  r.requireArray(fixes, at);
  std::vector<std::string> names;
  for (const auto& info : family.fixes()) names.push_back(info.name);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    std::string fix_at = pointerJoin(at, i);
    requireString(r, fixes[i], fix_at, "a fix name");
    const std::string name = fixes[i].get<std::string>();
    bool plain = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!plain) r.oneOf(name, fix_at, names);
    if (!seen.insert(name).second) r.fail(fix_at, "fix \"" + name + "\" listed twice");
  }
}

void validateMinimality(const JsonReader& r, const json& minimality, const std::string& at) {
  r.requireObject(minimality, at);
  r.checkKeys(minimality, at, kMinimalityKeys);
  r.integer(minimality, at, "steps", 0, kMaxTraceSteps);
  r.integer(minimality, at, "switches", 0, kMaxTraceSteps);
  r.boolean(minimality, at, "sliced");
  r.string(minimality, at, "guarantee");
}

void validateOutcome(const JsonReader& r, const json& outcome, const std::string& at) {
  r.requireObject(outcome, at);
  for (const auto& [field, value] : outcome.items()) requireString(r, value, pointerJoin(at, field), "a result such as \"0\" or \"EIO\"");
}

bool isSha256(const json& value) {
  if (!value.is_string() || value.get<std::string>().size() != 64) return false;
  const std::string text = value.get<std::string>();
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Which fsrace wrote the document, from which spec files: recorded, not
// replayed (a document made by another build replays the same).
void validateProvenance(const JsonReader& r, const json& provenance, const std::string& at) {
  r.requireObject(provenance, at);
  r.checkKeys(provenance, at, {"fsrace", "commit", "dirty", "spec_sha256", "inputs"});
  r.string(provenance, at, "fsrace");
  if (!member(r, provenance, at, "commit").is_null()) r.string(provenance, at, "commit");
  if (!member(r, provenance, at, "dirty").is_boolean())
    r.fail(pointerJoin(at, "dirty"), specs::typeName(provenance["dirty"]) + " (expected true or false)");
  if (provenance.contains("spec_sha256") && !isSha256(provenance["spec_sha256"]))
    r.fail(pointerJoin(at, "spec_sha256"), "not a SHA-256 (expected 64 lowercase hex digits)");
  if (!provenance.contains("inputs")) return;
  std::string inputs_at = pointerJoin(at, "inputs");
  r.requireArray(provenance["inputs"], inputs_at);
  for (std::size_t i = 0; i < provenance["inputs"].size(); ++i) {
    std::string input_at = pointerJoin(inputs_at, i);
    const json& input = provenance["inputs"][i];
    r.requireObject(input, input_at);
    r.checkKeys(input, input_at, {"file", "sha256"});
    r.string(input, input_at, "file");
    if (!isSha256(member(r, input, input_at, "sha256"))) r.fail(pointerJoin(input_at, "sha256"), "not a SHA-256 (expected 64 lowercase hex digits)");
  }
}

// A whole number a document records as JSON's unsigned integer (a seed or a run index).
void requireUnsigned(const JsonReader& r, const json& object, const std::string& at, const char* key, std::uint64_t max) {
  const json& value = member(r, object, at, key);
  if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0))
    r.fail(pointerJoin(at, key), specs::typeName(value) + " (expected a whole number from 0)");
  if (value.get<std::uint64_t>() > max) r.fail(pointerJoin(at, key), value.dump() + " (expected at most " + std::to_string(max) + ")");
}

// What regenerates a random run of fsrace simulate: its seed, its index,
// the step limit and the scheduler it ran under.
void validateSimulation(const JsonReader& r, const json& simulation, const std::string& at) {
  r.requireObject(simulation, at);
  r.checkKeys(simulation, at, {"seed", "run", "max_steps", "scheduler"});
  requireUnsigned(r, simulation, at, "seed", std::numeric_limits<std::uint64_t>::max());
  requireUnsigned(r, simulation, at, "run", 2'000'000'000);
  requireUnsigned(r, simulation, at, "max_steps", 1'000'000'000);
  const std::string scheduler_at = pointerJoin(at, "scheduler");
  const json& scheduler = member(r, simulation, at, "scheduler");
  r.requireObject(scheduler, scheduler_at);
  r.checkKeys(scheduler, scheduler_at, {"name", "description", "rates"});
  r.string(scheduler, scheduler_at, "name");
  r.string(scheduler, scheduler_at, "description");
  const std::string rates_at = pointerJoin(scheduler_at, "rates");
  r.requireObject(member(r, scheduler, scheduler_at, "rates"), rates_at);
  for (const auto& [key, rate] : scheduler["rates"].items())
    if (!rate.is_number() || rate.get<double>() < specs::kMinRate || rate.get<double>() > specs::kMaxRate)
      r.fail(pointerJoin(rates_at, key), rate.dump() + " (expected a rate from 1e-06 to 1e+06)");
}

void validateTraceAt(const JsonReader& r, const json& trace, const std::string& at, int depth) {
  r.requireObject(trace, at);
  r.checkKeys(trace, at, kTraceKeys);
  for (const auto& key : kRequiredKeys) member(r, trace, at, key);
  r.oneOf(trace, at, "format", {"fsrace.counterexample/1"});
  r.string(trace, at, "spec");
  r.string(trace, at, "spec_file");
  const specs::ModelDescription& family = *specs::findModel(r.oneOf(trace, at, "model", specs::modelNames()));
  r.string(trace, at, "property");
  r.oneOf(trace, at, "kind", kindNames());
  validateFixes(r, family, trace["fixes"], pointerJoin(at, "fixes"));
  specs::parseParameters(r.file(), family, trace["parameters"], pointerJoin(at, "parameters"));
  validateMinimality(r, trace["minimality"], pointerJoin(at, "minimality"));
  std::string steps_at = pointerJoin(at, "steps");
  r.requireArray(trace["steps"], steps_at);
  if (trace["steps"].size() > static_cast<std::size_t>(kMaxTraceSteps))
    r.fail(steps_at, "more than " + std::to_string(kMaxTraceSteps) + " steps (expected a counterexample of this tool)");
  for (std::size_t i = 0; i < trace["steps"].size(); ++i) validateStep(r, family, trace["steps"][i], pointerJoin(steps_at, i), i + 1);
  if (trace.contains("outcome")) validateOutcome(r, trace["outcome"], pointerJoin(at, "outcome"));
  if (trace.contains("provenance")) {
    if (depth > 0) r.fail(pointerJoin(at, "provenance"), "in the other branch (expected it at the top level only)");
    validateProvenance(r, trace["provenance"], pointerJoin(at, "provenance"));
  }
  if (trace.contains("simulation")) {
    if (depth > 0 || trace.contains("other")) r.fail(pointerJoin(at, "simulation"), "in a divergence (expected it in a random run's trace only)");
    validateSimulation(r, trace["simulation"], pointerJoin(at, "simulation"));
  }
  if (trace.contains("decided_after")) {
    if (depth > 0) r.fail(pointerJoin(at, "decided_after"), "in the other branch (expected it at the top level only)");
    r.integer(trace, at, "decided_after", 0, static_cast<int>(trace["steps"].size()));
    if (!trace.contains("other")) r.fail(pointerJoin(at, "other"), "missing (a divergence has two branches)");
  }
  if (trace.contains("other")) {
    if (depth > 0) r.fail(pointerJoin(at, "other"), "nested divergence (expected one level)");
    if (!trace.contains("decided_after")) r.fail(pointerJoin(at, "decided_after"), "missing (a divergence says where it is decided)");
    validateTraceAt(r, trace["other"], pointerJoin(at, "other"), depth + 1);
  }
}

}  // namespace

void validateTrace(const std::string& file, const json& trace) { validateTraceAt(JsonReader(file), trace, "", 0); }

std::size_t recordedKind(const specs::ModelDescription& family, const json& step) {
  const auto& table = family.actions();
  auto it = std::find_if(table.begin(), table.end(), [&](const auto& info) { return info.name == step["action"]; });
  return static_cast<std::size_t>(it - table.begin());
}

}  // namespace fsrace::cli
