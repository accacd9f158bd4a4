// The reader's view of a trace: value chains, folding, the dependency chain.
// (The model's reads the chain is built from: reads_test.cpp.)
#include <doctest/doctest.h>

#include "cli/run.hpp"
#include "cli/trace_view.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;

json step(const std::string& actor, const std::string& action, const std::string& context, json changes, json reads = json::array()) {
  return {{"actor", actor}, {"action", action}, {"kernel", "outer -> " + action + "_fn"}, {"context", context},
          {"changes", std::move(changes)}, {"reads", std::move(reads)}};
}

json change(const std::string& field, const std::string& before, const std::string& after) {
  return {{"field", field}, {"before", before}, {"after", after}};
}

}  // namespace

TEST_SUITE("trace view") {
  TEST_CASE("a value set and set back inside one system call is shown, not netted out") {
    json steps = json::array({step("test", "res_get", "fsync fd[0]", {change("ret_meta", "0", "EROFS")}),
                              step("test", "flush", "fsync fd[0]", {change("ret_meta", "EROFS", "0"), change("r", "-", "EIO")})});
    CHECK(cli::valueChains(steps, 0, 1) == std::vector<std::string>{"ret_meta 0 -> EROFS -> 0", "r - -> EIO"});
    auto rows = cli::traceRows(steps, 0, 2, {});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].text == "fsync fd[0]: res_get, flush");
  }

  TEST_CASE("repeated per-fd system calls fold into one row, but a call on the chain does not") {
    json steps = json::array();
    for (int fd = 0; fd < 4; ++fd) {
      std::string n = std::to_string(fd);
      steps.push_back(step("test", "check", "fsync fd[" + n + "] (r[" + n + "])", {change("fd[" + n + "].seen", "0", "1")}));
      steps.push_back(step("test", "flush", "fsync fd[" + n + "] (r[" + n + "])", {change("r[" + n + "]", "-", "0"), change("seq", "0", "2")}));
    }
    auto rows = cli::traceRows(steps, 0, steps.size(), {});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].text == "fsync fd[0..3] (r[0..3]): check, flush");
    CHECK(rows[0].folded == 4);
    CHECK(rows[0].changes == std::vector<std::string>{"seq 0 -> 2", "fd[0..3].seen 0 -> 1", "r[0..3] - -> 0"});
    cli::RowOptions options;
    options.chain.assign(steps.size(), false);
    options.chain[3] = true;  // fd[1]'s flush
    rows = cli::traceRows(steps, 0, steps.size(), options);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].text == "fsync fd[0] (r[0]): check, flush");
    CHECK(rows[1].on_chain);
    CHECK(rows[2].text == "fsync fd[2..3] (r[2..3]): check, flush");
  }

  TEST_CASE("the dependency chain follows the writes the ending step reads, across actors") {
    json steps = json::array({step("test", "commit", "fsync fd[0]", {change("bi_journal_seq", "2", "3")}),
                              step("reclaim", "noise", "", {change("dirty_pins", "1", "0")}),
                              step("reclaim", "halt", "", {change("err_seq", "0", "3")}, {"journal.cur_seq"}),
                              step("test", "find", "fsync fd[0]", {change("flush_seq", "0", "3")}, {"bi_journal_seq"}),
                              step("test", "flush", "fsync fd[0]", {change("r", "-", "EIO")}, {"flush_seq", "err_seq"})});
    auto deps = cli::dependencies(steps);
    REQUIRE(deps.size() == 3);
    CHECK(deps[0].from == 0);
    CHECK(deps[0].to == 3);
    CHECK(deps[0].field == "bi_journal_seq");
    auto chain = cli::dependencyChain(steps, {cli::endingStep(steps, "r")});
    CHECK(chain == std::vector<bool>{true, false, true, true, true});
  }

  TEST_CASE("outcome values fold like the calls that set them") {
    CHECK(cli::foldIndexedValues({{"r[0]", "EIO"}, {"r[1]", "-"}, {"r[2]", "-"}, {"r[3]", "-"}, {"result", "x"}}) ==
          std::vector<std::string>{"r[0]=EIO", "r[1..3]=-", "result=x"});
  }

  TEST_CASE("a command's words are quoted only where a shell would read them otherwise") {
    CHECK(cli::shellWord("specs/generic-441.json") == "specs/generic-441.json");
    CHECK(cli::shellWord("fds=1") == "fds=1");
    CHECK(cli::shellWord("/tmp/sp ace/g 441.json") == "'/tmp/sp ace/g 441.json'");
    CHECK(cli::shellWord("it's") == "'it'\\''s'");
    CHECK(cli::shellWord("") == "''");
  }

  TEST_CASE("wrapped text keeps to its width and its indent") {
    auto lines = cli::wrapText("one two three four five six seven", 16, "> ", 4);
    CHECK(lines == std::vector<std::string>{"> one two three", "    four five", "    six seven"});
  }
}

}  // namespace fsrace::tests
