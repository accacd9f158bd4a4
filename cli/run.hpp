// Where the model, the specs and the checker meet: run a spec, and describe
// the result as a fsrace.result/1 document. The text renderer reads only that
// document, so text and JSON never disagree.
#pragma once

#include <nlohmann/json.hpp>

#include "checker/explorer.hpp"
#include "specs/spec.hpp"

namespace fsrace::cli {

struct CheckOptions {
  checker::Limits limits;
  bool progress = false;  // states, states/s, depth on stderr about once a second
  bool slice = false;     // delta-debug each counterexample (see sliceTrace)
  unsigned threads = 1;   // worker threads; the result is the same for any count
  checker::Reductions reductions;
  std::string memory_limit_source;  // where limits.max_memory_mib came from, for the result document
  // Breadth-first parent-link traces only, as when the edge graph does not
  // fit (replay repeats that way the search of a document that says so).
  bool breadth_first_traces = false;
  // Outcome probabilities under the spec's schedulers (cli/probabilities.hpp):
  // check, verify and report ask for them; a run for another purpose does not.
  bool probabilities = false;
};

struct CheckOutput {
  nlohmann::json result;  // fsrace.result/1
  int exit_code = 0;
};

CheckOutput runCheck(const specs::Spec& spec, const CheckOptions& options);

// The `timing` of a document made of several runs (verify, a cross-check):
// their total seconds and `runs`, each run's own timing, in order.
nlohmann::json runsTiming(const nlohmann::json& runs);

// fsrace list: models, actions with kernel functions, fixes, properties,
// parameters. Every model; only `model` if given; or, for `spec`, its
// model with the fixes the spec defines among its fixes.
nlohmann::json listDocument(const std::string& model = "", const specs::Spec* spec = nullptr);

}  // namespace fsrace::cli
