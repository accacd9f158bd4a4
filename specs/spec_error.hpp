// The one error every reader of user input throws: the file, the JSON
// pointer of the offending value, and what was expected, on one line.
#pragma once

#include <stdexcept>
#include <string>

namespace fsrace::specs {

class SpecError : public std::runtime_error {
 public:
  SpecError(const std::string& file, const std::string& pointer, const std::string& problem)
      : std::runtime_error(file + ": " + (pointer.empty() ? "/" : pointer) + ": " + problem) {}
};

}  // namespace fsrace::specs
