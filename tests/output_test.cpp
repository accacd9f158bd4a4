// Where results go: paths that stay inside their folder, text that cannot
// drive a terminal, files replaced whole.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "cli/output.hpp"
#include "specs/json_reader.hpp"

namespace fsrace::tests {

TEST_SUITE("output") {
  TEST_CASE("a counterexample file stays inside the folder asked for") {
    CHECK(cli::fileInside("out", "test_passes") == "out/test_passes.json");
    CHECK(cli::fileInside("out/", "p") == "out//p.json");
    for (const char* name : {"../x", "../../somewhere/x", "a/b", "..", ".", "", ".hidden", "/etc/passwd"})
      CHECK_THROWS_AS(cli::fileInside("out", name), cli::OutputError);
  }

  TEST_CASE("control characters are escaped before they reach a terminal") {
    CHECK(specs::printableText("plain: text, \"quoted\"") == "plain: text, \"quoted\"");
    CHECK(specs::printableText("a\x1b[2Jb") == "a\\x1b[2Jb");
    CHECK(specs::printableText(std::string("nul\0here", 8)) == "nul\\x00here");
    CHECK(specs::printableText("del\x7f") == "del\\x7f");
    CHECK(specs::printableText("c1 \xc2\x9b") == "c1 \\u009b");           // CSI, the 8-bit escape
    CHECK(specs::printableText("bidi \xe2\x80\xae") == "bidi \\u202e");   // right-to-left override
    CHECK(specs::printableText("caf\xc3\xa9 \xe2\x86\x92") == "caf\xc3\xa9 \xe2\x86\x92");  // letters and arrows stay
    CHECK(specs::printableText("\xe0\x1b[31m") == "\\xe0\\x1b[31m");  // a bad lead byte does not swallow the ESC after it
    CHECK(specs::printableText("\xff") == "\\xff");
    CHECK(specs::printableText("rlm \xe2\x80\x8f, ls \xe2\x80\xa8") == "rlm \\u200f, ls \\u2028");
  }

  TEST_CASE("a file is replaced whole, and a failed write leaves the old one") {
    auto dir = std::filesystem::path(FSRACE_BINARY_DIR) / "output_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string path = (dir / "r.json").string();
    cli::writeFileAtomically(path, "first\n");
    cli::writeFileAtomically(path, "second\n");
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    CHECK(line == "second");
    CHECK_THROWS_AS(cli::writeFileAtomically((dir / "missing" / "r.json").string(), "x"), cli::OutputError);
    CHECK_THROWS_WITH_AS(cli::writeFileAtomically(dir.string(), "x"), doctest::Contains("is a directory"), cli::OutputError);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
    CHECK(files == 1);  // no temporary left behind
  }
}

}  // namespace fsrace::tests
