// What a reader sees of a trace, shared by the text, Mermaid, DOT and HTML
// renderings: the system calls, repeated calls folded into one, every value
// a step sets, the window where the race is decided, and the chain of
// writes the outcome depends on. Everything here reads only the
// fsrace.counterexample/1 document.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace fsrace::cli {

// The function a step's kernel text ends in: "run_one_mem_trigger ->
// bch2_mark_inode" gives "bch2_mark_inode".
std::string innermostKernel(const std::string& kernel);

// Every value each field takes over steps [first, last], in the order the
// fields first change: "ret_meta 0 -> EROFS -> 0", never netted out.
std::vector<std::string> valueChains(const nlohmann::json& steps, std::size_t first, std::size_t last);

// Step `to` reads `field`, which step `from` (the last to change it before
// `to`) wrote. Step indices from 0. Steps without "reads" have none.
struct Dependency {
  std::size_t from, to;
  std::string field;
};
std::vector<Dependency> dependencies(const nlohmann::json& steps);

// The steps the outcome depends on: `ends` and, backwards, every step
// whose write one of them reads, transitively (a dynamic data slice).
std::vector<bool> dependencyChain(const nlohmann::json& steps, const std::vector<std::size_t>& ends);

// The step that ends a trace's story: the one that set `field` (an outcome
// field the branches disagree on), else the last step.
std::size_t endingStep(const nlohmann::json& steps, const std::string& field);

// The outcome field a branch does not share with the other, "" if none.
std::string divergingField(const nlohmann::json& trace, const nlohmann::json& other);

// Where a branch ends, for headers: "reopen_fsync[0]=EIO", or the test's
// printed result when no outcome field tells the branches apart.
std::string branchEnd(const nlohmann::json& trace, const nlohmann::json& other);

// The window where a divergence is decided, in one branch: from the first
// step of the system call that `process` is inside at the deciding state to
// that call's last step in this branch, other actors' steps in between
// included. When it is inside none, from the decision to the end of the
// next call. Half-open, step indices from 0.
struct Window {
  std::size_t first = 0, end = 0;
  bool contains(std::size_t i) const { return i >= first && i < end; }
};
Window decidingWindow(const nlohmann::json& steps, std::size_t decided, const std::string& process);
// The process whose system call the decision interrupts: one that takes the
// deciding step in either branch (`other` may be null) inside a call, else
// the latest one inside a call; "" if none is.
std::string interruptedProcess(const nlohmann::json& steps, const nlohmann::json* other, std::size_t decided);
// The window with the process found in `steps` alone.
Window decidingWindow(const nlohmann::json& steps, std::size_t decided);

// The outcome fields whose value differs between the outcome classes, then "result".
std::vector<std::string> varyingFields(const nlohmann::json& result);

// Properties violated by the same run share one trace, named after all of
// them; the one that carries the other branch (where the race is decided)
// is kept. `property`: only that property's trace ("" for every one).
struct SharedTrace {
  std::string names;               // "fsync_after_shutdown_consistent and test_passes"
  const nlohmann::json* trace;     // a fsrace.counterexample/1 document inside the result
};
std::vector<SharedTrace> sharedTraces(const nlohmann::json& result, const std::string& property = "");

// A trace as a reader follows it: its branches (the trace, and the other
// branch of a divergence), the steps each branch's outcome depends on,
// and each branch's deciding window. Every rendering marks the same steps.
struct Story {
  const nlohmann::json* branches[2] = {nullptr, nullptr};  // [1]: null without a divergence
  bool reads = false;  // whether the steps name their reads; without, no chain (every step false)
  std::vector<bool> chains[2];
  Window windows[2];
  std::size_t decided = 0;  // steps shared by the branches (all of them without a divergence)
};
Story storyOf(const nlohmann::json& trace);

// The chain of the steps both branches share: a step either branch's
// outcome depends on.
std::vector<bool> sharedChain(const Story& story);

// The dependencies a picture draws, into steps [from, to): across actors,
// the chain's own links and the reads between the window's steps. One per
// writing step and field.
std::vector<Dependency> drawnDependencies(const nlohmann::json& steps, const std::vector<bool>& chain, const Window& window,
                                          std::size_t from, std::size_t to);

// A row of a trace for a reader: one step, one system call, or consecutive
// system calls folded into one ("fsync fd[1..9]").
struct Row {
  std::size_t first, last;            // step indices from 0, inclusive
  std::string actor;
  std::string text;                   // what happened
  std::vector<std::string> changes;   // value chains
  bool on_chain = false;              // a step the outcome depends on
  std::size_t folded = 1;             // how many repetitions of a call (block) the row stands for
  bool window = false;                // one step of the deciding window
  std::size_t collapsed = 0;          // rows off the chain merged into this one, or 0
  std::string summary;                // the row in a few words, for a collapsed row (its actor not named)
  std::string range() const;
};

struct RowOptions {
  Window window;                      // each step its own row, with its kernel function
  std::vector<bool> chain;            // the dependency chain, or empty
  bool fold = true;                   // fold repeated per-fd system calls
  bool collapse = false;              // merge consecutive rows off the chain and outside the window into one
  bool all_actions = true;            // list every step of a call (else long calls say how many)
};

// The chain and the window of part `b` of a story: b < 0 the steps the
// branches share (either branch's chain; the window's part before the
// decision), else branch b from the decision (its chain; the rest of its
// window). Every rendering shows a story's parts with these.
RowOptions storyRows(const Story& story, int b);

// Rows for steps [from, to).
std::vector<Row> traceRows(const nlohmann::json& steps, std::size_t from, std::size_t to, const RowOptions& options);

// "name=value" items, consecutive ones that differ only in one bracketed
// index and share the value folded: reopen_fsync[1..9]=-.
std::vector<std::string> foldIndexedValues(const std::vector<std::pair<std::string, std::string>>& items);

// `word` as one shell word: as it is if it has only characters no shell
// treats specially, else in single quotes.
std::string shellWord(const std::string& word);

// `text` split at spaces into lines of at most `width` columns, the first
// prefixed with `first`, the rest with `indent` spaces.
std::vector<std::string> wrapText(const std::string& text, std::size_t width, const std::string& first, std::size_t indent);

}  // namespace fsrace::cli
