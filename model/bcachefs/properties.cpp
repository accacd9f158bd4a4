#include "model/bcachefs/family.hpp"

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
  ModelProperty p = headerOf(named);
  for (std::size_t proc = 0; proc < m.program().processes; ++proc)
    for (std::size_t op : healedFsyncOps(m.program())) p.projection.push_back(m.outcomeIndex(proc, op));
  if (p.projection.empty()) throw std::invalid_argument("the program has no fsync after a switch back to the working table");
  return p;
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

// generic/441's errseq expectation: an open file reports each writeback error
// at most once (one error per round of the error table: at most `rounds`
// reports); when the program passes, every fd's first file reported each
// exactly once before close and the reopened file none. Several processes:
// each one's fds, once that process has finished.
ModelProperty errorsReportedOncePerFd(const NamedProperty& named, const BcachefsModel& m) {
  const BcachefsModel* model = &m;
  return stateProperty(named, vars::kFds | vars::kProcessControl, [model](const State& s) {
    const Program& program = model->program();
    unsigned rounds = program.rounds;
    for (std::size_t fd = 0; fd < program.fds * program.processes; ++fd)
      if (BcachefsModel::fdReports(s, fd) > rounds || BcachefsModel::fdClosedReports(s, fd) > rounds) return false;
    for (std::size_t p = 0; p < program.processes; ++p) {
      if (s.proc[p].pc < program.ops.size() || s.proc[p].failed_op != 0) continue;
      for (std::size_t i = 0; i < program.fds; ++i) {
        std::size_t fd = model->fdSlot(p, i);
        if (!BcachefsModel::fdWasClosed(s, fd)) continue;
        if (BcachefsModel::fdClosedReports(s, fd) != rounds || BcachefsModel::fdReports(s, fd) != 0) return false;
      }
    }
    return true;
  });
}

ModelProperty testPasses(const NamedProperty& named, const BcachefsModel& m) {
  ModelProperty p = headerOf(named);
  std::string passed = m.program().passed;
  std::vector<std::size_t> results;
  for (std::size_t proc = 0; proc < m.program().processes; ++proc) results.push_back(m.resultIndex(proc));
  p.outcome_predicate = [passed, results](const checker::Outcome& o) {
    return std::all_of(results.begin(), results.end(), [&](std::size_t i) { return o[i] == passed; });
  };
  return p;
}

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
        "the fsyncs after the switch back to the working table (the fs is shut down by then) return the same "
        "results in every interleaving",
        fsyncAfterShutdownConsistent);
    add("shut_down_before_healed_fsyncs", PropertyKind::Always,
        "every fsync after the switch back to the working table starts on a shut-down fs (BCH_FS_EMERGENCY_RO)",
        shutDownBeforeHealedFsyncs);
    add("errors_reported_once_per_fd", PropertyKind::Always,
        "errseq: an open file reports each writeback error at most once; in a passing run each fd's first file "
        "reported each round's error exactly once and the reopened file none",
        errorsReportedOncePerFd);
    add("test_passes", PropertyKind::Forall, "every outcome of the program is \"Test passed!\"", testPasses);
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
