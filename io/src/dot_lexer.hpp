// The one DOT tokenizer of dot.cpp: it splits text into tokens exactly as
// Boost.Graph 1.74's read_graphviz lexer does (its regular expressions for
// skipped text, identifiers, punctuation, numerals and quoted strings, '#'
// comments only at the start of a skipped run or a line), with token offsets
// and lines, and three Graphviz forms Boost lacks, which read_dot rewrites
// before Boost sees them: HTML strings as Graphviz ends them (by counting < and
// >, not as Boost's XML-tag scan), unquoted identifiers with bytes >= 0x80, and
// numerals with an exponent. It does not parse (read_graphviz does).
#pragma once

#include <cstddef>
#include <string>

namespace dagprop::io::detail {

enum class DotKind {
  keyword,          // strict graph digraph node edge subgraph (any case)
  punct,            // [ ] { } ; = , : + ( ) @
  edgeop,           // -> or --
  id,               // [A-Za-z_][A-Za-z_0-9]* as Boost reads it
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
  // The token's text as read_graphviz hands it on: quotes removed and \" and
  // \<newline> unescaped as Boost does; an HTML string without its outer < >;
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
