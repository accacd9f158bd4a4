// docs/schema/spec.schema.json says what the loader's tables say: the keys,
// the models, each model's parameters, fixes, fix points, properties and
// fsync results, and the operations. A model or parameter added to the code
// and not to the schema fails here. (tests/spec_schema.sh holds the schema
// and the loader to the same verdict on every spec file of the suite.)
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/common/fsync_err.hpp"
#include "specs/model_description.hpp"
#include "specs/spec.hpp"

namespace fsrace::specs {
namespace {

using nlohmann::json;

json schema() {
  std::ifstream in(std::string(FSRACE_SOURCE_DIR) + "/docs/schema/spec.schema.json");
  return json::parse(in);
}

std::vector<std::string> keysOf(const json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

std::vector<std::string> sorted(std::vector<std::string> words) {
  std::sort(words.begin(), words.end());
  return words;
}

template <class Info>
std::vector<std::string> namesOf(const std::vector<Info>& infos) {
  std::vector<std::string> names;
  for (const auto& info : infos) names.push_back(info.name);
  return names;
}

void appendNew(std::vector<std::string>& to, const std::vector<std::string>& words) {
  for (const auto& w : words)
    if (std::find(to.begin(), to.end(), w) == to.end()) to.push_back(w);
}

// What the schema says of a parameter's type and range, from the model's table.
json typeOf(const ParameterInfo& info) {
  switch (info.type) {
    case ParameterInfo::Type::Integer: return {{"type", "integer"}, {"minimum", info.min}, {"maximum", info.max}};
    case ParameterInfo::Type::Boolean: return {{"type", "boolean"}};
    case ParameterInfo::Type::Choice: return {{"enum", info.choices}};
  }
  return {};
}

json withoutDocs(json s) {
  s.erase("description");
  s.erase("default");
  return s;
}

// A spec of `model` with one fsync labelled "f": its outcome fields are "f" and "result".
Spec minimalSpec(const std::string& model) {
  return loadSpecText("minimal.json", R"({"format": "fsrace.spec/1", "name": "m", "model": ")" + model + R"(",
    "program": [{"op": "open", "fd": 0}, {"op": "fsync", "fd": 0, "expect": "any", "label": "f"}], "properties": []})");
}

}  // namespace

TEST_SUITE("spec schema") {
  TEST_CASE("the schema is fsrace.spec/1's and names itself by its file name") {
    json s = schema();
    CHECK(s["$id"] == "spec.schema.json");
    CHECK(s["$schema"] == "https://json-schema.org/draft/2020-12/schema");
    CHECK(s["properties"]["format"]["const"] == "fsrace.spec/1");
  }

  TEST_CASE("the schema's top-level keys are the loader's, and race") {
    // "race" is in the schema ahead of the loader; once the loader has it, it is in both.
    auto schema_keys = keysOf(schema()["properties"]);
    for (const auto& key : specKeys())
      CHECK_MESSAGE(std::find(schema_keys.begin(), schema_keys.end(), key) != schema_keys.end(), key);
    for (const auto& key : schema_keys) {
      bool known = std::find(specKeys().begin(), specKeys().end(), key) != specKeys().end();
      CHECK_MESSAGE((known || key == "race"), key);
    }
  }

  TEST_CASE("the models are the registry's, the default first") {
    json s = schema();
    CHECK(s["properties"]["model"]["enum"].get<std::vector<std::string>>() == modelNames());
    // The first model-dependent branch is the default's: it applies to a file that names no model and extends none.
    const json& first = s["allOf"][1];
    CHECK(first["if"]["anyOf"][0]["properties"]["model"]["const"] == modelNames().front());
    CHECK(first["then"]["$ref"] == "spec.schema.json#/$defs/model_" + modelNames().front());
    CHECK(s["allOf"].size() == modelNames().size() + 1);
  }

  TEST_CASE("each model's parameters, fixes, fix points, properties and fsync results are its family's") {
    json s = schema();
    for (const auto* family : modelDescriptions()) {
      CAPTURE(family->name());
      const json& model = s["$defs"]["model_" + family->name()]["properties"];
      REQUIRE(model.is_object());
      const json& parameters = model["parameters"]["properties"];
      CHECK(keysOf(parameters) == sorted(namesOf(family->parameters())));
      CHECK(model["parameters"]["additionalProperties"] == false);
      for (const auto& info : family->parameters()) {
        CAPTURE(info.name);
        CHECK(withoutDocs(parameters[info.name]) == typeOf(info));
        CHECK(parameters[info.name]["default"] == info.default_value);
        CHECK(parameters[info.name]["description"].get<std::string>().rfind(info.description, 0) == 0);
      }
      if (family->fixPoints().empty()) {
        CHECK(model["define_fixes"]["maxItems"] == 0);
      } else {
        const json& fix = model["define_fixes"]["items"]["properties"];
        CHECK(fix["at"]["enum"].get<std::vector<std::string>>() == namesOf(family->fixPoints()));
        CHECK(fix["when"]["enum"].get<std::vector<std::string>>() == namesOf(family->fixConditions()));
        CHECK(fix["fail"]["enum"].get<std::vector<std::string>>() == family->fixErrnos());
      }
      if (family->fixes().empty() && family->fixPoints().empty()) CHECK(model["fixes"]["maxItems"] == 0);
      else CHECK(model["fixes"]["items"]["examples"].get<std::vector<std::string>>() == namesOf(family->fixes()));
      const json& property = model["properties"]["items"];
      CHECK(property["then"]["properties"]["name"]["enum"].get<std::vector<std::string>>() == namesOf(family->properties()));
      CHECK(property["else"]["properties"]["name"]["not"]["enum"].get<std::vector<std::string>>() == namesOf(family->properties()));
      Spec spec = minimalSpec(family->name());
      for (const char* kind : {"exists", "forall", "not_exists"})
        CHECK(property["else"]["properties"][kind]["additionalProperties"]["enum"].get<std::vector<std::string>>() ==
              family->outcomeValues(spec, "f").values);
    }
  }

  TEST_CASE("where the model is another file's, the schema allows what some model allows") {
    json s = schema();
    json parameters = json::object();
    std::vector<std::string> results, points, conditions, errnos;
    for (const auto* family : modelDescriptions()) {
      for (const auto& info : family->parameters()) parameters[info.name] = typeOf(info);
      appendNew(results, family->outcomeValues(minimalSpec(family->name()), "f").values);
      appendNew(points, namesOf(family->fixPoints()));
      appendNew(conditions, namesOf(family->fixConditions()));
      appendNew(errnos, family->fixErrnos());
    }
    CHECK(s["$defs"]["parameters"]["properties"] == parameters);
    CHECK(s["$defs"]["fsync_result"]["enum"].get<std::vector<std::string>>() == results);
    const json& fix = s["$defs"]["defined_fix"]["properties"];
    CHECK(fix["at"]["enum"].get<std::vector<std::string>>() == points);
    CHECK(fix["when"]["enum"].get<std::vector<std::string>>() == conditions);
    CHECK(fix["fail"]["enum"].get<std::vector<std::string>>() == errnos);
  }

  TEST_CASE("the operations are the program reader's") {
    json op = schema()["$defs"]["operation"];
    CHECK(op["properties"]["op"]["enum"].get<std::vector<std::string>>() == model::fsync_err::opNames());
    std::vector<std::string> ruled;
    for (const auto& rule : op["allOf"]) ruled.push_back(rule["if"]["properties"]["op"]["const"].get<std::string>());
    for (const auto& name : model::fsync_err::opNames())
      CHECK_MESSAGE(std::find(ruled.begin(), ruled.end(), name) != ruled.end(), "no rule for op " << name);
  }
}

}  // namespace fsrace::specs
