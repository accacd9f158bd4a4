// The text renderings of the result and list documents (they read only the
// documents, so text and JSON never disagree).
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace fsrace::cli {

struct TextOptions {
  std::string property;      // print only that property's trace ("" for every one)
  std::size_t width = 78;    // columns: a mail's, so a trace can be pasted to a list
  bool mail = false;         // only what a mail needs: no timing, coverage or properties that hold as expected
  bool all_steps = false;    // every step of a trace, not only the chain and the deciding window
};

std::string renderResultText(const nlohmann::json& result, const TextOptions& options = {});
std::string renderListText(const nlohmann::json& list);

}  // namespace fsrace::cli
