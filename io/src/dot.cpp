// DOT <-> Topology with Boost.Graph's write_graphviz_dp / read_graphviz and
// dynamic_properties (attributes in dot.hpp). read_graphviz adds vertices in
// name order, so DotLexer (dot_lexer.hpp) finds the order of first appearance
// in the text. It does not draw (Graphviz does) and does not compile the network.
#include "dagprop/io/dot.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <locale>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include <boost/graph/graphviz.hpp>

#include "dagprop/error.hpp"
#include "dagprop/io/input_file.hpp"
#include "dot_lexer.hpp"
#include "dot_meta.hpp"

namespace dagprop::io {

namespace {

// read_graphviz holds about 50 bytes of memory per byte of DOT (1.2 GB for a
// 24 MB file of 400000 units, 2.9 GB and std::bad_alloc for 63 MB): 32 MiB
// (some 700000 connections of a layered network as write_dot writes them)
// keeps any file near 1.5 GB.
// write_dot refuses to write more, so that what it writes reads back.
constexpr std::size_t max_dot_bytes = std::size_t{32} << 20;
const std::string unnamed_label = "\\N";  // Graphviz: "the node's id"

std::optional<std::size_t> parse_index(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::size_t>(c - '0');
  }
  return v;
}

// A unit name that read_dot reads back exactly from write_dot's quoting (only
// \" and \<newline> are escapes for read_graphviz): no backslash before a
// newline, no odd run of backslashes before a " or at the end, not "\N"
// (Graphviz's "the node id", read as no name), at most max_name_bytes.
std::string shown_name(const std::string& name) {
  return "'" + printable(name, 64) + "'";
}

void check_dot_name(const std::string& name, const std::string& where) {
  const auto refuse = [&](const std::string& why) {
    throw io_error(where + ": the name " + shown_name(name) + " " + why);
  };
  if (name.size() > max_name_bytes)
    refuse("has " + std::to_string(name.size()) + " bytes, over the cap of " +
           std::to_string(max_name_bytes));
  if (name == unnamed_label) refuse("is Graphviz's \"the node id\" and reads back as no name");
  for (std::size_t k = 0; k < name.size();) {
    if (name[k] != '\\') {
      ++k;
      continue;
    }
    std::size_t run = 0;
    while (k < name.size() && name[k] == '\\') ++k, ++run;
    if (k < name.size() && name[k] == '\n')
      refuse("holds a backslash before a newline, which DOT cannot carry");
    if (run % 2 == 1 && (k == name.size() || name[k] == '"'))
      refuse(
          "holds an odd run of backslashes before a quote or at its end, which DOT cannot "
          "carry");
  }
}

// ---- reading ---------------------------------------------------------------

// Deeper nesting of { } could overflow the stack in read_graphviz's recursive
// parser (100000 levels did, with ASan); real files nest a few levels.
constexpr std::size_t max_dot_nesting = 100;

using detail::DotKind;
using detail::DotLexer;
using detail::DotToken;
using detail::MetaAttribute;
using detail::parse_dot_number;

std::string quoted(const std::string& s) {
  std::string r = "\"";
  for (char c : s) {
    if (c == '"') r += '\\';
    r += c;
  }
  return r + '"';
}

// The DOT text as read_graphviz can take it, with what it does not handle as
// Graphviz does turned into what it does (DotLexer finds the tokens, so the
// braces counted are those read_graphviz parses):
// - `strict` is removed (read_graphviz drops a strict graph's self-loops and
//   later duplicate edges with their attributes; read_dot merges duplicates
//   itself, the later weight winning as in Graphviz, and refuses self-loops);
// - an anonymous subgraph `{ ... }` gets the keyword `subgraph`, which
//   read_graphviz requires;
// - a number with an exponent (1e-3, 2.5E+4), which DOT's grammar does not
//   have and read_graphviz splits into "1" and "e-3" (so weight=1e-3 read as
//   1), an identifier with bytes >= 0x80 (UTF-8), an HTML string <...> and an
//   attribute value -word (weight=-inf) become quoted strings, so that
//   read_graphviz never lexes an HTML string (its XML-tag scan ends one where
//   Graphviz does not) and DotLexer and read_graphviz agree on every token;
// - nesting deeper than max_dot_nesting is refused.
// Comments and white space are copied unchanged, so that line numbers stay
// those of the file.
struct PreparedDot {
  std::string text;
  bool strict = false;
};

PreparedDot prepare_dot(const std::string& s, const std::string& source) {
  PreparedDot out;
  std::string& r = out.text;
  r.reserve(s.size() + s.size() / 16);
  DotLexer lex(s, source);
  std::size_t copied = 0, depth = 0;
  std::string prev, prev2;  // the last two tokens: keywords in lower case, "id" for IDs
  const auto fail = [&](const DotToken& t, const std::string& why) {
    return io_error(source + ": line " + std::to_string(t.line) + ": " + why);
  };
  for (DotToken t = lex.next(); t.kind != DotKind::eof; t = lex.next()) {
    r.append(s, copied, t.begin - copied);
    copied = t.end;
    std::string kind = "id";
    switch (t.kind) {
      case DotKind::keyword:
        kind = lex.keyword(t);
        if (kind == "strict" && prev.empty()) {
          out.strict = true;
          r.append(t.end - t.begin, ' ');
          continue;  // not a token for read_graphviz
        }
        r.append(s, t.begin, t.end - t.begin);
        break;
      case DotKind::wide_id:
      case DotKind::exponent_number:
        r += quoted(lex.value(t));
        break;
      case DotKind::html:
        if (lex.value(t).find('\\') != std::string::npos)
          throw fail(t, "an HTML string holding a backslash is not read (quote the value)");
        r += quoted(lex.value(t));
        break;
      case DotKind::signed_word:
        if (prev != "=") throw fail(t, "'" + lex.value(t) + "' is not a DOT ID (quote it)");
        r += quoted(lex.value(t));  // its own check names the node or edge
        break;
      case DotKind::punct:
      case DotKind::edgeop:
        kind = lex.value(t);
        if (kind == "{") {
          if (++depth > max_dot_nesting)
            throw fail(
                t, "subgraphs nested deeper than " + std::to_string(max_dot_nesting) + " levels");
          // Not the graph's body (after [di]graph [ID]) nor after subgraph
          // [ID]: an anonymous subgraph.
          const auto names = [](const std::string& k) {
            return k == "subgraph" || k == "graph" || k == "digraph";
          };
          if (!names(prev) && !(prev == "id" && names(prev2))) r += "subgraph ";
        }
        if (kind == "}" && depth > 0) --depth;
        r.append(s, t.begin, t.end - t.begin);
        break;
      default:
        r.append(s, t.begin, t.end - t.begin);
    }
    prev2 = prev;
    prev = kind;
  }
  r.append(s, copied, std::string::npos);
  return out;
}

struct RawNode {
  std::string id;
  std::optional<std::string> label, role, activation, bias, index;
  std::optional<std::string> offset, scale;  // the input or target scaling (dot_meta.hpp)
};
struct RawEdge {
  std::optional<std::string> weight;
};
// bidirectionalS keeps one list of all edges in insertion (file) order.
using RawGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, RawNode, RawEdge>;
using V = RawGraph::vertex_descriptor;
using E = RawGraph::edge_descriptor;

// Graphviz's drawing attributes, read and ignored; any other attribute of a
// node or an edge (activaton=tanh) is an error, not a silent default.
bool drawing_attribute(const std::string& name) {
  static const std::set<std::string> names = {
      "shape",
      "color",
      "fillcolor",
      "style",
      "fontname",
      "fontsize",
      "fontcolor",
      "width",
      "height",
      "fixedsize",
      "xlabel",
      "tooltip",
      "pos",
      "penwidth",
      "peripheries",
      "group",
      "URL",
      "href",
      "target",
      "comment",
      "margin",
      "orientation",
      "sides",
      "skew",
      "distortion",
      "regular",
      "image",
      "labelloc",
      "nojustify",
      "ordering",
      "sortv",
      "z",
      "id",
      "class",
      "layer",
      "gradientangle",
      "area",
      "colorscheme",
      "arrowhead",
      "arrowtail",
      "arrowsize",
      "dir",
      "constraint",
      "minlen",
      "headlabel",
      "taillabel",
      "headport",
      "tailport",
      "lhead",
      "ltail",
      "decorate",
      "samehead",
      "sametail",
      "labelfontsize",
      "labelfontcolor",
      "labelfontname",
      "labelangle",
      "labeldistance",
      "len",
      "headclip",
      "rank",
      "weight",  // on a node: layout only (Boost hands `edge [weight=...]` to nodes too)
      "tailclip",
      "labelfloat",
      "labeltooltip",
      "edgetooltip",
      "headtooltip",
      "tailtooltip"};
  return names.count(name) > 0;
}

// A graph attribute of dagprop's (dot_meta.hpp) is kept in `meta`, the
// later value winning as in Graphviz; other graph attributes draw.
template <class Graph>
boost::shared_ptr<boost::dynamic_property_map> unknown_attribute(
    const Graph& raw, const std::string& source, const std::string& name, const boost::any& key,
    const boost::any& value, std::map<std::string, MetaAttribute>& meta) {
  using Vertex = typename Graph::vertex_descriptor;
  using Edge = typename Graph::edge_descriptor;
  const bool node = key.type() == typeid(Vertex), edge = key.type() == typeid(Edge);
  if (key.type() == typeid(Graph*) && detail::is_meta_attribute(name) &&
      value.type() == typeid(std::string))
    meta[name].value = boost::any_cast<std::string>(value);
  if ((!node && !edge) || drawing_attribute(name) || (edge && name == "label"))
    return {};  // graph attributes and edge labels: drawing only
  std::string where = "an edge";
  if (node) {
    const Vertex v = boost::any_cast<Vertex>(key);
    where = v < boost::num_vertices(raw) && !raw[v].id.empty() ? "node " + shown_name(raw[v].id)
                                                               : "a node";
  }
  throw io_error(source + ": " + where + ": unknown attribute " + shown_name(name) +
                 " (dagprop reads " +
                 (node ? "label, role, activation, bias, index, offset, scale" : "weight") +
                 " and ignores Graphviz's drawing attributes)");
}

// A read-write property map onto an optional attribute: absent until put.
template <class Key, class Bundle>
struct OptionalMap {
  using key_type = Key;
  using value_type = std::string;
  using reference = std::string;
  using category = boost::read_write_property_map_tag;
  RawGraph* g;
  std::optional<std::string> Bundle::*member;
};
template <class Key, class Bundle>
std::string get(const OptionalMap<Key, Bundle>& m, const Key& k) {
  const auto& o = (*m.g)[k].*m.member;
  return o ? *o : std::string();
}
template <class Key, class Bundle>
void put(const OptionalMap<Key, Bundle>& m, const Key& k, const std::string& v) {
  (*m.g)[k].*m.member = v;
}

// Node ids in order of first appearance in prepared text: tokens outside
// [...] that are IDs, not keywords, not graph names, not attribute names or
// values, not ports.
std::vector<std::string> appearance_order(const std::string& s, const std::string& source) {
  struct Token {
    std::string text;  // an ID's value, a keyword in lower case, or the punctuation
    bool id = false, quoted = false;
  };
  std::vector<Token> tokens;
  DotLexer lex(s, source);
  for (DotToken t = lex.next(); t.kind != DotKind::eof; t = lex.next()) {
    const bool quoted_id = t.kind == DotKind::quoted;
    if (quoted_id && tokens.size() > 1 && tokens.back().text == "+" && !tokens.back().id &&
        tokens[tokens.size() - 2].quoted) {
      // "a" + "b" is one ID (read_graphviz allows + only between quoted strings).
      tokens.pop_back();
      tokens.back().text += lex.value(t);
      continue;
    }
    const bool keyword = t.kind == DotKind::keyword;
    tokens.push_back(Token{keyword ? lex.keyword(t) : lex.value(t),
                           !keyword && t.kind != DotKind::punct && t.kind != DotKind::edgeop,
                           quoted_id});
  }
  std::vector<std::string> order;
  std::set<std::string> seen;
  int depth = 0;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (!t.id) {
      if (t.text == "[") ++depth;
      if (t.text == "]") --depth;
      continue;
    }
    if (depth > 0) continue;
    const Token* prev = k > 0 ? &tokens[k - 1] : nullptr;
    const Token* next = k + 1 < tokens.size() ? &tokens[k + 1] : nullptr;
    if (prev && !prev->id &&
        (prev->text == "=" || prev->text == ":" || prev->text == "@" || prev->text == "graph" ||
         prev->text == "digraph" || prev->text == "subgraph"))
      continue;
    if (next && !next->id && next->text == "=") continue;
    if (seen.insert(t.text).second) order.push_back(t.text);
  }
  return order;
}

// Stage 1: the text parsed by read_graphviz into ids and attribute strings.
struct ParsedDot {
  RawGraph raw;
  std::vector<V> order;  // the vertices in order of first appearance
  bool strict = false;
  std::map<std::string, MetaAttribute> meta;  // dagprop_ graph attributes
};

// The line of each attribute's last `name =` in `text` (the value read_graphviz
// keeps), for messages.
void find_lines(const std::string& text, const std::string& source,
                std::map<std::string, MetaAttribute>& attributes) {
  if (attributes.empty()) return;
  DotLexer lex(text, source);
  DotToken prev;
  for (DotToken t = lex.next(); t.kind != DotKind::eof; prev = t, t = lex.next()) {
    if (!lex.is(t, "=") || prev.kind == DotKind::eof) continue;
    const auto it = attributes.find(lex.value(prev));
    if (it != attributes.end()) it->second.line = prev.line;
  }
}

ParsedDot parse_dot(std::string text, const std::string& source_name) {
  if (text.size() > max_dot_bytes)
    throw io_error(source_name + ": DOT text over the cap of " + std::to_string(max_dot_bytes) +
                   " bytes (32 MiB; read_graphviz takes some 50 bytes of memory per byte)");
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // a UTF-8 byte order mark
  ParsedDot parsed;
  PreparedDot prepared = prepare_dot(text, source_name);
  text.clear();
  text.shrink_to_fit();
  parsed.strict = prepared.strict;
  RawGraph& raw = parsed.raw;
  boost::dynamic_properties dp(
      [&](const std::string& name, const boost::any& key, const boost::any& value) {
        return unknown_attribute(raw, source_name, name, key, value, parsed.meta);
      });
  dp.property("node_id", boost::get(&RawNode::id, raw));
  dp.property("label", OptionalMap<V, RawNode>{&raw, &RawNode::label});
  dp.property("role", OptionalMap<V, RawNode>{&raw, &RawNode::role});
  dp.property("activation", OptionalMap<V, RawNode>{&raw, &RawNode::activation});
  dp.property("bias", OptionalMap<V, RawNode>{&raw, &RawNode::bias});
  dp.property("index", OptionalMap<V, RawNode>{&raw, &RawNode::index});
  dp.property("offset", OptionalMap<V, RawNode>{&raw, &RawNode::offset});
  dp.property("scale", OptionalMap<V, RawNode>{&raw, &RawNode::scale});
  dp.property("weight", OptionalMap<E, RawEdge>{&raw, &RawEdge::weight});
  try {
    std::istringstream is(prepared.text);
    if (!boost::read_graphviz(is, raw, dp, "node_id"))
      throw io_error(source_name + ": not a DOT graph");
  } catch (const io_error&) {
    throw;
  } catch (const boost::undirected_graph_error&) {
    throw io_error(source_name + ": expected a 'digraph' (connections j -> i), found 'graph'");
  } catch (const std::exception& e) {
    throw io_error(source_name + ": DOT syntax: " + e.what());
  }
  find_lines(prepared.text, source_name, parsed.meta);
  const std::size_t n = boost::num_vertices(raw);
  std::map<std::string, V> by_id;
  for (V v = 0; v < n; ++v) by_id[raw[v].id] = v;
  std::vector<char> placed(n, 0);
  for (const auto& id : appearance_order(prepared.text, source_name)) {
    const auto it = by_id.find(id);
    if (it != by_id.end() && !placed[it->second]) {
      parsed.order.push_back(it->second);
      placed[it->second] = 1;
    }
  }
  for (V v = 0; v < n; ++v)
    if (!placed[v]) parsed.order.push_back(v);
  return parsed;
}

struct Unit {
  Role role = Role::hidden;
  Activation activation = Activation::relu;  // as `dagprop new`
  std::optional<double> bias;
  std::optional<std::size_t> index;
  std::string name;
};

io_error node_error(const ParsedDot& d, const std::string& source_name, V v,
                    const std::string& why) {
  return io_error(source_name + ": node " + shown_name(d.raw[v].id) + ": " + why);
}

// Stage 2: each vertex's attributes checked and read, in order of appearance.
std::vector<Unit> read_units(const ParsedDot& d, const std::string& source_name) {
  std::vector<Unit> units(d.order.size());
  for (std::size_t k = 0; k < units.size(); ++k) {
    const V v = d.order[k];
    const RawNode& r = d.raw[v];
    Unit& u = units[k];
    try {
      if (r.role) u.role = parse_role(*r.role);
      u.activation = u.role == Role::output ? Activation::identity : Activation::relu;
      if (r.activation && u.role != Role::input) u.activation = parse_activation(*r.activation);
    } catch (const error& e) {
      throw node_error(d, source_name, v, e.what());
    }
    if (u.role == Role::input) u.activation = Activation::identity;
    if (r.bias && u.role != Role::input && !r.bias->empty()) {
      u.bias = parse_dot_number(*r.bias);
      if (!u.bias)
        throw node_error(d, source_name, v,
                         "bias " + shown_name(*r.bias) + " is not a finite number");
    }
    if ((r.offset || r.scale) && u.role == Role::hidden)
      throw node_error(d, source_name, v,
                       std::string(r.offset ? "offset" : "scale") +
                           " is read only on input and output nodes (their scaling)");
    if (r.index && u.role != Role::hidden && !r.index->empty()) {
      u.index = parse_index(*r.index);
      if (!u.index)
        throw node_error(d, source_name, v,
                         "index " + shown_name(*r.index) + " is not a non-negative integer");
    }
    u.name = r.label ? (*r.label == unnamed_label ? std::string() : *r.label) : r.id;
    check_dot_name(u.name, source_name + ": node " + shown_name(r.id));
  }
  return units;
}

// Stage 3: inputs and outputs numbered, explicit indices first, then the
// others in order of appearance.
void number_units(std::vector<Unit>& units, const ParsedDot& d, const std::string& source_name) {
  for (Role role : {Role::input, Role::output}) {
    const auto count = static_cast<std::size_t>(
        std::count_if(units.begin(), units.end(), [&](const Unit& u) { return u.role == role; }));
    std::vector<std::optional<std::size_t>> owner(count);
    for (std::size_t k = 0; k < units.size(); ++k) {
      if (units[k].role != role || !units[k].index) continue;
      const std::size_t idx = *units[k].index;
      const std::string what = std::string(to_string(role)) + " index " + std::to_string(idx);
      if (idx >= count)
        throw node_error(d, source_name, d.order[k],
                         what + " is out of range 0.." + std::to_string(count) + "-1");
      if (owner[idx])
        throw node_error(
            d, source_name, d.order[k],
            what + " is already taken by node " + shown_name(d.raw[d.order[*owner[idx]]].id));
      owner[idx] = k;
    }
    std::size_t next = 0;
    for (std::size_t k = 0; k < units.size(); ++k) {
      if (units[k].role != role || units[k].index) continue;
      while (owner[next]) ++next;
      units[k].index = next;
      owner[next] = k;
    }
  }
}

// Stage 4: the Topology, with explicit weights and biases over the
// initialised ones.
Topology build_topology(const std::vector<Unit>& units, const ParsedDot& d,
                        const std::string& source_name, InitScheme scheme, std::uint64_t seed) {
  const RawGraph& raw = d.raw;
  const std::size_t n = units.size();
  std::vector<UnitId> position(n);
  for (std::size_t k = 0; k < n; ++k) position[d.order[k]] = k;
  Topology t;
  for (const Unit& u : units) {
    const UnitId id =
        u.role == Role::input ? t.add_input(u.name) : t.add_unit(u.activation, u.role, u.name, 0.0);
    if (u.role != Role::hidden) t.set_index(id, *u.index);
  }
  // Explicit weights by connection, set in one pass over the graph after
  // initialize(): Topology::set_weight and connected() cost the unit's degree,
  // which made a star of n edges O(n^2) (minutes for 400000 edges).
  std::map<std::pair<UnitId, UnitId>, double> weights;
  std::set<std::pair<UnitId, UnitId>> pairs;  // strict graphs: the connections made
  for (auto [e, end] = boost::edges(raw); e != end; ++e) {
    const UnitId j = position[boost::source(*e, raw)], i = position[boost::target(*e, raw)];
    // A strict graph has one edge per pair; a repeated one sets its attributes
    // (the later weight wins). Otherwise validate() refuses the duplicate.
    if (!d.strict || pairs.emplace(j, i).second) t.connect(j, i);
    const auto& w = raw[*e].weight;
    if (w && !w->empty()) {
      const auto value = parse_dot_number(*w);
      if (!value)
        throw io_error(source_name + ": edge " + shown_name(raw[boost::source(*e, raw)].id) +
                       " -> " + shown_name(raw[boost::target(*e, raw)].id) + ": weight " +
                       shown_name(*w) + " is not a finite number");
      weights[{j, i}] = *value;
    }
  }
  try {
    t.validate();
    initialize(t, scheme, seed);
    for (UnitId i = 0; i < n; ++i)
      t.for_each_upstream(i, [&](UnitId j, double& w) {
        const auto it = weights.find({j, i});
        if (it != weights.end()) w = it->second;
      });
    for (std::size_t k = 0; k < n; ++k)
      if (units[k].bias) t.set_bias(k, *units[k].bias);
  } catch (const error& e) {
    throw io_error(source_name + ": " + e.what());
  }
  return t;
}

// Stage 5: the model metadata (dot_meta.hpp) from the graph attributes and
// the input and output nodes' offset= and scale=, by index.
ModelMeta read_meta(const std::vector<Unit>& units, const ParsedDot& d,
                    const std::string& source_name) {
  std::vector<detail::UnitScaling> inputs, outputs;
  for (std::size_t k = 0; k < units.size(); ++k) {
    if (units[k].role == Role::hidden) continue;
    auto& list = units[k].role == Role::input ? inputs : outputs;
    const RawNode& r = d.raw[d.order[k]];
    if (list.size() <= *units[k].index) list.resize(*units[k].index + 1);
    list[*units[k].index] = detail::UnitScaling{r.id, r.offset, r.scale};
  }
  return detail::read_dot_meta(d.meta, inputs, outputs, source_name);
}

// At most max_dot_bytes + 1 bytes of `in` (a sparse file or an endless
// stream is not read to its end before the cap is checked).
std::string read_capped(std::istream& in) {
  std::string text;
  char buf[1 << 16];
  while (text.size() <= max_dot_bytes && in.read(buf, sizeof buf).gcount() > 0)
    text.append(buf, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw io_error("read_dot: the input stream failed");
  return text;
}

}  // namespace

Topology read_dot(std::istream& in, const std::string& source_name, InitScheme scheme,
                  std::uint64_t seed, ModelMeta* meta) {
  const ParsedDot parsed = parse_dot(read_capped(in), source_name);
  std::vector<Unit> units = read_units(parsed, source_name);
  number_units(units, parsed, source_name);
  const ModelMeta m = read_meta(units, parsed, source_name);  // checked even when not wanted
  Topology t = build_topology(units, parsed, source_name, scheme, seed);
  if (meta) *meta = m;
  return t;
}

Topology read_dot(const std::string& path, InitScheme scheme, std::uint64_t seed, ModelMeta* meta) {
  std::ifstream in = open_input_file(path, "a DOT file");
  return read_dot(in, path, scheme, seed, meta);
}

// ---- writing ---------------------------------------------------------------

namespace {

bool plain_id(const std::string& s) {  // [A-Za-z_][A-Za-z_0-9]*, not a keyword
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  std::string l = s;
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l != "strict" && l != "graph" && l != "digraph" && l != "node" && l != "edge" &&
         l != "subgraph";
}

// An ID as read_graphviz reads it back: bare when it is a plain identifier,
// else quoted with " escaped (check_dot_name says which names survive).
void put_id(std::string& out, const std::string& s) {
  if (plain_id(s)) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

// Written as write_graphviz_dp writes it (attributes in name order), without
// its per-value regular expression and per-line flush: linear and fast.
void write_dot(std::ostream& out, const Topology& t, const ModelMeta& meta) {
  using G = Topology::Graph;
  using V = G::vertex_descriptor;
  const G& g = t.graph();
  const std::size_t n = t.num_units();
  // Node ids: the name when it is unique, else "u<id>" (made unique).
  std::map<std::string, std::size_t> name_count;
  for (V v = 0; v < n; ++v) {
    check_dot_name(g[v].name, "write_dot: unit " + std::to_string(v));
    if (!std::isfinite(g[v].bias))
      throw io_error("write_dot: unit " + t.label(v) + " has a non-finite bias");
    ++name_count[g[v].name];
  }
  std::vector<std::string> ids(n);
  std::set<std::string> used;
  for (V v = 0; v < n; ++v)
    if (!g[v].name.empty() && name_count[g[v].name] == 1) used.insert(ids[v] = g[v].name);
  for (V v = 0; v < n; ++v) {
    if (!ids[v].empty()) continue;
    std::string id = "u" + std::to_string(v);
    while (used.count(id)) id += "_";
    used.insert(ids[v] = id);
  }
  try {
    meta.check(t.num_inputs(), t.num_outputs());
  } catch (const error& e) {
    throw io_error(std::string("write_dot: the model metadata: ") + e.what());
  }
  std::string text = "digraph G {\n" + detail::meta_graph_statement(meta);
  const auto over_cap = [&] {
    return io_error("write_dot: the DOT text of " + std::to_string(n) + " units and " +
                    std::to_string(t.num_connections()) + " connections exceeds the " +
                    std::to_string(max_dot_bytes) +
                    " bytes read_dot reads; save it as a model file instead");
  };
  for (V v = 0; v < n; ++v) {
    const UnitProps& u = g[v];
    put_id(text, ids[v]);
    // Only what the unit has: no activation or bias for an input, no index for a
    // hidden unit; the activation is also shown beside the node (xlabel).
    text += " [";
    if (u.role != Role::input) {
      text += "activation=";
      text += to_string(u.activation);
      text += ", bias=";
      detail::put_dot_number(text, u.bias);
      text += ", ";
    }
    if (u.role != Role::hidden) {
      text += "index=";
      text += std::to_string(u.index);
      text += ", ";
    }
    text += "label=";
    put_id(text, u.name.empty() ? unnamed_label : u.name);
    text += detail::meta_unit_attributes(meta, u.role, u.index);
    if (u.role != Role::input) {
      text += ", xlabel=";
      text += to_string(u.activation);
    }
    text += ", role=";
    text += to_string(u.role);
    text += u.role == Role::input    ? ", shape=box];\n"
            : u.role == Role::output ? ", shape=doublecircle];\n"
                                     : ", shape=ellipse];\n";
    if (text.size() > max_dot_bytes) throw over_cap();
  }
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    const V j = boost::source(*e, g), i = boost::target(*e, g);
    if (!std::isfinite(g[*e].weight))
      throw io_error("write_dot: connection " + t.label(j) + " -> " + t.label(i) +
                     " has a non-finite weight");
    put_id(text, ids[j]);
    text += "->";
    put_id(text, ids[i]);
    text += "  [weight=";
    detail::put_dot_number(text, g[*e].weight);
    text += "];\n";
    if (text.size() > max_dot_bytes) throw over_cap();
  }
  text += "}\n";
  if (text.size() > max_dot_bytes) throw over_cap();
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw io_error("write_dot: the output stream failed");
}

void write_dot(std::ostream& out, const Topology& t) {
  write_dot(out, t, ModelMeta{});
}

template <class T>
void write_dot(std::ostream& out, const Network<T>& net, const ModelMeta& meta) {
  write_dot(out, net.to_topology(), meta);
}

template void write_dot(std::ostream&, const Network<float>&, const ModelMeta&);
template void write_dot(std::ostream&, const Network<double>&, const ModelMeta&);

std::vector<UnitId> units_reaching_no_output(const Topology& t) {
  std::vector<UnitId> stack, dead;
  std::vector<char> reaches(t.num_units(), 0);
  for (UnitId i = 0; i < t.num_units(); ++i)
    if (t.role(i) == Role::output) reaches[i] = 1, stack.push_back(i);
  while (!stack.empty()) {
    const UnitId i = stack.back();
    stack.pop_back();
    for (UnitId j : t.upstream(i))
      if (!reaches[j]) reaches[j] = 1, stack.push_back(j);
  }
  for (UnitId i = 0; i < t.num_units(); ++i)
    if (!reaches[i]) dead.push_back(i);
  return dead;
}

}  // namespace dagprop::io
