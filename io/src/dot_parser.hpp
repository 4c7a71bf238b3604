// DotParser: the DOT language's grammar (graphviz.org/doc/info/lang.html) over
// DotLexer's tokens, into what read_dot needs: the nodes in order of first
// mention with their attributes, the edges in file order with theirs, and the
// root graph's attributes. No Boost.Graph: it holds a few strings per node
// and edge, linear in the text, and refuses nesting deeper than a cap
// instead of recursing on it.
//
// Semantics as Graphviz (and Boost.Graph's read_graphviz) give them:
// - a node takes the `node [...]` defaults of the (sub)graph where it is first
//   mentioned; its own attributes, wherever given, override them;
// - an edge takes the `edge [...]` defaults in force where it stands;
// - an edge to or from a subgraph stands for edges to or from each node the
//   subgraph holds (its nodes and those of the subgraphs in it), by node id;
// - a subgraph starts with its parent's defaults; a named one reopened keeps
//   its own, and its members so far;
// - `graph [...]` and `ID = ID` outside every subgraph are the graph's
//   attributes; inside one, that subgraph's (not read);
// - ports (`a:n`, `a:p:ne`, `a@x`) are read and dropped;
// - "a" + "b" is one ID (the quoted strings joined).
// A later value of an attribute replaces an earlier one.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace dagprop::io::detail {

struct DotAttribute {
  std::string name, value;
  std::size_t line = 0;  // where the value was given (or the default, for an inherited one)
};
// Few per node or edge: a vector, searched by name.
using DotAttributes = std::vector<DotAttribute>;
// The attribute `name`, or nullptr.
const DotAttribute* find_attribute(const DotAttributes& a, const std::string& name);

struct DotNode {
  std::string id;
  std::size_t line = 0;  // of its first mention
  DotAttributes attributes;
};

struct DotEdge {
  std::size_t source = 0, target = 0;  // into DotGraph::nodes
  std::size_t line = 0;
  std::size_t attributes = 0;  // into DotGraph::edge_attributes: one set per edge statement
};

struct DotGraph {
  bool strict = false;
  std::vector<DotNode> nodes;  // in order of first mention
  std::vector<DotEdge> edges;  // in file order, subgraph endpoints expanded
  std::vector<DotAttributes> edge_attributes;
  DotAttributes graph_attributes;  // the root graph's
};

// Parses `text` (a digraph; `graph` is refused as undirected). Throws io_error
// "SOURCE: line N: DOT syntax: ..." on text outside the grammar and on `--` in
// a digraph, and io_error on subgraphs nested deeper than max_nesting and on
// more than 2^22 edges (edges to and from subgraphs expanded).
DotGraph parse_dot_graph(const std::string& text, const std::string& source,
                         std::size_t max_nesting);

}  // namespace dagprop::io::detail
