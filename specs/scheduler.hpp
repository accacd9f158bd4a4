// The scheduler a spec assumes: how likely each enabled step is to run next.
// A step's weight is a relative rate, the product of the rates its actor
// class ("reclaim"), its actor ("test1") and its step ("journal_reclaim")
// are given, 1 for each one not given; from a state, each enabled step runs
// next with probability weight / (sum of the enabled steps' weights). That
// is the jump chain of a continuous-time chain where each enabled step
// fires at its rate. No rate given: every enabled step is equally likely.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fsrace::specs {

class JsonReader;
class ModelDescription;
struct Spec;

struct Scheduler {
  std::string name;  // "default", or the spec's name for an alternative
  std::string description;
  std::map<std::string, double> rates;  // actor class, actor or step name: relative rate
  // As a document shows it: {"name", "description", "rates"}.
  nlohmann::json json() const;
};

// Reads the spec's "scheduler" (the default) and "schedulers" (named
// alternatives, each on top of the default) into spec.schedulers: the
// default first, then the alternatives in name order.
void readSchedulers(const JsonReader& r, const nlohmann::json& doc, Spec& spec);

// --scheduler NAME makes that alternative the one runs use (it moves first;
// the default becomes an alternative), then each --rate KEY=WEIGHT changes
// it (the others stay as written). Errors name the flag.
void chooseScheduler(Spec& spec, const std::string& name, const std::vector<std::string>& rates);

// The names a rate may be given for in `model`: actor classes, then steps.
std::vector<std::string> rateKeys(const ModelDescription& model);

// Why `key` is no rate key of `model` (an actor class, an actor such as
// "test1", or a step), with a did-you-mean; "" when it is one.
std::string rateKeyProblem(const ModelDescription& model, const std::string& key);

// The smallest and largest rate accepted: a ratio of 10^12 keeps the
// chain's probabilities well inside a double's precision.
inline constexpr double kMinRate = 1e-6;
inline constexpr double kMaxRate = 1e6;

}  // namespace fsrace::specs
