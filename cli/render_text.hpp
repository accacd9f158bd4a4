// The text renderings of the result and list documents (they read only the
// documents, so text and JSON never disagree).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace fsrace::cli {

std::string renderResultText(const nlohmann::json& result);
std::string renderListText(const nlohmann::json& list);

}  // namespace fsrace::cli
