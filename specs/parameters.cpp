#include "specs/parameters.hpp"

#include "model/bcachefs_model.hpp"

namespace fsrace::specs {

const std::vector<ParameterInfo>& parameterTable() {
  static const std::vector<ParameterInfo> table = {
      {"fds", &Parameters::fds, 1, static_cast<int>(model::kMaxFds), {}, "number of fds fsync-err opens (-n)"},
      {"mode", &Parameters::mode, 0, 0, {"simple", "full"}, "fsync-err -s (what generic/441 runs on bcachefs) or the full program"},
      {"background_writeback", &Parameters::background_writeback, 0, 0, {}, "page-cache writeback may also run outside fsync"},
      {"reclaim_before_switch", &Parameters::reclaim_before_switch, 0, 0, {},
       "journal reclaim may flush pins before the error table is first loaded (false: it is still behind at the switch)"},
      {"processes", &Parameters::processes, 1, static_cast<int>(model::kMaxProcesses), {},
       "test processes, each running the program on its own fds; table switches and settles are barriers taken once"},
      {"inodes", &Parameters::inodes, 1, static_cast<int>(model::kMaxInodes), {}, "files; process p uses file p % inodes"},
      // Errors reported per fd are counted in 3 bits: at most 4 rounds.
      {"rounds", &Parameters::rounds, 1, 4, {}, "times each \"repeat\" block of the program runs (fsync labels get @round when above 1)"},
  };
  return table;
}

std::string typeText(const ParameterInfo& info) {
  if (std::holds_alternative<bool Parameters::*>(info.member)) return "boolean";
  if (std::holds_alternative<std::string Parameters::*>(info.member)) {
    std::string out;
    for (const auto& choice : info.choices) out += (out.empty() ? "" : "|") + choice;
    return out;
  }
  if (std::string(info.name) == "inodes") return "integer 1..processes";
  return "integer " + std::to_string(info.min) + ".." + std::to_string(info.max);
}

nlohmann::json valueOf(const ParameterInfo& info, const Parameters& p) {
  return std::visit([&](auto member) { return nlohmann::json(p.*member); }, info.member);
}

nlohmann::json parametersJson(const Parameters& p) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& info : parameterTable()) out[info.name] = valueOf(info, p);
  return out;
}

}  // namespace fsrace::specs
