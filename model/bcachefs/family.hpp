// The bcachefs model family as the registry sees it (family.cpp), and the
// pieces of it the tests use directly.
#pragma once

#include <vector>

#include "model/bcachefs/bcachefs_model.hpp"
#include "specs/properties.hpp"
#include "specs/spec.hpp"

namespace fsrace::cli {
class ModelFamily;
}

namespace fsrace::model::bcachefs {

using model::BcachefsModel;
using model::State;

// "bcachefs-2023".
std::vector<const cli::ModelFamily*> families();

// The model a bcachefs spec describes: its program, fixes and options.
BcachefsModel modelOf(const specs::Spec& spec);

// The named properties (properties.cpp).
const std::vector<specs::NamedProperty<BcachefsModel>>& namedProperties();

}  // namespace fsrace::model::bcachefs
