// Reading a spec's schedulers, and --scheduler / --rate.
#include "specs/scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "specs/json_reader.hpp"
#include "specs/model_description.hpp"
#include "specs/spec.hpp"

namespace fsrace::specs {
namespace {

std::string rateText(double rate) {
  std::ostringstream out;
  out << rate;
  return out.str();
}

void checkRateKey(const JsonReader& r, const ModelDescription& model, const std::string& key, const std::string& at) {
  if (std::string problem = rateKeyProblem(model, key); !problem.empty()) r.fail(at, problem);
}

double checkRate(const JsonReader& r, const json& value, const std::string& at) {
  const std::string expected = "a relative rate from " + rateText(kMinRate) + " to " + rateText(kMaxRate);
  if (!value.is_number()) r.fail(at, typeName(value) + " (expected " + expected + ")");
  double rate = value.get<double>();
  if (!std::isfinite(rate) || rate < kMinRate || rate > kMaxRate)
    r.fail(at, value.dump() + " is out of range (expected " + expected +
                   (rate == 0 ? "; a step that never runs is a change to the model, not to the scheduler)" : ")"));
  return rate;
}

Scheduler readOne(const JsonReader& r, const json& object, const std::string& at, const ModelDescription& model, Scheduler base) {
  r.requireObject(object, at);
  r.checkKeys(object, at, {"description", "rates"});
  base.description = r.has(object, "description") ? r.string(object, at, "description") : "";
  if (r.has(object, "rates")) {
    std::string rates_at = pointerJoin(at, "rates");
    r.requireObject(object.at("rates"), rates_at);
    for (const auto& [key, value] : object.at("rates").items()) {
      std::string key_at = pointerJoin(rates_at, key);
      checkRateKey(r, model, key, key_at);
      base.rates[key] = checkRate(r, value, key_at);
    }
  }
  return base;
}

}  // namespace

json Scheduler::json() const {
  nlohmann::json rates_json = nlohmann::json::object();
  for (const auto& [key, rate] : rates) rates_json[key] = rate;
  return {{"name", name}, {"description", description}, {"rates", rates_json}};
}

// A rate's key: an actor class, an actor ("test1"), or a step of the model.
std::string rateKeyProblem(const ModelDescription& model, const std::string& key) {
  if (model.isActorLabel(key)) return "";
  // "test0": the first actor of a class alone, whose label is the class's name.
  if (key.size() > 1 && key.back() == '0' && model.isActorLabel(key.substr(0, key.size() - 1) + "1")) return "";
  auto keys = rateKeys(model);
  if (std::find(keys.begin(), keys.end(), key) != keys.end()) return "";
  std::string problem = "model " + model.name() + " has no actor or step \"" + key + "\"";
  if (auto near = suggest(key, keys)) return problem + "; did you mean \"" + *near + "\"?";
  return problem + " (expected an actor, e.g. \"" + model.actorNames().front() + "\", or a step; see fsrace list --model " + model.name() + ")";
}

std::vector<std::string> rateKeys(const ModelDescription& model) {
  std::vector<std::string> keys = model.actorNames();
  for (const auto& action : model.actions())
    if (std::find(keys.begin(), keys.end(), action.name) == keys.end()) keys.push_back(action.name);
  return keys;
}

void readSchedulers(const JsonReader& r, const json& doc, Spec& spec) {
  Scheduler uniform{"default", "every enabled step equally likely", {}};
  Scheduler base = r.has(doc, "scheduler") ? readOne(r, doc.at("scheduler"), "/scheduler", *spec.family, uniform) : uniform;
  if (base.description.empty()) base.description = base.rates.empty() ? uniform.description : "the spec's rates";
  spec.schedulers = {base};
  if (!r.has(doc, "schedulers")) return;
  r.requireObject(doc.at("schedulers"), "/schedulers");
  for (const auto& [name, object] : doc.at("schedulers").items()) {
    std::string at = pointerJoin("/schedulers", name);
    if (!isPlainName(name, false) || name == "default")
      r.fail(at, "\"" + name + "\" is not a scheduler name (expected 1 to 64 letters, digits and \"_\", other than \"default\")");
    Scheduler alternative = readOne(r, object, at, *spec.family, base);
    alternative.name = name;
    if (alternative.description.empty()) r.fail(at, "no \"description\" (expected one line on what it stands for)");
    spec.schedulers.push_back(std::move(alternative));
  }
}

void chooseScheduler(Spec& spec, const std::string& name, const std::vector<std::string>& rates) {
  // "default" names the spec's own scheduler, which runs without --scheduler.
  if (!name.empty() && name != spec.schedulers.front().name) {
    std::vector<std::string> names;
    for (const auto& s : spec.schedulers) names.push_back(s.name);
    JsonReader r("--scheduler " + name);
    if (names.size() == 1)
      r.fail("", spec.file + " names no alternative scheduler (expected \"default\" or none; its \"schedulers\" would list them)");
    r.oneOf(name, "", names);
    auto it = std::find_if(spec.schedulers.begin(), spec.schedulers.end(), [&](const Scheduler& s) { return s.name == name; });
    std::rotate(spec.schedulers.begin(), it, it + 1);
  }
  for (const auto& text : rates) {
    JsonReader r("--rate " + text);
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) r.fail("", "expected KEY=RATE, e.g. reclaim=0.01");
    std::string key = text.substr(0, eq);
    checkRateKey(r, *spec.family, key, "");
    json value = json::parse(text.substr(eq + 1), nullptr, false);
    if (value.is_discarded()) r.fail("", "\"" + text.substr(eq + 1) + "\" is not a number (expected a relative rate from " +
                                             rateText(kMinRate) + " to " + rateText(kMaxRate) + ")");
    Scheduler& used = spec.schedulers.front();
    used.rates[key] = checkRate(r, value, "");
    // The spec's words describe its own rates: say they were changed.
    used.description = "the spec's " + used.name + " scheduler, changed by --rate";
  }
}

}  // namespace fsrace::specs
