#include "specs/json_reader.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

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

std::string JsonReader::readFile() const {
  std::ifstream in(file_, std::ios::binary);
  if (!in) fail("", "cannot read the file (expected a readable JSON file)");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
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

json JsonReader::parseText(const std::string& content) const {
  if (content.size() > kMaxFileBytes)
    fail("", "file is " + std::to_string(content.size()) + " bytes (expected at most " + std::to_string(kMaxFileBytes) + ")");
  if (content.find_first_not_of(" \t\r\n") == std::string::npos) fail("", "empty file (expected a JSON object)");
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
  auto n = value.get<long long>();
  if (n < min || n > max)
    fail(at, std::to_string(n) + " is out of range (expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ")");
  return static_cast<int>(n);
}

bool JsonReader::boolean(const json& object, const std::string& pointer, const char* key) const {
  const json& value = member(object, pointer, key);
  if (!value.is_boolean()) fail(pointerJoin(pointer, key), typeName(value) + " (expected true or false)");
  return value.get<bool>();
}

}  // namespace fsrace::specs
