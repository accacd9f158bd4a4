// Loading a spec file: strict, with a JSON pointer in every error.
#include "specs/spec.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "specs/json_reader.hpp"
#include "specs/parameters.hpp"
#include "specs/properties.hpp"

namespace fsrace::specs {
namespace {

using model::Op;
using model::OpKind;

const std::vector<std::string> kTopKeys = {"format", "name", "description", "extends", "model", "parameters",
                                           "program", "fixes", "properties", "expected_states"};
const std::vector<std::string> kOpNames = {"open", "write", "fsync", "switch_table", "close", "settle"};
const std::vector<std::string> kVerdicts = {"holds", "violated"};
const std::vector<std::string> kConditionKinds = {"exists", "forall", "not_exists", "deterministic"};
constexpr int kMaxFdsParam = static_cast<int>(model::kMaxFds);

void readParameters(const JsonReader& r, const json& object, const std::string& at, Parameters& p) {
  r.requireObject(object, at);
  std::vector<std::string> names;
  for (const auto& info : parameterTable()) names.emplace_back(info.name);
  r.checkKeys(object, at, names);
  for (const auto& info : parameterTable()) {
    if (!r.has(object, info.name)) continue;
    if (auto m = std::get_if<int Parameters::*>(&info.member)) p.**m = r.integer(object, at, info.name, info.min, info.max);
    if (auto m = std::get_if<bool Parameters::*>(&info.member)) p.**m = r.boolean(object, at, info.name);
    if (auto m = std::get_if<std::string Parameters::*>(&info.member)) p.**m = r.oneOf(object, at, info.name, info.choices);
  }
}

// Limits that involve several parameters, checked once all are known.
void checkParameterCombination(const JsonReader& r, const Parameters& p, const std::string& at = "/parameters") {
  if (p.inodes > p.processes)
    r.fail(pointerJoin(at, "inodes"), std::to_string(p.inodes) + " files for " + std::to_string(p.processes) +
                                          " processes (expected at most one file per process)");
  if (p.fds * p.processes > kMaxFdsParam)
    r.fail(pointerJoin(at, "fds"), std::to_string(p.fds) + " fds in each of " + std::to_string(p.processes) +
                                       " processes (expected at most " + std::to_string(kMaxFdsParam) + " fds in all)");
}

// --set KEY=VALUE: the value is parsed as JSON where it can be ("10", "true"),
// else taken as a string ("full").
void applyOverride(const std::string& text, Parameters& p) {
  JsonReader r("--set " + text);
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) r.fail("", "expected KEY=VALUE");
  std::string key = text.substr(0, eq);
  std::string raw = text.substr(eq + 1);
  if (raw.empty() || raw.find_first_of(" \t\r\n") != std::string::npos) r.fail("", "expected KEY=VALUE with a value and no spaces");
  json value = json::parse(raw, nullptr, false);
  if (value.is_discarded()) value = raw;
  json object = json::object({{key, value}});
  readParameters(r, object, "/parameters", p);
}

class ProgramReader {
 public:
  ProgramReader(const JsonReader& r, const Parameters& p, Spec& spec) : r_(r), params_(p), spec_(spec) {
    spec_.program.fds = static_cast<std::uint8_t>(p.fds);
    spec_.program.processes = static_cast<std::uint8_t>(p.processes);
    spec_.program.inodes = static_cast<std::uint8_t>(p.inodes);
    spec_.program.rounds = static_cast<std::uint8_t>(p.rounds);
    open_.assign(static_cast<std::size_t>(p.fds), false);
  }

  void read(const json& program, const std::string& at) {
    r_.requireArray(program, at);
    if (program.empty()) r_.fail(at, "empty program (expected at least one operation)");
    for (std::size_t i = 0; i < program.size(); ++i) readItem(program[i], pointerJoin(at, i));
    checkJournalSeqBound(at);
    if (spec_.program.ops.size() >= model::kMaxOps - 64)  // room for the settles a fix inserts
      r_.fail(at, "expands to " + std::to_string(spec_.program.ops.size()) + " operations (expected fewer than " +
                      std::to_string(model::kMaxOps - 64) + ")");
  }

 private:
  // Journal sequence numbers are 8 bits in the model: each commit opens at
  // most one entry (an open that commits, an fsync's write_inode, a data
  // write's index update), so their count bounds the last sequence number.
  void checkJournalSeqBound(const std::string& at) const {
    std::size_t commits = 0;
    for (const Op& op : spec_.program.ops)
      commits += (op.kind == OpKind::Open && op.commits_inode) || op.kind == OpKind::Fsync || op.kind == OpKind::Write;
    commits *= static_cast<std::size_t>(params_.processes);
    if (commits + 2 > 240)
      r_.fail(at, "up to " + std::to_string(commits) + " commits over all processes (expected at most 238: the model's journal "
                  "sequence numbers are 8 bits)");
  }

  // An operation or loop with "mode": "full" exists only in that mode of
  // fsync-err (and likewise "simple").
  bool inMode(const json& item, const std::string& at) {
    if (!r_.has(item, "mode")) return true;
    return r_.oneOf(item, at, "mode", {"simple", "full"}) == params_.mode;
  }

  void readItem(const json& item, const std::string& at) {
    r_.requireObject(item, at);
    if (r_.has(item, "repeat")) {
      r_.checkKeys(item, at, {"repeat"});
      std::string body_at = pointerJoin(at, "repeat");
      const json& body = item.at("repeat");
      r_.requireArray(body, body_at);
      if (body.empty()) r_.fail(body_at, "empty repeat block (expected at least one operation)");
      if (round_ > 0) r_.fail(body_at, "nested repeat (expected one level)");
      for (round_ = 1; round_ <= params_.rounds; ++round_)
        for (std::size_t i = 0; i < body.size(); ++i) readItem(body[i], pointerJoin(body_at, i));
      round_ = 0;
      return;
    }
    if (r_.has(item, "for_each_fd")) {
      r_.checkKeys(item, at, {"for_each_fd", "mode"});
      if (!inMode(item, at)) return;
      std::string body_at = pointerJoin(at, "for_each_fd");
      const json& body = item.at("for_each_fd");
      r_.requireArray(body, body_at);
      if (body.empty()) r_.fail(body_at, "empty loop body (expected at least one operation)");
      for (int fd = 0; fd < params_.fds; ++fd)
        for (std::size_t i = 0; i < body.size(); ++i) readOp(body[i], pointerJoin(body_at, i), fd);
      return;
    }
    readOp(item, at, -1);
  }

  int readFd(const json& item, const std::string& at, int loop_fd) {
    std::string fd_at = pointerJoin(at, "fd");
    if (!r_.has(item, "fd")) r_.fail(fd_at, "missing (required)");
    const json& value = item.at("fd");
    if (value.is_string() && value.get<std::string>() == "i") {
      if (loop_fd < 0) r_.fail(fd_at, "\"i\" outside a for_each_fd loop (expected an fd number)");
      return loop_fd;
    }
    return r_.integer(item, at, "fd", 0, params_.fds - 1);
  }

  void requireOpen(int fd, bool want_open, const std::string& at) {
    bool is_open = open_[static_cast<std::size_t>(fd)];
    if (is_open == want_open) return;
    r_.fail(pointerJoin(at, "fd"), "fd " + std::to_string(fd) + (want_open ? " is not open here (expected an open fd)"
                                                                         : " is already open (expected a closed fd)"));
  }

  void readOp(const json& item, const std::string& at, int loop_fd) {
    r_.requireObject(item, at);
    if (r_.has(item, "for_each_fd")) r_.fail(pointerJoin(at, "for_each_fd"), "nested loop (expected an operation)");
    if (!inMode(item, at)) return;
    std::string name = r_.oneOf(item, at, "op", kOpNames);
    Op op;
    if (name == "open") {
      r_.checkKeys(item, at, {"op", "fd", "flags", "mode"});
      op.kind = OpKind::Open;
      op.fd = static_cast<std::uint8_t>(readFd(item, at, loop_fd));
      op.commits_inode = readOpenFlags(item, at);
      requireOpen(op.fd, false, at);
      open_[op.fd] = true;
    } else if (name == "write" || name == "close") {
      r_.checkKeys(item, at, {"op", "fd", "mode"});
      op.kind = name == "write" ? OpKind::Write : OpKind::Close;
      op.fd = static_cast<std::uint8_t>(readFd(item, at, loop_fd));
      requireOpen(op.fd, true, at);
      if (op.kind == OpKind::Close) open_[op.fd] = false;
    } else if (name == "fsync") {
      r_.checkKeys(item, at, {"op", "fd", "expect", "label", "message", "mode"});
      op.kind = OpKind::Fsync;
      op.fd = static_cast<std::uint8_t>(readFd(item, at, loop_fd));
      requireOpen(op.fd, true, at);
      std::string expect = r_.oneOf(item, at, "expect", {"success", "error", "any"});
      op.expect = expect == "success" ? model::Expect::Success : expect == "error" ? model::Expect::Error : model::Expect::Any;
      op.label = r_.string(item, at, "label") + (loop_fd >= 0 ? "[" + std::to_string(loop_fd) + "]" : "") +
                 (round_ > 0 && params_.rounds > 1 ? "@" + std::to_string(round_) : "");
      op.failure = op.expect == model::Expect::Any ? "" : r_.string(item, at, "message");
      if (!labels_.insert(op.label).second) r_.fail(pointerJoin(at, "label"), "duplicate label \"" + op.label + "\" (expected unique fsync labels)");
      if (op.label == "result") r_.fail(pointerJoin(at, "label"), "\"result\" is reserved (expected another label)");
      op.result_slot = static_cast<std::uint8_t>(results_++);
      std::size_t all = results_ * static_cast<std::size_t>(params_.processes);
      if (all > model::kMaxResults)
        r_.fail(at, "too many fsyncs: " + std::to_string(all) + " over all processes (expected at most " +
                        std::to_string(model::kMaxResults) + ")");
    } else if (name == "switch_table") {
      r_.checkKeys(item, at, {"op", "table", "mode"});
      op.kind = OpKind::SwitchTable;
      op.table = r_.oneOf(item, at, "table", {"working", "error"}) == "error" ? model::DmTable::Error : model::DmTable::Working;
    } else {
      r_.checkKeys(item, at, {"op", "mode"});
      op.kind = OpKind::Settle;
    }
    spec_.program.ops.push_back(std::move(op));
  }

  bool readOpenFlags(const json& item, const std::string& at) {
    if (!r_.has(item, "flags")) return false;
    std::string flags_at = pointerJoin(at, "flags");
    const json& flags = item.at("flags");
    r_.requireArray(flags, flags_at);
    bool commits = false;
    for (std::size_t i = 0; i < flags.size(); ++i) {
      std::string flag_at = pointerJoin(flags_at, i);
      if (!flags[i].is_string()) r_.fail(flag_at, typeName(flags[i]) + " (expected \"create\" or \"truncate\")");
      r_.oneOf(flags[i].get<std::string>(), flag_at, {"create", "truncate"});
      commits = true;
    }
    return commits;
  }

  const JsonReader& r_;
  const Parameters& params_;
  Spec& spec_;
  std::vector<bool> open_;
  std::set<std::string> labels_;
  std::size_t results_ = 0;
  int round_ = 0;  // inside a repeat block: its round, from 1
};

void readFixes(const JsonReader& r, const json& fixes, const std::string& at, Spec& spec) {
  r.requireArray(fixes, at);
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    std::string fix_at = pointerJoin(at, i);
    if (!fixes[i].is_string()) r.fail(fix_at, typeName(fixes[i]) + " (expected a fix name)");
    auto fix = fixByName(r.oneOf(fixes[i].get<std::string>(), fix_at, fixNames()));
    if (std::find(spec.fixes.begin(), spec.fixes.end(), *fix) != spec.fixes.end())
      r.fail(fix_at, "fix \"" + fixes[i].get<std::string>() + "\" listed twice");
    spec.fixes.push_back(*fix);
  }
}

std::vector<std::string> outcomeFieldsOf(const Spec& spec) {
  return model::BcachefsModel(spec.program, {}, {}).outcomeFields();
}

std::string readField(const JsonReader& r, const std::string& field, const std::string& at, const std::vector<std::string>& fields) {
  return r.oneOf(field, at, fields);
}

void readCondition(const JsonReader& r, const json& item, const std::string& at, const std::string& kind,
                   const std::vector<std::string>& fields, PropertySpec& ps) {
  std::string body_at = pointerJoin(at, kind);
  const json& body = item.at(kind);
  if (kind == "deterministic") {
    ps.kind = checker::PropertyKind::Deterministic;
    r.requireArray(body, body_at);
    if (body.empty()) r.fail(body_at, "empty projection (expected at least one outcome field)");
    for (std::size_t i = 0; i < body.size(); ++i) {
      if (!body[i].is_string()) r.fail(pointerJoin(body_at, i), typeName(body[i]) + " (expected an outcome field name)");
      ps.fields.push_back(readField(r, body[i].get<std::string>(), pointerJoin(body_at, i), fields));
    }
    return;
  }
  ps.kind = kind == "exists" ? checker::PropertyKind::Exists
          : kind == "forall" ? checker::PropertyKind::Forall
                             : checker::PropertyKind::NotExists;
  r.requireObject(body, body_at);
  if (body.empty()) r.fail(body_at, "empty condition (expected field: value pairs)");
  for (const auto& [field, value] : body.items()) {
    std::string field_at = pointerJoin(body_at, field);
    readField(r, field, field_at, fields);
    if (!value.is_string()) r.fail(field_at, typeName(value) + " (expected a result such as \"0\", \"EIO\" or \"EROFS\")");
    ps.where[field] = value.get<std::string>();
  }
}

// Names that become file names (a property's counterexample file, a
// scenario's folder) are plain words: no "/", no "..", nothing hidden.
bool isPlainName(const std::string& name, bool allow_dash_dot) {
  if (name.empty() || name.size() > 64) return false;
  auto word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
  if (!word(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return word(c) || (allow_dash_dot && (c == '-' || c == '.')); });
}

void readProperties(const JsonReader& r, const json& properties, const std::string& at, Spec& spec) {
  r.requireArray(properties, at);
  std::vector<std::string> builtin;
  for (const auto& named : namedProperties()) builtin.push_back(named.name);
  auto fields = outcomeFieldsOf(spec);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < properties.size(); ++i) {
    std::string item_at = pointerJoin(at, i);
    const json& item = properties[i];
    r.requireObject(item, item_at);
    r.checkKeys(item, item_at, {"name", "expect", "description", "exists", "forall", "not_exists", "deterministic"});
    PropertySpec ps;
    ps.name = r.string(item, item_at, "name");
    if (!isPlainName(ps.name, false))
      r.fail(pointerJoin(item_at, "name"), "\"" + ps.name + "\" is not a property name (expected 1 to 64 letters, digits and \"_\")");
    if (!seen.insert(ps.name).second) r.fail(pointerJoin(item_at, "name"), "property \"" + ps.name + "\" listed twice");
    if (r.has(item, "expect"))
      ps.expect = r.oneOf(item, item_at, "expect", kVerdicts) == "holds" ? checker::Verdict::Holds : checker::Verdict::Violated;
    if (r.has(item, "description")) ps.description = r.string(item, item_at, "description");
    std::vector<std::string> kinds;
    for (const auto& kind : kConditionKinds)
      if (r.has(item, kind.c_str())) kinds.push_back(kind);
    if (kinds.size() > 1) r.fail(pointerJoin(item_at, kinds[1]), "a property has one condition (expected only \"" + kinds[0] + "\")");
    if (kinds.empty()) {
      r.oneOf(ps.name, pointerJoin(item_at, "name"), builtin);
    } else {
      if (std::find(builtin.begin(), builtin.end(), ps.name) != builtin.end() || ps.name == "no_deadlock")
        r.fail(pointerJoin(item_at, "name"), "\"" + ps.name + "\" is a built-in property (expected a new name for a condition)");
      readCondition(r, item, item_at, kinds[0], fields, ps);
    }
    spec.properties.push_back(std::move(ps));
  }
}

}  // namespace

std::vector<std::string> fixNames() {
  std::vector<std::string> names;
  for (const auto& info : model::fixTable()) names.emplace_back(info.name);
  return names;
}

std::optional<model::Fix> fixByName(const std::string& name) {
  for (const auto& info : model::fixTable())
    if (info.name == name) return info.fix;
  return std::nullopt;
}

Parameters parseParameters(const std::string& file, const json& object, const std::string& at) {
  Parameters p;
  JsonReader r(file);
  readParameters(r, object, at, p);
  checkParameterCombination(r, p, at);
  return p;
}

model::ModelOptions modelOptions(const Spec& spec) {
  model::ModelOptions options;
  options.background_writeback = spec.parameters.background_writeback;
  options.reclaim_before_switch = spec.parameters.reclaim_before_switch;
  return options;
}

std::optional<std::string> suggest(const std::string& word, const std::vector<std::string>& candidates) {
  std::size_t best = word.size() / 3 + 2;
  std::optional<std::string> found;
  for (const auto& c : candidates) {
    std::vector<std::size_t> row(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (word[i - 1] == c[j - 1] ? 0u : 1u)});
        diag = up;
      }
    }
    if (row[c.size()] < best) {
      best = row[c.size()];
      found = c;
    }
  }
  return found;
}

namespace {

constexpr std::size_t kMaxExtends = 8;

// "extends": "other.json" takes the other spec's keys (resolved next to this
// file) and lets this one replace them; "parameters" are merged key by key.
json resolveExtends(const JsonReader& r, json doc, std::vector<std::string>& chain) {
  if (!doc.contains("extends")) return doc;
  if (!doc["extends"].is_string()) r.fail("/extends", typeName(doc["extends"]) + " (expected a spec file name)");
  std::string base_name = doc["extends"].get<std::string>();
  auto slash = r.file().find_last_of('/');
  std::string base_path = (slash == std::string::npos ? "" : r.file().substr(0, slash + 1)) + base_name;
  // One file, however it is spelt ("./a.json", "../specs/a.json", a link).
  auto identity = [](const std::string& path) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(path, ec);
    return ec ? path : canonical.string();
  };
  for (const auto& earlier : chain)
    if (identity(earlier) == identity(base_path))
      r.fail("/extends", "\"" + base_name + "\" extends itself through a cycle (expected a chain that ends)");
  if (chain.size() >= kMaxExtends)
    r.fail("/extends", "a chain of more than " + std::to_string(kMaxExtends) + " specs (expected a shorter one)");
  if (std::string why = whyUnreadable(base_path); !why.empty())
    r.fail("/extends", "cannot read \"" + base_path + "\": " + why + " (expected a spec file next to this one)");
  chain.push_back(base_path);
  JsonReader base_reader(base_path);
  json base = base_reader.parseFile();
  base_reader.requireObject(base, "");
  base_reader.checkKeys(base, "", kTopKeys);
  base = resolveExtends(base_reader, std::move(base), chain);
  json params = base.value("parameters", json::object());
  if (doc.contains("parameters")) {
    r.requireObject(doc["parameters"], "/parameters");
    for (const auto& [key, value] : doc["parameters"].items()) params[key] = value;
  }
  for (const auto& [key, value] : doc.items()) base[key] = value;
  base["parameters"] = params;
  base.erase("extends");
  base.erase("expected_states");
  if (doc.contains("expected_states")) base["expected_states"] = doc["expected_states"];
  return base;
}

}  // namespace

Spec loadSpec(const std::string& file, const std::vector<std::string>& overrides, const std::vector<std::string>& extra_fixes) {
  return loadSpecText(file, JsonReader(file).readFile(), overrides, extra_fixes);
}

Spec loadSpecText(const std::string& file, const std::string& text, const std::vector<std::string>& overrides,
                  const std::vector<std::string>& extra_fixes) {
  JsonReader r(file);
  json doc = r.parseText(text);
  r.requireObject(doc, "");
  r.checkKeys(doc, "", kTopKeys);
  std::vector<std::string> chain{file};
  doc = resolveExtends(r, std::move(doc), chain);
  Spec spec;
  spec.file = file;
  spec.inputs = chain;
  r.oneOf(doc, "", "format", {"fsrace.spec/1"});
  spec.name = r.string(doc, "", "name");
  if (spec.name.empty()) r.fail("/name", "empty name (expected a scenario name)");
  if (!isPlainName(spec.name, true))
    r.fail("/name", "\"" + spec.name + "\" is not a scenario name (expected 1 to 64 letters, digits, \"_\", \"-\" and \".\", not starting with \"-\" or \".\")");
  if (r.has(doc, "description")) spec.description = r.string(doc, "", "description");
  if (r.has(doc, "model")) spec.model = r.oneOf(doc, "", "model", {"bcachefs-2023"});
  if (r.has(doc, "parameters")) readParameters(r, doc.at("parameters"), "/parameters", spec.parameters);
  // A pinned state count holds for the file's own parameters only.
  if (r.has(doc, "expected_states") && overrides.empty() && extra_fixes.empty())
    spec.expected_states = static_cast<std::uint64_t>(r.integer(doc, "", "expected_states", 1, 2000000000));
  for (const auto& assignment : overrides) applyOverride(assignment, spec.parameters);
  checkParameterCombination(r, spec.parameters);
  if (!r.has(doc, "program")) r.fail("/program", "missing (required)");
  ProgramReader(r, spec.parameters, spec).read(doc.at("program"), "/program");
  if (r.has(doc, "fixes")) readFixes(r, doc.at("fixes"), "/fixes", spec);
  for (const auto& name : extra_fixes) {
    JsonReader flag("--fix " + name);
    auto fix = fixByName(flag.oneOf(name, "", fixNames()));
    if (std::find(spec.fixes.begin(), spec.fixes.end(), *fix) != spec.fixes.end())
      flag.fail("", "the spec applies this fix already (expected another fix, or none)");
    spec.fixes.push_back(*fix);
  }
  if (!r.has(doc, "properties")) r.fail("/properties", "missing (required)");
  readProperties(r, doc.at("properties"), "/properties", spec);
  return spec;
}

}  // namespace fsrace::specs
