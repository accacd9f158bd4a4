// fstests' fsync-err as a program: the reader of a spec's "program", and the
// outcome fields and messages that program prints.
#include "model/common/fsync_err.hpp"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <set>

#include "model/common/errseq.hpp"
#include "specs/json_reader.hpp"

namespace fsrace::model {
namespace {

using nlohmann::json;
using specs::JsonReader;
using specs::Parameters;
using specs::pointerJoin;
using specs::typeName;

const std::vector<std::string> kOpNames = {"open", "write", "fsync", "switch_table", "close", "settle"};

class ProgramReader {
 public:
  ProgramReader(const JsonReader& r, const Parameters& p, Program& program)
      : r_(r), fds_(p.integer("fds")), processes_(p.integer("processes")), rounds_(p.integer("rounds")), mode_(p.text("mode")),
        program_(program) {
    program_.fds = static_cast<std::uint8_t>(fds_);
    program_.processes = static_cast<std::uint8_t>(processes_);
    program_.inodes = static_cast<std::uint8_t>(p.integer("inodes"));
    program_.rounds = static_cast<std::uint8_t>(rounds_);
    open_.assign(static_cast<std::size_t>(fds_), false);
  }

  void read(const json& program, const std::string& at) {
    r_.requireArray(program, at);
    if (program.empty()) r_.fail(at, "empty program (expected at least one operation)");
    for (std::size_t i = 0; i < program.size(); ++i) readItem(program[i], pointerJoin(at, i));
    if (program_.ops.size() >= kMaxOps - 64)  // room for the settles a fix inserts
      r_.fail(at, "expands to " + std::to_string(program_.ops.size()) + " operations (expected fewer than " +
                      std::to_string(kMaxOps - 64) + ")");
  }

 private:
  // An operation or loop with "mode": "full" exists only in that mode of
  // fsync-err (and likewise "simple").
  bool inMode(const json& item, const std::string& at) {
    if (!r_.has(item, "mode")) return true;
    return r_.oneOf(item, at, "mode", {"simple", "full"}) == mode_;
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
      for (round_ = 1; round_ <= rounds_; ++round_)
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
      for (int fd = 0; fd < fds_; ++fd)
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
    return r_.integer(item, at, "fd", 0, fds_ - 1);
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
      op.expect = expect == "success" ? Expect::Success : expect == "error" ? Expect::Error : Expect::Any;
      op.label = readLabel(item, at) + (loop_fd >= 0 ? "[" + std::to_string(loop_fd) + "]" : "") +
                 (round_ > 0 && rounds_ > 1 ? "@" + std::to_string(round_) : "");
      op.failure = op.expect == Expect::Any ? "" : r_.string(item, at, "message");
      if (!labels_.insert(op.label).second) r_.fail(pointerJoin(at, "label"), "duplicate label \"" + op.label + "\" (expected unique fsync labels)");
      op.result_slot = static_cast<std::uint8_t>(results_++);
      std::size_t all = results_ * static_cast<std::size_t>(processes_);
      if (all > kMaxResults)
        r_.fail(at, "too many fsyncs: " + std::to_string(all) + " over all processes (expected at most " +
                        std::to_string(kMaxResults) + ")");
    } else if (name == "switch_table") {
      r_.checkKeys(item, at, {"op", "table", "mode"});
      op.kind = OpKind::SwitchTable;
      op.table = r_.oneOf(item, at, "table", {"working", "error"}) == "error" ? DmTable::Error : DmTable::Working;
    } else {
      r_.checkKeys(item, at, {"op", "mode"});
      op.kind = OpKind::Settle;
    }
    program_.ops.push_back(std::move(op));
  }

  // A label is a plain word other than "result": the outcome field's name,
  // to which a loop adds "[fd]", a repeat "@round" and another process its
  // actor's "test1.", so no label can spell another's field.
  std::string readLabel(const json& item, const std::string& at) {
    std::string label = r_.string(item, at, "label");
    auto word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
    if (label.empty() || label.size() > 64 || !std::all_of(label.begin(), label.end(), word))
      r_.fail(pointerJoin(at, "label"), "\"" + label + "\" is not a label (expected 1 to 64 letters, digits and \"_\")");
    // The field of the line the process prints.
    if (label == "result") r_.fail(pointerJoin(at, "label"), "\"result\" is reserved (expected another label)");
    return label;
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
  int fds_, processes_, rounds_;
  std::string mode_;
  Program& program_;
  std::vector<bool> open_;
  std::set<std::string> labels_;
  std::size_t results_ = 0;
  int round_ = 0;  // inside a repeat block: its round, from 1
};

}  // namespace

namespace fsync_err {

const std::vector<std::string>& opNames() { return kOpNames; }

const specs::ParameterInfo& parameter(const std::string& name) {
  using Type = specs::ParameterInfo::Type;
  static const std::vector<specs::ParameterInfo> table = {
      {"fds", Type::Integer, 1, static_cast<int>(kMaxFds), {}, 10, "number of fds fsync-err opens (-n)", ""},
      {"mode", Type::Choice, 0, 0, {"simple", "full"}, "simple",
       "fsync-err -s (what generic/441 runs on bcachefs) or the full program", ""},
      {"processes", Type::Integer, 1, static_cast<int>(kMaxProcesses), {}, 1,
       "test processes, each running the program on its own fds; table switches and settles are barriers taken once", ""},
      {"inodes", Type::Integer, 1, static_cast<int>(kMaxInodes), {}, 1, "files; process p uses file p % inodes", "1..processes"},
      // Errors reported per fd are counted in 3 bits: at most 4 rounds.
      {"rounds", Type::Integer, 1, 4, {}, 1,
       "times each \"repeat\" block of the program runs (fsync labels get @round when above 1)", ""},
  };
  auto it = std::find_if(table.begin(), table.end(), [&](const auto& info) { return info.name == name; });
  assert(it != table.end() && "not a parameter of fsync-err");
  return *it;
}

void checkParameters(const JsonReader& r, const Parameters& p, const std::string& at) {
  int fds = p.integer("fds"), processes = p.integer("processes"), inodes = p.integer("inodes");
  if (inodes > processes)
    r.fail(pointerJoin(at, "inodes"), std::to_string(inodes) + " files for " + std::to_string(processes) +
                                          " processes (expected at most one file per process)");
  if (fds * processes > static_cast<int>(kMaxFds))
    r.fail(pointerJoin(at, "fds"), std::to_string(fds) + " fds in each of " + std::to_string(processes) +
                                       " processes (expected at most " + std::to_string(kMaxFds) + " fds in all)");
}

std::shared_ptr<const Program> readProgram(const JsonReader& r, const json& doc, const std::string& at, const Parameters& p) {
  if (!doc.contains("program")) r.fail(at, "missing (required)");
  auto program = std::make_shared<Program>();
  ProgramReader(r, p, *program).read(doc.at("program"), at);
  return program;
}

const Program& programOf(const specs::Spec& spec) {
  const auto* program = dynamic_cast<const Program*>(spec.scenario.get());
  assert(program && "the spec's scenario is not an fsync-err program");
  return *program;
}

std::size_t fsyncCount(const Program& program) {
  return static_cast<std::size_t>(std::count_if(program.ops.begin(), program.ops.end(), [](const Op& op) { return op.kind == OpKind::Fsync; }));
}

std::string processPrefix(std::size_t p) { return p ? "test" + std::to_string(p) + "." : ""; }

std::vector<std::string> outcomeFields(const Program& program) {
  std::vector<std::string> names;
  for (std::size_t p = 0; p < program.processes; ++p)
    for (const Op& op : program.ops)
      if (op.kind == OpKind::Fsync) names.push_back(processPrefix(p) + op.label);
  for (std::size_t p = 0; p < program.processes; ++p) names.push_back(processPrefix(p) + "result");
  return names;
}

std::size_t outcomeIndex(const Program& program, std::size_t p, std::size_t op) {
  assert(program.ops[op].kind == OpKind::Fsync && "an outcome field is an fsync's result");
  return p * fsyncCount(program) + program.ops[op].result_slot;
}

std::size_t resultIndex(const Program& program, std::size_t p) { return program.processes * fsyncCount(program) + p; }

std::string errnoName(int err) {
  switch (err) {
    case 0: return "0";
    case EIO: return "EIO";
    case EROFS: return "EROFS";
    default: return "errno " + std::to_string(err);
  }
}

std::string errseqText(std::uint16_t value) {
  if (value == 0) return "0";
  std::string out = errnoName(value & kErrseqMaxErrno);
  if (value & kErrseqSeen) out += "|SEEN";
  return out + "#" + std::to_string(value / kErrseqCtrInc);
}

std::string formatFailure(const std::string& format, int fd, int err) {
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      out += format[i];
      continue;
    }
    char spec = format[++i];
    if (spec == 'd') out += std::to_string(fd);
    else if (spec == 'm') out += err == EIO ? "Input/output error" : err == EROFS ? "Read-only file system" : "Success";
    else out += std::string{'%', spec};
  }
  return out;
}

std::vector<std::size_t> healedFsyncOps(const Program& program) {
  std::size_t heal = program.ops.size();
  for (std::size_t i = 0; i < program.ops.size(); ++i)
    if (program.ops[i].kind == OpKind::SwitchTable && program.ops[i].table == DmTable::Working) heal = i;
  std::vector<std::size_t> ops;
  for (std::size_t i = heal; i < program.ops.size(); ++i)
    if (program.ops[i].kind == OpKind::Fsync) ops.push_back(i);
  return ops;
}

std::vector<std::array<std::uint8_t, kMaxProcesses>> processPermutations(const Program& program) {
  std::vector<std::array<std::uint8_t, kMaxProcesses>> out;
  std::array<std::uint8_t, kMaxProcesses> sigma{};
  std::size_t n = program.processes;
  auto inodeOf = [&](std::size_t p) { return p % program.inodes; };
  for (std::size_t p = 0; p < n; ++p) sigma[p] = static_cast<std::uint8_t>(p);
  do {
    std::array<int, kMaxInodes> image;
    image.fill(-1);
    bool consistent = true;
    for (std::size_t p = 0; p < n && consistent; ++p) {
      int& to = image[inodeOf(p)];
      int want = static_cast<int>(inodeOf(sigma[p]));
      consistent = to < 0 || to == want;
      to = want;
    }
    if (consistent) out.push_back(sigma);
  } while (std::next_permutation(sigma.begin(), sigma.begin() + static_cast<std::ptrdiff_t>(n)));
  return out;
}

std::string opContext(const Program& program, std::size_t p, std::size_t pc) {
  if (pc >= program.ops.size()) return "";
  const Op& op = program.ops[pc];
  std::string fd = "fd[" + std::to_string(op.fd) + "]";
  switch (op.kind) {
    case OpKind::Open: return std::string(op.commits_inode ? "open(O_CREAT|O_TRUNC) " : "open ") + fd;
    case OpKind::Write: return "pwrite " + fd;
    case OpKind::SwitchTable: return op.table == DmTable::Error ? "load_error_table" : "load_working_table";
    case OpKind::Close: return "close " + fd;
    case OpKind::Settle: return "settle";
    case OpKind::Fsync: return "fsync " + fd + " (" + processPrefix(p) + op.label + ")";
  }
  return "";
}

std::optional<std::uint8_t> labelIndex(const std::string& label, const std::string& name, std::size_t bound) {
  if (label.compare(0, name.size(), name) != 0) return std::nullopt;
  std::string rest = label.substr(name.size());
  if (rest.empty()) return std::uint8_t{0};
  if (rest.size() == 1 && rest[0] >= '1' && static_cast<std::size_t>(rest[0] - '0') < bound)
    return static_cast<std::uint8_t>(rest[0] - '0');
  return std::nullopt;
}

std::string keyOutcome(const std::vector<std::string>& fields) {
  for (const auto& f : fields)
    if (f.rfind("reopen_fsync", 0) == 0 || f.rfind("healed_fsync", 0) == 0) return f;
  return fields.size() >= 2 ? fields[fields.size() - 2] : "result";
}

}  // namespace fsync_err
}  // namespace fsrace::model
