// What the spec loader, the trace reader and `fsrace list` need to know of a
// model family: its name, parameters, steps, fixes and properties, and how
// to read its scenario. The families implement it (model/<family>/), and
// model/registry.cpp lists them; nothing here names one.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/property.hpp"
#include "specs/parameters.hpp"
#include "specs/spec.hpp"

namespace fsrace::specs {

class JsonReader;

// One atomic step, as traces and `fsrace list` show it.
struct ActionInfo {
  std::string name;         // the step's JSON spelling
  std::string actor;        // the actor column of actions.def ("any": whichever actor hit the path)
  std::string kernel;       // the kernel function(s) it stands for
  std::string description;
  std::string fix;          // the fix that adds the step, or ""
  std::string point;        // a hook step: the fix point it stands at (taken only under a fix there), or ""
};

struct FixInfo {
  std::string name;
  std::string description;
  std::string origin;
  std::string point;  // a fix at a fix point: the point, else ""
};

// A named point of the model where a fix written in a spec ("define_fixes":
// at this point, when this condition holds, fail with this errno) can stand,
// and a condition such a fix can test.
struct FixPointInfo {
  std::string name;
  std::string kernel;  // where it is in the kernel
  std::string description;
};

struct FixConditionInfo {
  std::string name;
  std::string description;
};

// What an outcome condition may compare a field with.
struct OutcomeValues {
  std::vector<std::string> values;  // every value the field can take
  std::string expected;             // them in words, for an error's "(expected ...)"
};

struct PropertyInfo {
  std::string name;
  checker::PropertyKind kind;
  std::string description;
};

class ModelDescription {
 public:
  virtual ~ModelDescription() = default;

  // The spec's "model" value, and one line on what the model is.
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  // What the model was read from: the tree, its commit and date, so a
  // reader can check a step against the same source.
  virtual std::string source() const = 0;
  virtual const ParameterTable& parameters() const = 0;
  // Indexed as the model's actionKindIndex.
  virtual const std::vector<ActionInfo>& actions() const = 0;
  virtual const std::vector<FixInfo>& fixes() const = 0;
  // Why `name`, which is no fix of this model, is none (e.g. it is the
  // model's own code), or "" for the usual did-you-mean.
  virtual std::string notAFix(const std::string& /*name*/) const { return ""; }
  // Where a spec's "define_fixes" may stand, what they may test, and the
  // errnos they may fail with; a family without any has none to offer.
  virtual const std::vector<FixPointInfo>& fixPoints() const { return kNoPoints; }
  virtual const std::vector<FixConditionInfo>& fixConditions() const { return kNoConditions; }
  virtual std::vector<std::string> fixErrnos() const { return {}; }
  virtual const std::vector<PropertyInfo>& properties() const = 0;
  // The properties `fsrace verify` gives a column, the race first.
  virtual std::vector<std::string> verifyColumns() const = 0;
  // The property that says the test passed (verify's "passes" column), or "".
  virtual std::string passProperty() const { return ""; }
  // The outcome field a fix review is about (verify's key column).
  virtual std::string keyOutcome(const std::vector<std::string>& fields) const = 0;

  // Limits that involve several parameters (errors name `at`).
  virtual void checkParameters(const JsonReader& r, const Parameters& p, const std::string& at) const = 0;
  // Combinations of parameters and fixes that contradict each other (errors
  // name `r`'s file and a pointer); checked once the fixes are known.
  virtual void checkCombination(const JsonReader& r, const Spec& spec) const {
    (void)r;
    (void)spec;
  }
  // Reads the model's scenario from the spec document `doc`, for
  // `spec.parameters` (the envelope is read already).
  virtual std::shared_ptr<const Scenario> readScenario(const JsonReader& r, const nlohmann::json& doc, const Spec& spec) const = 0;
  // The outcome fields of the spec's scenario, which conditions name.
  virtual std::vector<std::string> outcomeFields(const Spec& spec) const = 0;
  // The outcome field a condition most likely meant by `field`, which is
  // none of them (a did-you-mean); by default the closest by spelling.
  virtual std::optional<std::string> closestOutcomeField(const Spec& spec, const std::string& field) const {
    return suggest(field, outcomeFields(spec));
  }
  // The values a condition may compare the outcome field `field` with.
  virtual OutcomeValues outcomeValues(const Spec& spec, const std::string& field) const = 0;
  // Whether `label` names an actor of a trace step ("test", "test1", ...);
  // the actor names, for a did-you-mean.
  virtual bool isActorLabel(const std::string& label) const = 0;
  virtual std::vector<std::string> actorNames() const = 0;

 private:
  static inline const std::vector<FixPointInfo> kNoPoints;
  static inline const std::vector<FixConditionInfo> kNoConditions;
};

// The fixes a spec may apply: its model's built-in ones, then those the spec
// (and the specs it extends) define.
std::vector<FixInfo> availableFixes(const Spec& spec);
std::vector<std::string> availableFixNames(const Spec& spec);

// The registry (model/registry.cpp): every model family, the default first.
const std::vector<const ModelDescription*>& modelDescriptions();
std::vector<std::string> modelNames();
// The family a spec's "model" names; nullptr if none.
const ModelDescription* findModel(const std::string& name);

}  // namespace fsrace::specs
