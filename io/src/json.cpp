// The JSON reader of json.hpp: one pass over the text with an explicit stack of
// open arrays and objects (no recursion, so no stack overflow on deep input),
// every cap checked before a value or a string grows.
#include "json.hpp"

#include <charconv>
#include <cmath>
#include <set>
#include <utility>

#include "dagprop/error.hpp"

namespace dagprop::io::json {

std::string_view to_string(Kind k) {
  switch (k) {
    case Kind::null:
      return "null";
    case Kind::boolean:
      return "true or false";
    case Kind::number:
      return "a number";
    case Kind::string:
      return "a string";
    case Kind::array:
      return "an array";
    case Kind::object:
      return "an object";
  }
  return "?";
}

const Value* Document::member(const Value& v, std::string_view name) const {
  if (v.kind != Kind::object) return nullptr;
  for (std::uint32_t e = v.first; e != none; e = values[e].next)
    if (strings[values[e].key] == name) return &values[e];
  return nullptr;
}

std::vector<const Value*> Document::elements(const Value& v) const {
  std::vector<const Value*> out;
  out.reserve(v.count);
  for (std::uint32_t e = v.first; e != none; e = values[e].next) out.push_back(&values[e]);
  return out;
}

namespace {

class Parser {
 public:
  Parser(std::string_view text, const std::string& source) : s_(text), source_(source) {}

  Document run() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = 3;  // a UTF-8 byte-order mark
    skip_space();
    begin_value(none);
    while (!stack_.empty()) step();
    skip_space();
    if (pos_ < s_.size()) fail("expected the end of the text after the top-level value", found());
    return std::move(doc_);
  }

 private:
  struct Frame {
    std::uint32_t container;
    std::uint32_t last = none;  // last element so far
    std::set<std::string> keys;
  };

  [[noreturn]] void fail(const std::string& expected, const std::string& what) const {
    throw io_error(source_ + ":" + std::to_string(line_) + ":" +
                   std::to_string(pos_ - line_start_ + 1) + ": JSON: " + expected + ", found " +
                   what);
  }

  std::string found() const {
    if (pos_ >= s_.size()) return "the end of the text";
    const unsigned char c = static_cast<unsigned char>(s_[pos_]);
    if (c >= 0x20 && c < 0x7f) return "'" + std::string(1, static_cast<char>(c)) + "'";
    return "byte " + std::to_string(c);
  }

  void skip_space() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\n') {
        ++pos_, ++line_;
        line_start_ = pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  bool at(char c) const { return pos_ < s_.size() && s_[pos_] == c; }

  // One step inside the innermost open array or object: an element, or its end.
  void step() {
    Frame& f = stack_.back();
    Value& c = doc_.values[f.container];
    const bool object = c.kind == Kind::object;
    skip_space();
    const char close = object ? '}' : ']';
    if (at(close)) {
      ++pos_;
      doc_.values[f.container].end = pos_;
      stack_.pop_back();
      return;
    }
    if (f.last != none) {
      if (!at(',')) fail(std::string("expected ',' or '") + close + "'", found());
      ++pos_;
      skip_space();
    }
    std::uint32_t key = none;
    if (object) {
      if (!at('"')) fail("expected a member name in double quotes", found());
      const std::size_t key_pos = pos_;
      key = read_string();
      if (!f.keys.insert(doc_.strings[key]).second) {
        pos_ = key_pos;
        fail("expected distinct member names",
             "'" + printable(doc_.strings[key], 60) + "' a second time");
      }
      skip_space();
      if (!at(':')) fail("expected ':' after the member name", found());
      ++pos_;
      skip_space();
    }
    begin_value(key);
  }

  // A value at pos_: a scalar is read whole, an array or object is opened.
  void begin_value(std::uint32_t key) {
    if (doc_.values.size() >= max_values)
      fail("at most " + std::to_string(max_values) + " values", "more");
    const auto index = static_cast<std::uint32_t>(doc_.values.size());
    Value v;
    v.key = key;
    v.line = line_;
    v.column = static_cast<std::uint32_t>(pos_ - line_start_ + 1);
    v.begin = pos_;
    if (!stack_.empty()) {
      Frame& f = stack_.back();
      if (f.last == none)
        doc_.values[f.container].first = index;
      else
        doc_.values[f.last].next = index;
      f.last = index;
      ++doc_.values[f.container].count;
    }
    if (pos_ >= s_.size()) fail("expected a value", found());
    const char c = s_[pos_];
    if (c == '{' || c == '[') {
      if (stack_.size() >= max_depth)
        fail("arrays and objects nested at most " + std::to_string(max_depth) + " deep",
             "deeper nesting");
      v.kind = c == '{' ? Kind::object : Kind::array;
      ++pos_;
      doc_.values.push_back(v);
      stack_.push_back(Frame{index, none, {}});
      return;
    }
    if (c == '"') {
      v.kind = Kind::string;
      v.text = read_string();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      read_number(v);
    } else {
      read_literal(v);
    }
    v.end = pos_;
    doc_.values.push_back(v);
  }

  void read_literal(Value& v) {
    const std::string_view rest = s_.substr(pos_);
    // Not JSON, but what Python's json.dumps writes for a non-finite float (a
    // fitness in the metadata, say): read as a number that is not finite.
    constexpr double inf = std::numeric_limits<double>::infinity();
    for (auto [name, value] :
         {std::pair{std::string_view("NaN"), std::nan("")}, {"Infinity", inf}, {"-Infinity", -inf}})
      if (rest.substr(0, name.size()) == name) {
        v.kind = Kind::number, v.number = value, pos_ += name.size();
        return;
      }
    if (rest.substr(0, 4) == "true") {
      v.kind = Kind::boolean, v.boolean = true, pos_ += 4;
    } else if (rest.substr(0, 5) == "false") {
      v.kind = Kind::boolean, pos_ += 5;
    } else if (rest.substr(0, 4) == "null") {
      v.kind = Kind::null, pos_ += 4;
    } else {
      fail("expected a value (object, array, string, number, true, false or null)", found());
    }
  }

  std::size_t digits() {
    const std::size_t from = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ - from;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, then std::from_chars.
  void read_number(Value& v) {
    const std::size_t start = pos_;
    if (at('-')) ++pos_;
    if (s_.substr(pos_, 8) == "Infinity") {
      pos_ = start;
      return read_literal(v);
    }
    const std::size_t int_start = pos_;
    if (digits() == 0) fail("expected a digit", found());
    if (s_[int_start] == '0' && pos_ - int_start > 1) {
      pos_ = int_start;
      fail("expected a number without leading zeros", "'0' followed by digits");
    }
    bool integer = true;
    if (at('.')) {
      ++pos_, integer = false;
      if (digits() == 0) fail("expected a digit after '.'", found());
    }
    if (at('e') || at('E')) {
      ++pos_, integer = false;
      if (at('+') || at('-')) ++pos_;
      if (digits() == 0) fail("expected a digit in the exponent", found());
    }
    const char* first = s_.data() + start;
    const char* last = s_.data() + pos_;
    const auto [end, ec] = std::from_chars(first, last, v.number);
    if (ec != std::errc() || end != last || !std::isfinite(v.number)) {
      pos_ = start;
      fail("expected a number within the range of a double",
           "'" + printable(std::string_view(first, static_cast<std::size_t>(last - first)), 40) +
               "'");
    }
    v.kind = Kind::number;
    if (integer) {
      const auto r = std::from_chars(first, last, v.int_value);
      v.integer = r.ec == std::errc() && r.ptr == last;
    }
  }

  unsigned hex4() {
    unsigned u = 0;
    for (int k = 0; k < 4; ++k, ++pos_) {
      if (pos_ >= s_.size()) fail("expected four hex digits after \\u", found());
      const char c = s_[pos_];
      const int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
      if (d < 0) fail("expected four hex digits after \\u", found());
      u = u * 16 + static_cast<unsigned>(d);
    }
    return u;
  }

  static void put_utf8(std::string& out, unsigned cp) {
    const auto byte = [&](unsigned b) { out.push_back(static_cast<char>(b)); };
    if (cp < 0x80) {
      byte(cp);
    } else if (cp < 0x800) {
      byte(0xc0 | (cp >> 6)), byte(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      byte(0xe0 | (cp >> 12)), byte(0x80 | ((cp >> 6) & 0x3f)), byte(0x80 | (cp & 0x3f));
    } else {
      byte(0xf0 | (cp >> 18)), byte(0x80 | ((cp >> 12) & 0x3f));
      byte(0x80 | ((cp >> 6) & 0x3f)), byte(0x80 | (cp & 0x3f));
    }
  }

  unsigned escape_code_point() {
    const unsigned u = hex4();
    if (u >= 0xdc00 && u <= 0xdfff) fail("expected a high surrogate first", "a low surrogate");
    if (u < 0xd800 || u > 0xdbff) return u;
    if (s_.substr(pos_, 2) != "\\u") fail("expected a low surrogate after a high one", found());
    pos_ += 2;
    const unsigned low = hex4();
    if (low < 0xdc00 || low > 0xdfff) fail("expected a low surrogate after a high one", "another");
    return 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
  }

  // A string at pos_ (the opening quote); returns its index in doc_.strings.
  std::uint32_t read_string() {
    ++pos_;
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) fail("expected the closing '\"' of a string", found());
      if (out.size() > max_string_bytes)
        fail("strings of at most " + std::to_string(max_string_bytes) + " bytes", "a longer one");
      const char c = s_[pos_];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20)
        fail("expected a character or an escape in a string", found());
      ++pos_;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) fail("expected an escape after '\\'", found());
      const char e = s_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u':
          put_utf8(out, escape_code_point());
          break;
        default:
          --pos_;
          fail("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u", found());
      }
    }
    ++pos_;
    doc_.strings.push_back(std::move(out));
    return static_cast<std::uint32_t>(doc_.strings.size() - 1);
  }

  std::string_view s_;
  const std::string& source_;
  std::size_t pos_ = 0, line_start_ = 0;
  std::uint32_t line_ = 1;
  Document doc_;
  std::vector<Frame> stack_;
};

}  // namespace

Document parse(std::string_view text, const std::string& source) {
  return Parser(text, source).run();
}

}  // namespace dagprop::io::json
