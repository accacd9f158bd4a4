// A scenario file: the test program, its parameters, the fixes, and the
// properties to check with the verdicts expected. Loading is strict: every
// problem is a SpecError naming the file, the JSON pointer and what was
// expected.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/property.hpp"
#include "model/bcachefs_model.hpp"

namespace fsrace::specs {

class SpecError : public std::runtime_error {
 public:
  SpecError(const std::string& file, const std::string& pointer, const std::string& problem)
      : std::runtime_error(file + ": " + (pointer.empty() ? "/" : pointer) + ": " + problem) {}
};

// A property as the spec names it: a built-in one from properties.hpp, or an
// outcome condition written in the spec itself.
struct PropertySpec {
  std::string name;
  std::optional<checker::PropertyKind> kind;  // set for outcome conditions written in the spec
  std::map<std::string, std::string> where;   // exists / forall / not_exists: field = value, all of them
  std::vector<std::string> fields;            // deterministic: the projection
  std::optional<checker::Verdict> expect;
  std::string description;
};

struct Parameters {
  int fds = 10;
  std::string mode = "simple";  // fsync-err -s (what generic/441 runs on bcachefs) or full
  bool background_writeback = true;
  bool reclaim_before_switch = true;
  int processes = 1;  // test processes, each running the program on its own fds
  int inodes = 1;     // files; process p uses file p % inodes
  int rounds = 1;     // times each "repeat" block of the program runs
};

struct Spec {
  std::string file;
  std::vector<std::string> inputs;  // `file` and the files it extends: what a run reads
  std::string name;
  std::string description;
  std::string model = "bcachefs-2023";
  Parameters parameters;
  model::Program program;
  std::vector<model::Fix> fixes;
  std::vector<PropertySpec> properties;
  // The unique-state count the scenario pins (Stateright-style), checked on
  // every run with the file's own parameters and fixes.
  std::optional<std::uint64_t> expected_states;
};

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

std::optional<model::Fix> fixByName(const std::string& name);
// Every fix's name, in fixes.def order.
std::vector<std::string> fixNames();

// Reads a "parameters" object strictly (errors name `file` and `at`).
Parameters parseParameters(const std::string& file, const nlohmann::json& object, const std::string& at);

// The model options a spec's parameters select.
model::ModelOptions modelOptions(const Spec& spec);

}  // namespace fsrace::specs
