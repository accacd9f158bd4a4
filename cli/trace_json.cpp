#include "cli/trace_json.hpp"

namespace fsrace::cli {

using nlohmann::json;

json fixesJson(const std::vector<std::string>& fixes) { return fixes; }

json outcomeJson(const std::vector<std::string>& fields, const checker::Outcome& values) {
  json out = json::object();
  for (std::size_t i = 0; i < fields.size(); ++i) out[fields[i]] = values[i];
  return out;
}

}  // namespace fsrace::cli
