// The one error every reader of user input throws: the file, the JSON
// pointer of the offending value, and what was expected, on one line.
#pragma once

#include <stdexcept>
#include <string>

namespace fsrace::specs {

class SpecError : public std::runtime_error {
 public:
  SpecError(const std::string& file, const std::string& pointer, const std::string& problem)
      : std::runtime_error(file + ": " + (pointer.empty() ? "/" : pointer) + ": " + problem),
        file_(file),
        pointer_(pointer),
        problem_(problem) {}

  const std::string& file() const { return file_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string file_;
  std::string pointer_;
  std::string problem_;
};

}  // namespace fsrace::specs
