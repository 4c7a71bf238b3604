// The one DOT tokenizer (dot_parser.hpp parses its tokens): comments, quoted
// strings, HTML strings as Graphviz ends them (by counting < and >),
// identifiers (with bytes >= 0x80 as Graphviz allows), numerals (with an
// exponent, as Graphviz tools write them), punctuation and edge operators,
// each with its offsets and line. '#' starts a comment only at the start of a
// line, as in Graphviz.
#pragma once

#include <cstddef>
#include <string>

namespace dagprop::io::detail {

enum class DotKind {
  keyword,          // strict graph digraph node edge subgraph (any case)
  punct,            // [ ] { } ; = , : + ( ) @
  edgeop,           // -> or --
  id,               // [A-Za-z_][A-Za-z_0-9]*
  wide_id,          // an identifier holding bytes >= 0x80 (Graphviz only)
  number,           // -?(.[0-9]+|[0-9]+(.[0-9]*)?)
  exponent_number,  // a numeral with [eE][+-]?[0-9]+ (Graphviz tools write it)
  signed_word,      // '-' and an identifier, e.g. -inf (an attribute value)
  quoted,           // "..." with \" and \<newline> escapes
  html,             // <...> balanced as Graphviz balances it
  eof
};

struct DotToken {
  DotKind kind = DotKind::eof;
  std::size_t begin = 0, end = 0;  // offsets into the text: [begin, end)
  std::size_t line = 1;            // of `begin`
};

class DotLexer {
 public:
  // `text` must outlive the lexer; `source` names it in errors.
  DotLexer(const std::string& text, const std::string& source);
  // The next token; io_error naming the source and line on a character no
  // token starts with, an unterminated string or comment-free HTML string, or
  // a numeral run into letters or dots (1.5.2, 0x10).
  DotToken next();
  // The token's value: quotes removed and \" and \<newline> unescaped as
  // Graphviz does; an HTML string without its outer < >;
  // keywords as written.
  std::string value(const DotToken& t) const;
  // The keyword in lower case, or "" for other tokens.
  std::string keyword(const DotToken& t) const;
  // Whether `t` is the punctuation or edge operator `p` ("{", "->").
  bool is(const DotToken& t, const char* p) const;
  const std::string& text() const { return s_; }

 private:
  void skip();
  void advance_to(std::size_t end);
  [[noreturn]] void fail(const std::string& why) const;
  std::size_t quoted_end() const;
  std::size_t html_end() const;
  std::size_t numeral_end(DotKind& kind) const;

  const std::string& s_;
  const std::string& source_;
  std::size_t p_ = 0, line_ = 1;
};

}  // namespace dagprop::io::detail
