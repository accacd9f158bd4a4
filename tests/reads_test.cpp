// BcachefsModel::reads is complete: a field a step does not say it reads
// cannot change what the step does. Checked by perturbation over the
// reachable states of small models (breadth-first, up to a cap per model):
// for each enabled step and each field the step does not name, set the field
// to each other value a consistent state could hold; the step must stay
// enabled and leave every other field (pc and fsync_step included: the
// branch it takes) as it does from the unperturbed state. A write of the
// perturbed field itself may differ.
//
// Not perturbed: an actor's own place in its code (pc, fsync_step,
// journal.fatal_error_path, reclaim.fatal_error_path,
// read_only_work_queued), which reads() leaves out as it leaves out the
// test's pc; the fd's open flag and report count and the fsync results,
// which only the steps that write them look at.
#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "model/bcachefs/bcachefs_model.hpp"
#include "tests/bcachefs_fixtures.hpp"

namespace fsrace::tests {
namespace {

using model::ActionKind;
using model::BcachefsModel;
using model::State;

struct Config {
  std::string label;
  model::Program program;
  std::vector<model::Fix> fixes;
  model::ModelOptions options;
  std::vector<model::PointFix> point_fixes;
  std::size_t max_states = 20000;  // breadth-first: the states nearest the start
};

// A field the test sets directly: the values to try in a state (each a whole
// perturbed state), and how to copy the field's members from one state to
// another (a field such as journal.write_in_flight spans several members).
struct Perturbation {
  std::string name;
  std::function<void(const State&, std::vector<State>&)> variants;
  std::function<void(const State& from, State& to)> copy;
};

std::uint8_t u8(unsigned v) { return static_cast<std::uint8_t>(v); }

// A field of one member set to each of `values` other than its own; a
// sequence number (`seq`) only to values up to cur_seq; with
// `from_nonzero`, only where it is not zero.
template <class Member>
Perturbation memberField(std::string name, Member member, std::vector<unsigned> values, bool seq = false, bool from_nonzero = false) {
  return {std::move(name),
          [member, values, seq, from_nonzero](const State& s, std::vector<State>& out) {
            for (unsigned v : values) {
              if (seq && v > s.cur_seq) break;
              State t = s;
              auto& field = member(t);
              if (static_cast<unsigned>(field) == v || (from_nonzero && field == 0)) continue;
              field = static_cast<std::remove_reference_t<decltype(field)>>(v);
              out.push_back(t);
            }
          },
          [member](const State& from, State& to) { member(to) = member(from); }};
}

template <class Member>
Perturbation seqField(std::string name, Member member, bool zero) {
  std::vector<unsigned> values;
  for (unsigned v = zero ? 0 : 1; v < 250; ++v) values.push_back(v);
  return memberField(std::move(name), member, std::move(values), true);
}

// errseq_t values: none, an unseen EIO, a seen one, a later unseen one.
const std::vector<unsigned> kErrseqValues = {0, EIO, EIO | model::kErrseqSeen, EIO + model::kErrseqCtrInc};

bool inFsync(const BcachefsModel& m, const State& s, std::size_t p) {
  const auto& ops = m.program().ops;
  return s.proc[p].pc < ops.size() && ops[s.proc[p].pc].kind == model::OpKind::Fsync;
}

// The fsync step process p takes next, or nullopt outside an fsync.
std::optional<ActionKind> stepOf(const BcachefsModel& m, const State& s, std::size_t p) {
  if (!inFsync(m, s, p)) return std::nullopt;
  return m.nextFsyncStep(s.proc[p]);
}

bool stepIn(std::optional<ActionKind> step, ActionKind first, ActionKind last) {
  return step && *step >= first && *step <= last;
}

// The invariants the model keeps (and asserts on) that a single-field
// perturbation could break; a perturbed state that breaks one is skipped.
// Deliberately not required: err_seq != 0 <=> halted, halted =>
// emergency_ro and the like, which would leave journal_halted with no
// consistent perturbation at all.
bool consistent(const BcachefsModel& m, const State& s) {
  const auto& prog = m.program();
  if (s.cur_seq < 1 || s.cur_seq > 250) return false;
  auto seqOk = [&](std::uint8_t seq) { return seq <= s.cur_seq; };
  if (s.flushed_seq_ondisk < 1 || !seqOk(s.flushed_seq_ondisk) || !seqOk(s.err_seq) || !seqOk(s.write_seq)) return false;
  if (s.halted && s.entry_open) return false;             // openEntryIfNeeded asserts the journal is not halted
  if (s.entry_dirty && !s.entry_open) return false;       // only an open entry takes keys
  if (!s.write_in_flight && (s.write_seq || s.write_failed)) return false;
  if (s.write_in_flight && s.write_seq == 0) return false;
  if ((s.noflush & model::kWriteNoflush) && !s.write_in_flight) return false;
  if ((s.noflush & model::kHaltedEntryDirty) && !s.halted) return false;
  if (s.noflush && !m.options().halted_entry_written) return false;
  if (s.node_pins && !m.options().split_reclaim) return false;
  std::size_t holders = 0;
  for (std::size_t p = 0; p < prog.processes; ++p) {
    const model::Process& proc = s.proc[p];
    auto step = stepOf(m, s, p);
    if (!seqOk(proc.flush_seq) || !seqOk(proc.res_seq) || !seqOk(proc.key_seq)) return false;
    // A reservation is held from the reservation to its put; the trigger's
    // key from the trigger on; flush_seq from the inode lookup on.
    bool reserved = stepIn(step, ActionKind::TransJournalErrorRecheck, ActionKind::TransUnlockResPut);
    if ((proc.res_seq != 0) != reserved) return false;
    holders += reserved;
    if ((proc.key_seq != 0) != stepIn(step, ActionKind::BtreeInsertKeyCached, ActionKind::TransUnlockResPut)) return false;
    if (proc.flush_seq && !stepIn(step, ActionKind::JournalFlushSeq, ActionKind::JournalFlushSeqAsync)) return false;
    // ret_wb is set by file_write_and_wait_range (EIO: the mapping's
    // errseq), ret_meta by the commit's end; both only until the fsync ends,
    // which they end at once when it stops at the first error.
    if (proc.ret_wb && (proc.ret_wb != EIO || !stepIn(step, ActionKind::SyncInodeMetadata, ActionKind::JournalFlushSeqAsync)))
      return false;
    if (proc.ret_meta && !stepIn(step, ActionKind::FlushInodeHook, ActionKind::JournalFlushSeqAsync)) return false;
    if (m.stopsAtFirstError() && (proc.ret_wb || proc.ret_meta)) return false;
  }
  if (s.res_held < holders) return false;  // a put would go below zero
  // A lock is held by a process inside the part of the commit that holds
  // it, or at the step that takes it (as if it had just taken it: without
  // that, no consistent state would have the lock held where it is free, and
  // a step waiting for the lock could not be caught not naming it).
  if (s.btree_write_locked) {
    std::size_t h = s.btree_write_locked - 1U;
    if (h >= prog.processes || !stepIn(stepOf(m, s, h), ActionKind::TransLockWrite, ActionKind::TransUnlockResPut)) return false;
  }
  for (std::size_t i = 0; i < prog.inodes; ++i) {
    const model::Inode& inode = s.inode[i];
    if (!seqOk(inode.bi_journal_seq)) return false;
    if (inode.wb_io_failed && !inode.wb_in_flight) return false;
    if (inode.update_lock) {
      std::size_t h = inode.update_lock - 1U;
      if (h >= prog.processes || m.inodeOf(h) != i ||
          !stepIn(stepOf(m, s, h), ActionKind::SyncInodeMetadata, ActionKind::TransUnlockResPut))
        return false;
    }
  }
  return true;
}

std::vector<Perturbation> perturbations(const BcachefsModel& m) {
  const auto& prog = m.program();
  std::vector<Perturbation> out;
  out.push_back(seqField("err_seq", [](auto& s) -> auto& { return s.err_seq; }, true));
  out.push_back(seqField("flushed_seq_ondisk", [](auto& s) -> auto& { return s.flushed_seq_ondisk; }, false));
  out.push_back(memberField("journal_halted", [](auto& s) -> auto& { return s.halted; }, {0, 1}));
  out.push_back({"journal.cur_seq",
                 [](const State& s, std::vector<State>& v) {
                   for (int delta : {-1, 1}) {
                     State t = s;
                     t.cur_seq = u8(static_cast<unsigned>(s.cur_seq + delta));
                     v.push_back(t);
                   }
                 },
                 [](const State& from, State& to) { to.cur_seq = from.cur_seq; }});
  out.push_back(memberField("journal.entry_open", [](auto& s) -> auto& { return s.entry_open; }, {0, 1}));
  out.push_back(memberField("journal.entry_dirty", [](auto& s) -> auto& { return s.entry_dirty; }, {0, 1}));
  out.push_back(memberField("journal.res_held", [](auto& s) -> auto& { return s.res_held; }, {0, 1, 2, 3}));
  out.push_back({"journal.write_in_flight",
                 [](const State& s, std::vector<State>& v) {
                   for (unsigned seq = 0; seq <= s.cur_seq; ++seq)
                     for (unsigned failed : {0u, 1u}) {
                       State t = s;
                       t.write_in_flight = u8(seq != 0);
                       t.write_seq = u8(seq);
                       t.write_failed = u8(seq ? failed : 0);
                       if (std::memcmp(&t, &s, sizeof t) != 0) v.push_back(t);
                     }
                 },
                 [](const State& from, State& to) {
                   to.write_in_flight = from.write_in_flight;
                   to.write_seq = from.write_seq;
                   to.write_failed = from.write_failed;
                 }});
  out.push_back(memberField("c->writes_killed", [](auto& s) -> auto& { return s.writes_killed; }, {0, 1}));
  out.push_back(memberField("BCH_FS_EMERGENCY_RO", [](auto& s) -> auto& { return s.emergency_ro; }, {0, 1}));
  out.push_back(memberField("error_table_loaded", [](auto& s) -> auto& { return s.error_table_loaded; }, {0, 1}));
  out.push_back(memberField("dm_table", [](auto& s) -> auto& { return s.table; }, {0, 1}));
  out.push_back(memberField("dirty_pins", [](auto& s) -> auto& { return s.dirty_pins; }, {0, 1, 2, 3}));
  if (m.options().split_reclaim)
    out.push_back(memberField("btree_node_pins", [](auto& s) -> auto& { return s.node_pins; }, {0, 1, 2, 3}));
  if (m.options().halted_entry_written)
    out.push_back(memberField("journal.halted_entry", [](auto& s) -> auto& { return s.noflush; }, {0, 1, 2, 3}));
  std::vector<unsigned> holders;
  for (unsigned h = 0; h <= prog.processes; ++h) holders.push_back(h);
  if (prog.processes > 1)
    out.push_back(memberField("btree_write_lock", [](auto& s) -> auto& { return s.btree_write_locked; }, holders));
  for (std::size_t i = 0; i < prog.inodes; ++i) {
    std::string pre = i ? "inode" + std::to_string(i) + "." : "";
    out.push_back(seqField(pre + "bi_journal_seq", [i](auto& s) -> auto& { return s.inode[i].bi_journal_seq; }, true));
    out.push_back(memberField(pre + "I_DIRTY_SYNC", [i](auto& s) -> auto& { return s.inode[i].i_dirty_sync; }, {0, 1}));
    out.push_back(memberField(pre + "pages_dirty", [i](auto& s) -> auto& { return s.inode[i].pages_dirty; }, {0, 1}));
    out.push_back(memberField(pre + "data_write_in_flight", [i](auto& s) -> auto& { return s.inode[i].wb_in_flight; }, {0, 1}));
    out.push_back(memberField(pre + "data_write_failed", [i](auto& s) -> auto& { return s.inode[i].wb_io_failed; }, {0, 1}));
    out.push_back(memberField(pre + "mapping.wb_err", [i](auto& s) -> auto& { return s.inode[i].wb_err; }, kErrseqValues));
    if (prog.processes > 1)
      out.push_back(memberField(pre + "ei_update_lock", [i](auto& s) -> auto& { return s.inode[i].update_lock; }, holders));
  }
  for (std::size_t p = 0; p < prog.processes; ++p) {
    std::string pre = model::fsync_err::processPrefix(p);
    out.push_back(seqField(pre + "flush_seq", [p](auto& s) -> auto& { return s.proc[p].flush_seq; }, true));
    out.push_back(seqField(pre + "journal_res.seq", [p](auto& s) -> auto& { return s.proc[p].res_seq; }, true));
    out.push_back(seqField(pre + "new_key.bi_journal_seq", [p](auto& s) -> auto& { return s.proc[p].key_seq; }, true));
    // bch2_fsync's locals: a zero is what this call assigned, read from no
    // step (reads() names them where non-zero), so only a non-zero one is
    // perturbed.
    out.push_back(memberField(pre + "ret_wb", [p](auto& s) -> auto& { return s.proc[p].ret_wb; }, {EIO, EROFS}, false, true));
    out.push_back(memberField(pre + "ret_meta", [p](auto& s) -> auto& { return s.proc[p].ret_meta; }, {EIO, EROFS}, false, true));
    for (std::size_t fd = 0; fd < prog.fds; ++fd) {
      std::size_t slot = m.fdSlot(p, fd);
      out.push_back(memberField(pre + "fd[" + std::to_string(fd) + "].f_wb_err", [slot](auto& s) -> auto& { return s.f_wb_err[slot]; },
                              kErrseqValues));
    }
  }
  return out;
}

std::string actionName(const model::Action& a) {
  return std::string(model::actionTable()[static_cast<std::size_t>(a.kind)].name);
}

// The fields other than `skip` whose values differ between two states.
std::vector<std::string> differing(const BcachefsModel& m, const State& t, const State& t2, const std::string& skip) {
  std::vector<std::string> out;
  auto a = m.fields(t);
  auto b = m.fields(t2);
  for (std::size_t k = 0; k < a.size(); ++k)
    if (a[k].first != skip && a[k].second != b[k].second) out.push_back(a[k].first + " " + a[k].second + " vs " + b[k].second);
  return out;
}

std::string fieldValue(const BcachefsModel& m, const State& s, const std::string& name) {
  for (const auto& [field, value] : m.fields(s))
    if (field == name) return value;
  return "?";
}

struct Findings {
  std::map<std::string, std::string> missing;  // "action reads field" -> an example
  std::map<std::string, std::string> unknown;  // "action reads name" -> the config: a name that is no field
  std::size_t checks = 0;
  std::size_t states = 0;
};

void checkConfig(const Config& c, Findings& found) {
  BcachefsModel m(c.program, c.fixes, c.options, c.point_fixes);
  const auto table = perturbations(m);
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < table.size(); ++k) index.emplace(table[k].name, k);
  // Every state has the same fields (the layout is the program's and the options').
  std::unordered_set<std::string> names;
  for (const auto& [name, value] : m.fields(m.initialState())) names.insert(name);
  for (const auto& f : table) CHECK_MESSAGE(names.count(f.name), c.label << ": the test perturbs \"" << f.name << "\", no field");
  // (action kind, field) pairs found missing: checked no further.
  std::vector<char> done(model::kActionKindCount * table.size(), 0);
  std::deque<State> work{m.initialState()};
  std::unordered_set<std::string> seen;
  std::vector<model::Action> actions;
  std::vector<model::Action> actions2;
  std::vector<State> variants;
  std::vector<char> read(table.size());
  while (!work.empty() && seen.size() < c.max_states) {
    State s = work.front();
    work.pop_front();
    // One state of each orbit under the process symmetry: reads name a
    // process's fields by its prefix, so what holds of one holds of all.
    std::string key(reinterpret_cast<const char*>(&s), sizeof s);
    for (std::size_t g = 1; g < m.symmetries(); ++g) {
      State image = m.permute(s, g);
      key = std::min(key, std::string(reinterpret_cast<const char*>(&image), sizeof image));
    }
    if (!seen.insert(std::move(key)).second) continue;
    ++found.states;
    actions.clear();
    m.actions(s, actions);
    for (const auto& a : actions) {
      State t = m.apply(s, a);
      work.push_back(t);
      std::fill(read.begin(), read.end(), 0);
      for (const auto& name : m.reads(s, a)) {
        if (!names.count(name)) found.unknown.emplace(actionName(a) + " reads \"" + name + "\"", c.label);
        if (auto it = index.find(name); it != index.end()) read[it->second] = 1;
      }
      for (std::size_t k = 0; k < table.size(); ++k) {
        char& already = done[static_cast<std::size_t>(a.kind) * table.size() + k];
        if (read[k] || already) continue;
        const Perturbation& f = table[k];
        variants.clear();
        f.variants(s, variants);
        for (const State& s2 : variants) {
          if (!consistent(m, s2)) continue;
          ++found.checks;
          std::string what;
          actions2.clear();
          m.actions(s2, actions2);
          if (std::find(actions2.begin(), actions2.end(), a) == actions2.end()) {
            what = "disables it";
          } else {
            // Fast: the same bytes once the field's own members are set
            // alike. Else compare field by field (a member no field shows,
            // such as the sticky observations, may differ).
            State t2 = m.apply(s2, a);
            f.copy(t, t2);
            if (std::memcmp(&t, &t2, sizeof t) == 0) continue;
            auto diffs = differing(m, t, t2, f.name);
            if (diffs.empty()) continue;
            what = "changes what it writes: " + diffs.front();
          }
          already = 1;
          std::ostringstream example;
          example << c.label << ": " << f.name << " " << fieldValue(m, s, f.name) << " -> " << fieldValue(m, s2, f.name) << " "
                  << what;
          found.missing.emplace(actionName(a) + " reads " + f.name, example.str());
          break;
        }
      }
    }
  }
}

// open(O_CREAT|O_TRUNC), write, switch to the error table, fsync; or, with
// `fsync_before_switch`, open, write, fsync, switch, write, fsync.
model::Program errorProgram(int processes, int inodes, bool fsync_before_switch) {
  model::Program program = oneFsyncProgram();
  program.processes = static_cast<std::uint8_t>(processes);
  program.inodes = static_cast<std::uint8_t>(inodes);
  program.ops[0].commits_inode = true;
  model::Op write;
  write.kind = model::OpKind::Write;
  model::Op to_error;
  to_error.kind = model::OpKind::SwitchTable;
  to_error.table = model::DmTable::Error;
  if (!fsync_before_switch) {
    program.ops.insert(program.ops.begin() + 1, {write, to_error});
    return program;
  }
  model::Op fsync0 = program.ops[1];
  model::Op fsync1 = fsync0;
  fsync1.label = "fsync[1]";
  fsync1.result_slot = 1;
  program.ops = {program.ops[0], write, fsync0, to_error, write, fsync1};
  return program;
}

std::vector<Config> configs() {
  using model::Fix;
  using model::Version;
  std::vector<Config> out;
  // trace_view_test's models: one process, open, write, switch to the
  // error table, fsync; split_reclaim together with halted_entry_written.
  for (Version version : {Version::Y2023, Version::Y2024})
    for (int variant = 0; variant < 3; ++variant) {
      Config c;
      c.options.version = version;
      c.options.halted_entry_written = variant > 0;
      c.options.split_reclaim = variant == 2;
      c.options.flusher_writes_inode = true;
      c.options.journal_pressure = version == Version::Y2023;
      c.program = errorProgram(1, 1, false);
      c.label = std::string(version == Version::Y2023 ? "2023 journal_pressure" : "2024") + (variant == 2 ? " split_reclaim" : "") +
                (variant > 0 ? " halted_entry_written" : "");
      out.push_back(c);
    }
  for (Version version : {Version::Y2023, Version::Y2024}) {
    std::string year = version == Version::Y2023 ? "2023" : "2024";
    Config c;
    c.options.version = version;
    c.program = errorProgram(1, 1, true);
    c.label = year + " fsync, switch, fsync";
    out.push_back(c);
    c.options.reclaim_before_switch = false;
    c.options.background_writeback = false;
    c.label = year + " fsync, switch, fsync, reclaim after the switch, no flusher";
    out.push_back(c);
    Config fixed;
    fixed.options.version = version;
    fixed.options.halted_entry_written = true;
    fixed.program = errorProgram(1, 1, false);
    fixed.fixes = {Fix::FlushReportsJournalError, Fix::RecheckJournalErrorBeforeTriggers, Fix::FlushInodeTakesWriteRef,
                   Fix::DataWriteErrorShutsDown};
    fixed.point_fixes = {{ActionKind::FlushInodeHook, model::Condition::JournalHalted, EROFS},
                         {ActionKind::BeforeMemTriggersHook, model::Condition::FsShutDown, EIO},
                         {ActionKind::FsyncEntryHook, model::Condition::JournalError, EIO},
                         {ActionKind::FsyncEntryHook, model::Condition::WritesKilled, EROFS}};
    fixed.label = year + " fixes and point fixes";
    out.push_back(fixed);
    // Two processes on one file, one fsyncing while the other opens
    // (commits) and fsyncs: the locks.
    Config locks;
    locks.options.version = version;
    locks.program = errorProgram(2, 1, true);
    locks.max_states = 5000;
    locks.label = year + " processes=2 inodes=1 fsync, switch, fsync";
    out.push_back(locks);
    for (int inodes : {1, 2}) {
      Config two;
      two.options.version = version;
      two.options.flusher_writes_inode = true;
      two.options.split_reclaim = inodes == 2;  // the key-cache flush waits for the btree write lock
      two.program = errorProgram(2, inodes, false);
      two.max_states = 10000;
      two.label = year + " processes=2 inodes=" + std::to_string(inodes) + (inodes == 2 ? " split_reclaim" : "");
      out.push_back(two);
    }
  }
  return out;
}

}  // namespace

TEST_SUITE("trace view") {
  TEST_CASE("every field a step reads is a field of the state, and a field it does not read cannot change what it does") {
    Findings found;
    for (const Config& c : configs()) checkConfig(c, found);
    CHECK(found.states > 1000);
    std::string unknown;
    for (const auto& [key, label] : found.unknown) unknown += "  " + key + " (" + label + ")\n";
    CHECK_MESSAGE(found.unknown.empty(), "reads that name no field of the state:\n" << unknown);
    CHECK(found.checks > 10000);
    std::ostringstream list;
    std::size_t shown = 0;
    for (const auto& [key, example] : found.missing) {
      if (++shown > 30) {
        list << "  ... and " << found.missing.size() - 30 << " more\n";
        break;
      }
      list << "  " << key << " (" << example << ")\n";
    }
    CHECK_MESSAGE(found.missing.empty(), "steps whose outcome depends on a field reads() does not name ("
                                             << found.states << " states, " << found.checks << " perturbed steps):\n"
                                             << list.str());
  }
}

}  // namespace fsrace::tests
