// The scenario parameters, listed once: each with its name, its type and
// range, its default (a default-constructed Parameters), what it means, and
// the member it sets. The spec loader, --set, the documents' "parameters"
// object and `fsrace list` all read this table.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "specs/spec.hpp"

namespace fsrace::specs {

struct ParameterInfo {
  const char* name;
  // The member it sets: an integer in [min, max], a boolean, or one of `choices`.
  std::variant<int Parameters::*, bool Parameters::*, std::string Parameters::*> member;
  int min = 0;
  int max = 0;
  std::vector<std::string> choices;
  const char* description;
};

const std::vector<ParameterInfo>& parameterTable();

// "integer 1..32", "boolean", "simple|full": the type as `fsrace list` shows it.
std::string typeText(const ParameterInfo& info);

// The parameter's value in `p`, as JSON.
nlohmann::json valueOf(const ParameterInfo& info, const Parameters& p);

// Every parameter and its value, in the table's order: a document's "parameters".
nlohmann::json parametersJson(const Parameters& p);

}  // namespace fsrace::specs
