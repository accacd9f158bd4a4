// The fsrace command: parse, call, print. Exit codes in cli/exit_codes.hpp.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <thread>

#include <CLI/CLI.hpp>

#include "cli/exit_codes.hpp"
#include "cli/model_family.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/provenance.hpp"
#include "cli/render_graph.hpp"
#include "cli/render_html.hpp"
#include "cli/smallest.hpp"
#include "cli/sweep.hpp"
#include "cli/replay.hpp"
#include "cli/verify.hpp"
#include "cli/replay_document.hpp"
#include "cli/render_text.hpp"
#include "cli/simulate.hpp"
#include "cli/completion_names.hpp"
#include "cli/cross_check.hpp"
#include "cli/run.hpp"
#include "specs/json_reader.hpp"
#include "specs/model_description.hpp"

namespace {

using namespace fsrace;

// SIGINT, SIGTERM and SIGHUP (what a terminal, `timeout`, CI runners and
// systemd send) stop the exploration cleanly: the run ends incomplete (exit
// 3) with its partial results written. A second signal a tenth of a second
// or more after the first (Ctrl-C pressed again) ends the process; one that
// comes with the first is the same request (timeout(1) signals the process
// and then its whole group, which includes the process).
std::atomic<bool> g_interrupted{false};
std::atomic<long long> g_first_signal_ns{0};

long long monotonicNs() {
  struct timespec now {};
  clock_gettime(CLOCK_MONOTONIC, &now);  // async-signal-safe
  return static_cast<long long>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

extern "C" void onStopSignal(int signal) {
  long long now = monotonicNs();
  if (!g_interrupted.exchange(true)) {
    g_first_signal_ns.store(now);
    return;
  }
  if (now - g_first_signal_ns.load() < 100'000'000) return;
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void installSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal, &action, nullptr);
  // Past a file size limit (ulimit -f), a write fails with EFBIG and is
  // reported, rather than the process being killed with nothing said.
  std::signal(SIGXFSZ, SIG_IGN);
  // A reader that goes away (`| head`) makes a write fail with EPIPE, which
  // is reported (exit 2) rather than ending the process without a word.
  std::signal(SIGPIPE, SIG_IGN);
}

// The one diagnostics printer: one line, control characters escaped.
int fail(const std::string& message) {
  std::string line = "fsrace: error: " + specs::printableText(message) + "\n";
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
  return cli::kExitUsage;
}

void note(const std::string& message) { std::cerr << "fsrace: note: " << specs::printableText(message) << "\n"; }

// CLI11's parse errors as one line, in the house format.
int usageError(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  std::string message = e.what();
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
    std::string word = argv[1];
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      message = "unknown subcommand \"" + word + "\"";
      if (auto close = specs::suggest(word, names)) message += "; did you mean \"" + *close + "\"?";
      else message += " (expected check, simulate, verify, report, sweep, replay or list)";
      return fail(message);
    }
  }
  if (!message.empty()) message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  return fail(message + " (see fsrace --help)");
}

// Every option's raw value, read and cross-checked after parsing.
struct Args {
  std::string spec_file, json_file, format = "text", property, counterexample_dir, output_file;
  std::vector<std::string> fixes, sets, cross_check_sets;
  std::string max_states, max_seconds, max_memory;
  bool progress = false, slice = false, symmetry = false, cross_check = false, por = false;
  std::string threads;
  std::string trace_file, replay_spec;
  bool strict = false;
  std::string list_format = "text";
  std::string list_model;
  std::string list_spec;
  std::string list_names;  // hidden: for the bash completion
  std::size_t width = 78;
  bool width_given = false, all_steps = false, smallest = false;
  std::vector<std::string> required;
  bool ignore_expectations = false;
  std::string scheduler;
  std::vector<std::string> rates;
  bool no_probabilities = false;
  cli::SweepRequest sweep;  // fsrace sweep, and report --sweep
  std::string svg_file;
  bool log_y = false;
  std::vector<std::string> sweep_options;  // report: the sweep's options given, even at their defaults
};

void refuseRepeats(const std::vector<std::string>& values, const std::string& flag, bool by_key) {
  std::set<std::string> seen;
  for (const auto& value : values) {
    std::string key = by_key ? value.substr(0, value.find('=')) : value;
    if (!seen.insert(key).second) throw cli::UsageError(flag + " " + value + ": " + (by_key ? key + " is set twice" : "given twice") + " (expected each once)");
  }
}

// Options that a mode would otherwise ignore without a word.
void refuseIgnoredOptions(const Args& a) {
  // --slice could not shorten a breadth-first (shortest) counterexample;
  // what it was for is now the chain the text marks and --smallest.
  if (a.slice)
    throw cli::UsageError("--slice: no longer an option: a counterexample is already the shortest, so slicing dropped nothing; the "
                          "text marks the steps the outcome depends on (*) and --smallest finds the smallest scenario");
  if (a.cross_check && !a.cross_check_sets.empty())
    throw cli::UsageError("--cross-check with --cross-check-set: not allowed (one comparison a run: the reductions, or a parameter change)");
  if (a.cross_check || !a.cross_check_sets.empty()) {
    std::string flag = a.cross_check ? "--cross-check" : "--cross-check-set";
    auto refuse = [&](const std::string& option) {
      throw cli::UsageError(flag + " with " + option + ": not allowed (it compares two or more runs; it writes no trace)");
    };
    if (a.format == "mermaid" || a.format == "dot" || a.format == "mail" || a.format == "html") refuse("--format " + a.format);
    if (a.smallest) refuse("--smallest");
    if (!a.counterexample_dir.empty()) refuse("--write-counterexamples");
    if (a.symmetry || a.por) refuse(a.symmetry ? "--symmetry" : "--por");
    if (!a.scheduler.empty() || !a.rates.empty())
      throw cli::UsageError(flag + " with " + (!a.scheduler.empty() ? "--scheduler" : "--rate") +
                            ": not allowed (it compares verdicts and outcome sets; it computes no probability)");
  }
  if (!a.property.empty() && (a.format == "json" || a.format == "html"))
    throw cli::UsageError("--property " + a.property + ": only with --format text, mail, mermaid or dot (it chooses the trace to show)");
  if (a.width_given && a.format != "text" && a.format != "mail")
    throw cli::UsageError("--width " + std::to_string(a.width) + ": only with --format text or mail (the others are not wrapped)");
  if (a.smallest && (a.format == "mermaid" || a.format == "dot"))
    throw cli::UsageError("--smallest with --format " + a.format + ": not allowed (it draws one trace; the smallest scenarios are in text, mail, json and html)");
  if (a.all_steps && a.format != "text" && a.format != "mail")
    throw cli::UsageError("--all-steps: only with --format text or mail (the others show every step)");
}

// The spec again with --cross-check-set's changes on top of --set's; errors
// name --cross-check-set (the loader would say --set).
specs::Spec changedSpec(const Args& a, const specs::Spec& spec) {
  std::vector<std::string> keys;
  for (const auto& info : spec.family->parameters()) keys.push_back(info.name);
  for (const auto& set : a.cross_check_sets) {
    std::string key = set.substr(0, set.find('='));
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    auto near = specs::suggest(key, keys);
    throw cli::UsageError("--cross-check-set " + set + ": model " + spec.model + " has no parameter \"" + key + "\"" +
                          (near ? "; did you mean \"" + *near + "\"?" : " (see fsrace list --model " + spec.model + ")"));
  }
  std::vector<std::string> changed = a.sets;
  changed.insert(changed.end(), a.cross_check_sets.begin(), a.cross_check_sets.end());
  specs::Spec other;
  try {
    other = specs::loadSpec(a.spec_file, changed, a.fixes);
  } catch (const specs::SpecError& e) {
    std::string raw = e.file().rfind("--set ", 0) == 0 ? e.file().substr(6) : "";
    if (std::find(a.cross_check_sets.begin(), a.cross_check_sets.end(), raw) == a.cross_check_sets.end()) throw;
    throw specs::SpecError("--cross-check-set " + raw, e.pointer(), e.problem());
  }
  if (other.parameters.json() == spec.parameters.json())
    throw cli::UsageError("--cross-check-set: the spec already has these values, so both runs would be the same (expected a "
                          "value that changes a parameter)");
  return other;
}

checker::Limits limitsOf(const Args& a, cli::CheckOptions& options) {
  checker::Limits limits;
  if (!a.max_states.empty()) limits.max_states = cli::parseStateLimit("--max-states", a.max_states);
  if (!a.max_seconds.empty()) limits.max_seconds = cli::parseSeconds("--max-seconds", a.max_seconds);
  const cli::AvailableMemory available = cli::availableMemory();
  if (!a.max_memory.empty()) {
    limits.max_memory_mib = cli::parseMiB("--max-memory", a.max_memory);
    options.memory_limit_source = "--max-memory";
    if (limits.max_memory_mib > available.mib)
      note("--max-memory " + a.max_memory + ": more than the " + std::to_string(available.mib) + " MiB this process may use (per " +
           available.source + "); the run may be refused memory before it reaches the limit");
  } else {
    limits.max_memory_mib = cli::defaultMemoryLimitMiB(available);
    options.memory_limit_source = "3/4 of the " + std::to_string(available.mib) + " MiB available, per " + available.source;
  }
  limits.interrupted = &g_interrupted;
  return limits;
}

unsigned threadsOf(const std::string& text) {
  unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  if (text.empty()) return hardware;
  unsigned requested = cli::parseThreads("--threads", text);
  if (requested <= hardware) return requested;
  note("--threads " + std::to_string(requested) + ": this machine has " + std::to_string(hardware) +
       " hardware threads; using " + std::to_string(hardware) + " (more would only wait on each other)");
  return hardware;
}

// `progress_on_tty`: progress by default when stderr is a terminal (check,
// verify); else only with --progress (replay's repeated search).
cli::CheckOptions checkOptionsOf(const Args& a, bool progress_on_tty = true) {
  cli::CheckOptions options;
  options.limits = limitsOf(a, options);
  options.progress = a.progress || (progress_on_tty && isatty(STDERR_FILENO));
  options.slice = a.slice;
  options.threads = threadsOf(a.threads);
  options.reductions.symmetry = a.symmetry;
  options.reductions.partial_order = a.por;
  if (options.progress)
    note("memory limit " + std::to_string(options.limits.max_memory_mib) + " MiB (" + options.memory_limit_source +
         "); the run stops as incomplete there");
  return options;
}

// The spec's scheduler as --scheduler and --rate choose it; refused where no
// probability would be computed under it.
void applyScheduler(const Args& a, specs::Spec& spec) {
  refuseRepeats(a.rates, "--rate", true);
  bool asked = !a.scheduler.empty() || !a.rates.empty();
  std::string flag = !a.scheduler.empty() ? "--scheduler " + a.scheduler : a.rates.empty() ? "" : "--rate " + a.rates.front();
  if (asked && a.no_probabilities) throw cli::UsageError(flag + " with --no-probabilities: not allowed (the scheduler is for the probabilities)");
  if (asked && (a.format == "mermaid" || a.format == "dot"))
    throw cli::UsageError(flag + " with --format " + a.format + ": not allowed (a drawing of one trace shows no probability)");
  if (asked && (a.symmetry || a.por))
    throw cli::UsageError(flag + " with " + (a.symmetry ? "--symmetry" : "--por") +
                          ": not allowed (probabilities need the unreduced graph: a reduced one does not branch as the model does)");
  specs::chooseScheduler(spec, a.scheduler, a.rates);
}

cli::Inputs inputsOf(const specs::Spec& spec) {
  cli::Inputs inputs;
  for (const auto& file : spec.inputs) inputs.add(file);
  return inputs;
}

// Before a run: a --json path that is an input, or whose folder does not
// exist, is refused (rather than found out once the run is over).
void checkJsonOutput(const Args& a, const cli::Inputs& inputs) {
  if (a.json_file.empty()) return;
  inputs.refuseOverwrite(a.json_file, "--json");
  cli::checkWritable(a.json_file, "--json");
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

// One fsrace.counterexample/1 file per violated property, named after it,
// each inside `dir`, none over an input or over the --json file.
void writeCounterexamples(const std::string& dir, const nlohmann::json& result, const cli::Inputs& inputs,
                          const std::string& json_file) {
  auto refuseJsonAt = [&](const std::string& path) {
    if (!json_file.empty() && cli::samePath(path, json_file))
      throw cli::UsageError("--json " + json_file + ": is also the counterexample file " + path + " (expected another path)");
  };
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& p : result["properties"]) {
    if (!p.contains("counterexample")) continue;
    std::string path = cli::fileInside(dir, p["name"].get<std::string>());
    inputs.refuseOverwrite(path, "--write-counterexamples");
    refuseJsonAt(path);  // before anything is written, where the names tell
    nlohmann::json document = p["counterexample"];
    document["provenance"] = result["provenance"];
    files.emplace_back(path, document.dump(2) + "\n");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw cli::OutputError(dir, "cannot create the folder: " + ec.message());
  for (const auto& [path, text] : files) cli::writeFileAtomically(path, text, false);
  // Now that they exist, also through a link (the --json file is written after them).
  for (const auto& file : files) refuseJsonAt(file.first);
}

int runReplay(const Args& a) {
  specs::JsonReader reader(a.trace_file);
  nlohmann::json trace = reader.parseFile();
  cli::validateTrace(a.trace_file, trace);
  cli::CheckOptions search = checkOptionsOf(a, false);
  cli::ReplayReport report = cli::replayDocument(a.trace_file, trace, a.replay_spec, a.fixes, a.strict, search);
  cli::writeStdout(cli::renderReplayText(a.trace_file, report));
  return report.reproduced ? cli::kExitHolds : report.incomplete ? cli::kExitIncomplete : cli::kExitViolated;
}

// A property the spec checks, named on the command line by `flag`.
void requireSpecProperty(const specs::Spec& spec, const std::string& flag, const std::string& name) {
  std::vector<std::string> names{"no_deadlock"};
  for (const auto& p : spec.properties) names.push_back(p.name);
  if (std::find(names.begin(), names.end(), name) != names.end()) return;
  auto near = specs::suggest(name, names);
  throw cli::UsageError(flag + " " + name + ": " + spec.file + " has no such property" +
                        (near ? "; did you mean \"" + *near + "\"?" : " (see its \"properties\")"));
}

int runVerify(const Args& a) {
  specs::Spec spec = specs::loadSpec(a.spec_file, a.sets, {});
  applyScheduler(a, spec);
  cli::Inputs inputs = inputsOf(spec);
  checkJsonOutput(a, inputs);
  refuseRepeats(a.required, "--require", false);
  for (const auto& name : a.required) requireSpecProperty(spec, "--require", name);
  std::vector<std::vector<std::string>> rows;
  if (!a.fixes.empty()) {
    rows.push_back(specs::loadSpec(a.spec_file, a.sets, a.fixes).fixes);
  } else {
    for (const auto& name : specs::availableFixNames(spec)) rows.push_back({name});
  }
  if (!a.required.empty() && rows.empty())
    throw cli::UsageError("--require " + a.required.front() + ": " + a.spec_file + " has no fix to verify, so no row to require it of");
  cli::CheckOptions options = checkOptionsOf(a);
  options.probabilities = !a.no_probabilities;
  nlohmann::json doc = cli::runVerify(spec, rows, options);
  doc["required"] = cli::requirementsJson(doc, a.required);
  if (!a.json_file.empty()) cli::writeFileAtomically(a.json_file, doc.dump(2) + "\n");
  cli::writeStdout(a.format == "json" ? doc.dump(2) + "\n" : cli::renderVerifyText(doc));
  return cli::verifyExitCode(doc);
}

// The curves a sweep adds to the spec as given: each --fix alone on top of
// the spec's own fixes. Names are checked here; whether the model accepts
// the combination is runSweep's to say (it skips it, as verify does).
std::vector<std::vector<std::string>> sweepRows(const Args& a, const specs::Spec& spec) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& fix : a.fixes) {
    specs::JsonReader("--fix " + fix).oneOf(fix, "", specs::availableFixNames(spec));
    if (std::find(spec.fixes.begin(), spec.fixes.end(), fix) != spec.fixes.end())
      throw cli::UsageError("--fix " + fix + ": " + spec.file + " applies this fix already (its curve is the baseline)");
    rows.push_back({fix});
  }
  return rows;
}

// report: --from, --to, --points, --measure and --log-y belong to --sweep.
void refuseSweepOptionsWithout(const Args& a) {
  if (a.sweep.key.empty() && !a.sweep_options.empty())
    throw cli::UsageError(a.sweep_options.front() + ": only with --sweep (it shapes the sweep)");
}

// fsrace sweep: the curves, then the document, the table or the picture.
int runSweep(const Args& a) {
  specs::Spec spec = specs::loadSpec(a.spec_file, a.sets, {});
  specs::chooseScheduler(spec, a.scheduler, {});
  cli::Inputs inputs = inputsOf(spec);
  checkJsonOutput(a, inputs);
  if (!a.svg_file.empty()) {
    inputs.refuseOverwrite(a.svg_file, "--svg");
    cli::checkWritable(a.svg_file, "--svg");
  }
  if (a.log_y && a.svg_file.empty() && a.format != "svg")
    throw cli::UsageError("--log-y: only with --format svg or --svg (it shapes the picture)");
  cli::SweepPlan plan = cli::planSweep(spec, a.sweep);
  auto rows = sweepRows(a, spec);
  nlohmann::json doc = cli::runSweep(spec, rows, plan, checkOptionsOf(a));
  if (!a.json_file.empty()) cli::writeFileAtomically(a.json_file, doc.dump(2) + "\n");
  if (!a.svg_file.empty()) cli::writeFileAtomically(a.svg_file, cli::renderSweepSvg(doc, a.log_y));
  cli::writeStdout(a.format == "json"  ? doc.dump(2) + "\n"
                   : a.format == "svg" ? cli::renderSweepSvg(doc, a.log_y)
                                       : cli::renderSweepText(doc));
  return cli::sweepExitCode(doc);
}

// fsrace report: the check of the spec as given, and with --fix the verify
// table of the baseline and each fix alone, as one HTML file.
int runReport(const Args& a) {
  specs::Spec spec = specs::loadSpec(a.spec_file, a.sets, {});
  applyScheduler(a, spec);
  std::vector<std::vector<std::string>> rows;
  for (const auto& fix : a.fixes) rows.push_back(specs::loadSpec(a.spec_file, a.sets, {fix}).fixes);
  refuseSweepOptionsWithout(a);
  if (!a.sweep.key.empty()) cli::planSweep(spec, a.sweep);  // its errors before any run
  cli::Inputs inputs = inputsOf(spec);
  inputs.refuseOverwrite(a.output_file, "-o");
  cli::checkWritable(a.output_file, "-o");
  cli::CheckOptions options = checkOptionsOf(a);
  options.probabilities = !a.no_probabilities;
  cli::CheckOutput output = cli::runCheck(spec, options);
  if (a.smallest) output.result["smallest"] = cli::smallestScenarios(spec, a.sets, {}, output.result, options);
  std::optional<nlohmann::json> verify;
  std::vector<nlohmann::json> results;
  if (!rows.empty()) verify = cli::runVerify(spec, rows, options, &results);
  std::optional<nlohmann::json> sweep;
  if (!a.sweep.key.empty()) sweep = cli::runSweep(spec, sweepRows(a, spec), cli::planSweep(spec, a.sweep), options);
  cli::SweepPicture picture{sweep ? &*sweep : nullptr, a.log_y};
  cli::writeFileAtomically(a.output_file, cli::renderHtmlReport(output.result, verify ? &*verify : nullptr, results, picture));
  bool complete = (!verify || (*verify)["complete"].get<bool>()) && (!sweep || (*sweep)["complete"].get<bool>());
  return output.exit_code == cli::kExitHolds && !complete ? cli::kExitIncomplete : output.exit_code;
}

int runCheck(const Args& a) {
  specs::Spec spec = specs::loadSpec(a.spec_file, a.sets, a.fixes);
  applyScheduler(a, spec);
  if (a.ignore_expectations) specs::ignoreExpectations(spec);
  cli::Inputs inputs = inputsOf(spec);
  checkJsonOutput(a, inputs);
  if (!a.property.empty() && std::none_of(spec.properties.begin(), spec.properties.end(),
                                          [&](const auto& p) { return p.name == a.property; }) && a.property != "no_deadlock")
    throw cli::UsageError("--property " + a.property + ": " + a.spec_file + " has no such property");
  if (a.symmetry && cli::familyOf(spec).symmetries(spec) == 1)
    note("--symmetry: one test process, so no permutation to reduce by; the run is unreduced");
  cli::CheckOptions options = checkOptionsOf(a);
  if (!a.cross_check_sets.empty()) {
    nlohmann::json doc = cli::runParameterCrossCheck(spec, changedSpec(a, spec), a.cross_check_sets, options);
    if (!a.json_file.empty()) cli::writeFileAtomically(a.json_file, doc.dump(2) + "\n");
    cli::writeStdout(a.format == "json" ? doc.dump(2) + "\n" : cli::renderCrossCheckText(doc));
    return doc["exit_code"].get<int>();
  }
  if (a.cross_check) {
    nlohmann::json doc = cli::runCrossCheck(spec, options);
    if (!a.json_file.empty()) cli::writeFileAtomically(a.json_file, doc.dump(2) + "\n");
    cli::writeStdout(a.format == "json" ? doc.dump(2) + "\n" : cli::renderCrossCheckText(doc));
    return doc["exit_code"].get<int>();
  }
  // A drawing of one trace shows no probability.
  options.probabilities = !a.no_probabilities && a.format != "mermaid" && a.format != "dot";
  cli::CheckOutput output = cli::runCheck(spec, options);
  if (a.smallest) output.result["smallest"] = cli::smallestScenarios(spec, a.sets, a.fixes, output.result, options);
  if (output.result["stats"]["stopped_by"] == "max_memory")
    note("stopped at the memory limit of " + std::to_string(options.limits.max_memory_mib) + " MiB (" + options.memory_limit_source +
         "); the results are partial");
  if (!a.counterexample_dir.empty()) writeCounterexamples(a.counterexample_dir, output.result, inputs, a.json_file);
  if (!a.json_file.empty()) cli::writeFileAtomically(a.json_file, output.result.dump(2) + "\n");
  if (a.format == "html") {
    cli::writeStdout(cli::renderHtmlReport(output.result));
    return output.exit_code;
  }
  if (a.format == "mermaid" || a.format == "dot") {
    const nlohmann::json* trace = traceToRender(output.result, a.property);
    if (!trace) return fail(a.property.empty() ? "no property has a counterexample to render (try --property NAME)"
                                               : "--property " + a.property + ": no trace (the property has no counterexample or witness)");
    cli::writeStdout(a.format == "mermaid" ? cli::renderMermaid(*trace) : cli::renderDot(*trace));
    return output.exit_code;
  }
  cli::writeStdout(a.format == "json" ? output.result.dump(2) + "\n" : cli::renderResultText(output.result, {a.property, a.width, a.format == "mail", a.all_steps}));
  return output.exit_code;
}


// ---- fsrace simulate: random runs under the spec's scheduler (docs/simulate.md) ----

// simulate's own options; the rest (spec, --fix, --set, --scheduler, --rate,
// --format, --json, --threads, --progress, --write-counterexamples) are Args'.
struct SimulateArgs {
  std::string runs, seed = "1", max_steps = "100000", confidence = "0.99";
};

CLI::App* addSimulateCommand(CLI::App& app, Args& a, SimulateArgs& s, const std::string& threads_help) {
  const auto non_empty = [](const std::string& value) { return value.empty() ? std::string("expected a non-empty value") : std::string(); };
  auto* sim = app.add_subcommand("simulate", "random runs under the spec's scheduler, for scenarios too large to explore: "
                                             "outcome frequencies with confidence intervals, violations and witnesses found");
  sim->add_option("spec", a.spec_file, "scenario file (JSON)")->check(non_empty)->required();
  sim->add_option("--runs", s.runs, "how many random runs, 1 to 1000000000")->required();
  sim->add_option("--seed", s.seed, "the seed (default 1): run i is the same for a seed whatever --threads is");
  sim->add_option("--max-steps", s.max_steps, "a run still going after this many steps is stopped and counted as truncated (default 100000)");
  sim->add_option("--confidence", s.confidence, "the confidence of the Wilson score intervals, from 0.5 up to but not including 1 (default 0.99)");
  sim->add_option("--fix", a.fixes, "apply a named fix (repeatable; see `fsrace list`)");
  sim->add_option("--set", a.sets, "override a parameter, KEY=VALUE (repeatable)");
  sim->add_option("--scheduler", a.scheduler, "run under this alternative the spec names in \"schedulers\" (default: its \"scheduler\")")
      ->check(non_empty);
  sim->add_option("--rate", a.rates, "change the scheduler's rate of an actor, actor instance or step, KEY=RATE (repeatable)")->check(non_empty);
  sim->add_option("--format", a.format, "output on stdout")->check(CLI::IsMember({"text", "json"}));
  sim->add_option("--json", a.json_file, "also write the fsrace.simulation/1 document to FILE")->check(non_empty);
  sim->add_option("--write-counterexamples", a.counterexample_dir, "write the first run violating each property to DIR/<property>.json")
      ->check(non_empty);
  sim->add_option("--threads", a.threads, threads_help);
  sim->add_flag("--progress", a.progress, "report runs done, runs/s and time left on stderr (default: when stderr is a terminal)");
  return sim;
}

int runSimulate(const Args& a, const SimulateArgs& s) {
  cli::SimulateOptions options;
  options.runs = cli::parseRuns("--runs", s.runs);
  options.seed = cli::parseSeed("--seed", s.seed);
  options.max_steps = cli::parseMaxSteps("--max-steps", s.max_steps);
  options.confidence = cli::parseConfidence("--confidence", s.confidence);
  specs::Spec spec = specs::loadSpec(a.spec_file, a.sets, a.fixes);
  applyScheduler(a, spec);
  cli::Inputs inputs = inputsOf(spec);
  checkJsonOutput(a, inputs);
  options.threads = threadsOf(a.threads);
  options.progress = a.progress || isatty(STDERR_FILENO);
  options.interrupted = &g_interrupted;
  nlohmann::json doc = cli::familyOf(spec).simulate(spec, options);
  if (!a.counterexample_dir.empty()) writeCounterexamples(a.counterexample_dir, doc, inputs, a.json_file);
  if (!a.json_file.empty()) cli::writeFileAtomically(a.json_file, doc.dump(2) + "\n");
  cli::writeStdout(a.format == "json" ? doc.dump(2) + "\n" : cli::renderSimulationText(doc));
  // A definite violation wins over an interrupted or truncated run, as for check.
  return doc["exit_code"].get<int>();
}

// ---- end of fsrace simulate ----

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fsrace: a model checker for filesystem error-reporting races"};
  app.require_subcommand(1);
  app.set_version_flag("--version", cli::versionLine(), "print the version (and the git commit built) and exit");
  Args a;
  const std::string threads_help = "worker threads (default: all hardware threads, here " +
                                   std::to_string(std::max(1u, std::thread::hardware_concurrency())) +
                                   "; more are capped to that); the results do not depend on it";
  const std::string memory_help = "stop when the state store exceeds this many MiB (default: 3/4 of the memory available "
                                  "to this process; verdict: incomplete)";
  const std::string scheduler_help = "compute the probabilities under this alternative the spec names in \"schedulers\" (default: its \"scheduler\")";
  const std::string rate_help = "change the scheduler's rate of an actor (\"reclaim\"), actor instance (\"test1\") or step, KEY=RATE (relative; default 1; repeatable)";
  const std::string no_prob_help = "do not compute the outcome probabilities (they take about as long again as the exploration)";
  // An empty file name or property would be silently the same as none.
  const auto non_empty = [](const std::string& value) { return value.empty() ? std::string("expected a non-empty value") : std::string(); };
  auto* check = app.add_subcommand("check", "explore every interleaving of a spec and check its properties");
  check->add_option("spec", a.spec_file, "scenario file (JSON)")->check(non_empty)->required();
  check->add_option("--fix", a.fixes, "apply a named fix (repeatable; see `fsrace list`)");
  check->add_option("--set", a.sets, "override a parameter, KEY=VALUE (repeatable)");
  check->add_option("--json", a.json_file, "also write the fsrace.result/1 document to FILE")->check(non_empty);
  check->add_option("--format", a.format,
                    "output on stdout: text; mail (the text a mailing list needs: the verdicts that matter and the traces); "
                    "json; a counterexample as mermaid or dot; or the HTML report (html)")
      ->check(CLI::IsMember({"text", "mail", "json", "mermaid", "dot", "html"}));
  check->add_option("--width", a.width, "text and mail: wrap lines at this many columns (default 78, a mail's)")
      ->check(CLI::Range(std::size_t{60}, std::size_t{1000}))  // a step's row indent is 20
      ->each([&](const std::string&) { a.width_given = true; });
  check->add_flag("--smallest", a.smallest,
                  "for each violated property, the smallest scenario that still violates it: every integer parameter "
                  "(fds, processes, ...) from its minimum up to the spec's value, nearest the minimum first, each checked in full");
  check->add_flag("--all-steps", a.all_steps,
                  "text and mail: every step of a trace (default: the steps the outcome depends on and the deciding "
                  "window; the rest in one line each run)");
  check->add_option("--property", a.property,
                    "whose trace to show: in text, only that one; with --format mermaid|dot, that one (default: the first "
                    "counterexample)")
      ->check(non_empty);
  check->add_option("--max-states", a.max_states, "stop after this many states (verdict: incomplete)");
  check->add_option("--max-seconds", a.max_seconds, "stop after this many seconds (verdict: incomplete)");
  check->add_option("--max-memory", a.max_memory, memory_help);
  check->add_option("--threads", a.threads, threads_help);
  check->add_flag("--progress", a.progress, "report progress on stderr (default: when stderr is a terminal)");
  check->add_flag("--slice", a.slice)->group("");  // removed: refused with what replaces it
  check->add_flag("--symmetry", a.symmetry,
                  "store one state per orbit of the process permutations (several processes); verdicts and outcomes unchanged");
  check->add_flag("--por", a.por, "partial-order reduction: explore a local step alone where no property can tell; verdicts unchanged");
  check->add_flag("--cross-check", a.cross_check,
                  "run without reductions, then with --symmetry, --por and both; fail (exit 1) if any verdict or outcome differs");
  check->add_option("--cross-check-set", a.cross_check_sets,
                    "run again with this parameter changed, KEY=VALUE (repeatable); fail (exit 1) if any verdict or the outcome set differs "
                    "(witness counts may: the state spaces differ)")
      ->check(non_empty);
  check->add_flag("--ignore-expectations", a.ignore_expectations,
                  "report the verdicts as found, ignoring the spec's \"expect\" and expected_states: exit 1 only when a "
                  "property is violated (for a spec run under a fix it was not written for)");
  check->add_option("--scheduler", a.scheduler, scheduler_help)->check(non_empty);
  check->add_option("--rate", a.rates, rate_help)->check(non_empty);
  check->add_flag("--no-probabilities", a.no_probabilities, no_prob_help);
  check->add_option("--write-counterexamples", a.counterexample_dir, "write each counterexample to DIR/<property>.json")->check(non_empty);

  auto* verify = app.add_subcommand("verify", "the baseline and each fix (or the combination given) side by side");
  verify->add_option("spec", a.spec_file, "scenario file (JSON)")->check(non_empty)->required();
  verify->add_option("--fix", a.fixes, "check this combination of fixes instead of each fix alone (repeatable)");
  verify->add_option("--set", a.sets, "override a parameter, KEY=VALUE (repeatable)");
  verify->add_option("--json", a.json_file, "also write the fsrace.verify/1 document to FILE")->check(non_empty);
  verify->add_option("--format", a.format, "output on stdout")->check(CLI::IsMember({"text", "json"}));
  verify->add_option("--require", a.required,
                     "exit 1 unless this property holds under every fix verified (each row but the baseline; repeatable): "
                     "for CI, e.g. --require fsync_after_shutdown_consistent")
      ->check(non_empty);
  verify->add_option("--scheduler", a.scheduler, scheduler_help)->check(non_empty);
  verify->add_option("--rate", a.rates, rate_help)->check(non_empty);
  verify->add_flag("--no-probabilities", a.no_probabilities, no_prob_help);
  verify->add_option("--max-states", a.max_states, "per run: stop after this many states");
  verify->add_option("--max-seconds", a.max_seconds, "per run: stop after this many seconds");
  verify->add_option("--max-memory", a.max_memory, "per run: " + memory_help);
  verify->add_option("--threads", a.threads, threads_help);
  verify->add_flag("--progress", a.progress, "report progress on stderr (default: when stderr is a terminal)");
  verify->add_flag("--symmetry", a.symmetry, "store one state per orbit of the process permutations");
  verify->add_flag("--por", a.por, "partial-order reduction over local steps");

  auto* report = app.add_subcommand("report", "one self-contained HTML file: outcomes, properties, each counterexample as lanes, fixes");
  report->add_option("spec", a.spec_file, "scenario file (JSON)")->check(non_empty)->required();
  report->add_option("-o,--output", a.output_file, "write the report to FILE")->check(non_empty)->required();
  report->add_option("--fix", a.fixes, "add a row for this fix (alone) to the report's fix table, beside the baseline (repeatable)");
  report->add_option("--set", a.sets, "override a parameter, KEY=VALUE (repeatable)");
  report->add_option("--scheduler", a.scheduler, scheduler_help)->check(non_empty);
  report->add_option("--rate", a.rates, rate_help)->check(non_empty);
  report->add_flag("--no-probabilities", a.no_probabilities, no_prob_help);
  report->add_option("--max-states", a.max_states, "per run: stop after this many states");
  report->add_option("--max-seconds", a.max_seconds, "per run: stop after this many seconds");
  report->add_option("--max-memory", a.max_memory, "per run: " + memory_help);
  report->add_option("--threads", a.threads, threads_help);
  report->add_flag("--progress", a.progress, "report progress on stderr (default: when stderr is a terminal)");
  report->add_flag("--smallest", a.smallest, "for each violated property, the smallest scenario that still violates it (see check)");

  const std::string from_help = "the sweep's smallest rate multiplier (default " + cli::SweepRequest().from + ")";
  const std::string to_help = "the sweep's largest rate multiplier (default " + cli::SweepRequest().to + ")";
  const std::string points_help = "points of the sweep, evenly spaced on a log scale, both ends included (default " +
                                  cli::SweepRequest().points + ", at most " + std::to_string(cli::kSweepMaxPoints) + ")";
  const std::string measure_help = "what the sweep measures: test_fails (default: the spec's pass property violated), a property "
                                   "(its violation or witness), or FIELD=VALUE (an outcome, e.g. reopen_fsync[0]=0)";
  const std::string log_y_help = "the picture's y axis on a log scale (for probabilities across orders of magnitude; 0 is drawn at its floor)";
  report->add_option("--sweep", a.sweep.key,
                     "add a picture of how P(measure) moves with the rate of this actor class, actor or step, for the baseline "
                     "and each --fix (see fsrace sweep)")
      ->check(non_empty);
  const auto records = [&](const std::string& flag) { return [&a, flag](const std::string&) { a.sweep_options.push_back(flag); }; };
  report->add_option("--from", a.sweep.from, from_help)->each(records("--from"));
  report->add_option("--to", a.sweep.to, to_help)->each(records("--to"));
  report->add_option("--points", a.sweep.points, points_help)->each(records("--points"));
  report->add_option("--measure", a.sweep.measure, measure_help)->check(non_empty)->each(records("--measure"));
  report->add_flag("--log-y", a.log_y, log_y_help)->each(records("--log-y"));

  auto* sweep = app.add_subcommand("sweep", "how an outcome's probability moves with one rate of the scheduler, for the spec and under each fix");
  sweep->add_option("spec", a.spec_file, "scenario file (JSON)")->check(non_empty)->required();
  sweep->add_option("--rate", a.sweep.key, "the rate to sweep: an actor class (\"reclaim\"), an actor (\"test1\") or a step")
      ->check(non_empty)
      ->required();
  sweep->add_option("--from", a.sweep.from, from_help);
  sweep->add_option("--to", a.sweep.to, to_help);
  sweep->add_option("--points", a.sweep.points, points_help);
  sweep->add_option("--fix", a.fixes, "add a curve for this fix alone, on top of the spec's own fixes (repeatable)");
  sweep->add_option("--measure", a.sweep.measure, measure_help)->check(non_empty);
  sweep->add_option("--scheduler", a.scheduler, "sweep on top of this alternative the spec names in \"schedulers\" (default: its \"scheduler\")")
      ->check(non_empty);
  sweep->add_option("--set", a.sets, "override a parameter, KEY=VALUE (repeatable)");
  sweep->add_option("--format", a.format, "output on stdout: a table (text), the fsrace.sweep/1 document (json) or the picture (svg)")
      ->check(CLI::IsMember({"text", "json", "svg"}));
  sweep->add_option("--json", a.json_file, "also write the fsrace.sweep/1 document to FILE")->check(non_empty);
  sweep->add_option("--svg", a.svg_file, "also write the picture to FILE (SVG, self-contained)")->check(non_empty);
  sweep->add_flag("--log-y", a.log_y, log_y_help);
  sweep->add_option("--max-states", a.max_states, "per curve: stop after this many states (that curve has no numbers)");
  sweep->add_option("--max-seconds", a.max_seconds, "per curve: stop after this many seconds");
  sweep->add_option("--max-memory", a.max_memory, "per curve: " + memory_help);
  sweep->add_option("--threads", a.threads, threads_help);
  sweep->add_flag("--progress", a.progress, "report progress on stderr (default: when stderr is a terminal)");

  auto* replay = app.add_subcommand("replay", "re-execute a counterexample step by step; say where it stops");
  replay->add_option("trace", a.trace_file, "fsrace.counterexample/1 document")->check(non_empty)->required();
  replay->add_option("--fix", a.fixes, "replay under this fix too (repeatable)");
  replay->add_option("--spec", a.replay_spec, "spec file (default: the one the document names)")->check(non_empty);
  replay->add_flag("--strict", a.strict, "replay the recorded steps only; do not insert the fixes' own steps");
  replay->add_option("--max-states", a.max_states, "the search replay repeats: stop after this many states (exit 3)");
  replay->add_option("--max-seconds", a.max_seconds, "the search replay repeats: stop after this many seconds (exit 3)");
  replay->add_option("--max-memory", a.max_memory, "the search replay repeats: " + memory_help);
  replay->add_option("--threads", a.threads, threads_help);
  replay->add_flag("--progress", a.progress, "report the repeated search's progress on stderr");

  SimulateArgs simulate_args;
  auto* simulate = addSimulateCommand(app, a, simulate_args, threads_help);

  auto* list = app.add_subcommand("list", "models, actions with kernel functions, fixes, properties, parameters");
  list->add_option("--format", a.list_format, "output on stdout")->check(CLI::IsMember({"text", "json"}));
  auto* list_model = list->add_option("--model", a.list_model, "only this model");
  list->add_option("--spec", a.list_spec, "only the model of this spec, with the fixes it defines")->excludes(list_model);
  // Hidden: names one a line for cli/completion/fsrace.bash (see cli/completion_names.hpp).
  list->add_option("--names", a.list_names)->check(CLI::IsMember(cli::kCompletionKinds))->group("");

  installSignalHandlers();
  // File names and values are echoed in diagnostics and recorded in
  // documents: none may carry what a terminal would act on.
  for (int i = 1; i < argc; ++i)
    if (specs::hasControlCharacter(argv[i]))
      return fail(std::string(argv[i]) + ": a control character or a byte that is not UTF-8 in an argument (expected printable text)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --help-all arrive as parse errors whose exit code is 0.
    if (e.get_exit_code() != 0) return usageError(app, e, argc, argv);
    app.exit(e);
    std::cout.flush();
    return std::cout ? cli::kExitHolds : fail("stdout: cannot write the help text");
  }

  try {
    refuseRepeats(a.fixes, "--fix", false);
    refuseRepeats(a.sets, "--set", true);
    refuseRepeats(a.cross_check_sets, "--cross-check-set", true);
    for (const auto& set : a.cross_check_sets) {
      std::string key = set.substr(0, set.find('='));
      for (const auto& given : a.sets)
        if (given.substr(0, given.find('=')) == key)
          throw cli::UsageError("--cross-check-set " + set + ": " + key + " is also given by --set (expected it in one of them)");
    }
    if (list->parsed()) {
      std::optional<specs::Spec> spec;
      if (!a.list_spec.empty()) spec = specs::loadSpec(a.list_spec);
      if (!a.list_names.empty()) {
        cli::writeStdout(cli::completionNames(a.list_names, a.list_model, spec ? &*spec : nullptr));
        return cli::kExitHolds;
      }
      auto doc = cli::listDocument(a.list_model, spec ? &*spec : nullptr);
      cli::writeStdout(a.list_format == "json" ? doc.dump(2) + "\n" : cli::renderListText(doc));
      return cli::kExitHolds;
    }
    if (replay->parsed() && a.strict && a.fixes.empty())
      throw cli::UsageError("--strict: only with --fix (without a fix, replay inserts no steps: it is always strict)");
    if (replay->parsed()) return runReplay(a);
    if (simulate->parsed()) return runSimulate(a, simulate_args);
    if (verify->parsed()) return runVerify(a);
    if (report->parsed()) return runReport(a);
    if (sweep->parsed()) return runSweep(a);
    refuseIgnoredOptions(a);
    return runCheck(a);
  } catch (const specs::SpecError& e) {
    return fail(e.what());
  } catch (const cli::UsageError& e) {
    return fail(e.what());
  } catch (const cli::OutputError& e) {
    return fail(e.what());
  } catch (const std::bad_alloc&) {
    cli::AvailableMemory available = cli::availableMemory();
    fail("out of memory; the results are lost: set --max-memory at most " + std::to_string(cli::defaultMemoryLimitMiB(available)) +
         " MiB (3/4 of what this process may use now) to stop as incomplete with partial results");
    return cli::kExitIncomplete;
  } catch (const std::exception& e) {  // one line, never a stack trace
    return fail(std::string("internal error: ") + e.what());
  }
}
