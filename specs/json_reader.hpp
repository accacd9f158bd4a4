// Strict reading of a JSON document: every accessor knows the JSON pointer of
// what it reads, and every problem becomes one SpecError line.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "specs/spec.hpp"
#include "specs/spec_error.hpp"

namespace fsrace::specs {

using nlohmann::json;

std::string pointerJoin(const std::string& base, const std::string& key);
std::string pointerJoin(const std::string& base, std::size_t index);
std::string typeName(const json& value);
// `text` with every control character (C0, DEL, C1, bidirectional overrides)
// written as an escape, so that printing it cannot drive a terminal.
std::string printableText(const std::string& text);
// Whether `text` holds a control character (or a byte that is not UTF-8).
bool hasControlCharacter(const std::string& text);
// Why `path` is not a regular file this process may read ("is a FIFO ...",
// "No such file or directory"), or "" when it is one.
std::string whyUnreadable(const std::string& path);

class JsonReader {
 public:
  // No fsrace document nests deeper than a handful of levels; the limit keeps
  // pathological input ("[[[[...") from costing time or stack.
  static constexpr std::size_t kMaxDepth = 64;

  explicit JsonReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& problem) const {
    throw SpecError(file_, pointer, problem);
  }

  // Reads and parses the whole file; empty, unreadable, oversized or
  // malformed input is an error, and so is an object with a key twice, a NUL
  // byte, or a control character in any string or key.
  json parseFile() const;
  // The file's bytes: a regular file only (a FIFO or device is refused
  // without waiting on it), and never more than the size limit plus one byte.
  std::string readFile() const;
  // Parses text already in memory (the fuzzers use it).
  json parseText(const std::string& content) const;

  void requireObject(const json& value, const std::string& pointer) const;
  void requireArray(const json& value, const std::string& pointer) const;
  // Every key of `object` must be one of `allowed`.
  void checkKeys(const json& object, const std::string& pointer, const std::vector<std::string>& allowed) const;

  bool has(const json& object, const char* key) const { return object.contains(key); }
  std::string string(const json& object, const std::string& pointer, const char* key) const;
  std::string oneOf(const json& object, const std::string& pointer, const char* key,
                    const std::vector<std::string>& choices) const;
  std::string oneOf(const std::string& value, const std::string& pointer, const std::vector<std::string>& choices) const;
  int integer(const json& object, const std::string& pointer, const char* key, int min, int max) const;
  bool boolean(const json& object, const std::string& pointer, const char* key) const;

  const std::string& file() const { return file_; }

 private:
  const json& member(const json& object, const std::string& pointer, const char* key) const;
  std::string file_;
};

}  // namespace fsrace::specs
