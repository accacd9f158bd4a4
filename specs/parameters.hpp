// Scenario parameters, generically: a model family lists its parameters once
// (name, type and range, default, meaning) and the spec loader, --set, the
// documents' "parameters" object and `fsrace list` all read that table.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fsrace::specs {

class JsonReader;

struct ParameterInfo {
  enum class Type { Integer, Boolean, Choice };
  std::string name;
  Type type = Type::Integer;
  int min = 0;  // Integer: the range
  int max = 0;
  std::vector<std::string> choices;  // Choice
  nlohmann::json default_value;
  std::string description;
  std::string range_note;  // shown instead of "min..max" where another parameter bounds it
};

using ParameterTable = std::vector<ParameterInfo>;

// A value for every parameter of a model's table, by name.
class Parameters {
 public:
  Parameters() = default;
  explicit Parameters(const ParameterTable& table);

  int integer(const std::string& name) const { return values_.at(name).get<int>(); }
  bool boolean(const std::string& name) const { return values_.at(name).get<bool>(); }
  std::string text(const std::string& name) const { return values_.at(name).get<std::string>(); }
  void set(const std::string& name, nlohmann::json value) { values_[name] = std::move(value); }
  // Every parameter and its value: a document's "parameters".
  const nlohmann::json& json() const { return values_; }

 private:
  nlohmann::json values_ = nlohmann::json::object();
};

// "integer 1..32", "boolean", "simple|full": the type as `fsrace list` shows it.
std::string typeText(const ParameterInfo& info);

// Reads the members of a "parameters" object that `table` names into `p`
// (any other key is an error naming `at`).
void readParameters(const JsonReader& r, const nlohmann::json& object, const std::string& at, const ParameterTable& table,
                    Parameters& p);

}  // namespace fsrace::specs
