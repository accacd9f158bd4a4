#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

#include "specs/json_reader.hpp"
#include "specs/model_description.hpp"
#include "model/common/fsync_err.hpp"
#include "specs/spec.hpp"

namespace fsrace::specs {
namespace {

std::string specDir() { return std::string(FSRACE_SOURCE_DIR) + "/specs/"; }

// Writes `text` to a temporary file and returns the loader's error, or "".
std::string loadError(const std::string& text, const std::vector<std::string>& sets = {}) {
  // One file per input: ctest runs the cases as parallel processes.
  std::string path = std::string(FSRACE_BINARY_DIR) + "/spec_test_" + std::to_string(std::hash<std::string>{}(text)) + "_" +
                     std::to_string(std::hash<std::string>{}(std::to_string(sets.size()) + (sets.empty() ? "" : sets[0]))) + ".json";
  std::ofstream(path, std::ios::binary) << text;
  try {
    loadSpec(path, sets);
  } catch (const SpecError& e) {
    std::string what = e.what();
    return what.substr(what.find(": ") + 2);  // drop the file name
  }
  return "";
}

const char* kMinimal = R"({"format": "fsrace.spec/1", "name": "t", "program": [
  {"op": "open", "fd": 0}, {"op": "fsync", "fd": 0, "expect": "any", "label": "f"}], "properties": []})";

}  // namespace

TEST_SUITE("spec") {
  TEST_CASE("a spec names its race, and a child that lists its own properties without it, or says null, has none") {
    const std::string child = std::string(FSRACE_SOURCE_DIR) + "/specs/child.json";
    auto load = [&](const std::string& rest) {
      return specs::loadSpecText(child, R"({"format": "fsrace.spec/1", "extends": "generic-441.json", "name": "child")" + rest + "}");
    };
    CHECK(load("").race == "fsync_after_shutdown_consistent");
    CHECK(load(R"(, "properties": [{"name": "test_passes", "expect": "violated"}])").race.empty());
    CHECK(load(R"(, "properties": [{"name": "fsync_after_shutdown_consistent", "expect": "violated"}])").race ==
          "fsync_after_shutdown_consistent");
    CHECK(load(R"(, "race": null)").race.empty());
    CHECK(load(R"(, "race": "no_deadlock")").race == "no_deadlock");
    CHECK_THROWS_WITH_AS(load(R"(, "race": "test_pases")"), doctest::Contains("/race: \"test_pases\""), specs::SpecError);
  }

  TEST_CASE("several processes: fields per process, barriers, rounds label their fsyncs") {
    Spec spec = loadSpec(specDir() + "generic-441.json", {"processes=2", "fds=1", "rounds=2"});
    const model::Program& program = model::fsync_err::programOf(spec);
    CHECK(program.processes == 2);
    std::size_t switches = 0;
    bool round_two = false;
    for (const auto& op : program.ops) {
      switches += op.kind == model::OpKind::SwitchTable;
      round_two |= op.label == "second_fsync[0]@2";
    }
    CHECK(switches == 4);  // the repeat block twice
    CHECK(round_two);
    auto fields = model::fsync_err::outcomeFields(program);
    CHECK(fields.back() == "test1.result");
    CHECK(std::find(fields.begin(), fields.end(), "test1.reopen_fsync[0]") != fields.end());
  }

  TEST_CASE("parameters that only fail together name the one to change") {
    CHECK(loadError(kMinimal, {"inodes=2"}) == "/parameters/inodes: 2 files for 1 processes (expected at most one file per process)");
    CHECK(loadError(kMinimal, {"processes=4", "fds=9"}) ==
          "/parameters/fds: 9 fds in each of 4 processes (expected at most 32 fds in all)");
  }

  TEST_CASE("loads generic-441 with the real test's default of 10 fds") {
    Spec spec = loadSpec(specDir() + "generic-441.json");
    CHECK(spec.name == "generic-441");
    CHECK(spec.parameters.integer("fds") == 10);
    CHECK(spec.parameters.text("mode") == "simple");
    std::size_t fsyncs = 0;
    for (const auto& op : model::fsync_err::programOf(spec).ops) fsyncs += op.kind == model::OpKind::Fsync;
    CHECK(fsyncs == 30);  // first, second and reopen fsync of each fd
  }

  TEST_CASE("--set changes the fd count and the full mode adds the third and healed fsyncs") {
    Spec spec = loadSpec(specDir() + "generic-441.json", {"fds=2", "mode=full"});
    std::vector<std::string> labels;
    for (const auto& op : model::fsync_err::programOf(spec).ops)
      if (op.kind == model::OpKind::Fsync) labels.push_back(op.label);
    CHECK(labels == std::vector<std::string>{"first_fsync[0]", "first_fsync[1]", "second_fsync[0]", "second_fsync[1]",
                                             "third_fsync[0]", "third_fsync[1]", "healed_fsync[0]", "healed_fsync[1]",
                                             "reopen_fsync[0]", "reopen_fsync[1]"});
  }

  TEST_CASE("a minimal spec loads") { CHECK(loadError(kMinimal) == ""); }

  TEST_CASE("an unknown operation names its pointer and suggests the close one") {
    std::string text = kMinimal;
    text.replace(text.find("\"fsync\""), 7, "\"fsyn\"");
    CHECK(loadError(text) == "/program/1/op: \"fsyn\" is not allowed; did you mean \"fsync\"?");
  }

  TEST_CASE("an unknown key is an error with a suggestion") {
    std::string text = kMinimal;
    text.replace(text.find("\"program\""), 9, "\"programs\"");
    CHECK(loadError(text) == "/programs: unknown key \"programs\"; did you mean \"program\"?");
  }

  TEST_CASE("a wrong type names what was expected") {
    std::string text = kMinimal;
    text.replace(text.find("\"fd\": 0}, {"), 7, "\"fd\": \"zero\"");
    CHECK(loadError(text).rfind("/program/0/fd: a string (expected an integer", 0) == 0);
  }

  TEST_CASE("using a closed fd is an error") {
    CHECK(loadError(R"({"format": "fsrace.spec/1", "name": "t", "program": [{"op": "write", "fd": 0}], "properties": []})") ==
          "/program/0/fd: fd 0 is not open here (expected an open fd)");
  }

  TEST_CASE("an out-of-range --set is an error naming the parameter") {
    CHECK(loadError(kMinimal, {"fds=0"}) == "/parameters/fds: 0 is out of range (expected an integer from 1 to 32)");
  }

  TEST_CASE("an unknown property and an unknown fix get suggestions") {
    std::string text = kMinimal;
    text.replace(text.find("\"properties\": []"), 16, R"("properties": [{"name": "test_pases"}])");
    CHECK(loadError(text) == "/properties/0/name: \"test_pases\" is not allowed; did you mean \"test_passes\"?");
    text = kMinimal;
    text.replace(text.find("\"properties\""), 12, R"("fixes": ["settle_after_table_swich"], "properties")");
    CHECK(loadError(text) == "/fixes/0: \"settle_after_table_swich\" is not allowed; did you mean \"settle_after_table_switch\"?");
  }

  TEST_CASE("an outcome condition must name an outcome field") {
    std::string text = kMinimal;
    text.replace(text.find("\"properties\": []"), 16, R"("properties": [{"name": "c", "exists": {"g": "0"}}])");
    CHECK(loadError(text) == "/properties/0/exists/g: unknown outcome field \"g\"; did you mean \"f\"?");
  }

  TEST_CASE("a condition's value is one the field can take, with a did-you-mean") {
    auto withCondition = [](const std::string& model, const std::string& condition) {
      std::string text = kMinimal;
      text.replace(text.find("\"properties\": []"), 16, R"("model": ")" + model + R"(", "properties": [{"name": "c", "exists": )" + condition + "}]");
      return loadError(text);
    };
    CHECK(withCondition("bcachefs-2023", R"({"f": "EIOO"})") ==
          "/properties/0/exists/f: unknown result \"EIOO\"; did you mean \"EIO\"? (expected \"0\", \"-\" for not run, or an errno model "
          "bcachefs-2023 returns: EIO, EROFS)");
    CHECK(withCondition("bcachefs-2023", R"({"f": "EBANANA"})") ==
          "/properties/0/exists/f: unknown result \"EBANANA\" (expected \"0\", \"-\" for not run, or an errno model bcachefs-2023 "
          "returns: EIO, EROFS)");
    // A journal-less fs has no EROFS to return: a condition on it could never hold.
    CHECK(withCondition("vfs-errseq", R"({"f": "EROFS"})") ==
          "/properties/0/exists/f: unknown result \"EROFS\" (expected \"0\", \"-\" for not run, or an errno model vfs-errseq returns: EIO)");
    for (const char* ok : {R"({"f": "0"})", R"({"f": "-"})", R"({"f": "EROFS"})", R"({"result": "Test passed!"})"})
      CHECK_MESSAGE(withCondition("bcachefs-2023", ok) == "", ok);
    CHECK(withCondition("bcachefs-2023", R"({"result": "Test pased!"})") ==
          "/properties/0/exists/result: unknown result \"Test pased!\"; did you mean \"Test passed!\"? (expected \"Test passed!\" or a "
          "line the program prints when a check fails)");
  }

  TEST_CASE("a printed result is a line the program prints: each message with its fd and the errno's strerror") {
    Spec spec = loadSpec(specDir() + "generic-441.json", {"fds=2"});
    auto values = spec.family->outcomeValues(spec, "result").values;
    auto has = [&](const std::string& v) { return std::find(values.begin(), values.end(), v) != values.end(); };
    CHECK(values.front() == "Test passed!");
    CHECK(has("First fsync on fd[1] failed: Input/output error"));
    CHECK(has("First fsync after reopen of fd[0] failed: Read-only file system"));
    CHECK(has("Success on second fsync on fd[1]!"));
    CHECK_FALSE(has("First fsync on fd[2] failed: Input/output error"));
    CHECK(spec.family->outcomeValues(spec, "reopen_fsync[1]").values == std::vector<std::string>{"0", "-", "EIO", "EROFS"});
  }

  TEST_CASE("process N's fields are its actor's, and a misspelt one suggests the same process's") {
    Spec spec = loadSpec(specDir() + "generic-441-two-files.json");
    auto closest = [&](const std::string& field) { return spec.family->closestOutcomeField(spec, field).value_or("(none)"); };
    CHECK(closest("p1.reopen_fsync[0]") == "test1.reopen_fsync[0]");  // the name before fields took the actor's
    CHECK(closest("p1.result") == "test1.result");
    CHECK(closest("test1.reopen_fsyn[0]") == "test1.reopen_fsync[0]");
    CHECK(closest("test.reopen_fsync[0]") == "reopen_fsync[0]");
    CHECK(closest("reopen_fsyn[0]") == "reopen_fsync[0]");
    std::string text = R"({"format": "fsrace.spec/1", "extends": ")" + specDir() + R"(generic-441-two-files.json", "name": "t",
      "properties": [{"name": "c", "exists": {"p1.reopen_fsync[0]": "0"}}]})";
    CHECK(loadError(text) == "/properties/0/exists/p1.reopen_fsync[0]: unknown outcome field \"p1.reopen_fsync[0]\"; did you mean "
                             "\"test1.reopen_fsync[0]\"?");
  }

  TEST_CASE("an unknown field or result says --set where only the file's own parameters give it") {
    std::string base = R"({"format": "fsrace.spec/1", "extends": ")" + specDir() + R"(generic-441.json", "name": "t", "properties": [)";
    CHECK(loadError(base + R"({"name": "c", "exists": {"reopen_fsync[5]": "0"}}]})", {"fds=2"}) ==
          "/properties/0/exists/reopen_fsync[5]: unknown outcome field \"reopen_fsync[5]\"; did you mean \"reopen_fsync[0]\"? (the "
          "outcome fields under --set fds=2)");
    CHECK(loadError(base + R"({"name": "c", "exists": {"result": "First fsync on fd[5] failed: Input/output error"}}]})", {"fds=2"})
              .find("(the results under --set fds=2)") != std::string::npos);
    // Not where the file's own parameters refuse it too.
    CHECK(loadError(base + R"({"name": "c", "exists": {"reopen_fsync[0]": "EIOO"}}]})", {"fds=2"}).find("--set") == std::string::npos);
  }

  TEST_CASE("a label is a plain word, so that no label spells another process's field") {
    std::string text = kMinimal;
    text.replace(text.find("\"label\": \"f\""), 12, R"("label": "test1.f")");
    CHECK(loadError(text) == "/program/1/label: \"test1.f\" is not a label (expected 1 to 64 letters, digits and \"_\")");
    // "result" is the printed line's field, in a loop ("result[0]") too, so that one rule says it.
    text = R"({"format": "fsrace.spec/1", "name": "t", "program": [{"for_each_fd": [{"op": "open", "fd": "i"},
      {"op": "fsync", "fd": "i", "expect": "any", "label": "result"}]}], "properties": []})";
    CHECK(loadError(text) == "/program/0/for_each_fd/1/label: \"result\" is reserved (expected another label)");
  }

  TEST_CASE("every file of an extends chain says it is a spec") {
    const std::string dir = std::string(FSRACE_BINARY_DIR) + "/";
    std::ofstream(dir + "formatless_base.json") << R"({"name": "b", "program": [{"op": "open", "fd": 0}], "properties": []})";
    std::ofstream(dir + "formatless_child.json") << R"({"format": "fsrace.spec/1", "extends": "formatless_base.json", "name": "c"})";
    std::string error;
    try {
      loadSpec(dir + "formatless_child.json");
    } catch (const SpecError& e) {
      error = e.what();
    }
    CHECK(error == dir + "formatless_base.json: /format: missing (required)");
    CHECK(loadError(R"({"extends": ")" + specDir() + R"(generic-441.json", "name": "t"})") == "/format: missing (required)");
  }

  TEST_CASE("empty and malformed files are errors at the root") {
    CHECK(loadError("") == "/: empty file (expected a JSON object)");
    CHECK(loadError("{").rfind("/: not valid JSON", 0) == 0);
    CHECK(loadError("[]") == "/: an array (expected an object)");
  }

  TEST_CASE("deep nesting is refused at the first level too deep, in linear time") {
    // The spec fuzzer's timeout: 50,000 nested arrays once cost a quadratic
    // pointer build. The error names the pointer of the first value too deep.
    std::string deep(50000, '[');
    std::string pointer;
    for (std::size_t i = 0; i < JsonReader::kMaxDepth; ++i) pointer += "/0";
    CHECK(loadError(deep) == pointer + ": nesting deeper than 64 levels (expected a flatter document)");
    CHECK(loadError(std::string(64, '[') + std::string(64, ']')) == "/: an array (expected an object)");
  }

  TEST_CASE("an error in an inherited key names the file it comes from, and another model inherits no fixes") {
    const std::string dir = std::string(FSRACE_BINARY_DIR) + "/";
    std::ofstream(dir + "inherit_base.json") << R"({"format": "fsrace.spec/1", "name": "b", "parameters": {"fds": 1},
      "program": [{"op": "open", "fd": 0}, {"op": "fsync", "fd": 0, "expect": "any", "label": "f"}],
      "define_fixes": [{"name": "x", "at": "fsync_entri", "when": "always", "fail": "EIO"}], "fixes": ["x"], "properties": []})";
    std::ofstream(dir + "inherit_child.json") << R"({"format": "fsrace.spec/1", "extends": "inherit_base.json", "name": "c"})";
    std::ofstream(dir + "inherit_vfs.json")
        << R"({"format": "fsrace.spec/1", "extends": "inherit_base.json", "name": "v", "model": "vfs-errseq"})";
    std::string error;
    try {
      loadSpec(dir + "inherit_child.json");
    } catch (const SpecError& e) {
      error = e.what();
    }
    CHECK(error == dir + "inherit_base.json: /define_fixes/0/at: \"fsync_entri\" is not allowed; did you mean \"fsync_entry\"? "
                         "(inherited by " + dir + "inherit_child.json)");
    Spec vfs = loadSpec(dir + "inherit_vfs.json");
    CHECK(vfs.model == "vfs-errseq");
    CHECK(vfs.fixes.empty());
    CHECK(vfs.defined_fixes.empty());
  }

  TEST_CASE("extends takes an absolute path as it is, a relative one next to the spec") {
    std::string base = specDir() + "generic-441.json";
    CHECK(loadError(R"({"format": "fsrace.spec/1", "extends": ")" + base + R"(", "name": "absolute"})") == "");
    CHECK(loadError(R"({"format": "fsrace.spec/1", "extends": "generic-441.json", "name": "relative"})").find(
              "/extends: cannot read") != std::string::npos);
  }
}

}  // namespace fsrace::specs
