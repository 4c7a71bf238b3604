// DotParser: recursive descent over DotLexer's tokens, one token of lookahead
// (two for `ID = ID`). The recursion is on subgraph nesting only, which is
// capped before each level is entered.
#include "dot_parser.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

#include "dagprop/error.hpp"
#include "dot_lexer.hpp"

namespace dagprop::io::detail {

const DotAttribute* find_attribute(const DotAttributes& a, const std::string& name) {
  for (const DotAttribute& x : a)
    if (x.name == name) return &x;
  return nullptr;
}

namespace {

// Sets `x` in `a`, replacing an earlier value of the same name.
void set_attribute(DotAttributes& a, DotAttribute x) {
  for (DotAttribute& old : a)
    if (old.name == x.name) {
      old = std::move(x);
      return;
    }
  a.push_back(std::move(x));
}

void set_attributes(DotAttributes& a, const DotAttributes& from) {
  for (const DotAttribute& x : from) set_attribute(a, x);
}

// More connections than a file of max_dot_bytes written one edge a statement
// can hold: only edges to and from subgraphs multiply past it.
constexpr std::size_t max_edges = std::size_t{1} << 22;

class DotParser {
 public:
  DotParser(const std::string& text, const std::string& source, std::size_t max_nesting)
      : lex_(text, source), source_(source), max_nesting_(max_nesting) {
    next();
  }

  DotGraph parse() {
    if (is_keyword("strict")) {
      graph_.strict = true;
      next();
    }
    if (is_keyword("graph"))
      throw io_error(source_ + ": expected a 'digraph' (connections j -> i), found 'graph'");
    if (!is_keyword("digraph")) fail("expected 'digraph'");
    next();
    if (is_id()) read_id();  // the graph's name
    expect("{", "to open the graph");
    subgraphs_.emplace_back();  // the root
    statements();
    expect("}", "to close the graph");
    if (tok_.kind != DotKind::eof) fail("expected the end of the text after the graph");
    return std::move(graph_);
  }

 private:
  struct Subgraph {
    DotAttributes node_defaults, edge_defaults;
    std::vector<std::size_t> nodes, subgraphs;  // its members (repeats allowed)
  };
  // An edge's end: a node, or a subgraph standing for its nodes.
  struct Endpoint {
    bool subgraph = false;
    std::size_t index = 0;
  };

  // ---- tokens
  void next() {
    tok_ = has_ahead_ ? ahead_ : lex_.next();
    has_ahead_ = false;
  }
  const DotToken& peek2() {
    if (!has_ahead_) {
      ahead_ = lex_.next();
      has_ahead_ = true;
    }
    return ahead_;
  }
  bool is(const char* p) const { return lex_.is(tok_, p); }
  bool is_keyword(const char* k) const { return lex_.keyword(tok_) == k; }
  bool is_id() const {
    switch (tok_.kind) {
      case DotKind::id:
      case DotKind::wide_id:
      case DotKind::number:
      case DotKind::exponent_number:
      case DotKind::quoted:
      case DotKind::html:
        return true;
      default:
        return false;
    }
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw io_error(source_ + ": line " + std::to_string(tok_.line) + ": DOT syntax: " + why +
                   ", found " + found());
  }
  std::string found() const {
    if (tok_.kind == DotKind::eof) return "the end of the text";
    const std::string_view text = lex_.text();
    return "'" + printable(text.substr(tok_.begin, tok_.end - tok_.begin), 40) + "'";
  }
  void expect(const char* p, const char* why) {
    if (!is(p)) fail(std::string("expected '") + p + "' " + why);
    next();
  }
  // An ID's value; "a" + "b" joined.
  std::string read_id() {
    if (!is_id()) fail("expected an ID");
    std::string value = lex_.value(tok_);
    const bool quoted = tok_.kind == DotKind::quoted;
    next();
    while (quoted && is("+")) {
      next();
      if (tok_.kind != DotKind::quoted) fail("expected a quoted string after '+'");
      value += lex_.value(tok_);
      next();
    }
    return value;
  }
  // An attribute value: an ID, or -word (weight=-inf), read as its text.
  std::string read_value() {
    if (tok_.kind == DotKind::signed_word) {
      std::string value = lex_.value(tok_);
      next();
      return value;
    }
    if (!is_id()) fail("expected an attribute value");
    return read_id();
  }

  // ---- grammar
  void statements() {
    while (!is("}")) {
      if (tok_.kind == DotKind::eof) fail("expected '}'");
      statement();
      if (is(";")) next();
    }
  }

  Subgraph& innermost() { return subgraphs_[open_.empty() ? 0 : open_.back()]; }

  void statement() {
    const std::string k = lex_.keyword(tok_);
    if (k == "node" || k == "edge" || k == "graph") {
      next();
      DotAttributes a;
      attribute_lists(a);
      Subgraph& here = innermost();
      if (k == "node") set_attributes(here.node_defaults, a);
      if (k == "edge") set_attributes(here.edge_defaults, a);
      if (k == "graph" && open_.empty()) set_attributes(graph_.graph_attributes, a);
      return;
    }
    if (is_id() && lex_.is(peek2(), "=")) {  // ID = ID: a graph attribute
      const std::size_t line = tok_.line;
      std::string name = read_id();
      next();  // '='
      std::string value = read_value();
      if (open_.empty())
        set_attribute(graph_.graph_attributes, {std::move(name), std::move(value), line});
      return;
    }
    const Endpoint first = endpoint();
    if (tok_.kind == DotKind::edgeop) {
      edges(first);
      return;
    }
    if (!first.subgraph && is("[")) attribute_lists(graph_.nodes[first.index].attributes);
  }

  Endpoint endpoint() {
    if (is_keyword("subgraph") || is("{")) return {true, subgraph()};
    if (tok_.kind == DotKind::signed_word)
      fail("'" + lex_.value(tok_) + "' is not a DOT ID (quote it)");
    if (!is_id()) fail("expected a node ID, 'subgraph' or '{'");
    const std::size_t line = tok_.line;
    const std::size_t node = mention(read_id(), line);
    port();
    return {false, node};
  }

  // :port[:compass], :(x,y) and @angle after a node ID: read, not kept.
  void port() {
    while (is(":") || is("@")) {
      next();
      if (is("(")) {
        next();
        read_id();
        expect(",", "in a port (x,y)");
        read_id();
        expect(")", "to close a port (x,y)");
      } else {
        read_id();
      }
    }
  }

  // The node `id`, added at its first mention with the defaults in force; a
  // member of the subgraph it is mentioned in.
  std::size_t mention(std::string id, std::size_t line) {
    auto [it, added] = node_by_id_.try_emplace(std::move(id), graph_.nodes.size());
    if (added) {
      DotNode n;
      n.id = it->first;
      n.line = line;
      n.attributes = innermost().node_defaults;
      graph_.nodes.push_back(std::move(n));
    }
    if (!open_.empty()) subgraphs_[open_.back()].nodes.push_back(it->second);
    return it->second;
  }

  // subgraph [ID] { ... }, { ... }, or `subgraph ID` alone (a reference).
  std::size_t subgraph() {
    std::string name;
    if (is_keyword("subgraph")) {
      next();
      if (is_id()) name = read_id();
    }
    std::size_t index = subgraphs_.size();
    const auto found = name.empty() ? by_name_.end() : by_name_.find(name);
    if (found != by_name_.end()) {
      index = found->second;
    } else {
      Subgraph s;  // a new one starts with the defaults in force
      s.node_defaults = innermost().node_defaults;
      s.edge_defaults = innermost().edge_defaults;
      subgraphs_.push_back(std::move(s));
      if (!name.empty()) by_name_.emplace(std::move(name), index);
    }
    if (!open_.empty()) subgraphs_[open_.back()].subgraphs.push_back(index);
    if (!is("{")) {
      if (found == by_name_.end()) fail("expected '{' to open the subgraph");
      return index;
    }
    if (open_.size() + 1 > max_nesting_)  // open_: the levels entered
      throw io_error(source_ + ": line " + std::to_string(tok_.line) +
                     ": subgraphs nested deeper than " + std::to_string(max_nesting_) + " levels");
    next();
    open_.push_back(index);
    statements();
    expect("}", "to close the subgraph");
    open_.pop_back();
    return index;
  }

  // endpoint -> endpoint [-> ...] [attributes]: an edge between each pair of
  // neighbours, subgraphs standing for their nodes.
  void edges(const Endpoint& first) {
    std::vector<Endpoint> chain{first};
    std::vector<std::size_t> lines;
    while (tok_.kind == DotKind::edgeop) {
      if (!is("->")) fail("expected '->' ('--' joins the nodes of an undirected graph)");
      lines.push_back(tok_.line);
      next();
      chain.push_back(endpoint());
    }
    DotAttributes a = innermost().edge_defaults;
    if (is("[")) attribute_lists(a);
    const std::size_t shared = graph_.edge_attributes.size();
    graph_.edge_attributes.push_back(std::move(a));
    for (std::size_t k = 0; k + 1 < chain.size(); ++k)
      for (std::size_t j : nodes_of(chain[k]))
        for (std::size_t i : nodes_of(chain[k + 1])) {
          if (graph_.edges.size() == max_edges)
            throw io_error(source_ + ": line " + std::to_string(lines[k]) + ": more than " +
                           std::to_string(max_edges) +
                           " connections (edges to and from subgraphs count once per node)");
          graph_.edges.push_back(DotEdge{j, i, lines[k], shared});
        }
  }

  // A node, or the nodes a subgraph holds (in it and in the subgraphs in it,
  // as they are now), each once, ordered by id as read_graphviz orders them.
  std::vector<std::size_t> nodes_of(const Endpoint& e) const {
    if (!e.subgraph) return {e.index};
    std::vector<std::size_t> nodes, todo{e.index};
    std::vector<char> done(subgraphs_.size(), 0);
    while (!todo.empty()) {
      const std::size_t s = todo.back();
      todo.pop_back();
      if (done[s]) continue;
      done[s] = 1;
      nodes.insert(nodes.end(), subgraphs_[s].nodes.begin(), subgraphs_[s].nodes.end());
      todo.insert(todo.end(), subgraphs_[s].subgraphs.begin(), subgraphs_[s].subgraphs.end());
    }
    const auto& n = graph_.nodes;
    std::sort(nodes.begin(), nodes.end(),
              [&](std::size_t a, std::size_t b) { return n[a].id < n[b].id; });
    nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
    return nodes;
  }

  // [a=b, c=d; e] [ ... ]: a name alone is "true".
  void attribute_lists(DotAttributes& into) {
    if (!is("[")) fail("expected '['");
    while (is("[")) {
      next();
      while (!is("]")) {
        if (tok_.kind == DotKind::eof) fail("expected ']'");
        DotAttribute x;
        x.line = tok_.line;
        x.name = read_id();
        x.value = "true";
        if (is("=")) {
          next();
          x.value = read_value();
        }
        set_attribute(into, std::move(x));
        if (is(",") || is(";")) next();
      }
      next();  // ']'
    }
  }

  DotLexer lex_;
  const std::string& source_;
  std::size_t max_nesting_;
  DotToken tok_, ahead_;
  bool has_ahead_ = false;
  DotGraph graph_;
  std::vector<Subgraph> subgraphs_;             // [0]: the root
  std::vector<std::size_t> open_;               // the subgraphs open, innermost last
  std::map<std::string, std::size_t> by_name_;  // named subgraphs
  std::unordered_map<std::string, std::size_t> node_by_id_;
};

}  // namespace

DotGraph parse_dot_graph(const std::string& text, const std::string& source,
                         std::size_t max_nesting) {
  return DotParser(text, source, max_nesting).parse();
}

}  // namespace dagprop::io::detail
