// What a condition may say of an fsync-err program's outcome fields: the
// values each can take, and the field a misspelt name most likely means.
#include <algorithm>
#include <cerrno>
#include <utility>

#include "model/common/fsync_err.hpp"

namespace fsrace::model::fsync_err {

namespace {

// The process a field's prefix names and the rest: "test1.x" and the older
// "p1.x" give (1, "x"); "test.x" and "x" give (0, "x").
std::pair<std::size_t, std::string> splitProcess(const std::string& field) {
  for (const std::string name : {"test", "p"}) {
    if (field.rfind(name, 0) != 0) continue;
    std::size_t end = name.size();
    while (end < field.size() && end - name.size() < 2 && field[end] >= '0' && field[end] <= '9') ++end;
    bool numbered = end > name.size();
    if (end == field.size() || field[end] != '.' || (!numbered && name == "p")) continue;
    std::size_t p = numbered ? static_cast<std::size_t>(std::stoi(field.substr(name.size(), end - name.size()))) : 0;
    return {p, field.substr(end + 1)};
  }
  return {0, field};
}

std::vector<std::string> processFields(const Program& program) {
  std::vector<std::string> names;
  for (const Op& op : program.ops)
    if (op.kind == OpKind::Fsync) names.push_back(op.label);
  names.push_back("result");
  return names;
}

int errnoNumber(const std::string& name) { return name == "EIO" ? EIO : name == "EROFS" ? EROFS : 0; }

}  // namespace

std::optional<std::string> closestField(const Program& program, const std::string& field) {
  auto [p, rest] = splitProcess(field);
  if (p >= program.processes) return specs::suggest(field, outcomeFields(program));
  auto close = specs::suggest(rest, processFields(program));
  if (!close) return std::nullopt;
  return processPrefix(p) + *close;
}

bool isResultField(const Program& program, const std::string& field) {
  for (std::size_t p = 0; p < program.processes; ++p)
    if (field == processPrefix(p) + "result") return true;
  return false;
}

std::vector<std::string> fieldValues(const Program& program, const std::string& field, const std::vector<std::string>& errnos) {
  if (!isResultField(program, field)) {
    std::vector<std::string> values = {"0", "-"};
    values.insert(values.end(), errnos.begin(), errnos.end());
    return values;
  }
  std::vector<std::string> values = {program.passed};
  auto add = [&](const std::string& value) {
    if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
  };
  for (const Op& op : program.ops) {
    if (op.kind == OpKind::Open && op.commits_inode) add(formatFailure(op.failure, op.fd, EROFS));
    if (op.kind != OpKind::Fsync || op.expect == Expect::Any) continue;
    if (op.expect == Expect::Error) add(formatFailure(op.failure, op.fd, 0));
    if (op.expect == Expect::Success)
      for (const auto& name : errnos) add(formatFailure(op.failure, op.fd, errnoNumber(name)));
  }
  return values;
}

}  // namespace fsrace::model::fsync_err
