// The sweep's points and its picture, from hand-made documents: the numbers
// the command computes are tested against check's in tests/sweep.sh.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "cli/sweep.hpp"

using fsrace::cli::logSpaced;
using fsrace::cli::renderSweepSvg;
using nlohmann::json;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

json sweepDoc(const json& curves) {
  return {{"spec", "toy"},
          {"key", "reclaim"},
          {"multipliers", {0.1, 1.0, 10.0}},
          {"scheduler", {{"name", "default"}, {"description", "every enabled step equally likely"}, {"rates", json::object()}}},
          {"measure", {{"label", "P(test fails)"}}},
          {"curves", curves},
          {"skipped", json::array()}};
}

json curve(const std::string& name, const json& probabilities) {
  return {{"name", name}, {"probabilities", probabilities}, {"why", probabilities.is_null() ? json("the run stopped (max_states)") : json(nullptr)}};
}

}  // namespace

TEST_SUITE("sweep") {
  TEST_CASE("log-spaced points keep both ends and a constant ratio") {
    auto points = logSpaced(0.01, 100, 5);
    REQUIRE(points.size() == 5);
    CHECK(points.front() == 0.01);
    CHECK(points.back() == 100);
    for (std::size_t i = 1; i < points.size(); ++i) CHECK(points[i] / points[i - 1] == doctest::Approx(10.0));
  }

  TEST_CASE("the picture draws a polyline for each curve with numbers, and says why one has none") {
    std::string svg = renderSweepSvg(sweepDoc(json::array({curve("baseline", {0.5, 0.25, 1.0}), curve("settle", nullptr)})), false);
    CHECK(count(svg, "<polyline") == 1);
    CHECK(svg.find("settle: no numbers (the run stopped (max_states))") != std::string::npos);
    CHECK(svg.find("<script") == std::string::npos);
    CHECK(svg.find("0.1x") != std::string::npos);
    CHECK(svg.find("10x") != std::string::npos);
    CHECK(svg.find("a log axis has no 0") == std::string::npos);
  }

  TEST_CASE("a log y axis reaches below the smallest number and says where it draws 0") {
    std::string svg = renderSweepSvg(sweepDoc(json::array({curve("baseline", {0.0, 3e-7, 0.5})})), true);
    CHECK(svg.find(">1e-7<") != std::string::npos);
    CHECK(svg.find(">1e-8<") == std::string::npos);
    CHECK(svg.find("A probability of 0 is drawn at 1e-7: a log axis has no 0.") != std::string::npos);
    CHECK(svg.find("(log scale)") != std::string::npos);
  }
}
