// libFuzzer target: the counterexample reader, then replay as `fsrace replay`
// does it (the document checked against what fsrace writes, then replayed
// under a fix too) and slicing of short traces, against
// specs/generic-441.json with the document's parameters and fixes. A
// SpecError is the expected answer to bad input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/replay.hpp"
#include "cli/replay_document.hpp"
#include "specs/json_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const std::string file = "fuzz-trace.json";
  try {
    auto trace = fsrace::specs::JsonReader(file).parseText(text);
    fsrace::cli::validateTrace(file, trace);
    fsrace::cli::replayDocument(file, trace, FSRACE_SOURCE_DIR "/specs/generic-441.json", {}, false);
    fsrace::cli::replayDocument(file, trace, FSRACE_SOURCE_DIR "/specs/generic-441.json", {"settle_after_table_switch"}, false);
    auto spec = fsrace::cli::specOfTrace(file, trace, FSRACE_SOURCE_DIR "/specs/generic-441.json", {});
    if (trace["steps"].size() <= 64) fsrace::cli::sliceTrace(spec, trace);
  } catch (const fsrace::specs::SpecError&) {
  }
  return 0;
}
