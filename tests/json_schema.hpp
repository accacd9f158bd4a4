// A JSON Schema validator for the subset the docs/schema files use: type,
// const, enum, required, properties, additionalProperties: false, items,
// minimum, and $ref to a sibling schema file and a "#/$defs/NAME" in it.
// It holds the documents the suite builds in-process to their schemas;
// tests/documents_schema.sh holds what the command writes to them with a
// standard validator (python3-jsonschema).
#pragma once

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fsrace::tests {

class SchemaValidator {
 public:
  explicit SchemaValidator(std::string dir) : dir_(std::move(dir)) {}

  // Problems found, each "pointer: what"; empty if `doc` conforms.
  std::vector<std::string> validate(const nlohmann::json& doc, const std::string& schema_file) {
    problems_.clear();
    nlohmann::json root = load(schema_file);
    check(doc, root, root, "");
    return problems_;
  }

 private:
  using json = nlohmann::json;

  json load(const std::string& file) {
    std::ifstream in(dir_ + "/" + file);
    return json::parse(in);
  }

  static bool hasType(const json& v, const std::string& type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "null") return v.is_null();
    return false;
  }

  void check(const json& v, const json& schema, const json& root, const std::string& at) {
    if (schema.contains("$ref")) {
      std::string ref = schema.at("$ref");
      std::string file = ref.substr(0, ref.find('#'));
      std::string fragment = ref.size() > file.size() ? ref.substr(file.size() + 1) : "";
      json other = file.empty() ? root : load(file);
      if (fragment.rfind("/$defs/", 0) == 0) return check(v, other.at("$defs").at(fragment.substr(7)), other, at);
      return check(v, other, other, at);
    }
    if (schema.contains("type")) {
      const json& t = schema.at("type");
      bool ok = t.is_string() ? hasType(v, t) : std::any_of(t.begin(), t.end(), [&](const json& x) { return hasType(v, x); });
      if (!ok) return fail(at, "has type " + std::string(v.type_name()) + ", schema wants " + t.dump());
    }
    if (schema.contains("const") && v != schema.at("const")) fail(at, v.dump() + " is not " + schema.at("const").dump());
    if (schema.contains("enum")) {
      const json& choices = schema.at("enum");
      if (std::find(choices.begin(), choices.end(), v) == choices.end()) fail(at, v.dump() + " is not one of " + choices.dump());
    }
    if (schema.contains("minimum") && v.is_number() && v.get<double>() < schema.at("minimum").get<double>())
      fail(at, v.dump() + " is below the minimum " + schema.at("minimum").dump());
    if (v.is_object() && schema.contains("required"))
      for (const auto& key : schema.at("required"))
        if (!v.contains(key.get<std::string>())) fail(at, "missing required \"" + key.get<std::string>() + "\"");
    if (v.is_object() && schema.value("additionalProperties", json(true)) == json(false))
      for (const auto& [key, value] : v.items())
        if (!schema.value("properties", json::object()).contains(key)) fail(at, "\"" + key + "\" is not allowed");
    if (v.is_object() && schema.contains("properties"))
      for (const auto& [key, sub] : schema.at("properties").items())
        if (v.contains(key)) check(v.at(key), sub, root, at + "/" + key);
    if (v.is_array() && schema.contains("items"))
      for (std::size_t i = 0; i < v.size(); ++i) check(v[i], schema.at("items"), root, at + "/" + std::to_string(i));
  }

  void fail(const std::string& at, const std::string& what) { problems_.push_back((at.empty() ? "/" : at) + ": " + what); }

  std::string dir_;
  std::vector<std::string> problems_;
};

}  // namespace fsrace::tests
