#include "cli/trace_view.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace fsrace::cli {

using nlohmann::json;

namespace {

// A text with every bracketed number replaced by '#', and the numbers.
struct Indexed {
  std::string pattern;
  std::vector<long> numbers;
};

Indexed indexed(const std::string& text) {
  Indexed out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    out.pattern += text[i];
    if (text[i] != '[' || i + 1 >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 1]))) continue;
    std::size_t j = i + 1;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j >= text.size() || text[j] != ']') continue;
    out.numbers.push_back(std::stol(text.substr(i + 1, j - i - 1)));
    out.pattern += '#';
    i = j - 1;
  }
  return out;
}

// `pattern` with its '#'s replaced by "first..last" ranges, one per number.
std::string ranged(const std::string& pattern, const std::vector<long>& first, const std::vector<long>& last) {
  std::string out;
  std::size_t k = 0;
  for (char c : pattern) {
    if (c != '#' || k >= first.size()) {
      out += c;
      continue;
    }
    out += first[k] == last[k] ? std::to_string(first[k]) : std::to_string(first[k]) + ".." + std::to_string(last[k]);
    ++k;
  }
  return out;
}

// A change appended to the values its field took: the first one's before, then every after.
void extend(std::vector<std::string>& chain, const json& change) {
  if (chain.empty()) chain.push_back(change["before"]);
  chain.push_back(change["after"]);
}

std::string joined(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// A system call (consecutive steps of one test actor with one context) or
// consecutive steps of one background actor; in the window, one step.
struct Call {
  std::size_t first, last;
  std::string actor, context;
  std::vector<std::string> actions;
  bool single = false;  // a window step: shown with its kernel function
  bool on_chain = false;
  std::string key() const { return actor + "|" + indexed(context).pattern + "|" + joined(actions, ","); }
};

std::vector<Call> calls(const json& steps, std::size_t from, std::size_t to, const RowOptions& options) {
  std::vector<Call> out;
  auto chained = [&](std::size_t i) { return i < options.chain.size() && options.chain[i]; };
  for (std::size_t i = from; i < to;) {
    Call c{i, i, steps[i]["actor"], steps[i]["context"], {steps[i]["action"]}, options.window.contains(i), chained(i)};
    std::size_t j = i;
    while (!c.single && j + 1 < to && !options.window.contains(j + 1) && steps[j + 1]["actor"] == c.actor &&
           steps[j + 1]["context"] == c.context) {
      ++j;
      c.actions.push_back(steps[j]["action"]);
      c.on_chain = c.on_chain || chained(j);
    }
    c.last = j;
    out.push_back(std::move(c));
    i = j + 1;
  }
  return out;
}

// Whether calls [at, at + period) repeat at `at + rep * period` with every
// bracketed index of their contexts moved on by `rep`.
bool repeats(const std::vector<Call>& cs, std::size_t at, std::size_t period, std::size_t rep) {
  if (at + (rep + 1) * period > cs.size()) return false;
  for (std::size_t k = 0; k < period; ++k) {
    const Call& base = cs[at + k];
    const Call& again = cs[at + rep * period + k];
    if (base.single || again.single || base.on_chain || again.on_chain || base.key() != again.key()) return false;
    auto a = indexed(base.context).numbers, b = indexed(again.context).numbers;
    if (a.empty()) return false;
    for (std::size_t n = 0; n < a.size(); ++n)
      if (b[n] != a[n] + static_cast<long>(rep)) return false;
  }
  return true;
}

// Value chains of a fold: a field indexed like the calls ("fd[1].open")
// shown once with its index range when every repetition sets it alike.
std::vector<std::string> foldedChains(const json& steps, const std::vector<Call>& cs, std::size_t at, std::size_t period,
                                      std::size_t reps) {
  struct Seen {
    std::vector<std::string> fields;            // concrete names, one per repetition that set it
    std::vector<std::vector<std::string>> chains;
    std::vector<std::vector<long>> numbers;
  };
  std::vector<std::string> order;
  std::map<std::string, Seen> by_pattern;
  std::vector<std::string> plain_order;
  std::map<std::string, std::vector<std::string>> plain;  // unindexed fields: one chain over the fold
  std::map<std::string, std::vector<std::vector<std::string>>> plain_each;  // and per repetition
  for (std::size_t r = 0; r < reps; ++r) {
    std::map<std::string, std::vector<std::string>> mine;
    std::vector<std::string> mine_order;
    for (std::size_t k = 0; k < period; ++k) {
      const Call& c = cs[at + r * period + k];
      for (std::size_t i = c.first; i <= c.last; ++i)
        for (const auto& ch : steps[i]["changes"]) {
          std::string field = ch["field"];
          if (indexed(field).numbers.empty()) {
            if (plain[field].empty()) plain_order.push_back(field);
            extend(plain[field], ch);
            auto& each = plain_each[field];
            if (each.size() < r + 1) each.resize(r + 1);
            extend(each[r], ch);
            continue;
          }
          if (mine[field].empty()) mine_order.push_back(field);
          extend(mine[field], ch);
        }
    }
    for (const auto& field : mine_order) {
      Indexed ix = indexed(field);
      auto& seen = by_pattern[ix.pattern];
      if (seen.fields.empty()) order.push_back(ix.pattern);
      seen.fields.push_back(field);
      seen.chains.push_back(mine[field]);
      seen.numbers.push_back(ix.numbers);
    }
  }
  std::vector<std::string> out;
  // A field every repetition takes through the same values: once, as each does.
  for (const auto& field : plain_order) {
    const auto& each = plain_each[field];
    bool alike = each.size() == reps && std::all_of(each.begin(), each.end(), [&](const auto& c) { return c == each[0]; });
    out.push_back(field + " " + joined(alike ? each[0] : plain[field], " -> "));
  }
  for (const auto& pattern : order) {
    const Seen& seen = by_pattern[pattern];
    bool alike = seen.fields.size() == reps;
    for (std::size_t r = 1; alike && r < reps; ++r) {
      alike = seen.chains[r] == seen.chains[0] && seen.numbers[r].size() == seen.numbers[0].size();
      for (std::size_t n = 0; alike && n < seen.numbers[r].size(); ++n)
        alike = seen.numbers[r][n] == seen.numbers[0][n] || seen.numbers[r][n] == seen.numbers[0][n] + static_cast<long>(r);
    }
    if (alike) {
      out.push_back(ranged(pattern, seen.numbers.front(), seen.numbers.back()) + " " + joined(seen.chains[0], " -> "));
      continue;
    }
    for (std::size_t r = 0; r < seen.fields.size(); ++r) out.push_back(seen.fields[r] + " " + joined(seen.chains[r], " -> "));
  }
  return out;
}

std::string callText(const json& steps, const Call& c, bool continued, bool all_actions) {
  std::string what = c.context.empty() || continued ? "" : c.context + ": ";
  if (continued) what = "  ";
  if (all_actions || c.actions.size() <= 3) what += joined(c.actions, ", ");
  else what += std::to_string(c.actions.size()) + " steps, " + c.actions.front() + " to " + c.actions.back();
  if (c.single) {
    std::string kernel = innermostKernel(steps[c.first]["kernel"]);
    if (kernel != c.actions.front()) what += " (" + kernel + ")";
  }
  return what;
}

// What a collapsed row says of a row it stands for: its call, or its steps.


}  // namespace

std::string innermostKernel(const std::string& kernel) {
  std::size_t arrow = kernel.rfind(" -> ");
  return arrow == std::string::npos ? kernel : kernel.substr(arrow + 4);
}

std::vector<std::string> valueChains(const json& steps, std::size_t first, std::size_t last) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> chains;
  for (std::size_t i = first; i <= last; ++i)
    for (const auto& c : steps[i]["changes"]) {
      std::string field = c["field"];
      if (chains[field].empty()) order.push_back(field);
      extend(chains[field], c);
    }
  std::vector<std::string> out;
  for (const auto& field : order) out.push_back(field + " " + joined(chains[field], " -> "));
  return out;
}

std::vector<Dependency> dependencies(const json& steps) {
  std::vector<Dependency> out;
  std::map<std::string, std::size_t> last_writer;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].contains("reads"))
      for (const auto& f : steps[i]["reads"]) {
        auto w = last_writer.find(f.get<std::string>());
        if (w != last_writer.end()) out.push_back({w->second, i, w->first});
      }
    for (const auto& c : steps[i]["changes"]) last_writer[c["field"].get<std::string>()] = i;
  }
  return out;
}

std::vector<bool> dependencyChain(const json& steps, const std::vector<std::size_t>& ends) {
  std::vector<bool> chain(steps.size(), false);
  std::vector<std::vector<std::size_t>> writers_of(steps.size());
  for (const auto& d : dependencies(steps)) writers_of[d.to].push_back(d.from);
  std::vector<std::size_t> work;
  for (std::size_t e : ends)
    if (e < steps.size() && !chain[e]) chain[e] = true, work.push_back(e);
  while (!work.empty()) {
    std::size_t i = work.back();
    work.pop_back();
    for (std::size_t w : writers_of[i])
      if (!chain[w]) chain[w] = true, work.push_back(w);
  }
  return chain;
}

std::size_t endingStep(const json& steps, const std::string& field) {
  if (!field.empty())
    for (std::size_t i = steps.size(); i-- > 0;)
      for (const auto& c : steps[i]["changes"])
        if (c["field"] == field) return i;
  return steps.empty() ? 0 : steps.size() - 1;
}

std::string divergingField(const json& trace, const json& other) {
  if (!trace.contains("outcome") || !other.contains("outcome")) return "";
  const json& mine = trace["outcome"];
  const json& theirs = other["outcome"];
  for (const auto& [field, value] : mine.items())
    if (field != "result" && theirs.contains(field) && theirs[field] != value) return field;
  return "";
}

std::string branchEnd(const json& trace, const json& other) {
  std::string field = divergingField(trace, other);
  if (!field.empty()) return field + "=" + trace["outcome"][field].get<std::string>();
  return trace.contains("outcome") ? trace["outcome"].value("result", "") : "";
}

namespace {

bool isCall(const json& steps, std::size_t i) { return !steps[i]["context"].get<std::string>().empty(); }

// The last step of `actor` before `decided` and its first from `decided` on
// (steps.size() where there is none).
std::pair<std::size_t, std::size_t> aroundDecision(const json& steps, const std::string& actor, std::size_t decided) {
  const std::size_t n = steps.size();
  std::size_t before = n, after = n;
  for (std::size_t i = std::min(decided, n); i-- > 0;)
    if (steps[i]["actor"] == actor) {
      before = i;
      break;
    }
  for (std::size_t i = decided; i < n; ++i)
    if (steps[i]["actor"] == actor) {
      after = i;
      break;
    }
  return {before, after};
}

// Whether `actor` is inside a system call at the deciding state.
bool inCall(const json& steps, const std::string& actor, std::size_t decided) {
  auto [before, after] = aroundDecision(steps, actor, decided);
  return before < steps.size() && after < steps.size() && isCall(steps, before) &&
         steps[before]["context"] == steps[after]["context"];
}

}  // namespace

std::string interruptedProcess(const json& steps, const json* other, std::size_t decided) {
  // A process that takes the deciding step in either branch, inside a call.
  for (const json* branch : {&steps, other}) {
    if (!branch || decided >= branch->size()) continue;
    std::string actor = (*branch)[decided]["actor"];
    if (isCall(*branch, decided) && inCall(*branch, actor, decided)) return actor;
  }
  // Else the process of the latest call still in progress.
  for (std::size_t i = std::min(decided, steps.size()); i-- > 0;)
    if (isCall(steps, i) && inCall(steps, steps[i]["actor"], decided)) return steps[i]["actor"];
  return "";
}

Window decidingWindow(const json& steps, std::size_t decided, const std::string& process) {
  const std::size_t n = steps.size();
  if (n == 0) return {0, 0};
  decided = std::min(decided, n);
  auto sameCall = [&](std::size_t i, std::size_t j) {
    return steps[i]["actor"] == steps[j]["actor"] && steps[i]["context"] == steps[j]["context"];
  };
  // The last step of the call that `from` is in (its process's later steps, other actors' in between skipped).
  auto endOf = [&](std::size_t from) {
    std::size_t last = from;
    for (std::size_t i = from; i < n; ++i) {
      if (steps[i]["actor"] != steps[from]["actor"]) continue;
      if (!sameCall(i, from)) break;
      last = i;
    }
    return last;
  };
  if (!process.empty() && inCall(steps, process, decided)) {
    auto [before, after] = aroundDecision(steps, process, decided);
    std::size_t first = before;
    for (std::size_t i = before; i-- > 0;) {
      if (steps[i]["actor"] != process) continue;
      if (!sameCall(i, before)) break;
      first = i;
    }
    return {first, endOf(after) + 1};
  }
  // No call in progress: from the decision to the end of the next call.
  for (std::size_t i = decided; i < n; ++i)
    if (isCall(steps, i)) return {decided, endOf(i) + 1};
  return {std::min(decided, n - 1), n};
}

Window decidingWindow(const json& steps, std::size_t decided) {
  return decidingWindow(steps, decided, interruptedProcess(steps, nullptr, decided));
}

Story storyOf(const json& trace) {
  Story story;
  story.branches[0] = &trace;
  const json& steps = trace["steps"];
  auto named = [](const json& list) { return std::any_of(list.begin(), list.end(), [](const json& st) { return st.contains("reads"); }); };
  story.reads = named(steps) || (trace.contains("other") && named(trace["other"]["steps"]));
  // Without reads a chain would be the last step alone: none is drawn.
  auto chainOf = [&](const json& mine, std::size_t end) {
    return story.reads ? dependencyChain(mine, {end}) : std::vector<bool>(mine.size(), false);
  };
  if (!trace.contains("decided_after")) {
    story.decided = steps.size();
    story.chains[0] = chainOf(steps, endingStep(steps, ""));
    story.windows[0] = {steps.size(), steps.size()};
    return story;
  }
  story.decided = trace["decided_after"].get<std::size_t>();
  story.branches[1] = &trace["other"];
  // One process's call for both windows: the one the decision interrupts.
  const std::string process = interruptedProcess(steps, &trace["other"]["steps"], story.decided);
  for (int b = 0; b < 2; ++b) {
    const json& mine = (*story.branches[b])["steps"];
    story.chains[b] = chainOf(mine, endingStep(mine, divergingField(*story.branches[b], *story.branches[1 - b])));
    story.windows[b] = decidingWindow(mine, story.decided, process);
  }
  return story;
}

std::vector<std::string> varyingFields(const json& result) {
  std::vector<std::string> fields;
  const json& outcomes = result["outcomes"];
  for (const auto& field : result["outcome_fields"]) {
    std::string name = field.get<std::string>();
    if (name == "result") continue;
    std::set<std::string> values;
    for (const auto& o : outcomes) values.insert(o["outcome"][name].get<std::string>());
    if (values.size() > 1) fields.push_back(name);
  }
  fields.emplace_back("result");
  return fields;
}

std::vector<SharedTrace> sharedTraces(const json& result, const std::string& property) {
  std::vector<SharedTrace> traces;
  for (const auto& p : result["properties"]) {
    if (!p.contains("counterexample") || (!property.empty() && p["name"] != property)) continue;
    const json& cex = p["counterexample"];
    auto same = std::find_if(traces.begin(), traces.end(), [&](const SharedTrace& t) { return (*t.trace)["steps"] == cex["steps"]; });
    if (same == traces.end()) {
      traces.push_back({p["name"].get<std::string>(), &cex});
      continue;
    }
    same->names += " and " + p["name"].get<std::string>();
    if (!same->trace->contains("decided_after") && cex.contains("decided_after")) same->trace = &cex;
  }
  return traces;
}

RowOptions storyRows(const Story& story, int b) {
  RowOptions options;
  if (b < 0) {
    options.chain = sharedChain(story);
    options.window = {story.windows[0].first, story.decided};
  } else {
    options.chain = story.chains[b];
    options.window = {std::max(story.decided, story.windows[b].first), story.windows[b].end};
  }
  return options;
}

std::vector<bool> sharedChain(const Story& story) {
  std::vector<bool> chain(story.chains[0].begin(), story.chains[0].begin() + static_cast<std::ptrdiff_t>(story.decided));
  if (story.branches[1])
    for (std::size_t i = 0; i < story.decided; ++i) chain[i] = chain[i] || story.chains[1][i];
  return chain;
}

std::vector<Dependency> drawnDependencies(const json& steps, const std::vector<bool>& chain, const Window& window, std::size_t from,
                                          std::size_t to) {
  std::vector<Dependency> out;
  std::set<std::pair<std::size_t, std::string>> seen;
  auto chained = [&](std::size_t i) { return i < chain.size() && chain[i]; };
  for (const auto& d : dependencies(steps)) {
    if (d.to < from || d.to >= to || steps[d.from]["actor"] == steps[d.to]["actor"]) continue;
    bool chain_link = chained(d.to) && chained(d.from);
    bool in_window = window.contains(d.to) && window.contains(d.from);
    if ((chain_link || in_window) && seen.insert({d.from, d.field}).second) out.push_back(d);
  }
  return out;
}

std::string Row::range() const { return std::to_string(first + 1) + (last > first ? "-" + std::to_string(last + 1) : ""); }

std::vector<Row> traceRows(const json& steps, std::size_t from, std::size_t to, const RowOptions& options) {
  std::vector<Call> cs = calls(steps, from, to, options);
  std::vector<Row> rows;
  for (std::size_t at = 0; at < cs.size();) {
    // The shortest block of calls that repeats, its indices moved on by one.
    std::size_t best_period = 0, best_reps = 1;
    for (std::size_t period = 1; options.fold && period <= 3 && best_period == 0; ++period) {
      std::size_t reps = 1;
      while (repeats(cs, at, period, reps)) ++reps;
      if (reps >= 2) best_period = period, best_reps = reps;
    }
    if (best_period == 0) {
      const Call& c = cs[at];
      bool continued = c.single && at > 0 && cs[at - 1].single && cs[at - 1].actor == c.actor && cs[at - 1].context == c.context &&
                       !c.context.empty();
      Row row{c.first, c.last, c.actor, callText(steps, c, continued, options.all_actions), valueChains(steps, c.first, c.last),
              c.on_chain, 1, false, 0, ""};
      row.window = c.single;
      row.summary = c.context.empty() ? joined(c.actions, ", ") : c.context;
      rows.push_back(std::move(row));
      ++at;
      continue;
    }
    std::vector<std::string> parts;
    const std::size_t last_block = at + (best_reps - 1) * best_period;
    for (std::size_t k = 0; k < best_period; ++k) {
      const Call& first = cs[at + k];
      const Call& last = cs[last_block + k];
      std::string text = ranged(indexed(first.context).pattern, indexed(first.context).numbers, indexed(last.context).numbers);
      if (first.actions.size() > 1 || best_period == 1) text += ": " + joined(first.actions, ", ");
      parts.push_back(text);
    }
    Row row{cs[at].first, cs[last_block + best_period - 1].last, cs[at].actor, joined(parts, "; "),
            foldedChains(steps, cs, at, best_period, best_reps), false, best_reps, false, 0, ""};
    if (best_period > 1) row.text = "for each: " + row.text;
    row.summary = best_period > 1 ? "for each: " : "";
    for (std::size_t k = 0; k < best_period; ++k) {
      const Call& first = cs[at + k];
      row.summary += (k ? "; " : "") + ranged(indexed(first.context).pattern, indexed(first.context).numbers,
                                              indexed(cs[last_block + k].context).numbers);
    }
    rows.push_back(std::move(row));
    at += best_period * best_reps;
  }
  if (!options.collapse) return rows;
  // Consecutive rows off the chain and outside the window: one row naming
  // them. Its parts name their actor where the actors differ, and always a
  // background actor's (its steps are not a system call).
  std::vector<Row> out;
  std::vector<std::vector<const Row*>> parts;
  for (Row& row : rows) {
    bool quiet = !row.on_chain && !row.window;
    if (quiet && !out.empty() && out.back().collapsed) {
      Row& into = out.back();
      into.last = row.last;
      if (into.actor != row.actor) into.actor = "";
      ++into.collapsed;
      parts.back().push_back(&row);
      continue;
    }
    if (quiet) {
      row.changes.clear();
      row.collapsed = 1;
    }
    out.push_back(row);
    parts.emplace_back();
    if (quiet) parts.back().push_back(&row);
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (!out[k].collapsed) continue;
    std::string text;
    for (const Row* part : parts[k]) {
      bool background = steps[part->first]["context"].get<std::string>().empty();
      bool named = background || (out[k].actor.empty() && part->actor != "test");
      text += (text.empty() ? "" : "; ") + (named ? part->actor + " " : "") + part->summary;
    }
    out[k].text = text;
  }
  return out;
}

std::string shellWord(const std::string& word) {
  bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_./=:,+-@%").find(c) != std::string_view::npos;
  });
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<std::string> foldIndexedValues(const std::vector<std::pair<std::string, std::string>>& items) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < items.size();) {
    Indexed first = indexed(items[i].first);
    std::size_t j = i + 1;
    if (first.numbers.size() == 1)
      while (j < items.size() && items[j].second == items[i].second) {
        Indexed next = indexed(items[j].first);
        if (next.pattern != first.pattern || next.numbers.size() != 1 ||
            next.numbers[0] != first.numbers[0] + static_cast<long>(j - i))
          break;
        ++j;
      }
    std::string name = j - i > 1 ? ranged(first.pattern, first.numbers, indexed(items[j - 1].first).numbers) : items[i].first;
    out.push_back(name + "=" + items[i].second);
    i = j;
  }
  return out;
}

std::vector<std::string> wrapText(const std::string& text, std::size_t width, const std::string& first, std::size_t indent) {
  std::vector<std::string> lines;
  std::string line = first;
  std::size_t start = line.size();
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t space = text.find(' ', i);
    std::string word = text.substr(i, space == std::string::npos ? std::string::npos : space - i);
    i = space == std::string::npos ? text.size() : space + 1;
    bool at_start = line.size() == start;
    if (word.empty()) {  // a run of spaces: kept inside a line, dropped at a break
      if (!at_start) line += ' ';
      continue;
    }
    while (line.size() > start && line.back() == ' ' && line.size() + word.size() > width) line.pop_back();
    if (!at_start && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line = std::string(indent, ' ');
      start = line.size();
      at_start = true;
    }
    line += (at_start ? "" : " ") + word;
  }
  lines.push_back(line);
  return lines;
}

}  // namespace fsrace::cli
