// DOT <-> Topology with Boost.Graph's write_graphviz_dp / read_graphviz and
// dynamic_properties (attributes in dot.hpp). read_graphviz adds vertices in
// name order, so a small scanner finds the order of first appearance in the
// text. It does not draw (Graphviz does) and does not compile the network.
#include "dagprop/io/dot.hpp"

#include <algorithm>
#include <cctype>
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
#include <boost/property_map/function_property_map.hpp>

#include "dagprop/error.hpp"

namespace dagprop::io {

namespace {

// read_graphviz holds about 50 bytes of memory per byte of DOT (1.2 GB for a
// 24 MB file of 400000 units): 64 MiB (some 1.5 million connections as
// write_dot writes them) keeps a hostile file to a few GB.
constexpr std::size_t max_dot_bytes = std::size_t{64} << 20;
const std::string unnamed_label = "\\N";  // Graphviz: "the node's id"

// The fewest significant digits that read back to exactly v.
std::string number(double v) {
  std::string s;
  for (int digits = 1; digits <= 17; ++digits) {
    std::ostringstream os;
    os.imbue(std::locale::classic());
    os.precision(digits);
    os << v;
    s = os.str();
    std::istringstream is(s);
    is.imbue(std::locale::classic());
    double back = 0;
    if (is >> back && back == v) break;
  }
  return s;
}

std::optional<double> parse_number(const std::string& s) {
  std::istringstream is(s);
  is.imbue(std::locale::classic());
  double v = 0;
  if (!(is >> v)) return std::nullopt;
  is >> std::ws;
  if (!is.eof() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::size_t> parse_index(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::size_t>(c - '0');
  }
  return v;
}

// ---- reading ---------------------------------------------------------------

// Deeper nesting of { } could overflow the stack in read_graphviz's recursive
// parser (100000 levels did, with ASan); real files nest a few levels.
constexpr std::size_t max_dot_nesting = 100;

bool dot_id_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool dot_id_char(char c) {
  return dot_id_start(c) || std::isdigit(static_cast<unsigned char>(c));
}
bool dot_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The DOT text as read_graphviz can take it, with what it does not handle as
// Graphviz does turned into what it does:
// - `strict` is removed (read_graphviz drops a strict graph's self-loops and
//   later duplicate edges with their attributes; read_dot merges duplicates
//   itself, the later weight winning as in Graphviz, and refuses self-loops);
// - an anonymous subgraph `{ ... }` gets the keyword `subgraph`, which
//   read_graphviz requires;
// - a number with an exponent (1e-3, 2.5E+4), which DOT's grammar does not
//   have and read_graphviz splits into "1" and "e-3" (so weight=1e-3 read as
//   1), is quoted; other badly delimited numbers (0x10, 1.5.2, 1_000) are
//   refused, as is nesting deeper than max_dot_nesting;
// - an attribute value -word (weight=-inf) is quoted.
// Quoted and HTML strings and comments are copied unchanged; newlines are
// kept, so that line numbers stay those of the file.
struct PreparedDot {
  std::string text;
  bool strict = false;
};

PreparedDot prepare_dot(const std::string& s, const std::string& source) {
  PreparedDot out;
  std::string& r = out.text;
  r.reserve(s.size() + s.size() / 16);
  std::size_t p = 0, line = 1, depth = 0;
  std::string prev, prev2;  // the last two tokens: keywords in lower case
  bool any_token = false;
  const auto fail = [&](const std::string& why) -> io_error {
    return io_error(source + ": line " + std::to_string(line) + ": " + why);
  };
  const auto copy_to = [&](std::size_t end) {
    for (; p < end; ++p) {
      if (s[p] == '\n') ++line;
      r += s[p];
    }
  };
  const auto token = [&](const std::string& t) {
    prev2 = prev;
    prev = t;
    any_token = true;
  };
  while (p < s.size()) {
    const char c = s[p];
    if (c == '\n') {
      copy_to(p + 1);
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      copy_to(p + 1);
    } else if (s.compare(p, 2, "//") == 0 || (c == '#' && (p == 0 || s[p - 1] == '\n'))) {
      const auto end = s.find('\n', p);
      copy_to(end == std::string::npos ? s.size() : end);
    } else if (s.compare(p, 2, "/*") == 0) {
      const auto end = s.find("*/", p + 2);
      copy_to(end == std::string::npos ? s.size() : end + 2);
    } else if (c == '"') {
      std::size_t e = p + 1;
      while (e < s.size() && s[e] != '"') e += s[e] == '\\' ? std::size_t{2} : std::size_t{1};
      copy_to(std::min(e + 1, s.size()));
      token("\"");
    } else if (c == '<' && any_token) {  // HTML string, nested <...>
      std::size_t e = p, nest = 0;
      do {
        if (s[e] == '<') ++nest;
        if (s[e] == '>') --nest;
        ++e;
      } while (e < s.size() && nest > 0);
      copy_to(e);
      token("<>");
    } else if (dot_id_start(c)) {
      std::size_t e = p;
      while (e < s.size() && dot_id_char(s[e])) ++e;
      const std::string word = lower(s.substr(p, e - p));
      if (word == "strict" && !any_token) {
        out.strict = true;
        r.append(e - p, ' ');
        p = e;
        continue;  // not a token for read_graphviz
      }
      copy_to(e);
      token(word == "subgraph" || word == "graph" || word == "digraph" || word == "node" ||
                    word == "edge"
                ? word
                : "id");
    } else if (c == '-' && prev == "=" && p + 1 < s.size() && dot_id_start(s[p + 1])) {
      // An attribute value such as -inf: not a DOT ID, quoted so that the
      // value's own check names the node or edge.
      std::size_t e = p + 1;
      while (e < s.size() && dot_id_char(s[e])) ++e;
      r += '"';
      copy_to(e);
      r += '"';
      token("id");
    } else if (dot_digit(c) || (c == '.' && p + 1 < s.size() && dot_digit(s[p + 1])) ||
               (c == '-' && p + 1 < s.size() &&
                (dot_digit(s[p + 1]) ||
                 (s[p + 1] == '.' && p + 2 < s.size() && dot_digit(s[p + 2]))))) {
      // numeral: -?(.[0-9]+ | [0-9]+(.[0-9]*)?)
      std::size_t e = p + (c == '-' ? 1 : 0);
      while (e < s.size() && dot_digit(s[e])) ++e;
      if (e < s.size() && s[e] == '.') {
        ++e;
        while (e < s.size() && dot_digit(s[e])) ++e;
      }
      std::size_t x = e;  // an exponent?
      if (x < s.size() && (s[x] == 'e' || s[x] == 'E')) {
        ++x;
        if (x < s.size() && (s[x] == '+' || s[x] == '-')) ++x;
        const std::size_t digits = x;
        while (x < s.size() && dot_digit(s[x])) ++x;
        if (x == digits) x = e;  // "1e" or "1e+": no exponent
      }
      const auto delimited = [&](std::size_t end) {
        return end >= s.size() || (!dot_id_char(s[end]) && s[end] != '.');
      };
      if (x > e && delimited(x)) {
        r += '"';
        copy_to(x);
        r += '"';
      } else if (delimited(e)) {
        copy_to(e);
      } else {
        std::size_t end = e;
        while (end < s.size() &&
               (dot_id_char(s[end]) || s[end] == '.' || s[end] == '+' ||
                (s[end] == '-' && s.compare(end, 2, "->") != 0 && s.compare(end, 2, "--") != 0)))
          ++end;
        throw fail("badly delimited number '" + s.substr(p, end - p) +
                   "' (a DOT numeral is -?(.[0-9]+|[0-9]+(.[0-9]*)?); quote other values, "
                   "as in weight=\"" +
                   s.substr(p, end - p) + "\")");
      }
      token("id");
    } else if (c == '{') {
      if (++depth > max_dot_nesting)
        throw fail("subgraphs nested deeper than " + std::to_string(max_dot_nesting) + " levels");
      // Not the graph's body (after [di]graph [ID]) nor after subgraph [ID]:
      // an anonymous subgraph.
      const bool named = prev == "subgraph" || prev == "graph" || prev == "digraph" ||
                         ((prev == "id" || prev == "\"" || prev == "<>") &&
                          (prev2 == "subgraph" || prev2 == "graph" || prev2 == "digraph"));
      if (!named) r += "subgraph ";
      copy_to(p + 1);
      token("{");
    } else {
      if (c == '}' && depth > 0) --depth;
      if (s.compare(p, 2, "->") == 0 || s.compare(p, 2, "--") == 0) {
        copy_to(p + 2);
        token("edgeop");
      } else {
        copy_to(p + 1);
        token(std::string(1, c));
      }
    }
  }
  return out;
}

struct RawNode {
  std::string id;
  std::optional<std::string> label, role, activation, bias, index;
};
struct RawEdge {
  std::optional<std::string> weight;
};
// bidirectionalS keeps one list of all edges in insertion (file) order.
using RawGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, RawNode, RawEdge>;

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

template <class Graph>
boost::shared_ptr<boost::dynamic_property_map> unknown_attribute(const Graph& raw,
                                                                 const std::string& source,
                                                                 const std::string& name,
                                                                 const boost::any& key) {
  using V = typename Graph::vertex_descriptor;
  using E = typename Graph::edge_descriptor;
  const bool node = key.type() == typeid(V), edge = key.type() == typeid(E);
  if ((!node && !edge) || drawing_attribute(name) || (edge && name == "label"))
    return {};  // graph attributes and edge labels: drawing only
  std::string where = "an edge";
  if (node) {
    const V v = boost::any_cast<V>(key);
    where =
        v < boost::num_vertices(raw) && !raw[v].id.empty() ? "node '" + raw[v].id + "'" : "a node";
  }
  throw io_error(source + ": " + where + ": unknown attribute '" + name + "' (dagprop reads " +
                 (node ? "label, role, activation, bias, index" : "weight") +
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

// Node ids in order of first appearance: tokens outside [...] that are IDs,
// not keywords, not graph names, not attribute names or values, not ports.
std::vector<std::string> appearance_order(const std::string& s) {
  struct Token {
    std::string text;
    bool id = false, quoted = false;
  };
  std::vector<Token> tokens;
  std::size_t p = 0;
  const auto is_id_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  while (p < s.size()) {
    const char c = s[p];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++p;
    } else if (s.compare(p, 2, "//") == 0 || (c == '#' && (p == 0 || s[p - 1] == '\n'))) {
      while (p < s.size() && s[p] != '\n') ++p;
    } else if (s.compare(p, 2, "/*") == 0) {
      const auto end = s.find("*/", p + 2);
      p = end == std::string::npos ? s.size() : end + 2;
    } else if (c == '"') {
      std::string text;
      ++p;
      while (p < s.size() && s[p] != '"') {
        if (s[p] == '\\' && p + 1 < s.size()) {
          if (s[p + 1] == '"')
            text += '"';
          else if (s[p + 1] != '\n')
            text += s.substr(p, 2);
          p += 2;
        } else {
          text += s[p++];
        }
      }
      ++p;
      tokens.push_back(Token{text, true, true});
    } else if (c == '<') {  // HTML string, nested <...>
      int depth = 0;
      const std::size_t start = p;
      do {
        if (s[p] == '<') ++depth;
        if (s[p] == '>') --depth;
        ++p;
      } while (p < s.size() && depth > 0);
      tokens.push_back(Token{s.substr(start + 1, p - start - 2), true, true});
    } else if (s.compare(p, 2, "->") == 0 || s.compare(p, 2, "--") == 0) {
      tokens.push_back(Token{s.substr(p, 2), false, false});
      p += 2;
    } else if (is_id_char(c) || (c == '-' && p + 1 < s.size() && is_id_char(s[p + 1]))) {
      const std::size_t start = p++;
      while (p < s.size() && is_id_char(s[p])) ++p;
      tokens.push_back(Token{s.substr(start, p - start), true, false});
    } else {
      tokens.push_back(Token{std::string(1, c), false, false});
      ++p;
    }
  }
  // "a" + "b" is one ID.
  std::vector<Token> merged;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (tokens[k].text == "+" && !tokens[k].id && !merged.empty() && merged.back().quoted &&
        k + 1 < tokens.size() && tokens[k + 1].quoted) {
      merged.back().text += tokens[++k].text;
      continue;
    }
    merged.push_back(tokens[k]);
  }
  const auto keyword = [](const Token& t) {
    if (t.quoted) return false;
    std::string l;
    for (char c : t.text) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return l == "node" || l == "edge" || l == "graph" || l == "digraph" || l == "subgraph" ||
           l == "strict";
  };
  std::vector<std::string> order;
  std::set<std::string> seen;
  int depth = 0;
  for (std::size_t k = 0; k < merged.size(); ++k) {
    const Token& t = merged[k];
    if (!t.id) {
      if (t.text == "[") ++depth;
      if (t.text == "]") --depth;
      continue;
    }
    if (depth > 0 || keyword(t)) continue;
    const Token* prev = k > 0 ? &merged[k - 1] : nullptr;
    const Token* next = k + 1 < merged.size() ? &merged[k + 1] : nullptr;
    if (prev && (prev->text == "=" || prev->text == ":" ||
                 (keyword(*prev) && prev->text != "node" && prev->text != "edge")))
      continue;
    if (next && !next->id && next->text == "=") continue;
    if (seen.insert(t.text).second) order.push_back(t.text);
  }
  return order;
}

}  // namespace

Topology read_dot(std::istream& in, const std::string& source_name, InitScheme scheme,
                  std::uint64_t seed) {
  std::string text;
  {
    std::ostringstream os;
    os << in.rdbuf();
    text = os.str();
  }
  if (text.size() > max_dot_bytes)
    throw io_error(source_name + ": DOT text of " + std::to_string(text.size()) +
                   " bytes exceeds the cap of " + std::to_string(max_dot_bytes));
  const PreparedDot prepared = prepare_dot(text, source_name);
  text = prepared.text;
  RawGraph raw;
  boost::dynamic_properties dp(
      [&](const std::string& name, const boost::any& key, const boost::any&) {
        return unknown_attribute(raw, source_name, name, key);
      });
  using V = RawGraph::vertex_descriptor;
  using E = RawGraph::edge_descriptor;
  dp.property("node_id", boost::get(&RawNode::id, raw));
  dp.property("label", OptionalMap<V, RawNode>{&raw, &RawNode::label});
  dp.property("role", OptionalMap<V, RawNode>{&raw, &RawNode::role});
  dp.property("activation", OptionalMap<V, RawNode>{&raw, &RawNode::activation});
  dp.property("bias", OptionalMap<V, RawNode>{&raw, &RawNode::bias});
  dp.property("index", OptionalMap<V, RawNode>{&raw, &RawNode::index});
  dp.property("weight", OptionalMap<E, RawEdge>{&raw, &RawEdge::weight});
  try {
    std::istringstream is(text);
    if (!boost::read_graphviz(is, raw, dp, "node_id"))
      throw io_error(source_name + ": not a DOT graph");
  } catch (const io_error&) {
    throw;
  } catch (const boost::undirected_graph_error&) {
    throw io_error(source_name + ": expected a 'digraph' (connections j -> i), found 'graph'");
  } catch (const std::exception& e) {
    throw io_error(source_name + ": DOT syntax: " + e.what());
  }

  // Vertices in order of first appearance in the text.
  const std::size_t n = boost::num_vertices(raw);
  std::map<std::string, V> by_id;
  for (V v = 0; v < n; ++v) by_id[raw[v].id] = v;
  std::vector<V> order;
  std::vector<char> placed(n, 0);
  for (const auto& id : appearance_order(text)) {
    const auto it = by_id.find(id);
    if (it != by_id.end() && !placed[it->second]) {
      order.push_back(it->second);
      placed[it->second] = 1;
    }
  }
  for (V v = 0; v < n; ++v)
    if (!placed[v]) order.push_back(v);

  const auto node_error = [&](V v, const std::string& why) {
    return io_error(source_name + ": node '" + raw[v].id + "': " + why);
  };
  struct Unit {
    Role role = Role::hidden;
    Activation activation = Activation::relu;
    std::optional<double> bias;
    std::optional<std::size_t> index;
    std::string name;
  };
  std::vector<Unit> units(n);  // by position in `order`
  std::vector<UnitId> position(n);
  std::size_t counts[3] = {0, 0, 0};
  for (std::size_t k = 0; k < n; ++k) {
    const V v = order[k];
    position[v] = k;
    const RawNode& r = raw[v];
    Unit& u = units[k];
    try {
      if (r.role) u.role = parse_role(*r.role);
      u.activation = u.role == Role::output ? Activation::identity : Activation::relu;
      if (r.activation && u.role != Role::input) u.activation = parse_activation(*r.activation);
    } catch (const error& e) {
      throw node_error(v, e.what());
    }
    if (u.role == Role::input) u.activation = Activation::identity;
    if (r.bias && u.role != Role::input && !r.bias->empty()) {
      u.bias = parse_number(*r.bias);
      if (!u.bias) throw node_error(v, "bias '" + *r.bias + "' is not a finite number");
    }
    if (r.index && u.role != Role::hidden && !r.index->empty()) {
      u.index = parse_index(*r.index);
      if (!u.index) throw node_error(v, "index '" + *r.index + "' is not a non-negative integer");
    }
    u.name = r.label ? (*r.label == unnamed_label ? std::string() : *r.label) : r.id;
    ++counts[static_cast<std::size_t>(u.role)];
  }
  // Numbering: explicit indices first, then the others in order of appearance.
  for (Role role : {Role::input, Role::output}) {
    const std::size_t count = counts[static_cast<std::size_t>(role)];
    std::vector<std::optional<std::size_t>> owner(count);
    for (std::size_t k = 0; k < n; ++k) {
      if (units[k].role != role || !units[k].index) continue;
      const std::size_t idx = *units[k].index;
      if (idx >= count)
        throw node_error(order[k], std::string(to_string(role)) + " index " + std::to_string(idx) +
                                       " is out of range 0.." + std::to_string(count) + "-1");
      if (owner[idx])
        throw node_error(order[k], std::string(to_string(role)) + " index " + std::to_string(idx) +
                                       " is already taken by node '" + raw[order[*owner[idx]]].id +
                                       "'");
      owner[idx] = k;
    }
    std::size_t next = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if (units[k].role != role || units[k].index) continue;
      while (owner[next]) ++next;
      units[k].index = next;
      owner[next] = k;
    }
  }

  Topology t;
  for (std::size_t k = 0; k < n; ++k) {
    const Unit& u = units[k];
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
    if (!prepared.strict || pairs.emplace(j, i).second) t.connect(j, i);
    const auto& w = raw[*e].weight;
    if (w && !w->empty()) {
      const auto value = parse_number(*w);
      if (!value)
        throw io_error(source_name + ": edge '" + raw[boost::source(*e, raw)].id + "' -> '" +
                       raw[boost::target(*e, raw)].id + "': weight '" + *w +
                       "' is not a finite number");
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

Topology read_dot(const std::string& path, InitScheme scheme, std::uint64_t seed) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(path + ": cannot open for reading");
  return read_dot(in, path, scheme, seed);
}

// ---- writing ---------------------------------------------------------------

void write_dot(std::ostream& out, const Topology& t) {
  using G = Topology::Graph;
  using V = G::vertex_descriptor;
  using E = G::edge_descriptor;
  const G& g = t.graph();
  const std::size_t n = t.num_units();
  // Node ids: the name when it is unique, else "u<id>" (made unique).
  std::map<std::string, std::size_t> name_count;
  for (V v = 0; v < n; ++v) {
    if (g[v].name.find('\\') != std::string::npos)
      throw io_error("write_dot: the name of unit " + std::to_string(v) +
                     " holds a backslash, which DOT cannot carry exactly");
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
  for (auto [e, end] = boost::edges(g); e != end; ++e)
    if (!std::isfinite(g[*e].weight))
      throw io_error("write_dot: connection " + t.label(boost::source(*e, g)) + " -> " +
                     t.label(boost::target(*e, g)) + " has a non-finite weight");

  const auto vertex_map = [](auto f) {
    return boost::make_function_property_map<V, std::string>(f);
  };
  boost::dynamic_properties dp;
  dp.property("node_id", vertex_map([&](V v) { return ids[v]; }));
  dp.property("label",
              vertex_map([&](V v) { return g[v].name.empty() ? unnamed_label : g[v].name; }));
  dp.property("role", vertex_map([&](V v) { return std::string(to_string(g[v].role)); }));
  dp.property("activation", vertex_map([&](V v) {
                return g[v].role == Role::input ? std::string("identity")
                                                : std::string(to_string(g[v].activation));
              }));
  dp.property("bias", vertex_map([&](V v) {
                return g[v].role == Role::input ? std::string() : number(g[v].bias);
              }));
  dp.property("index", vertex_map([&](V v) {
                return g[v].role == Role::hidden ? std::string() : std::to_string(g[v].index);
              }));
  dp.property("shape", vertex_map([&](V v) {
                return std::string(g[v].role == Role::input    ? "box"
                                   : g[v].role == Role::output ? "doublecircle"
                                                               : "ellipse");
              }));
  dp.property("weight", boost::make_function_property_map<E, std::string>(
                            [&](E e) { return number(g[e].weight); }));
  boost::write_graphviz_dp(out, g, dp, "node_id");
  if (!out) throw io_error("write_dot: the output stream failed");
}

template <class T>
void write_dot(std::ostream& out, const Network<T>& net) {
  write_dot(out, net.to_topology());
}

template void write_dot(std::ostream&, const Network<float>&);
template void write_dot(std::ostream&, const Network<double>&);

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
