// Names, outcomes and field-by-field views of the model's states, for traces
// and for `fsrace list`. Nothing here takes part in exploration.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "model/bcachefs_model.hpp"

namespace fsrace::model {
namespace {

std::string errnoName(int err) {
  switch (err) {
    case 0: return "0";
    case EIO: return "EIO";
    case EROFS: return "EROFS";
    default: return "errno " + std::to_string(err);
  }
}

std::string errseqText(errseq_t value) {
  if (value == 0) return "0";
  std::ostringstream out;
  out << errnoName(value & kErrseqMaxErrno);
  if (value & kErrseqSeen) out << "|SEEN";
  out << "#" << (value / kErrseqCtrInc);
  return out.str();
}

std::string seqText(std::uint8_t seq) { return std::to_string(seq); }
std::string flag(std::uint8_t value) { return value ? "1" : "0"; }

// fsync-err prints "%m" as strerror(errno) and "%d" as the fd index.
std::string formatFailure(const std::string& format, int fd, Ret ret) {
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      out += format[i];
      continue;
    }
    char spec = format[++i];
    if (spec == 'd') out += std::to_string(fd);
    else if (spec == 'm') out += ret == Ret::Eio ? "Input/output error" : ret == Ret::Erofs ? "Read-only file system" : "Success";
    else out += std::string{'%', spec};
  }
  return out;
}

const char* fatalStepName(std::uint8_t step) {
  switch (static_cast<FatalStep>(step)) {
    case FatalStep::None: return "none";
    case FatalStep::EmergencyReadOnly: return "emergency_read_only";
    case FatalStep::Halt: return "journal_halt";
    case FatalStep::ErrSeq: return "err_seq";
  }
  return "?";
}

const char* fsyncStepName(std::uint8_t step) {
  static const char* const kNames[] = {
      "file_write_and_wait_range", "sync_inode_metadata", "trans_commit_get_rw", "trans_lock_write",
      "trans_journal_res_get",     "trans_journal_error_recheck", "run_mem_triggers", "btree_insert_key_cached",
      "trans_unlock_res_put",      "flush_inode_check_shutdown", "flush_inode_get_rw", "inode_find_by_inum", "journal_flush_seq",
      "journal_flush_seq_async"};
  return step < std::size(kNames) ? kNames[step] : "?";
}

}  // namespace

const std::vector<ActionInfo>& actionTable() {
  static const std::vector<ActionInfo> table = {
#define FSRACE_ACTION(kind, actor, json, kernel, what, fix) {ActionKind::kind, Actor::actor, json, kernel, what, fix},
#include "model/actions.def"
#undef FSRACE_ACTION
  };
  return table;
}

const std::vector<FixInfo>& fixTable() {
  static const std::vector<FixInfo> table = {
#define FSRACE_FIX(kind, json, what, origin) {Fix::kind, json, what, origin},
#include "model/fixes.def"
#undef FSRACE_FIX
  };
  return table;
}

std::string_view actorName(Actor actor) {
  switch (actor) {
    case Actor::Test: return "test";
    case Actor::Writeback: return "writeback";
    case Actor::Journal: return "journal";
    case Actor::Reclaim: return "reclaim";
    case Actor::ReadOnlyWork: return "ro_work";
    case Actor::Any: return "any";
  }
  return "?";
}

std::string BcachefsModel::retName(Ret ret) {
  switch (ret) {
    case Ret::NotRun: return "-";
    case Ret::Ok: return "0";
    case Ret::Eio: return "EIO";
    case Ret::Erofs: return "EROFS";
  }
  return "?";
}

std::vector<std::string> BcachefsModel::outcomeFields() const {
  std::vector<std::string> names;
  for (const Op& op : program_.ops)
    if (op.kind == OpKind::Fsync) names.push_back(op.label);
  names.push_back("result");
  return names;
}

std::vector<std::string> BcachefsModel::outcome(const State& s) const {
  std::vector<std::string> values;
  for (const Op& op : program_.ops)
    if (op.kind == OpKind::Fsync) values.push_back(retName(result(s, op.result_slot)));
  if (s.failed_op == 0) {
    values.push_back(program_.passed);
    return values;
  }
  const Op& failed = program_.ops[s.failed_op - 1U];
  Ret ret = failed.kind == OpKind::Fsync ? result(s, failed.result_slot) : Ret::Erofs;
  values.push_back(formatFailure(failed.failure, failed.fd, ret));
  return values;
}

std::vector<std::pair<std::string, std::string>> BcachefsModel::fields(const State& s) const {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](std::string name, std::string value) { out.emplace_back(std::move(name), std::move(value)); };
  add("pc", std::to_string(s.pc));
  add("fsync_step", fsyncStepName(s.step));
  add("ret_wb", errnoName(s.ret_wb));
  add("ret_meta", errnoName(s.ret_meta));
  add("flush_seq", seqText(s.flush_seq));
  add("journal_res.seq", seqText(s.res_seq));
  add("new_key.bi_journal_seq", seqText(s.key_seq));
  add("bi_journal_seq", seqText(s.bi_journal_seq));
  add("I_DIRTY_SYNC", flag(s.i_dirty_sync));
  add("pages_dirty", flag(s.pages_dirty));
  add("data_write_in_flight", flag(s.wb_in_flight));
  add("data_write_failed", flag(s.wb_io_failed));
  add("mapping.wb_err", errseqText(s.wb_err));
  for (std::size_t fd = 0; fd < program_.fds; ++fd) {
    std::string prefix = "fd[" + std::to_string(fd) + "].";
    add(prefix + "open", flag(fdOpen(s, fd)));
    add(prefix + "f_wb_err", errseqText(s.f_wb_err[fd]));
    add(prefix + "errors_reported", std::to_string(fdReports(s, fd)));
  }
  add("journal.cur_seq", seqText(s.cur_seq));
  add("journal.entry_open", flag(s.entry_open));
  add("journal.entry_dirty", flag(s.entry_dirty));
  add("journal.res_held", flag(s.res_held));
  add("journal.write_in_flight", s.write_in_flight ? seqText(s.write_seq) + (s.write_failed ? " (failing)" : "") : "none");
  add("flushed_seq_ondisk", seqText(s.flushed_seq_ondisk));
  add("err_seq", seqText(s.err_seq));
  add("journal_halted", flag(s.halted));
  add("journal.fatal_error_path", fatalStepName(s.journal_fatal));
  add("dirty_pins", std::to_string(s.dirty_pins));
  add("reclaim.fatal_error_path", fatalStepName(s.reclaim_fatal));
  add("BCH_FS_EMERGENCY_RO", flag(s.emergency_ro));
  add("read_only_work_queued", flag(s.ro_work_queued));
  add("c->writes_killed", flag(s.writes_killed));
  add("error_table_loaded", flag(s.error_table_loaded));
  add("dm_table", s.table == static_cast<std::uint8_t>(DmTable::Error) ? "error" : "working");
  for (const Op& op : program_.ops)
    if (op.kind == OpKind::Fsync) add(op.label, retName(result(s, op.result_slot)));
  return out;
}

std::vector<FieldChange> BcachefsModel::diff(const State& before, const State& after) const {
  auto a = fields(before);
  auto b = fields(after);
  std::vector<FieldChange> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].second == b[i].second || a[i].first == "pc" || a[i].first == "fsync_step") continue;
    out.push_back({a[i].first, a[i].second, b[i].second});
  }
  return out;
}

std::string BcachefsModel::context(const State& before, const Action& a) const {
  if (a.actor != Actor::Test || isTerminal(before)) return "";
  const Op& op = program_.ops[before.pc];
  std::string fd = "fd[" + std::to_string(op.fd) + "]";
  switch (op.kind) {
    case OpKind::Open: return std::string(op.commits_inode ? "open(O_CREAT|O_TRUNC) " : "open ") + fd;
    case OpKind::Write: return "pwrite " + fd;
    case OpKind::SwitchTable: return op.table == DmTable::Error ? "load_error_table" : "load_working_table";
    case OpKind::Close: return "close " + fd;
    case OpKind::Settle: return "settle";
    case OpKind::Fsync: return "fsync " + fd + " (" + op.label + ")";
  }
  return "";
}

}  // namespace fsrace::model
