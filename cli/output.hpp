// Where fsrace's results go: stdout, and files written whole or not at all.
// Every write is checked; a failure is an OutputError with the system's
// reason, never a silent exit 0. Nothing is written over an input, and a file
// named after a property stays inside the folder it was asked for.
#pragma once

#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace fsrace::cli {

class OutputError : public std::runtime_error {
 public:
  OutputError(const std::string& where, const std::string& problem) : std::runtime_error(where + ": " + problem) {}
};

// Writes all of `text` to stdout (file descriptor 1), retrying short writes;
// throws OutputError("stdout", reason) if the system refuses any of it.
void writeStdout(const std::string& text);

// Rows of cells as text: each column as wide as its longest cell, two
// spaces apart, each line after `indent` and without trailing blanks; the
// column `right_aligned` (if any) is aligned to the right, as numbers are.
std::string tableText(const std::vector<std::vector<std::string>>& rows, const std::string& indent = "",
                      std::size_t right_aligned = static_cast<std::size_t>(-1));

// One number as printf's `format` (a single double conversion: "%g",
// "%.3g", "%.1f") writes it, in the C locale the program runs in.
std::string numberText(const char* format, double value);

// The files a run reads: an output path that names one of them is refused.
class Inputs {
 public:
  void add(const std::string& path);
  // Throws OutputError if `path` is (a link to) one of the inputs.
  void refuseOverwrite(const std::string& path, const std::string& what) const;

 private:
  std::vector<std::pair<dev_t, ino_t>> files_;
  std::vector<std::string> names_;
};

// Writes `text` to a temporary file in the folder of `path`, then renames it
// over `path`: a failed write leaves the previous file as it was.
// `follow_links` (a path the user named): a symbolic link stands for the
// file it names, this process's own stdout or stderr (/dev/stdout) is
// written through its stream, and a device, a FIFO or a descriptor's name
// (/dev/fd/3, /proc/self/fd/3) is appended to in place. Without (a file fsrace names inside a
// folder), whatever is at `path` but a directory is replaced.
void writeFileAtomically(const std::string& path, const std::string& text, bool follow_links = true);

// Whether two paths name one file: the same file if both exist, else the
// same absolute path once normalised.
bool samePath(const std::string& a, const std::string& b);

// Throws OutputError unless `path` can be created or replaced: its folder
// exists (checked before a run, so that a long run is not lost to a typo).
void checkWritable(const std::string& path, const std::string& what);

// `dir`/`name`.json, refused unless `name` is a plain file name, so that the
// path cannot leave `dir`.
std::string fileInside(const std::string& dir, const std::string& name);

}  // namespace fsrace::cli
