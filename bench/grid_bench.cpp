// fsrace on the grid model: one exhaustive run, figures on stdout as
// "key value" lines for bench/run.sh.  Usage: grid_bench [THREADS] (default 1)
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "bench/grid_model.hpp"
#include "checker/explorer.hpp"

namespace {

// Peak resident set size in KiB (VmHWM), 0 if unknown.
long peakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      long kib = 0;
      status >> kib;
      return kib;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  static_assert(fsrace::checker::Model<fsrace::bench::GridModel>);
  unsigned threads = argc > 1 ? static_cast<unsigned>(std::strtoul(argv[1], nullptr, 10)) : 1;
  fsrace::bench::GridModel model;
  fsrace::checker::Explorer<fsrace::bench::GridModel> explorer(model, {}, {}, threads);
  const auto& stats = explorer.run();
  std::cout << "states " << stats.states << "\n"
            << "transitions " << stats.transitions << "\n"
            << "seconds " << stats.seconds << "\n"
            << "store_bytes_per_state " << stats.bytesPerState() << "\n"
            << "peak_rss_kib " << peakRssKib() << "\n"
            << "threads " << explorer.threads() << "\n"
            << "complete " << stats.complete << "\n";
  return stats.complete ? 0 : 3;
}
