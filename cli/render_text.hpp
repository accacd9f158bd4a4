// The text renderings of the result and list documents (they read only the
// documents, so text and JSON never disagree).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace fsrace::cli {

// `property`: print only that property's trace ("" for every one).
std::string renderResultText(const nlohmann::json& result, const std::string& property = "");
std::string renderListText(const nlohmann::json& list);

}  // namespace fsrace::cli
