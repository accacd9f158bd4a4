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

class Family final : public fsync_err::FsyncErrFamily<BcachefsModel> {
 public:
  std::string name() const override { return "bcachefs-2023"; }
  std::string description() const override { return "bcachefs fsync path, early 2023 (bcachefs-tools 1b2d60826)"; }
  std::string source() const override {
    return "bcachefs-tools 1b2d60826 (13 Feb 2023), libbcachefs/ = fs/bcachefs at 8dbfede1d9; lib/errseq.c; fstests "
           "src/fsync-err.c and tests/generic/441 of Jan 2023";
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
    };
    return table;
  }

  const std::vector<specs::ActionInfo>& actions() const override {
    static const std::vector<specs::ActionInfo> table = [] {
      std::vector<specs::ActionInfo> out;
      for (const auto& info : actionTable())
        out.push_back({std::string(info.name), std::string(actorName(info.actor)), std::string(info.kernel), std::string(info.what),
                       std::string(info.fix), std::string(info.point)});
      return out;
    }();
    return table;
  }

  const std::vector<specs::FixInfo>& fixes() const override {
    static const std::vector<specs::FixInfo> table = [] {
      std::vector<specs::FixInfo> out;
      for (const auto& info : fixTable())
        out.push_back({std::string(info.name), std::string(info.what), std::string(info.origin),
                       info.point ? pointOf(info.point->point) : std::string()});
      return out;
    }();
    return table;
  }

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

  // What an fsync result can record besides 0 (model::Ret).
  std::vector<std::string> fixErrnos() const override { return {"EIO", "EROFS"}; }

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
};

}  // namespace

BcachefsModel modelOf(const specs::Spec& spec) {
  ModelOptions options;
  options.background_writeback = spec.parameters.boolean("background_writeback");
  options.reclaim_before_switch = spec.parameters.boolean("reclaim_before_switch");
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
  static const Family family;
  return {&family};
}

}  // namespace fsrace::model::bcachefs
