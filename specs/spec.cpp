// Loading a spec file: strict, with a JSON pointer in every error.
#include "specs/spec.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "specs/json_reader.hpp"
#include "specs/sha256.hpp"
#include "specs/parameters.hpp"
#include "specs/model_description.hpp"
#include "specs/scheduler.hpp"

namespace fsrace::specs {

// Names that become file names (a property's counterexample file, a
// scenario's folder) are plain words: no "/", no "..", nothing hidden.
bool isPlainName(const std::string& name, bool allow_dash_dot) {
  if (name.empty() || name.size() > 64) return false;
  auto word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
  if (!word(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return word(c) || (allow_dash_dot && (c == '-' || c == '.')); });
}

namespace {

const std::vector<std::string> kTopKeys = {"format",     "name",   "description",  "extends", "model",
                                           "parameters", "program", "define_fixes", "fixes",   "properties",
                                           "expected_states", "race", "scheduler", "schedulers"};
const std::string kFormat = "fsrace.spec/1";
const std::vector<std::string> kVerdicts = {"holds", "violated"};
const std::vector<std::string> kConditionKinds = {"exists", "forall", "not_exists", "deterministic"};

// --set KEY=VALUE: the value is parsed as JSON where it can be ("10", "true"),
// else taken as a string ("full").
void applyOverride(const std::string& text, const ModelDescription& model, Parameters& p) {
  JsonReader r("--set " + text);
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) r.fail("", "expected KEY=VALUE");
  std::string key = text.substr(0, eq);
  std::string raw = text.substr(eq + 1);
  if (raw.empty() || raw.find_first_of(" \t\r\n") != std::string::npos) r.fail("", "expected KEY=VALUE with a value and no spaces");
  json value = json::parse(raw, nullptr, false);
  if (value.is_discarded()) value = raw;
  json object = json::object({{key, value}});
  readParameters(r, object, "/parameters", model.parameters(), p);
}

// A fix name of the spec's model, not applied yet (errors name `at`).
void addFix(const JsonReader& r, const std::string& name, const std::string& at, const std::string& twice, Spec& spec) {
  if (availableFixes(spec).empty())
    r.fail(at, "model " + spec.model + " has no fixes, and the spec defines none (expected no fix; see fsrace list)");
  if (std::string why = spec.family->notAFix(name); !why.empty()) r.fail(at, why);
  r.oneOf(name, at, availableFixNames(spec));
  if (std::find(spec.fixes.begin(), spec.fixes.end(), name) != spec.fixes.end()) r.fail(at, twice);
  spec.fixes.push_back(name);
}

template <class Info>
std::vector<std::string> namesOf(const std::vector<Info>& infos) {
  std::vector<std::string> names;
  for (const auto& info : infos) names.push_back(info.name);
  return names;
}

// "define_fixes": fixes written in the spec, each "at this point, when this
// condition holds, fail with this errno", from the model's vocabulary.
void readDefinedFixes(const JsonReader& r, const json& defined, const std::string& at, Spec& spec) {
  r.requireArray(defined, at);
  const ModelDescription& model = *spec.family;
  if (!defined.empty() && model.fixPoints().empty())
    r.fail(at, "model " + model.name() + " has no fix points (expected no \"define_fixes\"; see fsrace list)");
  for (std::size_t i = 0; i < defined.size(); ++i) {
    std::string item_at = pointerJoin(at, i);
    const json& item = defined[i];
    r.requireObject(item, item_at);
    r.checkKeys(item, item_at, {"name", "at", "when", "fail", "description", "origin"});
    DefinedFix fix;
    fix.name = r.string(item, item_at, "name");
    if (!isPlainName(fix.name, false))
      r.fail(pointerJoin(item_at, "name"), "\"" + fix.name + "\" is not a fix name (expected 1 to 64 letters, digits and \"_\")");
    const auto existing = availableFixes(spec);
    auto same = std::find_if(existing.begin(), existing.end(), [&](const FixInfo& f) { return f.name == fix.name; });
    if (same != existing.end())
      r.fail(pointerJoin(item_at, "name"), "fix \"" + fix.name + "\" exists already (" +
                                               (same->origin.rfind("defined in ", 0) == 0 ? "defined above" : "built into model " + spec.model) +
                                               "; expected a new name)");
    fix.at = r.oneOf(item, item_at, "at", namesOf(model.fixPoints()));
    fix.when = r.oneOf(item, item_at, "when", namesOf(model.fixConditions()));
    fix.fail = r.oneOf(item, item_at, "fail", model.fixErrnos());
    if (r.has(item, "description")) fix.description = r.string(item, item_at, "description");
    fix.origin = r.has(item, "origin") ? r.string(item, item_at, "origin") : "defined in " + spec.file;
    spec.defined_fixes.push_back(std::move(fix));
  }
}

void readFixes(const JsonReader& r, const json& fixes, const std::string& at, Spec& spec) {
  r.requireArray(fixes, at);
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    std::string fix_at = pointerJoin(at, i);
    if (!fixes[i].is_string()) r.fail(fix_at, typeName(fixes[i]) + " (expected a fix name)");
    addFix(r, fixes[i].get<std::string>(), fix_at, "fix \"" + fixes[i].get<std::string>() + "\" listed twice", spec);
  }
}

std::string quoted(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "\"" : ", \"") + w + "\"";
  return out;
}

// An outcome field of the spec's scenario; a misspelt one gets the family's
// did-you-mean (the same process's field, under its actor's name).
std::string readField(const JsonReader& r, const std::string& field, const std::string& at, const std::vector<std::string>& fields,
                      const Spec& spec) {
  if (std::find(fields.begin(), fields.end(), field) != fields.end()) return field;
  std::string problem = "unknown outcome field \"" + field + "\"";
  if (auto close = spec.family->closestOutcomeField(spec, field)) r.fail(at, problem + "; did you mean \"" + *close + "\"?");
  r.fail(at, problem + " (expected one of " + quoted(fields) + ")");
}

// A value the field can take: a condition on any other could never hold (or always would).
void readValue(const JsonReader& r, const std::string& field, const std::string& value, const std::string& at, const Spec& spec) {
  OutcomeValues can = spec.family->outcomeValues(spec, field);
  if (can.values.empty() || std::find(can.values.begin(), can.values.end(), value) != can.values.end()) return;
  std::string problem = "unknown result \"" + value + "\"";
  if (auto close = suggest(value, can.values)) problem += "; did you mean \"" + *close + "\"?";
  r.fail(at, problem + " (expected " + can.expected + ")");
}

void readCondition(const JsonReader& r, const json& item, const std::string& at, const std::string& kind,
                   const std::vector<std::string>& fields, const Spec& spec, PropertySpec& ps) {
  std::string body_at = pointerJoin(at, kind);
  const json& body = item.at(kind);
  if (kind == "deterministic") {
    ps.kind = checker::PropertyKind::Deterministic;
    r.requireArray(body, body_at);
    if (body.empty()) r.fail(body_at, "empty projection (expected at least one outcome field)");
    for (std::size_t i = 0; i < body.size(); ++i) {
      if (!body[i].is_string()) r.fail(pointerJoin(body_at, i), typeName(body[i]) + " (expected an outcome field name)");
      ps.fields.push_back(readField(r, body[i].get<std::string>(), pointerJoin(body_at, i), fields, spec));
    }
    return;
  }
  ps.kind = kind == "exists" ? checker::PropertyKind::Exists
          : kind == "forall" ? checker::PropertyKind::Forall
                             : checker::PropertyKind::NotExists;
  r.requireObject(body, body_at);
  if (body.empty()) r.fail(body_at, "empty condition (expected field: value pairs)");
  for (const auto& [field, value] : body.items()) {
    std::string field_at = pointerJoin(body_at, field);
    readField(r, field, field_at, fields, spec);
    if (!value.is_string()) r.fail(field_at, typeName(value) + " (expected a result such as \"0\", \"EIO\" or \"EROFS\")");
    readValue(r, field, value.get<std::string>(), field_at, spec);
    ps.where[field] = value.get<std::string>();
  }
}


void readProperties(const JsonReader& r, const json& properties, const std::string& at, Spec& spec) {
  r.requireArray(properties, at);
  std::vector<std::string> builtin;
  for (const auto& info : spec.family->properties()) builtin.push_back(info.name);
  auto fields = spec.family->outcomeFields(spec);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < properties.size(); ++i) {
    std::string item_at = pointerJoin(at, i);
    const json& item = properties[i];
    r.requireObject(item, item_at);
    r.checkKeys(item, item_at, {"name", "expect", "description", "exists", "forall", "not_exists", "deterministic"});
    PropertySpec ps;
    ps.name = r.string(item, item_at, "name");
    if (!isPlainName(ps.name, false))
      r.fail(pointerJoin(item_at, "name"), "\"" + ps.name + "\" is not a property name (expected 1 to 64 letters, digits and \"_\")");
    if (!seen.insert(ps.name).second) r.fail(pointerJoin(item_at, "name"), "property \"" + ps.name + "\" listed twice");
    if (r.has(item, "expect"))
      ps.expect = r.oneOf(item, item_at, "expect", kVerdicts) == "holds" ? checker::Verdict::Holds : checker::Verdict::Violated;
    if (r.has(item, "description")) ps.description = r.string(item, item_at, "description");
    std::vector<std::string> kinds;
    for (const auto& kind : kConditionKinds)
      if (r.has(item, kind.c_str())) kinds.push_back(kind);
    if (kinds.size() > 1) r.fail(pointerJoin(item_at, kinds[1]), "a property has one condition (expected only \"" + kinds[0] + "\")");
    if (kinds.empty()) {
      r.oneOf(ps.name, pointerJoin(item_at, "name"), builtin);
    } else {
      if (std::find(builtin.begin(), builtin.end(), ps.name) != builtin.end() || ps.name == "no_deadlock")
        r.fail(pointerJoin(item_at, "name"), "\"" + ps.name + "\" is a built-in property (expected a new name for a condition)");
      readCondition(r, item, item_at, kinds[0], fields, spec, ps);
    }
    spec.properties.push_back(std::move(ps));
  }
}

}  // namespace

std::vector<FixInfo> availableFixes(const Spec& spec) {
  std::vector<FixInfo> out = spec.family->fixes();
  for (const auto& fix : spec.defined_fixes) {
    std::string what = "at " + fix.at + ", when " + fix.when + ", fail with " + fix.fail;
    out.push_back({fix.name, fix.description.empty() ? what : fix.description + " (" + what + ")", fix.origin, fix.at});
  }
  return out;
}

void ignoreExpectations(Spec& spec) {
  for (auto& p : spec.properties) p.expect = checker::Verdict::Holds;
  spec.expectations_ignored = true;  // expected_states stays: progress measures against it, the check skips it
}

std::vector<std::string> availableFixNames(const Spec& spec) { return namesOf(availableFixes(spec)); }

const std::vector<std::string>& specKeys() { return kTopKeys; }

Parameters parseParameters(const std::string& file, const ModelDescription& model, const json& object, const std::string& at) {
  Parameters p(model.parameters());
  JsonReader r(file);
  readParameters(r, object, at, model.parameters(), p);
  model.checkParameters(r, p, at);
  return p;
}

std::optional<std::string> suggest(const std::string& word, const std::vector<std::string>& candidates) {
  std::size_t best = word.size() / 3 + 2;
  std::optional<std::string> found;
  for (const auto& c : candidates) {
    std::vector<std::size_t> row(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (word[i - 1] == c[j - 1] ? 0u : 1u)});
        diag = up;
      }
    }
    if (row[c.size()] < best) {
      best = row[c.size()];
      found = c;
    }
  }
  return found;
}

namespace {

constexpr std::size_t kMaxExtends = 8;

// Which file gave a key of the resolved document ("fixes", "parameters/fds"),
// where it is not the file being loaded: errors in it name that file.
using Origins = std::map<std::string, std::string>;

// "extends": "other.json" takes the other spec's keys (resolved next to this
// file) and lets this one replace them; "parameters" are merged key by key.
// A spec of another model than its base inherits neither the base's fixes, its race,
// nor its fix definitions: they are the other model's.
json resolveExtends(const JsonReader& r, json doc, std::vector<std::string>& chain, std::vector<std::string>& digests, Origins& origins) {
  if (!doc.contains("extends")) return doc;
  if (!doc["extends"].is_string()) r.fail("/extends", typeName(doc["extends"]) + " (expected a spec file name)");
  std::string base_name = doc["extends"].get<std::string>();
  auto slash = r.file().find_last_of('/');
  // Relative to this spec's folder; an absolute path as it is.
  std::string base_path = !base_name.empty() && base_name[0] == '/'
                              ? base_name
                              : (slash == std::string::npos ? "" : r.file().substr(0, slash + 1)) + base_name;
  // One file, however it is spelt ("./a.json", "../specs/a.json", a link).
  auto identity = [](const std::string& path) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(path, ec);
    return ec ? path : canonical.string();
  };
  for (const auto& earlier : chain)
    if (identity(earlier) == identity(base_path))
      r.fail("/extends", "\"" + base_name + "\" extends itself through a cycle (expected a chain that ends)");
  if (chain.size() >= kMaxExtends)
    r.fail("/extends", "a chain of more than " + std::to_string(kMaxExtends) + " specs (expected a shorter one)");
  if (std::string why = whyUnreadable(base_path); !why.empty())
    r.fail("/extends", "cannot read \"" + base_path + "\": " + why + " (expected a spec file next to this one)");
  chain.push_back(base_path);
  JsonReader base_reader(base_path);
  std::string base_text = base_reader.readFile();
  digests.push_back(sha256Hex(base_text));
  json base = base_reader.parseText(base_text);
  base_reader.requireObject(base, "");
  base_reader.checkKeys(base, "", kTopKeys);
  base_reader.oneOf(base, "", "format", {kFormat});
  Origins base_origins;
  base = resolveExtends(base_reader, std::move(base), chain, digests, base_origins);
  for (const auto& [key, value] : base.items()) {
    base_origins.emplace(key, base_path);
    if (key == "parameters" && value.is_object())
      for (const auto& [name, v] : value.items()) base_origins.emplace("parameters/" + name, base_path);
  }
  auto modelOf = [](const json& spec) { return spec.contains("model") ? spec["model"] : json(modelNames().front()); };
  if (doc.contains("model") && doc["model"] != modelOf(base))
    for (const char* key : {"fixes", "define_fixes", "race", "scheduler", "schedulers"}) {
      base.erase(key);
      base_origins.erase(key);
    }
  json params = base.value("parameters", json::object());
  if (doc.contains("parameters")) {
    r.requireObject(doc["parameters"], "/parameters");
    for (const auto& [key, value] : doc["parameters"].items()) params[key] = value;
  }
  for (const auto& [key, value] : doc.items()) {
    base[key] = value;
    base_origins.erase(key);
    if (key == "parameters" && value.is_object())
      for (const auto& [name, v] : value.items()) base_origins.erase("parameters/" + name);
  }
  base_origins.erase("parameters");
  base["parameters"] = params;
  origins.insert(base_origins.begin(), base_origins.end());
  // The race is one of the properties it came with: a spec that lists its
  // own properties without that one (and names no race) has none.
  if (doc.contains("properties") && !doc.contains("race") && base.contains("race") && doc["properties"].is_array()) {
    const json& race = base["race"];
    const json& listed = doc["properties"];
    if (std::none_of(listed.begin(), listed.end(), [&](const json& p) { return p.is_object() && p.value("name", json()) == race; }))
      base.erase("race");
  }
  base.erase("extends");
  base.erase("expected_states");
  if (doc.contains("expected_states")) base["expected_states"] = doc["expected_states"];
  return base;
}

}  // namespace

namespace {

Spec readSpec(const JsonReader& r, const json& doc, const std::vector<std::string>& chain, const std::vector<std::string>& digests,
              const std::vector<std::string>& overrides, const std::vector<std::string>& extra_fixes) {
  const std::string& file = r.file();
  Spec spec;
  spec.file = file;
  spec.inputs = chain;
  spec.input_sha256 = digests;
  spec.resolved_sha256 = sha256Hex(doc.dump());
  spec.name = r.string(doc, "", "name");
  if (spec.name.empty()) r.fail("/name", "empty name (expected a scenario name)");
  if (!isPlainName(spec.name, true))
    r.fail("/name", "\"" + spec.name + "\" is not a scenario name (expected 1 to 64 letters, digits, \"_\", \"-\" and \".\", not starting with \"-\" or \".\")");
  if (r.has(doc, "description")) spec.description = r.string(doc, "", "description");
  spec.model = r.has(doc, "model") ? r.oneOf(doc, "", "model", modelNames()) : modelNames().front();
  spec.family = findModel(spec.model);
  spec.parameters = Parameters(spec.family->parameters());
  if (r.has(doc, "parameters")) readParameters(r, doc.at("parameters"), "/parameters", spec.family->parameters(), spec.parameters);
  // A pinned state count holds for the file's own parameters only.
  if (r.has(doc, "expected_states") && overrides.empty() && extra_fixes.empty())
    spec.expected_states = static_cast<std::uint64_t>(r.integer(doc, "", "expected_states", 1, 2000000000));
  for (const auto& assignment : overrides) applyOverride(assignment, *spec.family, spec.parameters);
  spec.family->checkParameters(r, spec.parameters, "/parameters");
  spec.scenario = spec.family->readScenario(r, doc, spec);
  if (r.has(doc, "define_fixes")) readDefinedFixes(r, doc.at("define_fixes"), "/define_fixes", spec);
  if (r.has(doc, "fixes")) readFixes(r, doc.at("fixes"), "/fixes", spec);
  for (const auto& name : extra_fixes)
    addFix(JsonReader("--fix " + name), name, "", "the spec applies this fix already (expected another fix, or none)", spec);
  spec.family->checkCombination(r, spec);
  if (!r.has(doc, "properties")) r.fail("/properties", "missing (required)");
  readProperties(r, doc.at("properties"), "/properties", spec);
  if (r.has(doc, "race") && !doc.at("race").is_null()) {
    std::vector<std::string> names{"no_deadlock"};
    for (const auto& p : spec.properties) names.push_back(p.name);
    spec.race = r.oneOf(doc, "", "race", names);
  }
  readSchedulers(r, doc, spec);
  return spec;
}

bool isUnknownOutcome(const SpecError& e) {
  return e.problem().rfind("unknown outcome field", 0) == 0 || e.problem().rfind("unknown result", 0) == 0;
}

// Whether `load` fails with the error `e` too.
template <class Load>
bool failsAlike(const SpecError& e, Load load) {
  try {
    load();
  } catch (const SpecError& again) {
    return again.pointer() == e.pointer() && again.problem() == e.problem();
  }
  return false;
}

}  // namespace

Spec loadSpec(const std::string& file, const std::vector<std::string>& overrides, const std::vector<std::string>& extra_fixes) {
  return loadSpecText(file, JsonReader(file).readFile(), overrides, extra_fixes);
}

Spec loadSpecText(const std::string& file, const std::string& text, const std::vector<std::string>& overrides,
                  const std::vector<std::string>& extra_fixes) {
  JsonReader r(file);
  json doc = r.parseText(text);
  r.requireObject(doc, "");
  r.checkKeys(doc, "", kTopKeys);
  // Every file of an "extends" chain says what it is, as the schema asks.
  r.oneOf(doc, "", "format", {kFormat});
  std::vector<std::string> chain{file};
  std::vector<std::string> digests{sha256Hex(text)};
  Origins origins;
  doc = resolveExtends(r, std::move(doc), chain, digests, origins);
  try {
    return readSpec(r, doc, chain, digests, overrides, extra_fixes);
  } catch (const SpecError& e) {
    if (e.file() != file) throw;
    // A condition may name a field, or a line printed for an fd, that only
    // the file's own parameters give: then the error says so.
    if (!overrides.empty() && e.pointer().rfind("/properties/", 0) == 0 && isUnknownOutcome(e) &&
        !failsAlike(e, [&] { readSpec(r, doc, chain, digests, {}, extra_fixes); })) {
      std::string sets;
      for (const auto& o : overrides) sets += " --set " + o;
      bool field = e.problem().rfind("unknown outcome field", 0) == 0;
      throw SpecError(file, e.pointer(), e.problem() + (field ? " (the outcome fields under" : " (the results under") + sets + ")");
    }
    // An error in a key the spec inherited names the file it came from.
    std::string key = e.pointer().substr(e.pointer().empty() ? 0 : 1);
    std::string first = key.substr(0, key.find('/'));
    std::string second = first == "parameters" ? key.substr(0, key.find('/', first.size() + 1)) : first;
    auto it = origins.find(second);
    if (it == origins.end()) it = origins.find(first);
    if (it == origins.end()) throw;
    throw SpecError(it->second, e.pointer(), e.problem() + " (inherited by " + file + ")");
  }
}

}  // namespace fsrace::specs
