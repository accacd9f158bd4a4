// The VFS family: models "vfs-errseq" (Linux 4.13 and later) and
// "vfs-as-eio" (4.12 and before), the same steps but for how a writeback
// error reaches fsync. Both run the spec's fsync-err program.
#include <algorithm>
#include <functional>

#include "model/common/fsync_err_family.hpp"
#include "model/common/fsync_err_properties.hpp"
#include "model/vfs/vfs_model.hpp"
#include "specs/json_reader.hpp"
#include "specs/properties.hpp"

namespace fsrace::model::vfs {
namespace {

using checker::PropertyKind;
using NamedProperty = specs::NamedProperty<VfsModel>;

const std::vector<NamedProperty>& namedProperties() {
  static const std::vector<NamedProperty> table = [] {
    std::vector<NamedProperty> t;
    auto add = [&](std::string name, PropertyKind kind, std::string description,
                   std::function<checker::Property<State>(const specs::PropertyInfo&, const VfsModel&)> make) {
      specs::PropertyInfo info{std::move(name), kind, std::move(description)};
      t.push_back({info, [info, make](const VfsModel& m) { return make(info, m); }});
    };
    add("fsync_after_heal_consistent", PropertyKind::Deterministic,
        "the fsyncs after the switch back to the working table return the same results in every interleaving",
        [](const specs::PropertyInfo& info, const VfsModel& m) { return fsync_err::healedFsyncsAgree(info, m); });
    add("errors_reported_once_per_fd", PropertyKind::Always, fsync_err::kErrorsReportedOncePerFd,
        [](const specs::PropertyInfo& info, const VfsModel& m) {
          return fsync_err::errorsReportedOncePerFd(info, m, vars::kFds | vars::kProcessControl);
        });
    add("test_passes", PropertyKind::Forall, fsync_err::kTestPasses,
        [](const specs::PropertyInfo& info, const VfsModel& m) { return fsync_err::testPasses(info, m); });
    add("error_table_hit", PropertyKind::Sometimes, "some I/O is submitted while the error table is loaded",
        [](const specs::PropertyInfo& info, const VfsModel&) {
          auto p = specs::headerOf<State>(info);
          p.state_predicate = [](const State& s) { return s.error_table_hit != 0; };
          p.reads = vars::kDevice;
          return p;
        });
    return t;
  }();
  return table;
}

class Family final : public fsync_err::FsyncErrFamily<VfsModel> {
 public:
  explicit Family(Version version) : version_(version) {}

  std::string name() const override { return version_ == Version::Errseq ? "vfs-errseq" : "vfs-as-eio"; }
  std::string description() const override {
    return version_ == Version::Errseq
               ? "the VFS alone: a journal-less fs with generic_file_fsync (ext2's), writeback errors in errseq_t (Linux 4.13 and later)"
               : "the VFS alone: a journal-less fs with generic_file_fsync (ext2's), writeback errors in AS_EIO (Linux 4.12 and before)";
  }

  std::string source() const override {
    return version_ == Version::Errseq
               ? "Linux v4.13.4, v4.15.0, v4.17.0: fs/libfs.c, mm/filemap.c, lib/errseq.c, fs/fs-writeback.c, fs/ext2/"
               : "Linux v4.12.0: fs/libfs.c, mm/filemap.c, include/linux/pagemap.h, fs/fs-writeback.c, fs/ext2/";
  }

  const specs::ParameterTable& parameters() const override {
    using Type = specs::ParameterInfo::Type;
    static const specs::ParameterTable table = {
        fsync_err::parameter("fds"),
        fsync_err::parameter("mode"),
        {"background_writeback", Type::Boolean, 0, 0, {}, true, "page-cache writeback may also run outside fsync", ""},
        fsync_err::parameter("processes"),
        fsync_err::parameter("inodes"),
        fsync_err::parameter("rounds"),
    };
    return table;
  }

  const std::vector<specs::ActionInfo>& actions() const override { return actions_; }

  const std::vector<specs::FixInfo>& fixes() const override {
    static const std::vector<specs::FixInfo> none;
    return none;
  }

  // generic_file_fsync reports a writeback error (errseq_t or AS_EIO) and
  // the inode write's, both EIO; a journal-less fs has no EROFS to give.
  std::vector<std::string> fsyncErrnos() const override { return {"EIO"}; }

  const std::vector<specs::PropertyInfo>& properties() const override {
    static const std::vector<specs::PropertyInfo> infos = specs::infosOf(namedProperties());
    return infos;
  }

  std::vector<std::string> verifyColumns() const override {
    return {"fsync_after_heal_consistent", "test_passes", "errors_reported_once_per_fd", "no_deadlock"};
  }

  bool isActorLabel(const std::string& label) const override {
    return fsync_err::labelIndex(label, "test", kMaxProcesses) || fsync_err::labelIndex(label, "writeback", kMaxInodes);
  }

  std::vector<std::string> actorNames() const override { return {"test", "writeback"}; }

  VfsModel make(const specs::Spec& spec) const override {
    return VfsModel(fsync_err::programOf(spec), {version_, spec.parameters.boolean("background_writeback")});
  }

  std::vector<Property> build(const specs::Spec& spec, const VfsModel& m) const override {
    return specs::buildProperties(spec, m, namedProperties());
  }

 private:
  Version version_;
  std::vector<specs::ActionInfo> actions_ = [this] {
    std::vector<specs::ActionInfo> out;
    for (const auto& info : allActions())
      if (info.version == Version::Both || info.version == version_)
        out.push_back({std::string(info.name), std::string(actorName(info.actor)), std::string(info.kernel), std::string(info.what), "", ""});
    return out;
  }();
};

}  // namespace

std::vector<const cli::ModelFamily*> families() {
  static const Family errseq(Version::Errseq);
  static const Family as_eio(Version::AsEio);
  return {&errseq, &as_eio};
}

}  // namespace fsrace::model::vfs
