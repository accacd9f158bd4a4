#include <doctest/doctest.h>

#include <regex>

#include "cli/render_html.hpp"
#include "cli/trace_view.hpp"
#include "cli/run.hpp"
#include "cli/verify.hpp"
#include "tests/from_root.hpp"

namespace fsrace::tests {
namespace {

using nlohmann::json;

const json& result() {
  static const json doc = cli::runCheck(fromRoot("specs/generic-441.json", {"fds=2"}), {}).result;
  return doc;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The JSON embedded in the report, as the page's script reads it.
json embedded(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"fsrace-data\">";
  std::size_t from = html.find(open);
  REQUIRE(from != std::string::npos);
  from += open.size();
  return json::parse(html.substr(from, html.find("</script>", from) - from));
}

}  // namespace

TEST_SUITE("report") {
  TEST_CASE("the report is one file: nothing is fetched from a link, a source or an import") {
    std::string html = cli::renderHtmlReport(result());
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*["']?(https?:|//|file:|[a-z0-9_./-]+\.(js|css|png|svg)))", std::regex::icase)));
    CHECK_FALSE(std::regex_search(html, std::regex(R"(@import|url\(\s*["']?(https?:|//)|<link|<iframe|fetch\(|XMLHttpRequest)", std::regex::icase)));
    // Links inside the page only.
    const std::regex href(R"(href="([^"]*)\")");
    for (std::sregex_iterator it(html.begin(), html.end(), href), end; it != end; ++it)
      CHECK_MESSAGE((*it)[1].str().rfind("#", 0) == 0, (*it)[1].str());
    CHECK(count(html, "<script") == 3);  // the error hook, the data, the lanes
  }

  TEST_CASE("the report names the fsrace that made it and the spec's digest") {
    json r = result();
    std::string html = cli::renderHtmlReport(r);
    CHECK(html.find("made by fsrace " + r["provenance"]["fsrace"].get<std::string>()) != std::string::npos);
    CHECK(html.find(r["provenance"]["spec_sha256"].get<std::string>()) != std::string::npos);
  }

  TEST_CASE("a divergence has both branches, each saying where it ends, and the data for their lanes") {
    std::string html = cli::renderHtmlReport(result());
    CHECK(count(html, "class=\"branch\"") == 2);
    CHECK(html.find("this branch → <code>reopen_fsync[0]=EIO</code>") != std::string::npos);
    CHECK(html.find("the other branch → <code>reopen_fsync[0]=0</code>") != std::string::npos);
    // Two properties, one run: one trace naming both.
    CHECK(count(html, "<section class=\"trace\"") == 1);
    CHECK(html.find("Counterexample 1 to <code>fsync_after_shutdown_consistent and test_passes</code>") != std::string::npos);
    json data = embedded(html);
    REQUIRE(data["traces"].size() == 1);
    const json& trace = data["traces"][0];
    CHECK(trace["actors"] == json({"test", "writeback", "journal", "reclaim"}));
    REQUIRE(trace["branches"].size() == 2);
    CHECK(trace["branches"][0]["end"] == "reopen_fsync[0]=EIO");
    CHECK(trace["branches"][1]["result"] == "Test passed!");
  }

  TEST_CASE("the deciding window runs from the system call in progress at the decision to its end in each branch") {
    const json* cex = nullptr;
    for (const auto& p : result()["properties"])
      if (p["name"] == "fsync_after_shutdown_consistent") cex = &p["counterexample"];
    REQUIRE(cex);
    std::size_t decided = (*cex)["decided_after"];
    CHECK(decided == 31);
    // Steps 28-31 of fsync fd[0] (second_fsync[0]) are shared; it returns at step 41 in this branch, 37 in the other.
    cli::Window mine = cli::decidingWindow((*cex)["steps"], decided), theirs = cli::decidingWindow((*cex)["other"]["steps"], decided);
    CHECK(mine.first == 27);
    CHECK(mine.end == 41);
    CHECK(theirs.first == 27);
    CHECK(theirs.end == 37);
    CHECK((*cex)["steps"][mine.end - 1]["context"] == (*cex)["steps"][mine.first]["context"]);
    // No system call in progress: the window starts at the decision and ends with the next system call.
    json steps = json::array();
    for (auto [actor, context] : {std::pair{"test", "open fd[0]"}, {"reclaim", ""}, {"test", "fsync fd[0]"}, {"test", "fsync fd[0]"}, {"test", "close fd[0]"}})
      steps.push_back({{"actor", actor}, {"context", context}});
    cli::Window w = cli::decidingWindow(steps, 1);
    CHECK(w.first == 1);
    CHECK(w.end == 4);
  }

  TEST_CASE("text from the documents is escaped: no value can open a tag or end the data's script") {
    json doc = result();
    doc["spec"] = "<b>x</script><script>alert(1)</script>";
    doc["properties"][0]["counterexample"]["steps"][0]["context"] = "</script><img src=x onerror=alert(1)>";
    std::string html = cli::renderHtmlReport(doc);
    CHECK(html.find("<b>x") == std::string::npos);
    CHECK(html.find("alert(1)</script>") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("&lt;b&gt;x&lt;/script&gt;") != std::string::npos);
    CHECK(count(html, "</script>") == 3);
    // The embedded document is still the same JSON.
    CHECK(embedded(html)["spec"] == doc["spec"]);
    CHECK(embedded(html)["traces"][0]["branches"][0]["steps"][0]["context"] == "</script><img src=x onerror=alert(1)>");
    CHECK(cli::escapeHtml("a&b\"'") == "a&amp;b&quot;&#39;");
  }

  TEST_CASE("the fix table's bars count the same passing end states as test_passes") {
    auto spec = fromRoot("specs/generic-441.json", {"fds=2"});
    std::vector<json> results;
    json verify = cli::runVerify(spec, {{"settle_after_table_switch"}, {"data_write_error_shuts_down"}}, {}, &results);
    REQUIRE(results.size() == verify["rows"].size());
    for (std::size_t r = 0; r < results.size(); ++r) {
      std::uint64_t passing = 0;
      for (const auto& o : results[r]["outcomes"])
        if (cli::outcomePasses(o["outcome"])) passing += o["witnesses"].get<std::uint64_t>();
      CHECK(passing == verify["rows"][r]["test_passes"]["satisfied"].get<std::uint64_t>());
    }
    std::string html = cli::renderHtmlReport(result(), &verify, results);
    CHECK(html.find("<section id=\"fixes\">") != std::string::npos);
    CHECK(count(html, "<div class=\"bar\">") == 1 + results.size());  // the outcome set, then one a row
    CHECK(html.find("class=\"seg pass\"") != std::string::npos);
    CHECK(html.find("class=\"seg fail\"") != std::string::npos);
  }
}

}  // namespace fsrace::tests
