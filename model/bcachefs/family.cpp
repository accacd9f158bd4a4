// The bcachefs family: model "bcachefs-2023", its parameters, steps, fixes
// and properties, the spec's program read for it, and the checks of
// cli/family_base.hpp instantiated for BcachefsModel.
#include "model/bcachefs/family.hpp"

#include <algorithm>
#include <cerrno>

#include "model/common/fsync_err_family.hpp"
#include "specs/json_reader.hpp"

namespace fsrace::model::bcachefs {
namespace {

using specs::ParameterInfo;

std::string pointOf(ActionKind hook) { return std::string(actionTable()[static_cast<std::size_t>(hook)].point); }

// The hook step of a fix point, by the point's name.
ActionKind hookOf(const std::string& point) {
  for (const auto& info : actionTable())
    if (info.point == point) return info.kind;
  return ActionKind::FsyncEntryHook;  // the spec loader has checked the name
}

Condition conditionOf(const std::string& name) {
  for (const auto& info : conditionTable())
    if (info.name == name) return info.condition;
  return Condition::Always;  // the spec loader has checked the name
}

int errnoOf(const std::string& name) { return name == "EROFS" ? EROFS : EIO; }

// The fixes of fixes.def that are upstream's own code in the 2024 version.
bool isUpstreamCodeIn2024(Fix fix) {
  return fix == Fix::FsyncReturnsFirstError || fix == Fix::FlushInodeTakesWriteRef || fix == Fix::FsyncMapsErofsToEio;
}

// What a step stands for in the 2024 code where it differs from 2023's
// (actions.def has 2023's): the kernel function, and what it does.
struct StepIn2024 {
  ActionKind kind;
  std::string_view kernel;
  std::string_view what;
};

const std::vector<StepIn2024>& stepsIn2024() {
  static const std::vector<StepIn2024> table = {
      {ActionKind::FileWriteAndWait, "bch2_fsync -> file_write_and_wait_range -> file_check_and_advance_wb_err",
       "fsync part 1: wait for data writeback, then errseq_check_and_advance on this file; on error fsync returns at once"},
      {ActionKind::SyncInodeMetadata, "sync_inode_metadata -> __writeback_single_inode",
       "fsync part 2: if I_DIRTY_SYNC, clear it and call ->write_inode (bch2_vfs_write_inode); a failed commit ends fsync"},
      {ActionKind::TransCommitGetRw, "__bch2_trans_commit -> bch2_write_ref_tryget(c, BCH_WRITE_REF_trans)",
       "commit: after the transactional triggers, take a write reference; EROFS once the read-only work killed c->writes (no "
       "journal pre-reservation any more)"},
      {ActionKind::TransJournalPreresGet, "(none: journal pre-reservations were removed in Nov 2023)",
       "commit: does not exist in this version; never taken"},
      {ActionKind::TransLockWrite, "do_bch2_trans_commit -> bch2_trans_lock_write", "commit: take the btree write locks"},
      {ActionKind::RunMemTriggers, "run_one_mem_trigger(BTREE_TRIGGER_atomic) -> bch2_trigger_inode",
       "commit: the atomic inode trigger sets the new key's bi_journal_seq to the reservation's seq"},
      {ActionKind::TransUnlockResPut, "do_bch2_trans_commit -> bch2_trans_unlock_updates_write, bch2_journal_res_put",
       "commit: drop the write locks, then the journal reservation"},
      {ActionKind::FlushInodeGetRw, "bch2_flush_inode -> bch2_write_ref_tryget(c, BCH_WRITE_REF_fsync)",
       "fsync part 3: take a write reference; EROFS once c->writes is killed (bch2_fsync returns it as EIO)"},
      {ActionKind::InodeFindByInum, "bch2_flush_inode -> bch2_get_inode_journal_seq_trans",
       "fsync part 3: read the inode through the key cache, taking min(bi_journal_seq, journal_cur_seq)"},
      {ActionKind::JournalFlushSeqAsync, "bch2_journal_flush_seq -> wait_event_state(bch2_journal_flush_seq_async); bch2_fsync exit",
       "flush: under j->lock, seq >= err_seq gives EIO, seq <= flushed_seq_ondisk gives 0; on a halted journal an unflushed seq "
       "below err_seq gives EROFS (a new entry's reservation fails); else wait. Then bch2_fsync maps EROFS to EIO and checks "
       "the file's errseq once more"},
      {ActionKind::JournalWrite, "bch2_journal_write",
       "close the open journal entry once no reservation is held and submit its write (noflush once the journal is in error)"},
      {ActionKind::FsEmergencyReadOnly, "bch2_fatal_error -> bch2_fs_emergency_read_only",
       "set BCH_FS_emergency_ro: the filesystem is shut down"},
      {ActionKind::JournalReclaimKeyCache, "journal_flush_pins -> bch2_btree_key_cache_journal_flush -> btree_key_cache_flush_pos",
       "flush one key-cache pin: commit the key to its btree leaf without a journal reservation (no I/O); the dirty leaf keeps "
       "the key's pin (split_reclaim only)"},
      {ActionKind::JournalWriteDone, "journal_write_done",
       "write completed: on success flushed_seq_ondisk = seq unless err_seq is set; on error call bch2_fatal_error"},
  };
  return table;
}

class Family final : public fsync_err::FsyncErrFamily<BcachefsModel> {
 public:
  explicit Family(Version version) : version_(version) {}

  std::string name() const override { return version_ == Version::Y2023 ? "bcachefs-2023" : "bcachefs-2024"; }
  std::string description() const override {
    return version_ == Version::Y2023
               ? "bcachefs fsync path, early 2023 (bcachefs-tools 1b2d60826)"
               : "bcachefs fsync path, December 2024 (bcachefs-tools 1055935ff): upstream's fsync changes of 2023-24 as code";
  }
  std::string source() const override {
    return version_ == Version::Y2023
               ? "bcachefs-tools 1b2d60826 (13 Feb 2023), libbcachefs/ = fs/bcachefs at 8dbfede1d9; lib/errseq.c; fstests "
                 "src/fsync-err.c and tests/generic/441 of Jan 2023"
               : "bcachefs-tools 1055935ffe15 (8 Dec 2024), libbcachefs/ = bcachefs master 864591728963 (between v6.12 and "
                 "v6.13); fstests src/fsync-err.c (reopen O_WRONLY, as since 0c289650 of 2018)";
  }

  // A fix that is upstream's code in this version.
  std::string notAFix(const std::string& name) const override {
    if (version_ != Version::Y2024) return "";
    for (const auto& info : fixTable())
      if (info.name == name && isUpstreamCodeIn2024(info.fix))
        return "fix " + name + " is already part of model bcachefs-2024 (" + std::string(info.origin) +
               "): drop it, or use model bcachefs-2023 to apply it as a fix";
    return "";
  }

  const specs::ParameterTable& parameters() const override {
    using Type = ParameterInfo::Type;
    static const specs::ParameterTable table = {
        fsync_err::parameter("fds"),
        fsync_err::parameter("mode"),
        {"background_writeback", Type::Boolean, 0, 0, {}, true, "page-cache writeback may also run outside fsync", ""},
        {"reclaim_before_switch", Type::Boolean, 0, 0, {}, true,
         "journal reclaim may flush pins before the error table is first loaded (false: it is still behind at the switch)", ""},
        fsync_err::parameter("processes"),
        fsync_err::parameter("inodes"),
        fsync_err::parameter("rounds"),
        {"flusher_writes_inode", Type::Boolean, 0, 0, {}, false,
         "the flusher (background_writeback) also writes dirty inodes (->write_inode), a commit outside fsync (off in "
         "bcachefs-2023, whose pinned figures predate it)", ""},
        {"split_reclaim", Type::Boolean, 0, 0, {}, false,
         "journal reclaim in two steps per key-cache pin: the key-cache flush (a commit without I/O that leaves a dirty btree "
         "node, and in 2023 journals the key again) and the btree node write (false: one step, the node write)", ""},
        {"halted_entry_written", Type::Boolean, 0, 0, {}, false,
         "the entry the journal halt closes is written (noflush) once its reservations are released (false: dropped)", ""},
        {"journal_pressure", Type::Boolean, 0, 0, {}, false,
         "the journal is short of space: the commit's pre-reservation takes its slow path, which fails with EIO once the "
         "journal is halted (false: the fast path, which ignores the halt)", ""},
    };
    static const specs::ParameterTable table_2024 = [] {
      specs::ParameterTable t;
      for (const auto& info : table)
        if (info.name != "journal_pressure") t.push_back(info);  // the pre-reservation went in Nov 2023
      for (auto& info : t)
        if (info.name == "flusher_writes_inode") {
          info.default_value = true;
          info.description = "the flusher (background_writeback) also writes dirty inodes (->write_inode), a commit outside fsync";
        }
      return t;
    }();
    return version_ == Version::Y2023 ? table : table_2024;
  }

  const std::vector<specs::ActionInfo>& actions() const override { return actions_; }
  const std::vector<specs::FixInfo>& fixes() const override { return fixes_; }

  const std::vector<specs::FixPointInfo>& fixPoints() const override {
    static const std::vector<specs::FixPointInfo> points = [] {
      std::vector<specs::FixPointInfo> out;
      for (const auto& info : actionTable())
        if (!info.point.empty()) out.push_back({std::string(info.point), std::string(info.kernel), std::string(info.what)});
      return out;
    }();
    return points;
  }

  const std::vector<specs::FixConditionInfo>& fixConditions() const override {
    static const std::vector<specs::FixConditionInfo> conditions = [] {
      std::vector<specs::FixConditionInfo> out;
      for (const auto& info : conditionTable()) out.push_back({std::string(info.name), std::string(info.what)});
      return out;
    }();
    return conditions;
  }

  // What an fsync result can record besides 0 (model::Ret): the errnos an
  // fsync returns, and a fix written in the spec may fail with.
  std::vector<std::string> fsyncErrnos() const override { return {"EIO", "EROFS"}; }
  std::vector<std::string> fixErrnos() const override { return fsyncErrnos(); }

  const std::vector<specs::PropertyInfo>& properties() const override {
    static const std::vector<specs::PropertyInfo> infos = specs::infosOf(namedProperties());
    return infos;
  }

  std::vector<std::string> verifyColumns() const override {
    return {"fsync_after_shutdown_consistent", "test_passes", "errors_reported_once_per_fd", "shut_down_before_healed_fsyncs",
            "no_deadlock"};
  }

  // The quiesce before a table switch waits until reclaim is idle; with
  // reclaim_before_switch=false reclaim may not run before the first switch,
  // so the model would wait forever: a contradiction, not a kernel deadlock.
  void checkCombination(const specs::JsonReader& r, const specs::Spec& spec) const override {
    bool settles_before = std::find(spec.fixes.begin(), spec.fixes.end(), "settle_before_table_switch") != spec.fixes.end();
    if (settles_before && !spec.parameters.boolean("reclaim_before_switch"))
      r.fail("/parameters/reclaim_before_switch",
             "false together with fix settle_before_table_switch, which waits for reclaim before the first switch while this "
             "setting keeps reclaim from running before it (expected true, or another fix)");
  }

  bool isActorLabel(const std::string& label) const override { return parseActorLabel(label).has_value(); }

  std::vector<std::string> actorNames() const override {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < kActorCount; ++i) names.emplace_back(actorName(static_cast<Actor>(i)));
    return names;
  }

  BcachefsModel make(const specs::Spec& spec) const override { return modelOf(spec); }

  std::vector<Property> build(const specs::Spec& spec, const BcachefsModel& m) const override {
    return specs::buildProperties(spec, m, namedProperties());
  }

 private:
  // Journal sequence numbers are 8 bits in the model: each commit opens at
  // most one entry (an open that commits, an fsync's write_inode, a data
  // write's index update), so their count bounds the last sequence number.
  void checkProgram(const specs::JsonReader& r, const Program& program, const std::string& at) const override {
    std::size_t commits = 0;
    for (const Op& op : program.ops)
      commits += (op.kind == OpKind::Open && op.commits_inode) || op.kind == OpKind::Fsync || op.kind == OpKind::Write;
    commits *= program.processes;
    if (commits + 2 > 240)
      r.fail(at, "up to " + std::to_string(commits) + " commits over all processes (expected at most 238: the model's journal "
                 "sequence numbers are 8 bits)");
    FsyncErrFamily::checkProgram(r, program, at);
  }
  // Room for the settles a fix inserts.
  std::size_t reserve() const override { return 64; }

  Version version_;
  std::vector<specs::ActionInfo> actions_ = [this] {
    std::vector<specs::ActionInfo> out;
    for (const auto& info : actionTable()) {
      specs::ActionInfo step{std::string(info.name), std::string(actorName(info.actor)), std::string(info.kernel),
                             std::string(info.what), std::string(info.fix), std::string(info.point)};
      if (version_ == Version::Y2024) {
        for (const auto& later : stepsIn2024())
          if (later.kind == info.kind) {
            step.kernel = later.kernel;
            step.description = later.what;
          }
        // A step of a fix that is upstream code here is a step of the code.
        for (const auto& fix : fixTable())
          if (step.fix == fix.name && isUpstreamCodeIn2024(fix.fix)) step.fix.clear();
      }
      out.push_back(std::move(step));
    }
    return out;
  }();
  std::vector<specs::FixInfo> fixes_ = [this] {
    std::vector<specs::FixInfo> out;
    for (const auto& info : fixTable())
      if (version_ == Version::Y2023 || !isUpstreamCodeIn2024(info.fix))
        out.push_back({std::string(info.name), std::string(info.what), std::string(info.origin),
                       info.point ? pointOf(info.point->point) : std::string()});
    return out;
  }();
};

}  // namespace

BcachefsModel modelOf(const specs::Spec& spec) {
  ModelOptions options;
  options.background_writeback = spec.parameters.boolean("background_writeback");
  options.reclaim_before_switch = spec.parameters.boolean("reclaim_before_switch");
  options.flusher_writes_inode = spec.parameters.boolean("flusher_writes_inode");
  options.split_reclaim = spec.parameters.boolean("split_reclaim");
  options.halted_entry_written = spec.parameters.boolean("halted_entry_written");
  options.version = spec.model == "bcachefs-2024" ? Version::Y2024 : Version::Y2023;
  options.journal_pressure = options.version == Version::Y2023 && spec.parameters.boolean("journal_pressure");
  std::vector<Fix> fixes;
  std::vector<PointFix> point_fixes;
  auto applied = [&](const std::string& name) { return std::find(spec.fixes.begin(), spec.fixes.end(), name) != spec.fixes.end(); };
  for (const auto& name : spec.fixes)
    for (const auto& info : fixTable())
      if (info.name == name) fixes.push_back(info.fix);
  // In the order the spec defines them (see the model's constructor).
  for (const auto& defined : spec.defined_fixes)
    if (applied(defined.name)) point_fixes.push_back({hookOf(defined.at), conditionOf(defined.when), errnoOf(defined.fail)});
  return BcachefsModel(fsync_err::programOf(spec), std::move(fixes), options, std::move(point_fixes));
}

std::vector<const cli::ModelFamily*> families() {
  static const Family y2023(Version::Y2023);
  static const Family y2024(Version::Y2024);
  return {&y2023, &y2024};
}

}  // namespace fsrace::model::bcachefs
