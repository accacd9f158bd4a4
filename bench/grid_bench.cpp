// fsrace on the grid model: one exhaustive run, figures on stdout as
// "key value" lines for bench/run.sh.
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

int main() {
  static_assert(fsrace::checker::Model<fsrace::bench::GridModel>);
  fsrace::bench::GridModel model;
  fsrace::checker::Explorer<fsrace::bench::GridModel> explorer(model, {});
  const auto& stats = explorer.run();
  std::cout << "states " << stats.states << "\n"
            << "transitions " << stats.transitions << "\n"
            << "seconds " << stats.seconds << "\n"
            << "store_bytes_per_state " << stats.bytesPerState() << "\n"
            << "peak_rss_kib " << peakRssKib() << "\n"
            << "complete " << stats.complete << "\n";
  return stats.complete ? 0 : 3;
}
