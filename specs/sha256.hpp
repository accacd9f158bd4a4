// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits: what
// `sha256sum` prints for the same bytes. Documents record the digests of the
// spec files a run read, so a result names exactly what it was made from.
#pragma once

#include <string>
#include <string_view>

namespace fsrace::specs {

std::string sha256Hex(std::string_view bytes);

}  // namespace fsrace::specs
