// Names, outcomes and field-by-field views of the model's states, for traces
// and for `fsrace list`. Nothing here takes part in exploration.
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "model/bcachefs/bcachefs_model.hpp"

namespace fsrace::model {
namespace {

using fsync_err::errnoName;


std::string seqText(std::uint8_t seq) { return std::to_string(seq); }

// A lock: 1 + the process holding it, or 0; shown as the holder's actor
// label ("test", "test1", ...).
std::string holderText(std::uint8_t holder) {
  if (holder == 0) return "-";
  return holder == 1 ? "test" : "test" + std::to_string(holder - 1U);
}
std::string flag(std::uint8_t value) { return value ? "1" : "0"; }

const char* fatalStepName(std::uint8_t step) {
  switch (static_cast<FatalStep>(step)) {
    case FatalStep::None: return "none";
    case FatalStep::EmergencyReadOnly: return "emergency_read_only";
    case FatalStep::Halt: return "journal_halt";
    case FatalStep::ErrSeq: return "err_seq";
  }
  return "?";
}

}  // namespace

const std::vector<ActionInfo>& actionTable() {
  static const std::vector<ActionInfo> table = {
#define FSRACE_ACTION(kind, actor, json, kernel, what, fix) {ActionKind::kind, Actor::actor, json, kernel, what, fix, ""},
#define FSRACE_HOOK(kind, json, point, kernel, what) {ActionKind::kind, Actor::Test, json, kernel, what, "", point},
#include "model/bcachefs/actions.def"
#undef FSRACE_HOOK
#undef FSRACE_ACTION
  };
  return table;
}

namespace {

ActionKind hookAt(std::string_view point) {
  for (const auto& info : actionTable())
    if (info.point == point) return info.kind;
  assert(false && "FSRACE_POINT_FIX names a point no FSRACE_HOOK has");
  return ActionKind::FsyncEntryHook;
}

}  // namespace

const std::vector<FixInfo>& fixTable() {
  static const std::vector<FixInfo> table = {
#define FSRACE_FIX(kind, json, what, origin) {Fix::kind, json, what, origin, std::nullopt},
#define FSRACE_POINT_FIX(kind, json, point, condition, err, what, origin) \
  {Fix::kind, json, what, origin, PointFix{hookAt(point), Condition::condition, err}},
#include "model/bcachefs/fixes.def"
#undef FSRACE_POINT_FIX
#undef FSRACE_FIX
  };
  return table;
}

const std::vector<ConditionInfo>& conditionTable() {
  static const std::vector<ConditionInfo> table = {
      {Condition::Always, "always", "every time the step runs"},
      {Condition::FsShutDown, "fs_shut_down", "BCH_FS_EMERGENCY_RO (BCH_FS_emergency_ro in 2024) is set (bch2_fs_emergency_read_only ran)"},
      {Condition::JournalHalted, "journal_halted", "bch2_journal_error() is non-zero (bch2_journal_halt ran)"},
      {Condition::WritesKilled, "writes_killed", "c->writes is killed (bch2_fs_read_only ran): a write reference would fail"},
      {Condition::JournalError, "journal_error", "j->err_seq is set: some journal sequence number will never be written"},
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

std::optional<std::pair<Actor, std::uint8_t>> parseActorLabel(const std::string& label) {
  for (std::size_t i = 0; i < kActorCount; ++i) {
    auto actor = static_cast<Actor>(i);
    std::size_t bound = actor == Actor::Test ? kMaxProcesses : actor == Actor::Writeback ? kMaxInodes : 0;
    if (auto who = fsync_err::labelIndex(label, std::string(actorName(actor)), bound)) return std::pair{actor, *who};
  }
  return std::nullopt;
}

std::string BcachefsModel::actorLabel(const Action& a) const {
  std::string name(actorName(a.actor));
  return a.who ? name + std::to_string(a.who) : name;
}

std::string BcachefsModel::processPrefix(std::size_t p) const { return fsync_err::processPrefix(p); }

std::vector<std::string> BcachefsModel::outcomeFields() const { return fsync_err::outcomeFields(program_); }

std::size_t BcachefsModel::outcomeIndex(std::size_t p, std::size_t op) const { return fsync_err::outcomeIndex(program_, p, op); }

std::size_t BcachefsModel::resultIndex(std::size_t p) const { return fsync_err::resultIndex(program_, p); }

bool BcachefsModel::passes(const State& s) const { return allPassed(program_, s); }

std::optional<Action> BcachefsModel::parseStep(const std::string& actor, std::size_t kind) const {
  auto parsed = parseActorLabel(actor);
  if (!parsed || kind >= actionTable().size()) return std::nullopt;
  return Action{static_cast<ActionKind>(kind), parsed->first, parsed->second};
}

std::vector<std::string> BcachefsModel::outcome(const State& s) const { return outcomeOf(program_, fsyncs_, s); }

Fields BcachefsModel::fields(const State& s) const {
  Fields out;
  auto add = [&](std::string name, std::string value) { out.emplace_back(std::move(name), std::move(value)); };
  for (std::size_t p = 0; p < program_.processes; ++p) {
    const Process& proc = s.proc[p];
    std::string pre = processPrefix(p);
    add(pre + "pc", std::to_string(proc.pc));
    add(pre + "fsync_step", std::string(actionTable()[static_cast<std::size_t>(nextFsyncStep(proc))].name));
    add(pre + "ret_wb", errnoName(proc.ret_wb));
    add(pre + "ret_meta", errnoName(proc.ret_meta));
    add(pre + "flush_seq", seqText(proc.flush_seq));
    add(pre + "journal_res.seq", seqText(proc.res_seq));
    add(pre + "new_key.bi_journal_seq", seqText(proc.key_seq));
  }
  for (std::size_t i = 0; i < program_.inodes; ++i) {
    const Inode& inode = s.inode[i];
    std::string pre = i ? "inode" + std::to_string(i) + "." : "";
    add(pre + "bi_journal_seq", seqText(inode.bi_journal_seq));
    add(pre + "I_DIRTY_SYNC", flag(inode.i_dirty_sync));
    add(pre + "pages_dirty", flag(inode.pages_dirty));
    add(pre + "data_write_in_flight", flag(inode.wb_in_flight));
    add(pre + "data_write_failed", flag(inode.wb_io_failed));
    add(pre + "mapping.wb_err", fsync_err::errseqText(inode.wb_err));
    if (program_.processes > 1) add(pre + "ei_update_lock", holderText(inode.update_lock));
  }
  if (program_.processes > 1)
    add("btree_write_lock", holderText(s.btree_write_locked));
  for (std::size_t p = 0; p < program_.processes; ++p) {
    for (std::size_t fd = 0; fd < program_.fds; ++fd) {
      std::string prefix = processPrefix(p) + "fd[" + std::to_string(fd) + "].";
      std::size_t slot = fdSlot(p, fd);
      add(prefix + "open", flag(fdOpen(s, slot)));
      add(prefix + "f_wb_err", fsync_err::errseqText(s.f_wb_err[slot]));
      add(prefix + "errors_reported", std::to_string(fdReports(s, slot)));
    }
  }
  add("journal.cur_seq", seqText(s.cur_seq));
  add("journal.entry_open", flag(s.entry_open));
  add("journal.entry_dirty", flag(s.entry_dirty));
  add("journal.res_held", std::to_string(s.res_held));
  add("journal.write_in_flight", s.write_in_flight ? seqText(s.write_seq) + (s.write_failed ? " (failing)" : "") : "none");
  add("flushed_seq_ondisk", seqText(s.flushed_seq_ondisk));
  add("err_seq", seqText(s.err_seq));
  add("journal_halted", flag(s.halted));
  add("journal.fatal_error_path", fatalStepName(s.journal_fatal));
  add("dirty_pins", std::to_string(s.dirty_pins));
  if (options_.split_reclaim) add("btree_node_pins", std::to_string(s.node_pins));
  if (options_.halted_entry_written)
    add("journal.halted_entry", (s.noflush & kWriteNoflush) ? "writing (noflush)" : (s.noflush & kHaltedEntryDirty) ? "dirty" : "none");
  add("reclaim.fatal_error_path", fatalStepName(s.reclaim_fatal));
  add("BCH_FS_EMERGENCY_RO", flag(s.emergency_ro));
  add("read_only_work_queued", flag(s.ro_work_queued));
  add("c->writes_killed", flag(s.writes_killed));
  add("error_table_loaded", flag(s.error_table_loaded));
  add("dm_table", s.table == static_cast<std::uint8_t>(DmTable::Error) ? "error" : "working");
  addResultFields(*this, s, out);
  return out;
}

std::vector<FieldChange> BcachefsModel::diff(const State& before, const State& after) const {
  return changedFields(*this, before, after);
}

std::string BcachefsModel::context(const State& before, const Action& a) const { return testContext(*this, before, a); }

}  // namespace fsrace::model

namespace fsrace::model {

std::vector<std::string> BcachefsModel::reads(const State& before, const Action& a) const {
  std::vector<std::string> out;
  auto add = [&](std::initializer_list<const char*> names) {
    for (const char* n : names) out.emplace_back(n);
  };
  const bool test = a.actor == Actor::Test;
  const std::size_t p = test ? a.who : 0;
  const std::string pre = test ? processPrefix(p) : "";
  const std::size_t inode_index = test ? inodeOf(p) : a.actor == Actor::Writeback ? a.who : 0;
  const std::string ino = inode_index ? "inode" + std::to_string(inode_index) + "." : "";
  auto inodeField = [&](const char* name) { out.push_back(ino + name); };
  auto procField = [&](const char* name) { out.push_back(pre + name); };
  auto fdField = [&](const char* name) {
    const Process& proc = before.proc[p];
    if (proc.pc < program_.ops.size())
      out.push_back(pre + "fd[" + std::to_string(program_.ops[proc.pc].fd) + "]." + name);
  };
  // A commit: refused once c->writes is killed or the journal halted; else
  // it reserves in the open entry, opening the next one if none is.
  // The pin it takes is a saturating increment: it reads the count.
  // The acting path's place on its fatal error path (journal or reclaim).
  auto fatalPath = [&] { add({a.actor == Actor::Journal ? "journal.fatal_error_path" : "reclaim.fatal_error_path"}); };
  auto commit = [&] { add({"c->writes_killed", "journal_halted", "journal.entry_open", "journal.cur_seq", "dirty_pins"}); };
  // A step that can end the fsync: bch2_fsync returns ret_wb ?: ret_meta ?:
  // the flush's error (the first two are 0 when it stops at the first
  // error), and since 2024 checks the file's errseq once more on the way out.
  // ret_wb and ret_meta are bch2_fsync's own locals (ret, ret2), assigned
  // by this call's steps: a zero is this call's (the model records changes
  // only, so a zero written over the zero the last fsync left would point
  // at that fsync); a non-zero one, at the step of this call that set it.
  auto fsyncResult = [&] {
    if (!stopsAtFirstError()) {
      if (before.proc[p].ret_wb) procField("ret_wb");
      if (before.proc[p].ret_meta) procField("ret_meta");
    }
    if (options_.version == Version::Y2024) {
      inodeField("mapping.wb_err");
      fdField("f_wb_err");
    }
  };
  // A commit step that can fail: the fsync ends there when it stops at the first error.
  auto commitFailure = [&] {
    if (stopsAtFirstError()) fsyncResult();
  };
  switch (a.kind) {
    case ActionKind::Open:
      inodeField("mapping.wb_err");
      if (before.proc[p].pc < program_.ops.size() && program_.ops[before.proc[p].pc].commits_inode) {
        commit();
        if (program_.processes > 1) add({"btree_write_lock"});
      }
      break;
    case ActionKind::Write:
    case ActionKind::Close:
    case ActionKind::SwitchTable:
      break;
    case ActionKind::Settle:  // waits until the background is quiescent (isQuiescent)
      for (std::size_t i = 0; i < program_.inodes; ++i) {
        std::string pre_i = i ? "inode" + std::to_string(i) + "." : "";
        out.push_back(pre_i + "pages_dirty");
        out.push_back(pre_i + "data_write_in_flight");
      }
      add({"journal.write_in_flight", "journal.entry_open", "journal.entry_dirty", "journal_halted", "dirty_pins",
           "journal.fatal_error_path", "reclaim.fatal_error_path", "read_only_work_queued"});
      if (options_.split_reclaim) add({"btree_node_pins"});
      if (options_.halted_entry_written) add({"journal.halted_entry"});
      break;
    // The fatal error path's steps run because the step before set the
    // actor's place on it: reclaim's node write or the journal write that
    // failed is what the shutdown depends on.
    case ActionKind::FsEmergencyReadOnly:
      fatalPath();
      break;
    case ActionKind::FsReadOnlyWork:
      add({"read_only_work_queued"});
      break;
    case ActionKind::FsyncEntryHook:
    case ActionKind::BeforeMemTriggersHook:
    case ActionKind::FlushInodeHook:
      if (a.kind == ActionKind::BeforeMemTriggersHook) commitFailure();
      else fsyncResult();
      for (const PointFix& f : point_fixes_) {
        if (f.point != a.kind) continue;
        switch (f.when) {
          case Condition::Always: break;
          case Condition::FsShutDown: add({"BCH_FS_EMERGENCY_RO"}); break;
          case Condition::JournalHalted: add({"journal_halted"}); break;
          case Condition::WritesKilled: add({"c->writes_killed"}); break;
          case Condition::JournalError: add({"err_seq"}); break;
        }
      }
      break;
    case ActionKind::FileWriteAndWait:
      inodeField("pages_dirty");
      inodeField("data_write_in_flight");
      inodeField("mapping.wb_err");
      fdField("f_wb_err");
      break;
    case ActionKind::SyncInodeMetadata:
      inodeField("I_DIRTY_SYNC");
      if (program_.processes > 1) inodeField("ei_update_lock");
      break;
    case ActionKind::TransCommitGetRw:
      add({"c->writes_killed"});
      commitFailure();
      break;
    case ActionKind::FlushInodeGetRw:
      add({"c->writes_killed"});
      fsyncResult();
      break;
    case ActionKind::TransJournalPreresGet:
    case ActionKind::TransJournalErrorRecheck:
      add({"journal_halted"});
      commitFailure();
      break;
    case ActionKind::TransLockWrite:
      if (program_.processes > 1) add({"btree_write_lock"});
      break;
    case ActionKind::TransJournalResGet:
      add({"journal_halted", "journal.entry_open", "journal.cur_seq"});
      commitFailure();
      break;
    case ActionKind::RunMemTriggers:
      procField("journal_res.seq");
      break;
    case ActionKind::BtreeInsertKeyCached:
      procField("new_key.bi_journal_seq");
      procField("journal_res.seq");
      add({"journal.entry_open", "journal.cur_seq", "dirty_pins"});  // the key's pin: a saturating increment
      if (options_.halted_entry_written) add({"journal_halted"});
      break;
    case ActionKind::TransUnlockResPut:
      break;
    case ActionKind::InodeFindByInum:
      inodeField("bi_journal_seq");
      break;
    case ActionKind::JournalFlushSeq:
      procField("flush_seq");
      add({"flushed_seq_ondisk"});
      if (hasFix(Fix::FlushReportsJournalError)) add({"journal_halted"});
      fsyncResult();
      break;
    case ActionKind::JournalFlushSeqAsync:
      procField("flush_seq");
      add({"err_seq", "flushed_seq_ondisk"});
      if (hasFix(Fix::FlushReportsJournalError) || options_.version == Version::Y2024) add({"journal_halted"});
      if (options_.version == Version::Y2024) add({"journal.write_in_flight"});
      fsyncResult();
      break;
    case ActionKind::Writepages:
      inodeField("pages_dirty");
      inodeField("data_write_in_flight");
      add({"dm_table"});
      break;
    case ActionKind::WriteIndexUpdate:
      inodeField("data_write_in_flight");
      inodeField("data_write_failed");
      commit();
      if (options_.split_reclaim) add({"btree_node_pins"});  // the extents leaf's pin
      if (program_.processes > 1) add({"btree_write_lock"});
      if (hasFix(Fix::DataWriteErrorShutsDown) && options_.halted_entry_written) add({"journal.entry_dirty"});
      break;
    case ActionKind::WritebackInode:
      inodeField("I_DIRTY_SYNC");
      commit();
      if (program_.processes > 1) {
        inodeField("ei_update_lock");
        add({"btree_write_lock"});
      }
      break;
    case ActionKind::JournalWrite:
      add({"journal.entry_open", "journal.entry_dirty", "journal.res_held", "journal.cur_seq", "dm_table", "journal.write_in_flight"});
      if (options_.halted_entry_written) add({"journal.halted_entry"});
      break;
    case ActionKind::JournalWriteDone:
      add({"journal.write_in_flight"});
      if (options_.version == Version::Y2024) add({"err_seq"});
      if (options_.halted_entry_written) add({"journal.halted_entry"});
      break;
    case ActionKind::JournalWriteDoneErrSeq:
      add({"journal.fatal_error_path", "journal.write_in_flight", "err_seq"});
      break;
    case ActionKind::JournalReclaimKeyCache:
      add({"dirty_pins", "btree_node_pins", "journal_halted"});  // moves a pin to the node: a saturating increment
      if (!options_.reclaim_before_switch) add({"error_table_loaded"});
      if (program_.processes > 1) add({"btree_write_lock"});
      if (options_.version == Version::Y2023) add({"journal.entry_open", "journal.cur_seq"});
      break;
    case ActionKind::JournalReclaim:
      add({"dm_table", options_.split_reclaim ? "btree_node_pins" : "dirty_pins", "journal_halted"});
      if (!options_.reclaim_before_switch) add({"error_table_loaded"});
      break;
    case ActionKind::JournalHalt:
      fatalPath();
      add({"journal.entry_open", "journal.cur_seq", "err_seq", "journal_halted", "c->writes_killed"});
      if (options_.halted_entry_written) add({"journal.entry_dirty"});
      break;
  }
  return out;
}

}  // namespace fsrace::model
