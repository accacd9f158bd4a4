// Outcome probabilities (cli/probabilities.hpp) on the real model: they
// agree with the verdicts of every fix (an outcome the exploration found has
// probability above 0, one it did not has none), sum to 1, depend only on
// relative rates, and are the same on any number of threads.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cli/render_text.hpp"
#include "cli/run.hpp"
#include "specs/model_description.hpp"
#include "specs/spec.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;

specs::Spec spec441(const std::vector<std::string>& sets, const std::vector<std::string>& fixes = {}) {
  return specs::loadSpec(std::string(FSRACE_SOURCE_DIR) + "/specs/generic-441.json", sets, fixes);
}

json checked(const specs::Spec& spec, unsigned threads = 1, bool symmetry = false) {
  cli::CheckOptions options;
  options.probabilities = true;
  options.threads = threads;
  options.reductions.symmetry = symmetry;
  return cli::runCheck(spec, options).result;
}

std::string verdictOf(const json& result, const std::string& name) {
  for (const auto& p : result["properties"])
    if (p["name"] == name) return p["verdict"];
  return "";
}

TEST_CASE("under every fix, each outcome found has a probability above 0, they sum to 1, and each event is certain or impossible exactly as the verdicts say") {
  specs::Spec base = spec441({"fds=3"});
  std::vector<std::vector<std::string>> sets{{}};
  for (const auto& fix : specs::availableFixNames(base)) sets.push_back({fix});
  for (const auto& fixes : sets) {
    CAPTURE(fixes);
    json result = checked(spec441({"fds=3"}, fixes));
    REQUIRE(result["probabilities"]["computed"] == true);
    for (const auto& s : result["probabilities"]["schedulers"]) {
      CAPTURE(s["name"]);
      double total = 0;
      for (double p : s["outcomes"]) {
        CHECK(p > 0);
        total += p;
      }
      CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
      CHECK(s["deadlock"] == 0.0);
      CHECK(s["never_ends"] == 0.0);
      for (const auto& [name, figure] : s["properties"].items()) {
        CAPTURE(name);
        double p = figure["probability"];
        std::string verdict = verdictOf(result, name);
        if (figure["event"] == "witnessed") CHECK((verdict == "holds") == (p > 0));
        else CHECK((verdict == "holds") == (p == 0));
      }
      CHECK((verdictOf(result, "test_passes") == "holds") == (s["test_fails"] == 0.0));
    }
  }
}

TEST_CASE("probabilities depend on relative rates only, and an alternative is the default with its own rates") {
  auto figures = [](const json& result, std::size_t k) { return result["probabilities"]["schedulers"][k]["outcomes"]; };
  specs::Spec plain = spec441({"fds=2"});
  specs::Spec scaled = plain;
  specs::chooseScheduler(scaled, "", {"test=3", "writeback=3", "journal=3", "reclaim=3", "ro_work=3"});
  json a = checked(plain), b = checked(scaled);
  REQUIRE(figures(a, 0).size() == figures(b, 0).size());
  for (std::size_t i = 0; i < figures(a, 0).size(); ++i)
    CHECK(figures(a, 0)[i].get<double>() == doctest::Approx(figures(b, 0)[i].get<double>()).epsilon(1e-12));
  // reclaim_tenth is the default with reclaim x0.1.
  specs::Spec tenth = plain;
  specs::chooseScheduler(tenth, "", {"reclaim=0.1"});
  json c = checked(tenth);
  CHECK(figures(c, 0) == figures(a, 1));
  CHECK(a["probabilities"]["schedulers"][1]["name"] == "reclaim_tenth");
  // --scheduler puts it first, and the default after it.
  specs::Spec chosen = plain;
  specs::chooseScheduler(chosen, "reclaim_tenth", {});
  json d = checked(chosen);
  CHECK(d["probabilities"]["schedulers"][0]["name"] == "reclaim_tenth");
  CHECK(figures(d, 0) == figures(a, 1));
  CHECK(figures(d, 1) == figures(a, 0));
  // A slower reclaim changes them (the test is not vacuous).
  CHECK(figures(a, 0) != figures(a, 1));
}

TEST_CASE("probabilities are the same on 1 and 2 threads, and not computed on a reduced or partial graph") {
  specs::Spec spec = spec441({"fds=2", "processes=2"});
  json one = checked(spec, 1), two = checked(spec, 2);
  CHECK(one["probabilities"] == two["probabilities"]);
  json reduced = checked(spec, 1, true);
  CHECK(reduced["probabilities"]["computed"] == false);
  CHECK(reduced["probabilities"]["why"].get<std::string>().find("--symmetry") != std::string::npos);
  cli::CheckOptions options;
  options.probabilities = true;
  options.limits.max_states = 100;
  json partial = cli::runCheck(spec, options).result;
  CHECK(partial["probabilities"]["computed"] == false);
  CHECK(partial["probabilities"]["why"] == "the run stopped before it explored every state");
}

TEST_CASE("an outcome below a double's range is counted as an underflow and shown as below 1e-300, its complement as 1 minus that") {
  specs::Spec spec = spec441({});
  specs::chooseScheduler(spec, "", {"reclaim=1e6", "journal_reclaim=1e6"});
  json result = checked(spec);
  const json& s = result["probabilities"]["schedulers"][0];
  CHECK(s["underflow"] == 1);
  CHECK(s["key"]["values"]["0"] == 0.0);
  std::string text = cli::renderResultText(result, {});
  CHECK(text.find("< 1e-300      reopen_fsync[0..9]=0") != std::string::npos);
  CHECK(text.find("1 - < 1e-300") != std::string::npos);
  // At the spec's own rates nothing underflows.
  CHECK(checked(spec441({}))["probabilities"]["schedulers"][0]["underflow"] == 0);
}

TEST_CASE("a numbered actor's rate weighs that actor alone, test0 too, and a rate no step answers to is reported") {
  auto fails = [](const std::vector<std::string>& rates) {
    specs::Spec spec = spec441({"fds=1", "processes=2"});
    specs::chooseScheduler(spec, "", rates);
    return checked(spec)["probabilities"]["schedulers"][0];
  };
  // Process 0 four times as fast, said two ways.
  CHECK(fails({"test0=4"})["outcomes"] == fails({"test=4", "test1=0.25"})["outcomes"]);
  CHECK(fails({"test0=4"})["outcomes"] != fails({"test=4"})["outcomes"]);
  CHECK(fails({"test0=4"})["unused_rates"].empty());
  // One process and one file: no test2, no writeback1.
  specs::Spec spec = spec441({"fds=1"});
  specs::chooseScheduler(spec, "default", {"test2=3", "writeback1=2", "reclaim=2"});
  const json s = checked(spec)["probabilities"]["schedulers"][0];
  CHECK(s["unused_rates"] == json::array({"test2", "writeback1"}));
  CHECK(s["description"] == "the spec's default scheduler, changed by --rate");
}

TEST_CASE("generic-441's probabilities, as measured when they were introduced") {
  json result = checked(spec441({}));
  const json& schedulers = result["probabilities"]["schedulers"];
  CHECK(result["probabilities"]["method"] == "acyclic");
  // Uniform: the passing interleaving needs reclaim to wait through most of
  // the test and then act inside a few steps' window.
  CHECK(schedulers[0]["test_passes"].get<double>() == doctest::Approx(6.834025617e-13).epsilon(1e-8));
  CHECK(schedulers[1]["key"]["values"]["0"].get<double>() == doctest::Approx(0.052415631626).epsilon(1e-9));
}

}  // namespace
}  // namespace fsrace::tests
