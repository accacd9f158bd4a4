// The fsrace command: parse, call, print. Exit codes in cli/exit_codes.hpp.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "cli/exit_codes.hpp"
#include "cli/render_graph.hpp"
#include "cli/replay.hpp"
#include "cli/run.hpp"
#include "specs/json_reader.hpp"

namespace {

using namespace fsrace;

// SIGINT stops the exploration cleanly: the run ends incomplete (exit 3).
std::atomic<bool> g_interrupted{false};
extern "C" void onInterrupt(int) { g_interrupted.store(true); }

int fail(const std::string& message) {
  std::cerr << "fsrace: error: " << message << "\n";
  return cli::kExitUsage;
}

bool writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// One fsrace.counterexample/1 file per violated property, named after it.
bool writeCounterexamples(const std::string& dir, const nlohmann::json& result) {
  std::filesystem::create_directories(dir);
  for (const auto& p : result["properties"]) {
    if (!p.contains("counterexample")) continue;
    if (!writeFile(dir + "/" + p["name"].get<std::string>() + ".json", p["counterexample"].dump(2) + "\n")) return false;
  }
  return true;
}

// The counterexample (or witness) of `property`, or of the first violated
// property that has one.
const nlohmann::json* traceToRender(const nlohmann::json& result, const std::string& property) {
  for (const auto& p : result["properties"]) {
    if (!property.empty() && p["name"] != property) continue;
    if (p.contains("counterexample")) return &p["counterexample"];
    if (!property.empty() && p.contains("witness")) return &p["witness"];
  }
  return nullptr;
}

int runReplay(const std::string& trace_file, const std::string& spec_file, const std::vector<std::string>& fixes, bool strict) {
  specs::JsonReader reader(trace_file);
  nlohmann::json trace = reader.parseFile();
  cli::validateTrace(trace_file, trace);
  specs::Spec spec = cli::specOfTrace(trace_file, trace, spec_file, fixes);
  cli::ReplayReport report = cli::replayTrace(spec, trace, strict);
  std::cout << cli::renderReplayText(trace_file, spec, trace, report);
  return report.reproduced ? cli::kExitHolds : cli::kExitViolated;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fsrace: a model checker for filesystem error-reporting races"};
  app.require_subcommand(1);

  std::string spec_file, json_file, format = "text";
  std::vector<std::string> fixes, sets;
  std::uint64_t max_states = 0, max_memory = 0;
  double max_seconds = 0;
  bool progress = false;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const std::string threads_help = "worker threads (default: all cores, here " + std::to_string(threads) +
                                   "); the results do not depend on it";
  auto* check = app.add_subcommand("check", "explore every interleaving of a spec and check its properties");
  check->add_option("spec", spec_file, "scenario file (JSON)")->required();
  check->add_option("--fix", fixes, "apply a named fix (repeatable; see `fsrace list`)");
  check->add_option("--set", sets, "override a parameter, KEY=VALUE (repeatable)");
  check->add_option("--json", json_file, "also write the fsrace.result/1 document to FILE");
  check->add_option("--format", format, "output on stdout: text, json, or a counterexample as mermaid or dot")
      ->check(CLI::IsMember({"text", "json", "mermaid", "dot"}));
  std::string property;
  check->add_option("--property", property, "with --format mermaid|dot: whose trace (default: the first counterexample)");
  check->add_option("--max-states", max_states, "stop after this many states (verdict: incomplete)");
  check->add_option("--max-seconds", max_seconds, "stop after this many seconds (verdict: incomplete)");
  check->add_option("--max-memory", max_memory, "stop when the state store exceeds this many MiB (verdict: incomplete)");
  check->add_option("--threads", threads, threads_help)->check(CLI::Range(1u, 1024u));
  check->add_flag("--progress", progress, "report progress on stderr (default: when stderr is a terminal)");
  bool slice = false;
  check->add_flag("--slice", slice, "drop counterexample steps that do not matter (delta debugging; see docs/formats.md)");
  bool symmetry = false, cross_check = false, por = false;
  check->add_flag("--symmetry", symmetry,
                  "store one state per orbit of the process permutations (several processes); verdicts and outcomes unchanged");
  check->add_flag("--por", por, "partial-order reduction: explore a local step alone where no property can tell; verdicts unchanged");
  check->add_flag("--cross-check", cross_check,
                  "run without reductions, then with --symmetry, --por and both; fail (exit 1) if any verdict or outcome differs");
  std::string counterexample_dir;
  check->add_option("--write-counterexamples", counterexample_dir, "write each counterexample to DIR/<property>.json");

  auto* verify = app.add_subcommand("verify", "the baseline and each fix (or the combination given) side by side");
  verify->add_option("spec", spec_file, "scenario file (JSON)")->required();
  verify->add_option("--fix", fixes, "check this combination of fixes instead of each fix alone (repeatable)");
  verify->add_option("--set", sets, "override a parameter, KEY=VALUE (repeatable)");
  verify->add_option("--json", json_file, "also write the fsrace.verify/1 document to FILE");
  verify->add_option("--format", format, "output on stdout")->check(CLI::IsMember({"text", "json"}));
  verify->add_option("--max-states", max_states, "per run: stop after this many states");
  verify->add_option("--max-seconds", max_seconds, "per run: stop after this many seconds");
  verify->add_option("--threads", threads, threads_help)->check(CLI::Range(1u, 1024u));
  verify->add_flag("--symmetry", symmetry, "store one state per orbit of the process permutations");
  verify->add_flag("--por", por, "partial-order reduction over local steps");

  std::string trace_file, replay_spec;
  auto* replay = app.add_subcommand("replay", "re-execute a counterexample step by step; say where it stops");
  replay->add_option("trace", trace_file, "fsrace.counterexample/1 document")->required();
  replay->add_option("--fix", fixes, "replay under this fix too (repeatable)");
  replay->add_option("--spec", replay_spec, "spec file (default: the one the document names)");
  bool strict = false;
  replay->add_flag("--strict", strict, "replay the recorded steps only; do not insert the fixes' own steps");

  std::string list_format = "text";
  auto* list = app.add_subcommand("list", "models, actions with kernel functions, fixes, properties, parameters");
  list->add_option("--format", list_format, "output on stdout")->check(CLI::IsMember({"text", "json"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitUsage;
  }

  if (list->parsed()) {
    auto doc = cli::listDocument();
    std::cout << (list_format == "json" ? doc.dump(2) + "\n" : cli::renderListText(doc));
    return cli::kExitHolds;
  }

  try {
    if (replay->parsed()) return runReplay(trace_file, replay_spec, fixes, strict);
    cli::CheckOptions options;
    options.limits = {max_states, max_seconds, max_memory, &g_interrupted};
    std::signal(SIGINT, onInterrupt);
    options.progress = progress || isatty(STDERR_FILENO);
    options.slice = slice;
    options.threads = threads;
    options.reductions.symmetry = symmetry;
    options.reductions.partial_order = por;
    if (verify->parsed()) {
      specs::Spec spec = specs::loadSpec(spec_file, sets, {});
      std::vector<std::vector<model::Fix>> rows;
      if (!fixes.empty()) {
        rows.push_back(specs::loadSpec(spec_file, sets, fixes).fixes);
      } else {
        for (const auto& info : model::fixTable()) rows.push_back({info.fix});
      }
      nlohmann::json doc = cli::runVerify(spec, rows, options);
      if (!json_file.empty() && !writeFile(json_file, doc.dump(2) + "\n")) return fail(json_file + ": cannot write the result file");
      std::cout << (format == "json" ? doc.dump(2) + "\n" : cli::renderVerifyText(doc));
      return doc["complete"].get<bool>() ? cli::kExitHolds : cli::kExitIncomplete;
    }
    specs::Spec spec = specs::loadSpec(spec_file, sets, fixes);
    if (cross_check) {
      nlohmann::json doc = cli::runCrossCheck(spec, options);
      if (!json_file.empty() && !writeFile(json_file, doc.dump(2) + "\n")) return fail(json_file + ": cannot write the result file");
      std::cout << (format == "json" ? doc.dump(2) + "\n" : cli::renderCrossCheckText(doc));
      return doc["exit_code"].get<int>();
    }
    cli::CheckOutput output = cli::runCheck(spec, options);
    if (!json_file.empty() && !writeFile(json_file, output.result.dump(2) + "\n"))
      return fail(json_file + ": cannot write the result file");
    if (!counterexample_dir.empty() && !writeCounterexamples(counterexample_dir, output.result))
      return fail(counterexample_dir + ": cannot write the counterexample files");
    if (format == "mermaid" || format == "dot") {
      const nlohmann::json* trace = traceToRender(output.result, property);
      if (!trace) return fail(property.empty() ? "no property has a counterexample to render (try --property NAME)"
                                               : "--property " + property + ": no such property with a trace");
      std::cout << (format == "mermaid" ? cli::renderMermaid(*trace) : cli::renderDot(*trace));
      return output.exit_code;
    }
    std::cout << (format == "json" ? output.result.dump(2) + "\n" : cli::renderResultText(output.result));
    return output.exit_code;
  } catch (const specs::SpecError& e) {
    return fail(e.what());
  } catch (const std::bad_alloc&) {
    std::cerr << "fsrace: error: out of memory; set --max-memory below the machine's memory to stop as incomplete\n";
    return cli::kExitIncomplete;
  } catch (const std::exception& e) {  // e.g. a file that cannot be written: one line, never a trace
    return fail(std::string("internal error: ") + e.what());
  }
}
