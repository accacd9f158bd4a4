// libFuzzer target: the spec loader, and for every spec it accepts, a
// bounded check of the model it describes. A SpecError is the expected
// answer to bad input; anything else (a crash, a sanitizer report, another
// exception, a failed assertion) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/run.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto spec = fsrace::specs::loadSpecText("fuzz-input.json", text);
    fsrace::cli::CheckOptions options;
    options.limits.max_states = 3000;
    fsrace::cli::runCheck(spec, options);
  } catch (const fsrace::specs::SpecError&) {
  }
  return 0;
}
