// What the outcome probabilities need of no model: weights from rates, and
// their text.
#include "cli/probabilities.hpp"

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

std::string ratesText(const specs::Scheduler& scheduler) {
  std::string out;
  for (const auto& [key, rate] : scheduler.rates) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", rate);
    out += (out.empty() ? "" : ", ") + key + " x" + buffer;
  }
  return out;
}

json probabilitiesNotComputed(const std::string& why) { return {{"computed", false}, {"why", why}}; }

}  // namespace fsrace::cli
