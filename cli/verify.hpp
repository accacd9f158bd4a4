// fsrace verify: the baseline and each fix set side by side.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/run.hpp"
#include "specs/spec.hpp"

namespace fsrace::cli {

// fsrace verify: the baseline and each fix set, with the baseline's
// counterexamples replayed under each. A fsrace.verify/1 document.
// `results`, if given, receives each row's fsrace.result/1 document, in
// the order of the document's rows (the HTML report draws their outcomes).
nlohmann::json runVerify(const specs::Spec& spec, const std::vector<std::vector<std::string>>& rows,
                         const CheckOptions& options, std::vector<nlohmann::json>* results = nullptr);
std::string renderVerifyText(const nlohmann::json& verify);

// verify --require: for each property, whether it holds on every fix row
// (every row but the baseline): met true, false (with the rows that violate
// it), or null (undecided: a row's run stopped first, or a fix set asked for
// was skipped, the model refusing it).
nlohmann::json requirementsJson(const nlohmann::json& verify, const std::vector<std::string>& required);

// 1 when a requirement is not met, else 3 when a run stopped first or a
// requirement is undecided, else 0.
int verifyExitCode(const nlohmann::json& verify);

}  // namespace fsrace::cli
