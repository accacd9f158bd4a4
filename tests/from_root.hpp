// Loading specs the way the golden documents name them: relative to the
// source root, whatever folder the test runs in.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "specs/spec.hpp"

namespace fsrace::tests {

// Runs `load` with the source root as the working directory.
template <class Load>
auto atSourceRoot(Load load) {
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(FSRACE_SOURCE_DIR);
  struct Back {
    std::filesystem::path to;
    ~Back() { std::filesystem::current_path(to); }
  } back{cwd};
  return load();
}

inline specs::Spec fromRoot(const std::string& relative, const std::vector<std::string>& sets = {},
                            const std::vector<std::string>& fixes = {}) {
  return atSourceRoot([&] { return specs::loadSpec(relative, sets, fixes); });
}

}  // namespace fsrace::tests
