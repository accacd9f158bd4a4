#include "specs/json_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <fstream>
#include <functional>
#include <set>

namespace fsrace::specs {
namespace {

constexpr std::size_t kMaxFileBytes = 4u << 20;

std::string quote(const std::string& s) { return "\"" + s + "\""; }

std::string choicesText(const std::vector<std::string>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) out += (i ? ", " : "") + quote(choices[i]);
  return out;
}

}  // namespace

namespace {

void appendToken(std::string& pointer, const std::string& key) {
  pointer += '/';
  for (char c : key) {
    if (c == '~') pointer += "~0";
    else if (c == '/') pointer += "~1";
    else pointer += c;
  }
}

}  // namespace

std::string pointerJoin(const std::string& base, const std::string& key) {
  std::string out = base;
  appendToken(out, key);
  return out;
}

std::string pointerJoin(const std::string& base, std::size_t index) { return base + "/" + std::to_string(index); }

std::string typeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number";
    case json::value_t::binary: return "binary data";
    case json::value_t::discarded: return "nothing";
  }
  return "?";
}

namespace {

// What a path is, in the words of an error message, when it is not a file
// fsrace can read as a document.
std::string notRegularFile(mode_t mode) {
  if (S_ISDIR(mode)) return "is a directory (expected a JSON file)";
  if (S_ISFIFO(mode)) return "is a FIFO (expected a regular JSON file)";
  if (S_ISCHR(mode)) return "is a character device (expected a regular JSON file)";
  if (S_ISBLK(mode)) return "is a block device (expected a regular JSON file)";
  if (S_ISSOCK(mode)) return "is a socket (expected a regular JSON file)";
  return "is not a regular file (expected a JSON file)";
}

// Closes the descriptor on every path out.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string JsonReader::readFile() const {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  Descriptor in{::open(file_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (in.fd < 0) fail("", "cannot read the file: " + std::string(std::strerror(errno)) + " (expected a readable JSON file)");
  struct stat st {};
  if (::fstat(in.fd, &st) != 0) fail("", "cannot read the file: " + std::string(std::strerror(errno)) + " (expected a readable JSON file)");
  if (!S_ISREG(st.st_mode)) fail("", notRegularFile(st.st_mode));
  // At most one byte past the limit: enough to know the file is too big,
  // whatever its size says (a file can grow while it is read).
  std::string text(kMaxFileBytes + 1, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(in.fd, text.data() + got, text.size() - got);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("", "cannot read the file: " + std::string(std::strerror(errno)) + " (expected a readable JSON file)");
    got += static_cast<std::size_t>(n);
  }
  if (got > kMaxFileBytes)
    fail("", "file is larger than " + std::to_string(kMaxFileBytes) + " bytes (expected a smaller document)");
  text.resize(got);
  return text;
}

std::string whyUnreadable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::strerror(errno);
  if (!S_ISREG(st.st_mode)) return notRegularFile(st.st_mode);
  if (::access(path.c_str(), R_OK) != 0) return std::strerror(errno);
  return "";
}

json JsonReader::parseFile() const { return parseText(readFile()); }

namespace {

// Thrown out of the parser when the nesting is deeper than any fsrace
// document needs; carries the pointer of the first value too deep.
struct TooDeep {
  std::string pointer;
};

// Tracks where the parser is, so a duplicated key can be reported with its
// JSON pointer (nlohmann::json would silently keep the last one).
class DuplicateKeyFinder {
 public:
  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (frames_.size() >= JsonReader::kMaxDepth) throw TooDeep{pointer()};
        frames_.push_back({event == json::parse_event_t::array_start, 0, "", {}});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end: frames_.pop_back(); leaveValue(); break;
      case json::parse_event_t::key: {
        Frame& f = frames_.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second && duplicate_.empty()) duplicate_ = pointer();
        break;
      }
      case json::parse_event_t::value: leaveValue(); break;
    }
    return true;
  }
  const std::string& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool is_array;
    std::size_t index;
    std::string key;
    std::set<std::string> keys;
  };
  // After a value: the next element of an enclosing array has the next index.
  void leaveValue() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }
  std::string pointer() const {  // linear in the depth: appends in place
    std::string out;
    for (const Frame& f : frames_) {
      if (f.is_array) out += "/" + std::to_string(f.index);
      else appendToken(out, f.key);
    }
    return out;
  }
  std::vector<Frame> frames_;
  std::string duplicate_;
};

}  // namespace

namespace {

constexpr std::uint32_t kInvalidByte = 0xffffffffu;

// A character a terminal would act on rather than show, or that hides or
// reorders text: C0 and C1 controls, DEL, the soft hyphen, the zero-width
// and directional marks, fillers, line and paragraph separators, the
// bidirectional overrides and isolates, interlinear annotations, tag
// characters and byte-order marks; and any byte that is not valid UTF-8.
bool isControl(std::uint32_t c) {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xad || c == 0x061c || c == 0x115f || c == 0x1160 || c == 0x180e ||
         (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) || c == 0x3164 ||
         c == 0xfeff || c == 0xffa0 || (c >= 0xfff9 && c <= 0xfffb) || (c >= 0xe0000 && c <= 0xe007f) || c == kInvalidByte;
}

// Decodes one UTF-8 sequence at `i`; a byte that does not start a valid
// sequence decodes as kInvalidByte and is consumed alone.
std::uint32_t decodeAt(const std::string& s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[k])); };
  std::uint32_t b = byte(i);
  std::size_t extra = b < 0x80 ? 0 : (b & 0xe0) == 0xc0 ? 1 : (b & 0xf0) == 0xe0 ? 2 : (b & 0xf8) == 0xf0 ? 3 : 4;
  bool valid = extra < 4 && i + extra < s.size();
  for (std::size_t k = 1; valid && k <= extra; ++k) valid = (byte(i + k) & 0xc0) == 0x80;
  if (!valid || (extra == 1 && b < 0xc2)) {
    ++i;
    return kInvalidByte;
  }
  std::uint32_t c = extra == 0 ? b : extra == 1 ? (b & 0x1f) : extra == 2 ? (b & 0x0f) : (b & 0x07);
  for (std::size_t k = 1; k <= extra; ++k) c = (c << 6) | (byte(i + k) & 0x3f);
  i += extra + 1;
  return c;
}

std::string codePoint(std::uint32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

std::optional<std::uint32_t> firstControl(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t c = decodeAt(s, i);
    if (isControl(c)) return c;
  }
  return std::nullopt;
}

// Every string and key of a document is text fsrace may print to a terminal
// or write into a DOT or Mermaid file: none may carry a control character.
void refuseControls(const JsonReader& r, const json& value, std::string& pointer) {
  auto check = [&](const std::string& text, const std::string& at) {
    if (auto c = firstControl(text))
      r.fail(at, "control character " + codePoint(*c) + " in a string (expected printable text)");
  };
  if (value.is_string()) check(value.get_ref<const std::string&>(), pointer);
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      std::size_t mark = pointer.size();
      pointer += "/" + std::to_string(i);
      refuseControls(r, value[i], pointer);
      pointer.resize(mark);
    }
  }
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      std::size_t mark = pointer.size();
      appendToken(pointer, key);
      check(key, pointer);
      refuseControls(r, member, pointer);
      pointer.resize(mark);
    }
  }
}

}  // namespace

bool hasControlCharacter(const std::string& text) { return firstControl(text).has_value(); }

std::string printableText(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    std::uint32_t c = decodeAt(text, i);
    if (!isControl(c)) {
      out.append(text, start, i - start);
      continue;
    }
    char buf[16];
    if (c == kInvalidByte) std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(text[start])));
    else if (c < 0x80) std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
    else std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
    out += buf;
  }
  return out;
}

json JsonReader::parseText(const std::string& content) const {
  if (content.size() > kMaxFileBytes)
    fail("", "file is " + std::to_string(content.size()) + " bytes (expected at most " + std::to_string(kMaxFileBytes) + ")");
  if (content.find_first_not_of(" \t\r\n") == std::string::npos) fail("", "empty file (expected a JSON object)");
  // JSON text never holds a raw NUL; the parser would stop at one and keep
  // what came before, accepting whatever follows it.
  if (auto nul = content.find('\0'); nul != std::string::npos)
    fail("", "NUL byte at offset " + std::to_string(nul) + " (expected JSON text)");
  DuplicateKeyFinder finder;
  json doc;
  try {
    doc = json::parse(content, std::ref(finder));
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers such as 1e999
    std::string what = e.what();
    auto bracket = what.find("] ");
    fail("", "not valid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2)));
  } catch (const TooDeep& deep) {
    fail(deep.pointer, "nesting deeper than " + std::to_string(kMaxDepth) + " levels (expected a flatter document)");
  }
  if (!finder.duplicate().empty()) {
    std::string at = finder.duplicate();
    fail(at, "duplicate key \"" + at.substr(at.rfind('/') + 1) + "\" (expected each key once)");
  }
  std::string pointer;
  refuseControls(*this, doc, pointer);
  return doc;
}

void JsonReader::requireObject(const json& value, const std::string& pointer) const {
  if (!value.is_object()) fail(pointer, typeName(value) + " (expected an object)");
}

void JsonReader::requireArray(const json& value, const std::string& pointer) const {
  if (!value.is_array()) fail(pointer, typeName(value) + " (expected an array)");
}

void JsonReader::checkKeys(const json& object, const std::string& pointer, const std::vector<std::string>& allowed) const {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string problem = "unknown key " + quote(key);
    if (auto close = suggest(key, allowed)) problem += "; did you mean " + quote(*close) + "?";
    else problem += " (expected one of " + choicesText(allowed) + ")";
    fail(pointerJoin(pointer, key), problem);
  }
}

const json& JsonReader::member(const json& object, const std::string& pointer, const char* key) const {
  if (!object.contains(key)) fail(pointerJoin(pointer, key), "missing (required)");
  return object.at(key);
}

std::string JsonReader::string(const json& object, const std::string& pointer, const char* key) const {
  const json& value = member(object, pointer, key);
  if (!value.is_string()) fail(pointerJoin(pointer, key), typeName(value) + " (expected a string)");
  return value.get<std::string>();
}

std::string JsonReader::oneOf(const std::string& value, const std::string& pointer,
                              const std::vector<std::string>& choices) const {
  if (std::find(choices.begin(), choices.end(), value) != choices.end()) return value;
  std::string problem = quote(value) + " is not allowed";
  if (auto close = suggest(value, choices)) problem += "; did you mean " + quote(*close) + "?";
  else problem += " (expected one of " + choicesText(choices) + ")";
  fail(pointer, problem);
}

std::string JsonReader::oneOf(const json& object, const std::string& pointer, const char* key,
                              const std::vector<std::string>& choices) const {
  return oneOf(string(object, pointer, key), pointerJoin(pointer, key), choices);
}

int JsonReader::integer(const json& object, const std::string& pointer, const char* key, int min, int max) const {
  const json& value = member(object, pointer, key);
  std::string at = pointerJoin(pointer, key);
  if (!value.is_number_integer()) fail(at, typeName(value) + " (expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ")");
  bool huge = value.is_number_unsigned() && value.get<unsigned long long>() > static_cast<unsigned long long>(max);
  auto n = huge ? static_cast<long long>(max) + 1 : value.get<long long>();
  if (n < min || n > max)
    fail(at, value.dump() + " is out of range (expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ")");
  return static_cast<int>(n);
}

bool JsonReader::boolean(const json& object, const std::string& pointer, const char* key) const {
  const json& value = member(object, pointer, key);
  if (!value.is_boolean()) fail(pointerJoin(pointer, key), typeName(value) + " (expected true or false)");
  return value.get<bool>();
}

}  // namespace fsrace::specs
