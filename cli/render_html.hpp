// The HTML report (fsrace report, fsrace check --format html): one
// self-contained file, its CSS and JavaScript inlined, nothing fetched when it
// is viewed. It reads only the documents, like the text renderer: the outcome
// set, the property table, each counterexample as lanes per actor with the
// deciding window, and, with fixes, the verify table with the end states as bars.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fsrace::cli {

// report --sweep: a fsrace.sweep/1 document (or none), drawn as
// renderSweepSvg draws it.
struct SweepPicture {
  const nlohmann::json* sweep = nullptr;
  bool log_y = false;
};

// `result`: a fsrace.result/1 document. `verify` (or null): a
// fsrace.verify/1 document, and `verify_results` each of its rows' results
// in the same order (runVerify's `results`). `sweep`: a picture of how the
// measure moves with one rate, for the baseline and each fix.
std::string renderHtmlReport(const nlohmann::json& result, const nlohmann::json* verify = nullptr,
                             const std::vector<nlohmann::json>& verify_results = {}, SweepPicture sweep = {});

// Text as HTML character data or an attribute value.
std::string escapeHtml(const std::string& text);

// A JSON document that can sit inside <script type="application/json">:
// '<', '>' and '&' written as \u003c, \u003e and \u0026, so no "</script>"
// in a value can end the element.
std::string scriptJson(const nlohmann::json& doc);

// Whether an outcome is a passing end state: every process printed "Test passed!".
bool outcomePasses(const nlohmann::json& outcome);

}  // namespace fsrace::cli
