#include "cli/provenance.hpp"

#include "cli/build_info.hpp"

namespace fsrace::cli {

using nlohmann::json;

std::string versionLine() {
  std::string line = std::string("fsrace ") + build::kVersion;
  std::string commit = build::kCommit;
  if (!commit.empty()) line += " (commit " + commit.substr(0, 12) + (build::kDirty ? ", with uncommitted changes)" : ")");
  return line;
}

json provenanceJson(const specs::Spec* spec) {
  std::string commit = build::kCommit;
  json out = {{"fsrace", build::kVersion}, {"commit", commit.empty() ? json(nullptr) : json(commit)}, {"dirty", build::kDirty}};
  if (!spec) return out;
  json inputs = json::array();
  for (std::size_t i = 0; i < spec->inputs.size(); ++i) inputs.push_back({{"file", spec->inputs[i]}, {"sha256", spec->input_sha256[i]}});
  out["spec_sha256"] = spec->resolved_sha256;
  out["inputs"] = inputs;
  return out;
}

}  // namespace fsrace::cli
