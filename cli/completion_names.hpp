// The names the bash completion offers (cli/completion/fsrace.bash), from
// `fsrace list --names KIND [--model M | --spec F]`, a hidden option whose
// only reader is that script: plain lines need no JSON parser in the shell.
#pragma once

#include <string>
#include <vector>

#include "specs/spec.hpp"

namespace fsrace::cli {

// The kinds --names accepts.
inline const std::vector<std::string> kCompletionKinds = {"models", "fixes", "properties", "parameters", "rates", "schedulers"};

// One name a line, sorted, each once. With `spec`: its fixes (the ones it
// defines too), the properties it states (and no_deadlock, always checked),
// its model's parameters; else those of `model`, or of every model.
// Parameters end in "=", as --set KEY=VALUE is typed. Rates are the keys a
// scheduler's rate may be given for (actor classes and steps), plain, as
// sweep --rate KEY takes them; schedulers are the spec's named ones (none
// without a spec).
std::string completionNames(const std::string& kind, const std::string& model, const specs::Spec* spec);

}  // namespace fsrace::cli
