#include "specs/parameters.hpp"

#include "specs/json_reader.hpp"

namespace fsrace::specs {

Parameters::Parameters(const ParameterTable& table) {
  for (const auto& info : table) values_[info.name] = info.default_value;
}

std::string typeText(const ParameterInfo& info) {
  switch (info.type) {
    case ParameterInfo::Type::Boolean: return "boolean";
    case ParameterInfo::Type::Choice: {
      std::string out;
      for (const auto& choice : info.choices) out += (out.empty() ? "" : "|") + choice;
      return out;
    }
    case ParameterInfo::Type::Integer: break;
  }
  return "integer " + (info.range_note.empty() ? std::to_string(info.min) + ".." + std::to_string(info.max) : info.range_note);
}

void readParameters(const JsonReader& r, const nlohmann::json& object, const std::string& at, const ParameterTable& table,
                    Parameters& p) {
  r.requireObject(object, at);
  std::vector<std::string> names;
  for (const auto& info : table) names.push_back(info.name);
  r.checkKeys(object, at, names);
  for (const auto& info : table) {
    const char* key = info.name.c_str();
    if (!r.has(object, key)) continue;
    switch (info.type) {
      case ParameterInfo::Type::Integer: p.set(info.name, r.integer(object, at, key, info.min, info.max)); break;
      case ParameterInfo::Type::Boolean: p.set(info.name, r.boolean(object, at, key)); break;
      case ParameterInfo::Type::Choice: p.set(info.name, r.oneOf(object, at, key, info.choices)); break;
    }
  }
}

}  // namespace fsrace::specs
