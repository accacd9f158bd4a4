// What a model family that runs fstests' fsync-err has in common: its
// scenario is the spec's "program", its outcome fields are the program's,
// the verify table's key column is the reopen (or healed) fsync. A family
// derives from this and adds its own program limits, if any.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/family_base.hpp"
#include "model/common/fsync_err.hpp"
#include "specs/json_reader.hpp"

namespace fsrace::model::fsync_err {

template <class M>
class FsyncErrFamily : public cli::ModelFamilyOf<M> {
 public:
  std::string keyOutcome(const std::vector<std::string>& fields) const override { return fsync_err::keyOutcome(fields); }
  std::string passProperty() const override { return "test_passes"; }

  void checkParameters(const specs::JsonReader& r, const specs::Parameters& p, const std::string& at) const override {
    fsync_err::checkParameters(r, p, at);
  }

  std::shared_ptr<const specs::Scenario> readScenario(const specs::JsonReader& r, const nlohmann::json& doc,
                                                      const specs::Spec& spec) const override {
    auto program = readProgram(r, doc, "/program", spec.parameters);
    checkProgram(r, *program, "/program");
    return program;
  }

  std::vector<std::string> outcomeFields(const specs::Spec& spec) const override { return fsync_err::outcomeFields(programOf(spec)); }

  std::optional<std::string> closestOutcomeField(const specs::Spec& spec, const std::string& field) const override {
    return fsync_err::closestField(programOf(spec), field);
  }

  specs::OutcomeValues outcomeValues(const specs::Spec& spec, const std::string& field) const override {
    const Program& program = programOf(spec);
    auto values = fsync_err::fieldValues(program, field, fsyncErrnos());
    if (!fsync_err::isResultField(program, field)) {
      std::string errnos;
      for (const auto& name : fsyncErrnos()) errnos += (errnos.empty() ? "" : ", ") + name;
      return {values, "\"0\", \"-\" for not run, or an errno model " + this->name() + " returns: " + errnos};
    }
    auto example = std::find_if(values.begin() + 1, values.end(), [](const std::string& v) { return !v.empty(); });
    return {values, "\"" + program.passed + "\" or a line the program prints when a check fails" +
                        (example == values.end() ? "" : ", such as \"" + *example + "\"")};
  }

  // What an fsync of this model can return besides 0.
  virtual std::vector<std::string> fsyncErrnos() const = 0;

 protected:
  // The family's own limits on a program (errors name `at`): by default,
  // what the program counter holds, less `reserve` operations for the family.
  virtual void checkProgram(const specs::JsonReader& r, const Program& program, const std::string& at) const {
    if (program.ops.size() >= kMaxOps - reserve())
      r.fail(at, "expands to " + std::to_string(program.ops.size()) + " operations (expected fewer than " +
                     std::to_string(kMaxOps - reserve()) + ")");
  }
  // Operations the family may add to a program (bcachefs's settle fixes).
  virtual std::size_t reserve() const { return 0; }
};

}  // namespace fsrace::model::fsync_err
