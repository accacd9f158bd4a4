// A state as named fields, for traces: what a step changed, field by field.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace fsrace::model {

struct FieldChange {
  std::string field;
  std::string before;
  std::string after;
};

using Fields = std::vector<std::pair<std::string, std::string>>;

// The fields whose value differs between `before` and `after` (the same
// names in the same order), except those `skip` names.
template <class Skip>
std::vector<FieldChange> diffFields(const Fields& before, const Fields& after, Skip skip) {
  std::vector<FieldChange> out;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i].second == after[i].second || skip(before[i].first)) continue;
    out.push_back({before[i].first, before[i].second, after[i].second});
  }
  return out;
}

inline bool endsWith(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace fsrace::model
