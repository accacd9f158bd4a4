// Which fsrace made a document and from what: the digests must be what
// sha256sum prints, and the version line what --version prints.
#include <doctest/doctest.h>

#include <string>

#include "cli/provenance.hpp"
#include "specs/sha256.hpp"

using fsrace::specs::sha256Hex;

TEST_CASE("sha256 gives the FIPS 180-4 test vectors") {
  CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the padding needs a second block.
  CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256Hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Every length around a block's end.
  CHECK(sha256Hex(std::string(55, 'x')) != sha256Hex(std::string(56, 'x')));
  CHECK(sha256Hex(std::string(63, 'x')).size() == 64);
}

TEST_CASE("the version line names the version") {
  CHECK(fsrace::cli::versionLine().rfind("fsrace 0.", 0) == 0);
}
