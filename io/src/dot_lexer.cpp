// DotLexer: DOT's tokens without regular expressions, in one pass. Its rules
// for skipped text, identifiers, numerals and quoted strings are those of
// Boost.Graph 1.74's read_graphviz tokenizer (which dagprop read DOT with
// before), so files that read then read the same now; the Graphviz forms
// listed in dot_lexer.hpp are added.
#include "dot_lexer.hpp"

#include <cstdio>

#include "dagprop/error.hpp"

namespace dagprop::io::detail {

namespace {

// Character classes in the C locale.
bool space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool separator(char c) {
  return c == '\n' || c == '\r' || c == '\f';
}  // for ^ and $
bool digit(char c) {
  return c >= '0' && c <= '9';
}
bool alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool wide(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}
bool id_start(char c) {
  return alpha(c) || c == '_' || wide(c);
}
bool id_char(char c) {
  return id_start(c) || digit(c);
}
bool punct(char c) {
  for (char p : std::string("[]{};=,:+()@"))
    if (c == p) return true;
  return false;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// A byte as a message can show it.
std::string shown(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
  return std::string("byte ") + buf;
}

}  // namespace

DotLexer::DotLexer(const std::string& text, const std::string& source)
    : s_(text), source_(source) {}

void DotLexer::fail(const std::string& why) const {
  throw io_error(source_ + ": line " + std::to_string(line_) + ": DOT syntax: " + why);
}

void DotLexer::advance_to(std::size_t end) {
  for (; p_ < end; ++p_)
    if (s_[p_] == '\n') ++line_;
}

// (\s+ | //.*?$ | /\*.*?\*/ | ^#.*?$ | \\\n)* where ^ holds at the start of the
// run and after a line separator, and . matches every byte.
void DotLexer::skip() {
  const std::size_t start = p_;
  while (p_ < s_.size()) {
    const char c = s_[p_];
    if (space(c)) {
      advance_to(p_ + 1);
    } else if (s_.compare(p_, 2, "//") == 0 ||
               (c == '#' && (p_ == start || separator(s_[p_ - 1])))) {
      std::size_t e = p_;
      while (e < s_.size() && !separator(s_[e])) ++e;
      advance_to(e);
    } else if (s_.compare(p_, 2, "/*") == 0 && s_.find("*/", p_ + 2) != std::string::npos) {
      advance_to(s_.find("*/", p_ + 2) + 2);
    } else if (s_.compare(p_, 2, "\\\n") == 0) {
      advance_to(p_ + 2);
    } else {
      return;
    }
  }
}

std::size_t DotLexer::quoted_end() const {  // "(?:[^"\\]|\\.)*"
  std::size_t e = p_ + 1;
  while (e < s_.size() && s_[e] != '"') e += s_[e] == '\\' ? std::size_t{2} : std::size_t{1};
  if (e >= s_.size()) fail("a quoted string is not closed");
  return e + 1;
}

std::size_t DotLexer::html_end() const {  // Graphviz: < and > balanced
  std::size_t e = p_, nest = 0;
  do {
    if (e == s_.size()) fail("an HTML string <...> is not closed");
    if (s_[e] == '<') ++nest;
    if (s_[e] == '>') --nest;
    ++e;
  } while (nest > 0);
  return e;
}

// -?(\.\d+|\d+(\.\d*)?), then an exponent or a delimiter.
std::size_t DotLexer::numeral_end(DotKind& kind) const {
  std::size_t e = p_ + (s_[p_] == '-' ? 1 : 0);
  if (s_[e] == '.') {
    ++e;
    while (e < s_.size() && digit(s_[e])) ++e;
  } else {
    while (e < s_.size() && digit(s_[e])) ++e;
    if (e < s_.size() && s_[e] == '.') ++e;
    while (e < s_.size() && digit(s_[e])) ++e;
  }
  kind = DotKind::number;
  std::size_t x = e;
  if (x < s_.size() && (s_[x] == 'e' || s_[x] == 'E')) {
    ++x;
    if (x < s_.size() && (s_[x] == '+' || s_[x] == '-')) ++x;
    const std::size_t digits = x;
    while (x < s_.size() && digit(s_[x])) ++x;
    if (x > digits) {
      kind = DotKind::exponent_number;
      e = x;
    }
  }
  if (e < s_.size() && (id_char(s_[e]) || s_[e] == '.')) {
    std::size_t bad = e;
    while (bad < s_.size() &&
           (id_char(s_[bad]) || s_[bad] == '.' || s_[bad] == '+' ||
            (s_[bad] == '-' && s_.compare(bad, 2, "->") != 0 && s_.compare(bad, 2, "--") != 0)))
      ++bad;
    const std::string word = s_.substr(p_, bad - p_);
    fail("badly delimited number '" + word +
         "' (a DOT numeral is -?(.[0-9]+|[0-9]+(.[0-9]*)?); quote other values, as in weight=\"" +
         word + "\")");
  }
  return e;
}

DotToken DotLexer::next() {
  skip();
  DotToken t;
  t.begin = p_;
  t.line = line_;
  if (p_ == s_.size()) return t;
  const char c = s_[p_];
  const auto at = [&](std::size_t k) { return p_ + k < s_.size() ? s_[p_ + k] : '\0'; };
  std::size_t e = p_ + 1;
  if (id_start(c)) {
    t.kind = DotKind::id;
    while (e < s_.size() && id_char(s_[e])) {
      if (wide(s_[e])) t.kind = DotKind::wide_id;
      ++e;
    }
    if (wide(c)) t.kind = DotKind::wide_id;
    if (t.kind == DotKind::id) {
      const std::string w = lower(s_.substr(p_, e - p_));
      if (w == "strict" || w == "graph" || w == "digraph" || w == "node" || w == "edge" ||
          w == "subgraph")
        t.kind = DotKind::keyword;
    }
  } else if (punct(c)) {
    t.kind = DotKind::punct;
  } else if (c == '-' && (at(1) == '>' || at(1) == '-')) {
    t.kind = DotKind::edgeop;
    e = p_ + 2;
  } else if (digit(c) || (c == '.' && digit(at(1))) ||
             (c == '-' && (digit(at(1)) || (at(1) == '.' && digit(at(2)))))) {
    e = numeral_end(t.kind);
  } else if (c == '-' && id_start(at(1))) {
    t.kind = DotKind::signed_word;
    while (e < s_.size() && id_char(s_[e])) ++e;
  } else if (c == '"') {
    t.kind = DotKind::quoted;
    e = quoted_end();
  } else if (c == '<') {
    t.kind = DotKind::html;
    e = html_end();
  } else {
    fail("unexpected character " + shown(c));
  }
  advance_to(e);
  t.end = e;
  return t;
}

std::string DotLexer::value(const DotToken& t) const {
  if (t.kind == DotKind::html) return s_.substr(t.begin + 1, t.end - t.begin - 2);
  if (t.kind != DotKind::quoted) return s_.substr(t.begin, t.end - t.begin);
  std::string str = s_.substr(t.begin + 1, t.end - t.begin - 2);
  for (std::size_t i = 0; i + 1 < str.size(); ++i) {  // \" and \<newline>, as Graphviz reads them
    if (str[i] == '\\' && str[i + 1] == '"') {
      str.erase(i, 1);
    } else if (str[i] == '\\' && str[i + 1] == '\n') {
      str.erase(i, 2);
      --i;  // undone by the loop's ++ (unsigned: from 0 it wraps and back)
    }
  }
  return str;
}

std::string DotLexer::keyword(const DotToken& t) const {
  return t.kind == DotKind::keyword ? lower(s_.substr(t.begin, t.end - t.begin)) : std::string();
}

bool DotLexer::is(const DotToken& t, const char* p) const {
  return (t.kind == DotKind::punct || t.kind == DotKind::edgeop) &&
         s_.compare(t.begin, t.end - t.begin, p) == 0;
}

}  // namespace dagprop::io::detail
