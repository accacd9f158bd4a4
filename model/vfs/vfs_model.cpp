// Guards and effects of the VFS model's steps; actions.def names the kernel
// function of each one.
#include "model/vfs/vfs_model.hpp"

#include <algorithm>
#include <cassert>
#include <cerrno>

namespace fsrace::model::vfs {
namespace {

using namespace inodebits;

bool has(const Inode& inode, std::uint8_t bit) { return inode.flags & bit; }
void set(Inode& inode, std::uint8_t bit, bool on) {
  inode.flags = static_cast<std::uint8_t>(on ? inode.flags | bit : inode.flags & ~bit);
}

bool isFsyncStep(ActionKind kind) {
  switch (kind) {
    case ActionKind::WriteAndWaitRange:
    case ActionKind::WriteAndWaitRangeAsEio:
    case ActionKind::SyncInodeMetadata:
    case ActionKind::CheckAndAdvanceWbErr:
    case ActionKind::CheckBdevError: return true;
    default: return false;
  }
}

}  // namespace

const std::vector<ActionInfo>& allActions() {
  static const std::vector<ActionInfo> table = {
#define FSRACE_ACTION(kind, actor, json, version, kernel, what) {ActionKind::kind, Actor::actor, json, Version::version, kernel, what},
#include "model/vfs/actions.def"
#undef FSRACE_ACTION
  };
  return table;
}

std::string_view actorName(Actor actor) { return actor == Actor::Test ? "test" : "writeback"; }

VfsModel::VfsModel(Program program, Options options) : program_(std::move(program)), options_(options) {
  assert(program_.ops.size() < kMaxOps && "program too long for the program counter");
  assert(std::size_t{program_.fds} * program_.processes <= kMaxFds && "too many fds over all processes");
  fsyncs_ = fsync_err::fsyncCount(program_);
  assert(fsyncs_ * program_.processes <= kMaxResults && "too many fsync results over all processes");
  index_.assign(allActions().size(), 0);
  for (const auto& info : allActions()) {
    if (info.version != Version::Both && info.version != options_.version) continue;
    index_[static_cast<std::size_t>(info.kind)] = table_.size();
    table_.push_back(info);
    if (isFsyncStep(info.kind)) fsync_steps_.push_back(info.kind);
  }
  permutations_ = fsync_err::processPermutations(program_);
}

State VfsModel::initialState() const {
  State s{};
  s.table = static_cast<std::uint8_t>(DmTable::Working);
  return s;
}

bool VfsModel::testWaitsForWriteback(const State& s, std::size_t inode) const {
  for (std::size_t p = 0; p < program_.processes; ++p) {
    const Process& proc = s.proc[p];
    if (proc.pc < program_.ops.size() && inodeOf(p) == inode && program_.ops[proc.pc].kind == OpKind::Fsync && proc.step == 0)
      return true;
  }
  return false;
}

bool VfsModel::isQuiescent(const State& s) const {
  for (std::size_t i = 0; i < program_.inodes; ++i)
    if (has(s.inode[i], kPagesDirty) || has(s.inode[i], kWbInFlight)) return false;
  return true;
}

void VfsModel::actions(const State& s, std::vector<Action>& sink) const {
  for (std::size_t p = 0; p < program_.processes; ++p) testActions(s, p, sink);
  for (std::size_t i = 0; i < program_.inodes; ++i) {
    const Inode& inode = s.inode[i];
    auto who = static_cast<std::uint8_t>(i);
    if (has(inode, kPagesDirty) && !has(inode, kWbInFlight) && (options_.background_writeback || testWaitsForWriteback(s, i)))
      sink.push_back({ActionKind::Writepages, Actor::Writeback, who});
    if (has(inode, kWbInFlight)) sink.push_back({errseq() ? ActionKind::EndWriteback : ActionKind::EndWritebackAsEio, Actor::Writeback, who});
    // The flusher also writes dirty inodes, and the block device's dirty buffers.
    if (options_.background_writeback && has(inode, kDirtySync)) sink.push_back({ActionKind::WriteInode, Actor::Writeback, who});
    if (options_.background_writeback && has(inode, kBufferDirty))
      sink.push_back({errseq() ? ActionKind::WriteInodeBuffer : ActionKind::WriteInodeBufferAsEio, Actor::Writeback, who});
  }
}

void VfsModel::testActions(const State& s, std::size_t p, std::vector<Action>& sink) const {
  const Process& proc = s.proc[p];
  if (proc.pc >= program_.ops.size()) return;
  const Op& op = program_.ops[proc.pc];
  const Inode& inode = s.inode[inodeOf(p)];
  auto add = [&](ActionKind kind) { sink.push_back({kind, Actor::Test, static_cast<std::uint8_t>(p)}); };
  switch (op.kind) {
    case OpKind::Open: add(errseq() ? ActionKind::Open : ActionKind::OpenAsEio); return;
    case OpKind::Write:
      add(ActionKind::Write);
      add(ActionKind::WriteDirtiesInode);
      return;
    case OpKind::Close: add(ActionKind::Close); return;
    case OpKind::SwitchTable:
      if (isBarrierTaker(program_, s, p)) add(ActionKind::SwitchTable);
      return;
    case OpKind::Settle:
      if (isBarrierTaker(program_, s, p) && isQuiescent(s)) add(ActionKind::Settle);
      return;
    case OpKind::Fsync: break;
  }
  ActionKind next = fsyncStepKind(proc.step);
  // Part 1 waits for the file's writeback (filemap_fdatawait_range).
  if (proc.step == 0 && (has(inode, kPagesDirty) || has(inode, kWbInFlight))) return;
  add(next);
}

State VfsModel::apply(const State& before, const Action& a) const {
  State s = before;
  if (a.actor == Actor::Test) {
    if (isFsyncStep(a.kind)) applyFsync(s, a.who, a.kind);
    else applyTest(s, a.who, a.kind);
    return s;
  }
  Inode& inode = s.inode[a.who];
  switch (a.kind) {
    case ActionKind::Writepages:
      set(inode, kPagesDirty, false);
      set(inode, kWbInFlight, true);
      set(inode, kWbIoFailed, s.table == static_cast<std::uint8_t>(DmTable::Error));
      if (has(inode, kWbIoFailed)) s.error_table_hit = 1;
      break;
    case ActionKind::EndWriteback:
    case ActionKind::EndWritebackAsEio:
      // A failed page is not redirtied: its data is lost, the error is the mapping's.
      if (has(inode, kWbIoFailed)) {
        if (a.kind == ActionKind::EndWriteback) inode.wb_err = errseqSet(inode.wb_err, EIO);
        else set(inode, kAsEio, true);
      }
      set(inode, kWbInFlight, false);
      set(inode, kWbIoFailed, false);
      break;
    case ActionKind::WriteInode:
      set(inode, kDirtySync, false);
      set(inode, kBufferDirty, true);
      break;
    case ActionKind::WriteInodeBuffer:
    case ActionKind::WriteInodeBufferAsEio:
      set(inode, kBufferDirty, false);
      if (s.table == static_cast<std::uint8_t>(DmTable::Error)) {
        s.error_table_hit = 1;
        s.bdev_error = 1;
        if (a.kind == ActionKind::WriteInodeBufferAsEio) s.bdev_as_eio = 1;
      }
      break;
    default:
      assert(false && "not a writeback step");
  }
  return s;
}

void VfsModel::applyTest(State& s, std::size_t p, ActionKind kind) const {
  Process& proc = s.proc[p];
  const Op& op = program_.ops[proc.pc];
  std::size_t fd = fdSlot(p, op.fd);
  Inode& inode = s.inode[inodeOf(p)];
  switch (kind) {
    case ActionKind::Open:
    case ActionKind::OpenAsEio:
      if (kind == ActionKind::Open) s.f_wb_err[fd] = errseqSample(inode.wb_err);
      s.fd_flags[fd] = fdbits::opened(s.fd_flags[fd]);
      break;
    case ActionKind::Write:
    case ActionKind::WriteDirtiesInode:
      set(inode, kPagesDirty, true);
      if (kind == ActionKind::WriteDirtiesInode) set(inode, kDirtySync, true);  // __mark_inode_dirty(I_DIRTY_SYNC)
      break;
    case ActionKind::Close:
      s.fd_flags[fd] = fdbits::closed(s.fd_flags[fd]);
      s.f_wb_err[fd] = 0;
      break;
    case ActionKind::SwitchTable:
    case ActionKind::Settle: {
      if (kind == ActionKind::SwitchTable) s.table = static_cast<std::uint8_t>(op.table);
      passBarrier(program_, s, proc.pc);
      return;
    }
    default:
      assert(false && "not a plain test operation");
  }
  ++proc.pc;
}

void VfsModel::applyFsync(State& s, std::size_t p, ActionKind kind) const {
  Process& proc = s.proc[p];
  const Op& op = program_.ops[proc.pc];
  std::size_t fd = fdSlot(p, op.fd);
  Inode& inode = s.inode[inodeOf(p)];
  auto reportFileError = [&]() {  // file_check_and_advance_wb_err
    ErrseqCheck check = errseqCheckAndAdvance(inode.wb_err, s.f_wb_err[fd]);
    inode.wb_err = check.current;
    s.f_wb_err[fd] = check.since;
    if (check.err) s.fd_flags[fd] = fdbits::reported(s.fd_flags[fd]);
    return check.err;
  };
  switch (kind) {
    case ActionKind::WriteAndWaitRange:
      if (int err = reportFileError()) return finishFsync(s, p, err);
      break;
    case ActionKind::WriteAndWaitRangeAsEio:
      if (has(inode, kAsEio)) {  // filemap_check_errors: test_and_clear_bit(AS_EIO)
        set(inode, kAsEio, false);
        s.fd_flags[fd] = fdbits::reported(s.fd_flags[fd]);
        return finishFsync(s, p, EIO);
      }
      break;
    case ActionKind::SyncInodeMetadata:
      if (has(inode, kDirtySync)) {
        // Cleared before ->write_inode; a failed write does not redirty.
        // ext2_write_inode marks the buffer dirty and, syncing, writes it.
        set(inode, kDirtySync, false);
        set(inode, kBufferDirty, false);
        if (s.table == static_cast<std::uint8_t>(DmTable::Error)) {
          proc.ret_meta = EIO;
          s.error_table_hit = 1;
        }
      }
      // ext2_fsync before 4.13: on EIO it returns at once, else it tests the block device.
      if (!errseq() && proc.ret_meta) return finishFsync(s, p, proc.ret_meta);
      break;
    case ActionKind::CheckBdevError:
      if (!s.bdev_as_eio) return finishFsync(s, p, 0);
      s.bdev_as_eio = 0;
      return finishFsync(s, p, EIO);
    case ActionKind::CheckAndAdvanceWbErr: {
      int err = reportFileError();
      return finishFsync(s, p, proc.ret_meta ? proc.ret_meta : err);
    }
    default:
      assert(false && "not an fsync step");
  }
  ++proc.step;
}

// fsync returns; fsync-err checks the result, and a failed check ends the process.
void VfsModel::finishFsync(State& s, std::size_t p, int err) const {
  s.proc[p].step = s.proc[p].ret_meta = 0;
  recordFsync(program_, fsyncs_, s, p, err);
}

State VfsModel::permute(const State& s, std::size_t g) const {
  const auto& sigma = permutations_[g];
  State t = s;
  for (std::size_t p = 0; p < program_.processes; ++p) {
    std::size_t q = sigma[p];
    t.proc[q] = s.proc[p];
    t.inode[inodeOf(q)] = s.inode[inodeOf(p)];
    for (std::size_t fd = 0; fd < program_.fds; ++fd) {
      t.f_wb_err[fdSlot(q, fd)] = s.f_wb_err[fdSlot(p, fd)];
      t.fd_flags[fdSlot(q, fd)] = s.fd_flags[fdSlot(p, fd)];
    }
    for (std::size_t k = 0; k < fsyncs_; ++k) setResultAt(t.results, resultSlot(q, k), result(s, resultSlot(p, k)));
  }
  return t;
}

// Whether process p is the only one still running on its file and no page of
// it is dirty or under writeback: then no writeback step can touch the
// file's mapping until p itself writes.
bool VfsModel::ownsInode(const State& s, std::size_t p) const {
  std::size_t i = inodeOf(p);
  for (std::size_t q = 0; q < program_.processes; ++q)
    if (q != p && inodeOf(q) == i && s.proc[q].pc < program_.ops.size()) return false;
  return !has(s.inode[i], kPagesDirty) && !has(s.inode[i], kWbInFlight);
}

// Local steps (checker::ReducibleModel): open and close are the only step
// their process can take at that pc, read and write only the process's own
// program counter and fd (and, for open under errseq, its file's wb_err,
// which only end_writeback writes: ownsInode rules that out until the
// process acts), and no other actor's step reads those. Not local: the last
// operation (the end of the program stops every actor), and, without
// background writeback, a step that leads into an fsync, whose first step
// lets the file's writeback run (testWaitsForWriteback).
std::optional<std::uint64_t> VfsModel::localStep(const State& s, const Action& a) const {
  if (a.actor != Actor::Test) return std::nullopt;
  const Process& proc = s.proc[a.who];
  std::size_t next = proc.pc + 1U;
  if (next >= program_.ops.size()) return std::nullopt;
  if (!options_.background_writeback && program_.ops[next].kind == OpKind::Fsync) return std::nullopt;
  switch (a.kind) {
    case ActionKind::Close:
    case ActionKind::OpenAsEio: return vars::kProcessControl | vars::kFds;
    case ActionKind::Open:
      if (!ownsInode(s, a.who)) return std::nullopt;
      return vars::kProcessControl | vars::kFds;
    default: return std::nullopt;
  }
}

// --- traces -------------------------------------------------------------------

std::string VfsModel::actorLabel(const Action& a) const {
  std::string name(actorName(a.actor));
  return a.who ? name + std::to_string(a.who) : name;
}

std::optional<Action> VfsModel::parseStep(const std::string& actor, std::size_t kind) const {
  if (kind >= table_.size()) return std::nullopt;
  Actor who_actor = table_[kind].actor;
  auto who = fsync_err::labelIndex(actor, std::string(actorName(who_actor)), who_actor == Actor::Test ? kMaxProcesses : kMaxInodes);
  if (!who) return std::nullopt;
  return Action{table_[kind].kind, who_actor, *who};
}

std::string VfsModel::absentFromScenario(std::size_t kind) const {
  bool settles = std::any_of(program_.ops.begin(), program_.ops.end(), [](const Op& op) { return op.kind == OpKind::Settle; });
  switch (table_[kind].kind) {
    case ActionKind::Settle: return settles ? "" : "the program has no settle";
    case ActionKind::WriteInode:
    case ActionKind::WriteInodeBuffer:
    case ActionKind::WriteInodeBufferAsEio: return options_.background_writeback ? "" : "only with background_writeback: the flusher";
    default: return "";
  }
}

std::vector<std::string> VfsModel::outcome(const State& s) const { return outcomeOf(program_, fsyncs_, s); }

bool VfsModel::passes(const State& s) const { return allPassed(program_, s); }

namespace {


std::string flag(bool value) { return value ? "1" : "0"; }

}  // namespace

Fields VfsModel::fields(const State& s) const {
  Fields out;
  auto add = [&](std::string name, std::string value) { out.emplace_back(std::move(name), std::move(value)); };
  for (std::size_t p = 0; p < program_.processes; ++p) {
    std::string pre = fsync_err::processPrefix(p);
    add(pre + "pc", std::to_string(s.proc[p].pc));
    add(pre + "fsync_step", std::string(table_[index_[static_cast<std::size_t>(fsyncStepKind(s.proc[p].step))]].name));
    add(pre + "ret_meta", fsync_err::errnoName(s.proc[p].ret_meta));
  }
  for (std::size_t i = 0; i < program_.inodes; ++i) {
    const Inode& inode = s.inode[i];
    std::string pre = i ? "inode" + std::to_string(i) + "." : "";
    add(pre + "I_DIRTY_SYNC", flag(has(inode, kDirtySync)));
    add(pre + "pages_dirty", flag(has(inode, kPagesDirty)));
    add(pre + "data_write_in_flight", flag(has(inode, kWbInFlight)));
    add(pre + "data_write_failed", flag(has(inode, kWbIoFailed)));
    if (errseq()) add(pre + "mapping.wb_err", fsync_err::errseqText(inode.wb_err));
    else add(pre + "mapping.AS_EIO", flag(has(inode, kAsEio)));
    add(pre + "inode_buffer_dirty", flag(has(inode, kBufferDirty)));
  }
  for (std::size_t p = 0; p < program_.processes; ++p) {
    for (std::size_t fd = 0; fd < program_.fds; ++fd) {
      std::string prefix = fsync_err::processPrefix(p) + "fd[" + std::to_string(fd) + "].";
      std::size_t slot = fdSlot(p, fd);
      add(prefix + "open", flag(fdbits::isOpen(s.fd_flags[slot])));
      if (errseq()) add(prefix + "f_wb_err", fsync_err::errseqText(s.f_wb_err[slot]));
      add(prefix + "errors_reported", std::to_string(fdReports(s, slot)));
    }
  }
  if (!errseq()) add("bdev.AS_EIO", flag(s.bdev_as_eio));
  add("bdev.write_error", flag(s.bdev_error));
  add("dm_table", s.table == static_cast<std::uint8_t>(DmTable::Error) ? "error" : "working");
  addResultFields(*this, s, out);
  return out;
}

std::vector<FieldChange> VfsModel::diff(const State& before, const State& after) const { return changedFields(*this, before, after); }

std::string VfsModel::context(const State& before, const Action& a) const { return testContext(*this, before, a); }

}  // namespace fsrace::model::vfs
