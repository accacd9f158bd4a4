// The fsrace command: parse, call, print. Exit codes in cli/exit_codes.hpp.
#include <unistd.h>

#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/exit_codes.hpp"
#include "cli/run.hpp"

namespace {

using namespace fsrace;

int fail(const std::string& message) {
  std::cerr << "fsrace: error: " << message << "\n";
  return cli::kExitUsage;
}

bool writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
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
  auto* check = app.add_subcommand("check", "explore every interleaving of a spec and check its properties");
  check->add_option("spec", spec_file, "scenario file (JSON)")->required();
  check->add_option("--fix", fixes, "apply a named fix (repeatable; see `fsrace list`)");
  check->add_option("--set", sets, "override a parameter, KEY=VALUE (repeatable)");
  check->add_option("--json", json_file, "also write the fsrace.result/1 document to FILE");
  check->add_option("--format", format, "output on stdout")->check(CLI::IsMember({"text", "json"}));
  check->add_option("--max-states", max_states, "stop after this many states (verdict: incomplete)");
  check->add_option("--max-seconds", max_seconds, "stop after this many seconds (verdict: incomplete)");
  check->add_option("--max-memory", max_memory, "stop when the state store exceeds this many MiB (verdict: incomplete)");
  check->add_flag("--progress", progress, "report progress on stderr (default: when stderr is a terminal)");

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
    specs::Spec spec = specs::loadSpec(spec_file, sets, fixes);
    cli::CheckOptions options;
    options.limits = {max_states, max_seconds, max_memory};
    options.progress = progress || isatty(STDERR_FILENO);
    cli::CheckOutput output = cli::runCheck(spec, options);
    if (!json_file.empty() && !writeFile(json_file, output.result.dump(2) + "\n"))
      return fail(json_file + ": cannot write the result file");
    std::cout << (format == "json" ? output.result.dump(2) + "\n" : cli::renderResultText(output.result));
    return output.exit_code;
  } catch (const specs::SpecError& e) {
    return fail(e.what());
  }
}
