// Which fsrace made a document, and from what: its version, the git commit
// it was built from, and the digests of the spec files the run read.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "specs/spec.hpp"

namespace fsrace::cli {

// "fsrace 0.1.0 (commit 0123abcd4567, with uncommitted changes)": --version's line.
std::string versionLine();

// The "provenance" object of every document: {"fsrace", "commit", "dirty"},
// and with a spec {"spec_sha256", "inputs": [{"file", "sha256"}]}.
nlohmann::json provenanceJson(const specs::Spec* spec);

}  // namespace fsrace::cli
