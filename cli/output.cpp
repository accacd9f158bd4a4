#include "cli/output.hpp"

#include <algorithm>
#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <regex>

namespace fsrace::cli {
namespace {

std::string reason() { return std::strerror(errno); }

// Writes all of `text` to `fd`; false (errno set) if the system refuses.
bool writeAll(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string folderOf(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

void writeStdout(const std::string& text) {
  if (!writeAll(STDOUT_FILENO, text)) throw OutputError("stdout", "cannot write: " + reason());
}

void Inputs::add(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  files_.emplace_back(st.st_dev, st.st_ino);
  names_.push_back(path);
}

void Inputs::refuseOverwrite(const std::string& path, const std::string& what) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  for (std::size_t i = 0; i < files_.size(); ++i) {
    if (files_[i] != std::pair<dev_t, ino_t>{st.st_dev, st.st_ino}) continue;
    throw OutputError(what + " " + path, "is the input " + names_[i] + " (expected a path that is not read by this run)");
  }
}

namespace {

// A device, a FIFO or a descriptor's name (/dev/null, a pipe, /dev/fd/3) is
// written in place, appending: there is no previous file to keep, renaming
// over it would replace the name, and what the shell opened (3>>log) is
// added to, not overwritten from its start. A FIFO without a reader is an
// error, not a wait.
void writeInPlace(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ENXIO) throw OutputError(path, "cannot write: a FIFO with no reader");
  if (fd < 0) throw OutputError(path, "cannot write: " + reason());
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  bool ok = writeAll(fd, text);
  int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok && saved) errno = saved;
  if (!ok) throw OutputError(path, "cannot write: " + reason());
}

// /dev/fd/3, /dev/stdout, /proc/self/fd/3: a name of an open descriptor
// (what the shell opened, 3>>log), not of a file of its own.
bool namesDescriptor(const std::string& path) {
  static const std::regex descriptor(R"(^/(dev/fd/[0-9]+|dev/std(in|out|err)|proc/(self|thread-self|[0-9]+)/fd/[0-9]+)$)");
  std::error_code ec;
  return std::regex_match(std::filesystem::absolute(path, ec).lexically_normal().string(), descriptor);
}

// Is `st` the file behind one of this process's standard streams (as
// /dev/stdout or /proc/self/fd/1 name it)? Such a file is written through
// the stream: replacing it would cut the shell's redirection off.
int standardStreamOf(const struct stat& st) {
  for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
    struct stat stream {};
    if (::fstat(fd, &stream) == 0 && stream.st_dev == st.st_dev && stream.st_ino == st.st_ino) return fd;
  }
  return -1;
}

}  // namespace

void writeFileAtomically(const std::string& path, const std::string& text, bool follow_links) {
  struct stat st {}, link {};
  bool exists = (follow_links ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st)) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw OutputError(path, "is a directory (expected a file name)");
  if (follow_links) {
    if (!exists && ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
      throw OutputError(path, "is a link to nothing (expected a file, or a link to one)");
    if (int fd = exists ? standardStreamOf(st) : -1; fd >= 0) {
      if (!writeAll(fd, text)) throw OutputError(path, "cannot write: " + reason());
      return;
    }
    if ((exists && !S_ISREG(st.st_mode)) || (exists && namesDescriptor(path))) return writeInPlace(path, text);
  }
  // Through a symbolic link the user named, the file it points to is
  // replaced, not the link; where links are not followed, the link itself is.
  std::error_code ec;
  std::string target = exists && follow_links ? std::filesystem::canonical(path, ec).string() : path;
  if (ec) target = path;
  std::string name = target.substr(target.find_last_of('/') == std::string::npos ? 0 : target.find_last_of('/') + 1);
  std::string temp = folderOf(target) + "/." + name + ".fsrace-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) throw OutputError(path, "cannot write: " + reason());
  // mkstemp makes the file 0600: keep the replaced file's mode, or give a
  // new file what open(2) would (0666 less the umask).
  mode_t mask = ::umask(0);
  ::umask(mask);
  mode_t mode = exists && S_ISREG(st.st_mode) ? (st.st_mode & 07777) : (0666 & ~mask);
  bool ok = ::fchmod(fd, mode) == 0 && writeAll(fd, text) && ::fsync(fd) == 0;
  int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && ::rename(temp.c_str(), target.c_str()) == 0) return;
  if (ok) saved = errno;
  ::unlink(temp.c_str());
  errno = saved;
  throw OutputError(path, "cannot write: " + reason() + " (the previous file, if any, is unchanged)");
}

void checkWritable(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return;
  auto folder = std::filesystem::path(path).parent_path();
  if (folder.empty()) return;
  if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw OutputError(what + " " + path, "its folder " + folder.string() + " does not exist (expected an existing folder)");
}

bool samePath(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code ec;
  auto na = std::filesystem::absolute(a, ec).lexically_normal(), nb = std::filesystem::absolute(b, ec).lexically_normal();
  return na == nb;
}

std::string fileInside(const std::string& dir, const std::string& name) {
  bool plain = !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos && name[0] != '.';
  if (!plain) throw OutputError(dir, "\"" + name + "\" would leave the folder (expected a plain file name)");
  std::string path = dir + "/" + name + ".json";
  // Belt and braces: normalised, the file's folder is the folder asked for.
  auto base = std::filesystem::path(dir);
  auto full = (base / (name + ".json")).lexically_normal();
  if (full.parent_path() != (base / "f").lexically_normal().parent_path())
    throw OutputError(dir, "\"" + name + "\" would leave the folder (expected a plain file name)");
  return path;
}

std::string tableText(const std::vector<std::vector<std::string>>& rows, const std::string& indent, std::size_t right_aligned) {
  std::vector<std::size_t> widths;
  for (const auto& cells : rows) {
    if (widths.size() < cells.size()) widths.resize(cells.size(), 0);
    for (std::size_t c = 0; c < cells.size(); ++c) widths[c] = std::max(widths[c], cells[c].size());
  }
  std::string out;
  for (const auto& cells : rows) {
    std::string line = indent;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      std::string pad(widths[c] - cells[c].size(), ' ');
      line += (c ? "  " : "") + (c == right_aligned ? pad + cells[c] : cells[c] + pad);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string numberText(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

}  // namespace fsrace::cli
