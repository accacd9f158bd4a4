#include "model/bcachefs/family.hpp"
#include "model/common/fsync_err_properties.hpp"

#include <algorithm>
#include <stdexcept>

namespace fsrace::model::bcachefs {
namespace {

using checker::PropertyKind;
using ModelProperty = checker::Property<State>;
using NamedProperty = specs::NamedProperty<BcachefsModel>;

ModelProperty headerOf(const NamedProperty& named) { return specs::headerOf<State>(named.info); }

// `reads`: the model's variable groups (vars) the predicate reads.
ModelProperty stateProperty(const NamedProperty& named, std::uint64_t reads, std::function<bool(const State&)> predicate) {
  ModelProperty p = headerOf(named);
  p.state_predicate = std::move(predicate);
  p.reads = reads;
  return p;
}

using fsync_err::healedFsyncOps;

ModelProperty fsyncAfterShutdownConsistent(const NamedProperty& named, const BcachefsModel& m) {
  return fsync_err::healedFsyncsAgree(named.info, m);
}

ModelProperty shutDownBeforeHealedFsyncs(const NamedProperty& named, const BcachefsModel& m) {
  auto ops = healedFsyncOps(m.program());
  std::size_t processes = m.program().processes;
  return stateProperty(named, vars::kProcessControl | vars::kFs, [ops, processes](const State& s) {
    for (std::size_t p = 0; p < processes; ++p) {
      const Process& proc = s.proc[p];
      bool at_start = proc.step == 0 && std::find(ops.begin(), ops.end(), proc.pc) != ops.end();
      if (at_start && !s.emergency_ro) return false;
    }
    return true;
  });
}

ModelProperty errorsReportedOncePerFd(const NamedProperty& named, const BcachefsModel& m) {
  return fsync_err::errorsReportedOncePerFd(named.info, m, vars::kFds | vars::kProcessControl);
}

ModelProperty testPasses(const NamedProperty& named, const BcachefsModel& m) { return fsync_err::testPasses(named.info, m); }

NamedProperty witness(std::string name, std::string description, std::uint64_t reads,
                      std::function<bool(const State&)> predicate) {
  NamedProperty named{{std::move(name), PropertyKind::Sometimes, std::move(description)}, nullptr};
  named.make = [named, reads, predicate](const BcachefsModel&) { return stateProperty(named, reads, predicate); };
  return named;
}

}  // namespace

const std::vector<NamedProperty>& namedProperties() {
  static const std::vector<NamedProperty> table = [] {
    std::vector<NamedProperty> t;
    auto add = [&](std::string name, PropertyKind kind, std::string description,
                   ModelProperty (*make)(const NamedProperty&, const BcachefsModel&)) {
      NamedProperty named{{std::move(name), kind, std::move(description)}, nullptr};
      named.make = [named, make](const BcachefsModel& m) { return make(named, m); };
      t.push_back(std::move(named));
    };
    add("fsync_after_shutdown_consistent", PropertyKind::Deterministic,
        "the fsyncs after the switch back to the working table return the same results in every interleaving (on "
        "bcachefs-2023 the fs is always shut down by then; on bcachefs-2024 it need not be)",
        fsyncAfterShutdownConsistent);
    add("shut_down_before_healed_fsyncs", PropertyKind::Always,
        "every fsync after the switch back to the working table starts on a shut-down fs (BCH_FS_EMERGENCY_RO)",
        shutDownBeforeHealedFsyncs);
    add("errors_reported_once_per_fd", PropertyKind::Always,
        fsync_err::kErrorsReportedOncePerFd, errorsReportedOncePerFd);
    add("test_passes", PropertyKind::Forall, fsync_err::kTestPasses, testPasses);
    using namespace vars;
    t.push_back(witness("fs_shuts_down", "some run sets BCH_FS_EMERGENCY_RO", kFs,
                        [](const State& s) { return s.emergency_ro != 0; }));
    t.push_back(witness("error_table_hit", "some I/O is submitted while the error table is loaded", kSeen,
                        [](const State& s) { return (s.seen & kSeenIoError) != 0; }));
    t.push_back(witness("write_inode_commit_fails_erofs",
                        "some bch2_write_inode commit fails with EROFS because the fs was shut down first", kSeen,
                        [](const State& s) { return (s.seen & kSeenCommitErofs) != 0; }));
    t.push_back(witness("halted_with_unflushed_inode_seq",
                        "the journal halts while bi_journal_seq is past flushed_seq_ondisk (the EIO precondition)",
                        kJournal | kInode,
                        [](const State& s) { return s.halted && s.inode[0].bi_journal_seq > s.flushed_seq_ondisk; }));
    t.push_back(witness("halt_between_reservation_and_trigger",
                        "the journal halts while a commit holds its reservation and its inode trigger has not run "
                        "(under recheck_journal_error_before_triggers: after the recheck passed), so the trigger "
                        "records a seq that will never be written",
                        kJournal | kProcessControl,
                        [](const State& s) {
                          return s.halted && std::any_of(s.proc.begin(), s.proc.end(), [](const Process& p) {
                                   return p.step == fsyncStep(ActionKind::RunMemTriggers);
                                 });
                        }));
    t.push_back(witness("halted_with_flushed_inode_seq",
                        "the journal halts while bi_journal_seq is already flushed (the 0 precondition)",
                        kJournal | kInode,
                        [](const State& s) { return s.halted && s.inode[0].bi_journal_seq <= s.flushed_seq_ondisk; }));
    return t;
  }();
  return table;
}

}  // namespace fsrace::model::bcachefs
