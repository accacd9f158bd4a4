// What the outcome probabilities need of no model: weights from rates, and
// their text.
#include "cli/probabilities.hpp"

#include <algorithm>
#include <cstdio>

namespace fsrace::cli {

using nlohmann::json;

double stepWeight(const specs::Scheduler& scheduler, const std::string& label, const std::string& step) {
  std::string actor_class = label;
  while (!actor_class.empty() && actor_class.back() >= '0' && actor_class.back() <= '9') actor_class.pop_back();
  double weight = 1.0;
  auto factor = [&](const std::string& key) {
    auto it = scheduler.rates.find(key);
    if (it != scheduler.rates.end()) weight *= it->second;
  };
  factor(actor_class);
  if (label != actor_class) factor(label);
  factor(step);
  return weight;
}

std::string probabilityText(double p) {
  if (p <= 0) return "0";
  if (p >= 1) return "1";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", p);
  // 0.99995 and above would print as 1: say how close.
  if (std::string(buffer) == "1") std::snprintf(buffer, sizeof buffer, "1 - %.2g", 1 - p);
  return buffer;
}

std::string probabilityText(double p, double complement) {
  if (p < 0.5 || complement <= 0 || complement >= 5e-5) return probabilityText(p);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "1 - %.2g", complement);
  return buffer;
}

std::string ratesText(const specs::Scheduler& scheduler) {
  std::string out;
  for (const auto& [key, rate] : scheduler.rates) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", rate);
    out += (out.empty() ? "" : ", ") + key + " x" + buffer;
  }
  return out;
}

std::vector<double> outcomeProbabilities(const json& result) {
  const json& p = result.value("probabilities", json());
  if (!p.is_object() || !p.value("computed", false)) return {};
  return p["schedulers"][0]["outcomes"].get<std::vector<double>>();
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
    if (has_test) row.push_back(probabilityText(s["test_fails"].get<double>(), s["test_passes"].get<double>()));
    for (const auto& v : values) row.push_back(probabilityText(s["key"]["values"].value(v, 0.0)));
    rows.push_back(std::move(row));
    std::string note = s["name"].get<std::string>() + ": " + s["description"].get<std::string>();
    specs::Scheduler rates;
    for (const auto& [k, r] : s["rates"].items()) rates.rates[k] = r.get<double>();
    if (!rates.rates.empty() && note.find("--rate") == std::string::npos) note += " (" + ratesText(rates) + ")";
    if (s["deadlock"].get<double>() > 0) note += "; P(deadlock) " + probabilityText(s["deadlock"].get<double>());
    if (s["never_ends"].get<double>() > 0) note += "; P(never ends) " + probabilityText(s["never_ends"].get<double>());
    if (!s["converged"].get<bool>()) note += "; NOT CONVERGED (residual " + probabilityText(s["residual"].get<double>()) + ")";
    notes.push_back(note);
  }
  std::string method = p["method"] == "acyclic"         ? "which is acyclic"
                       : p["method"] == "cyclic_direct" ? "its cycles solved directly"
                                                        : "its cycles iterated to a relative change below " + probabilityText(p["tolerance"].get<double>());
  std::string out = "\nprobabilities of a run's outcome (each enabled step taken in proportion to its rate; exact on the explored graph, " +
                    method + "):\n";
  std::vector<std::size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  for (const auto& row : rows) {
    std::string line = " ";
    for (std::size_t c = 0; c < row.size(); ++c) line += " " + row[c] + std::string(widths[c] - row[c].size() + 1, ' ');
    while (line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  for (const auto& note : notes) out += "  " + note + "\n";
  return out;
}

json probabilitiesNotComputed(const std::string& why) { return {{"computed", false}, {"why", why}}; }

}  // namespace fsrace::cli
