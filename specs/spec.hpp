// A scenario file: which model, its parameters, the model's scenario (for
// the families of today, the test program), the fixes, and the properties to
// check with the verdicts expected. The envelope is the same for every model
// family; the family named by "model" reads the rest (model_description.hpp).
// Loading is strict: every problem is a SpecError naming the file, the JSON
// pointer and what was expected.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/property.hpp"
#include "specs/parameters.hpp"
#include "specs/scheduler.hpp"
#include "specs/spec_error.hpp"

namespace fsrace::specs {

class ModelDescription;

// A property as the spec names it: a built-in one of the model, or an
// outcome condition written in the spec itself.
struct PropertySpec {
  std::string name;
  std::optional<checker::PropertyKind> kind;  // set for outcome conditions written in the spec
  std::map<std::string, std::string> where;   // exists / forall / not_exists: field = value, all of them
  std::vector<std::string> fields;            // deterministic: the projection
  std::optional<checker::Verdict> expect;
  std::string description;
};

// What a model family read from a spec besides the envelope (the test
// program, say). Only that family looks inside.
struct Scenario {
  virtual ~Scenario() = default;
};

// A fix written in the spec ("define_fixes"): at the model's point `at`,
// when `when` holds, fail with `fail`. The model runs it as its own.
struct DefinedFix {
  std::string name;
  std::string at;
  std::string when;
  std::string fail;
  std::string description;
  std::string origin;
};

struct Spec {
  std::string file;
  std::vector<std::string> inputs;  // `file` and the files it extends: what a run reads
  std::vector<std::string> input_sha256;  // each input's bytes, as sha256sum prints it
  // The document the inputs resolve to ("extends" merged), compact with
  // sorted keys: the same for a file reformatted or split differently.
  std::string resolved_sha256;
  std::string name;
  std::string description;
  std::string model;                          // the registry's name for the model family (default: its first)
  const ModelDescription* family = nullptr;   // the family `model` names
  Parameters parameters;
  std::shared_ptr<const Scenario> scenario;
  std::vector<DefinedFix> defined_fixes;      // "define_fixes", the base spec's first
  std::vector<std::string> fixes;             // the fixes applied: names, the spec's own first
  std::vector<PropertySpec> properties;
  // The property that is the race the scenario is about ("race"), "" if the
  // spec names none: a fix closes the race when it holds under the fix.
  std::string race;
  // The schedulers probabilities are computed under: the one in use first
  // (the spec's "scheduler", or the one --scheduler names), then the others
  // the spec names (specs/scheduler.hpp).
  std::vector<Scheduler> schedulers;
  // The unique-state count the scenario pins (Stateright-style), checked on
  // every run with the file's own parameters and fixes.
  std::optional<std::uint64_t> expected_states;
  // check --ignore-expectations: every property expected to hold, no pinned count.
  bool expectations_ignored = false;
};

// The verdicts as found: every property is expected to hold, and the pinned
// state count is not checked, only shown against in progress (check
// --ignore-expectations).
void ignoreExpectations(Spec& spec);


// Loads and validates `file`; `overrides` are --set KEY=VALUE pairs and
// `extra_fixes` --fix names, applied on top of the file's.
Spec loadSpec(const std::string& file, const std::vector<std::string>& overrides = {},
              const std::vector<std::string>& extra_fixes = {});

// The same for a spec's text already in memory; `file` names it in errors
// and locates "extends".
Spec loadSpecText(const std::string& file, const std::string& text, const std::vector<std::string>& overrides = {},
                  const std::vector<std::string>& extra_fixes = {});

// The closest of `candidates` to `word`, if close enough to suggest.
std::optional<std::string> suggest(const std::string& word, const std::vector<std::string>& candidates);

// Names that become file names or keys (a property, a fix, a scheduler, a
// scenario): 1 to 64 letters, digits and "_" (with `allow_dash_dot`, also
// "-" and "." after the first), starting with a letter, digit or "_".
bool isPlainName(const std::string& name, bool allow_dash_dot);

// The keys a spec file may have (docs/schema/spec.schema.json lists them too).
const std::vector<std::string>& specKeys();

// Reads a "parameters" object strictly for the model `model` (errors name `file` and `at`).
Parameters parseParameters(const std::string& file, const ModelDescription& model, const nlohmann::json& object,
                           const std::string& at);

}  // namespace fsrace::specs
