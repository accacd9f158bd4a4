// What the outcome probabilities need of no model: weights from rates, and
// their text.
#include "cli/probabilities.hpp"

#include "cli/output.hpp"

#include <algorithm>
#include <cstdio>

namespace fsrace::cli {

using nlohmann::json;

namespace {

// The names a step answers to: its actor class, its numbered actor, its step.
std::vector<std::string> rateNames(const std::string& label, const std::string& step) {
  std::string actor_class = label;
  while (!actor_class.empty() && actor_class.back() >= '0' && actor_class.back() <= '9') actor_class.pop_back();
  // The first actor of a class is labelled by the class alone ("test").
  std::string numbered = label == actor_class ? label + "0" : label;
  return {actor_class, numbered, step};
}

}  // namespace

bool rateApplies(const std::string& key, const std::string& label, const std::string& step) {
  auto names = rateNames(label, step);
  return std::find(names.begin(), names.end(), key) != names.end();
}

double stepWeight(const specs::Scheduler& scheduler, const std::string& label, const std::string& step) {
  double weight = 1.0;
  for (const auto& key : rateNames(label, step)) {
    auto it = scheduler.rates.find(key);
    if (it != scheduler.rates.end()) weight *= it->second;
  }
  return weight;
}

std::string probabilityText(double p) {
  if (p <= 0) return "0";
  if (p >= 1) return "1";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", p);
  if (std::string(buffer) != "1") return buffer;
  // 0.99995 and above would print as 1: say how close, as far as a double
  // near 1 can (its steps are 1.1e-16: below 1e-12 the digits are noise).
  if (1 - p < 1e-12) return "1 - < 1e-12";
  std::snprintf(buffer, sizeof buffer, "1 - %.2g", 1 - p);
  return buffer;
}

std::string probabilityText(double p, double complement) {
  if (p < 0.5 || complement <= 0 || complement >= 5e-5) return probabilityText(p);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "1 - %.2g", complement);
  return buffer;
}

std::string chanceText(double p, double complement, bool possible, bool complement_possible) {
  if (p == 0 && possible) return "< 1e-300";
  if (complement == 0 && complement_possible) return "1 - < 1e-300";
  return probabilityText(p, complement);
}

std::string testFailsText(const json& scheduler) {
  double elsewhere = scheduler["deadlock"].get<double>() + scheduler["never_ends"].get<double>();
  return chanceText(scheduler["test_fails"].get<double>(), scheduler["test_passes"].get<double>() + elsewhere,
                    scheduler["underflow"].get<std::size_t>() > 0);
}

std::string keyValueText(const json& scheduler, const std::string& value) {
  const json& values = scheduler["key"]["values"];
  if (!values.contains(value)) return "0";
  // The other values, summed on their own, say how far from 1 this one is.
  double others = scheduler["deadlock"].get<double>() + scheduler["never_ends"].get<double>();
  for (const auto& [other, q] : values.items())
    if (other != value) others += q.get<double>();
  return chanceText(values[value].get<double>(), others, true, values.size() > 1);
}

std::string ratesText(const specs::Scheduler& scheduler) {
  std::string out;
  for (const auto& [key, rate] : scheduler.rates) out += (out.empty() ? "" : ", ") + key + " x" + numberText("%g", rate);
  return out;
}

std::vector<double> outcomeProbabilities(const json& result) {
  const json& p = result.value("probabilities", json());
  if (!p.is_object() || !p.value("computed", false)) return {};
  return p["schedulers"][0]["outcomes"].get<std::vector<double>>();
}

std::vector<std::string> outcomeChanceTexts(const json& result) {
  std::vector<double> p = outcomeProbabilities(result);
  if (p.empty()) return {};
  // Only the likeliest can be near 1: its distance from 1 is the others'
  // sum, summed on their own (a total minus it would round to 0).
  std::size_t likeliest = static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
  const json& entry = result["probabilities"]["schedulers"][0];
  double others = entry["deadlock"].get<double>() + entry["never_ends"].get<double>();
  for (std::size_t i = 0; i < p.size(); ++i)
    if (i != likeliest) others += p[i];
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < p.size(); ++i)
    texts.push_back(chanceText(p[i], i == likeliest ? others : 1.0, true, i == likeliest && p.size() > 1));
  return texts;
}

std::string probabilitiesText(const json& result) {
  const json& p = result.value("probabilities", json());
  if (!p.is_object()) return "";
  if (!p.value("computed", false)) return "\nprobabilities: not computed: " + p["why"].get<std::string>() + "\n";
  const json& schedulers = p["schedulers"];
  std::string key = schedulers[0]["key"]["field"];
  std::vector<std::string> values;
  for (const auto& s : schedulers)
    for (const auto& [value, q] : s["key"]["values"].items())
      if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
  std::sort(values.begin(), values.end());
  std::vector<std::vector<std::string>> rows{{"scheduler"}};
  bool has_test = !schedulers[0]["test_fails"].is_null();
  if (has_test) rows[0].push_back("test fails");
  for (const auto& v : values) rows[0].push_back(key + "=" + v);
  std::vector<std::string> notes;
  for (const auto& s : schedulers) {
    std::vector<std::string> row{s["name"].get<std::string>()};
    if (has_test) row.push_back(testFailsText(s));
    for (const auto& v : values) row.push_back(keyValueText(s, v));
    rows.push_back(std::move(row));
    std::string note = s["name"].get<std::string>() + ": " + s["description"].get<std::string>();
    specs::Scheduler rates;
    for (const auto& [k, r] : s["rates"].items()) rates.rates[k] = r.get<double>();
    if (!rates.rates.empty()) note += " (" + ratesText(rates) + ")";
    if (!s["unused_rates"].empty()) {
      std::string keys;
      for (const auto& k : s["unused_rates"]) keys += (keys.empty() ? "" : ", ") + k.get<std::string>();
      note += "; rates that weigh no step of this scenario: " + keys;
    }
    if (s["deadlock"].get<double>() > 0) note += "; P(deadlock) " + probabilityText(s["deadlock"].get<double>());
    if (s["never_ends"].get<double>() > 0) note += "; P(never ends) " + probabilityText(s["never_ends"].get<double>());
    if (!s["converged"].get<bool>()) note += "; NOT CONVERGED (last relative change " + probabilityText(s["last_change"].get<double>()) + ")";
    notes.push_back(note);
  }
  std::string method = p["method"] == "acyclic"         ? "which is acyclic"
                       : p["method"] == "cyclic_direct" ? "its cycles solved directly"
                                                        : "its cycles iterated to a relative change below " + probabilityText(p["tolerance"].get<double>());
  std::string out = "\nprobabilities of a run's outcome (each enabled step taken in proportion to its rate; exact on the explored graph, " +
                    method + "):\n";
  out += tableText(rows, "  ");
  for (const auto& note : notes) out += "  " + note + "\n";
  return out;
}

json probabilitiesNotComputed(const std::string& why) { return {{"computed", false}, {"why", why}}; }

}  // namespace fsrace::cli
