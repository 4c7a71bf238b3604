// A small JSON reader for untrusted text (RFC 8259), used by the neat-python
// import: a flat array of values linked first-child / next-sibling, parsed
// without recursion, with caps on size, depth, values and string length that
// are checked before anything grows. Numbers are read locale-independently.
// It keeps no comments and writes nothing; errors are io_error with line:column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace dagprop::io::json {

inline constexpr std::size_t max_depth = 64;
inline constexpr std::size_t max_values = std::size_t{1} << 21;  // some 300000 connections
inline constexpr std::size_t max_string_bytes = std::size_t{1} << 16;

enum class Kind : std::uint8_t { null, boolean, number, string, array, object };
std::string_view to_string(Kind k);  // "null", "true or false", "a number", ...

inline constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

struct Value {
  Kind kind = Kind::null;
  bool boolean = false;
  bool integer = false;  // a number written without fraction or exponent
  double number = 0;
  std::int64_t int_value = 0;          // when integer and within ±2^63
  std::uint32_t text = none;           // string: index into Document::strings
  std::uint32_t key = none;            // member of an object: its name, in Document::strings
  std::uint32_t first = none;          // array or object: first element
  std::uint32_t next = none;           // next element of the enclosing array or object
  std::uint32_t count = 0;             // array or object: number of elements
  std::uint32_t line = 0, column = 0;  // where the value starts, 1-based
  std::size_t begin = 0, end = 0;      // its bytes in the text
};

struct Document {
  std::vector<Value> values;  // values[0] is the root
  std::vector<std::string> strings;
  const Value& root() const { return values[0]; }
  const std::string& text(const Value& v) const { return strings[v.text]; }
  const std::string& key(const Value& v) const { return strings[v.key]; }
  // The member `name` of object `v`, or nullptr.
  const Value* member(const Value& v, std::string_view name) const;
  // Elements of array or object `v` in order.
  std::vector<const Value*> elements(const Value& v) const;
};

// Parses `text`; io_error "<source>:<line>:<column>: JSON: ..." on a syntax
// error (what was expected, what was found), a duplicate member name, a number
// beyond a double's range, or a cap exceeded. NaN, Infinity and -Infinity, not
// JSON but what Python writes for a non-finite float, are read as numbers that
// are not finite: the caller refuses them where a value is used. The caller
// caps the size of `text`.
Document parse(std::string_view text, const std::string& source);

}  // namespace dagprop::io::json
