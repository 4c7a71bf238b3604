// DOT <-> Topology (attributes in dot.hpp). Reading is in stages: the text
// parsed (dot_parser.hpp, over dot_lexer.hpp's tokens), the units read, the
// inputs and outputs numbered, the Topology built, the model metadata read.
// Writing writes what reading reads back. It does not draw (Graphviz does)
// and does not compile the network.
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

#include "dagprop/error.hpp"
#include "dagprop/io/input_file.hpp"
#include "dot_meta.hpp"
#include "dot_parser.hpp"

namespace dagprop::io {

namespace {

// 32 MiB of DOT: some 700000 connections of a layered network as write_dot
// writes them. write_dot refuses to write more, so that what it writes reads
// back.
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
// \" and \<newline> are escapes in a DOT string): no backslash before a
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

// Subgraphs nest at most this deep (real files nest a few levels); the parser
// recurses once a level.
constexpr std::size_t max_dot_nesting = 100;

using detail::DotAttribute;
using detail::DotAttributes;
using detail::DotGraph;
using detail::MetaAttribute;
using detail::parse_dot_number;

// Graphviz's node and edge attributes (graphviz.org/doc/info/attrs.html)
// and those its layouts write (pos, xlp, the xdot _draw_ ops, ...): drawing
// only, read and ignored; any other attribute of a node or an edge
// (activaton=tanh) is an error, not a silent default.
bool drawing_attribute(const std::string& name) {
  // "weight" on a node is layout only (`edge [weight=...]` in a subgraph
  // reaches nodes in some tools).
  static const std::set<std::string> names = [] {
    std::istringstream words(
        "area arrowhead arrowsize arrowtail class color colorscheme comment constraint "
        "decorate dir distortion edgehref edgetarget edgetooltip edgeURL fillcolor fixedsize "
        "fontcolor fontname fontsize gradientangle group head_lp headclip headhref headlabel "
        "headport headtarget headtooltip headURL height href id image imagepos imagescale "
        "labelangle labeldistance labelfloat labelfontcolor labelfontname labelfontsize "
        "labelhref labelloc labeltarget labeltooltip labelURL layer len lhead lp ltail "
        "lheight lwidth margin minlen nojustify ordering orientation penwidth peripheries pin "
        "pos rank rects regular root samehead sametail samplepoints shape shapefile showboxes "
        "sides skew sortv style tail_lp tailclip tailhref taillabel tailport tailtarget "
        "tailtooltip tailURL target tooltip URL vertices width xlabel xlp z "
        "_draw_ _ldraw_ _hdraw_ _tdraw_ _hldraw_ _tldraw_ _background "
        "weight");
    return std::set<std::string>(std::istream_iterator<std::string>(words), {});
  }();
  return names.count(name) > 0;
}

// Stage 1: the text parsed (dot_parser.hpp).
DotGraph parse_dot(std::string text, const std::string& source_name) {
  if (text.size() > max_dot_bytes)
    throw io_error(source_name + ": DOT text over the cap of " + std::to_string(max_dot_bytes) +
                   " bytes (32 MiB)");
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // a UTF-8 byte order mark
  return detail::parse_dot_graph(text, source_name, max_dot_nesting);
}

struct Unit {
  Role role = Role::hidden;
  Activation activation = Activation::relu;  // as `dagprop new`
  std::optional<double> bias;
  std::optional<std::size_t> index;
  std::string name;
  const DotAttribute* offset = nullptr;  // the input or target scaling (dot_meta.hpp)
  const DotAttribute* scale = nullptr;
};

io_error node_error(const DotGraph& d, const std::string& source_name, std::size_t node,
                    const std::string& why) {
  return io_error(source_name + ": node " + shown_name(d.nodes[node].id) + ": " + why);
}

// The node's attributes dagprop reads, by name; an attribute neither read
// nor drawing is an error naming it.
struct NodeAttributes {
  const DotAttribute *label = nullptr, *role = nullptr, *activation = nullptr, *bias = nullptr,
                     *index = nullptr, *offset = nullptr, *scale = nullptr;
};
NodeAttributes node_attributes(const DotGraph& d, std::size_t node,
                               const std::string& source_name) {
  NodeAttributes r;
  const std::pair<const char*, const DotAttribute**> read[] = {
      {"label", &r.label}, {"role", &r.role},   {"activation", &r.activation},
      {"bias", &r.bias},   {"index", &r.index}, {"offset", &r.offset},
      {"scale", &r.scale}};
  for (const DotAttribute& a : d.nodes[node].attributes) {
    const auto it = std::find_if(std::begin(read), std::end(read),
                                 [&](const auto& x) { return a.name == x.first; });
    if (it != std::end(read))
      *it->second = &a;
    else if (!drawing_attribute(a.name))
      throw node_error(d, source_name, node,
                       "unknown attribute " + shown_name(a.name) +
                           " (dagprop reads label, role, activation, bias, index, offset, scale "
                           "and ignores Graphviz's drawing attributes)");
  }
  return r;
}

// Stage 2: each node's attributes checked and read, in order of appearance.
std::vector<Unit> read_units(const DotGraph& d, const std::string& source_name) {
  std::vector<Unit> units(d.nodes.size());
  for (std::size_t k = 0; k < units.size(); ++k) {
    const NodeAttributes r = node_attributes(d, k, source_name);
    Unit& u = units[k];
    try {
      if (r.role) u.role = parse_role(r.role->value);
      u.activation = u.role == Role::output ? Activation::identity : Activation::relu;
      if (r.activation && u.role != Role::input)
        u.activation = parse_activation(r.activation->value);
    } catch (const error& e) {
      throw node_error(d, source_name, k, e.what());
    }
    if (u.role == Role::input) u.activation = Activation::identity;
    if (r.bias && u.role != Role::input && !r.bias->value.empty()) {
      u.bias = parse_dot_number(r.bias->value);
      if (!u.bias)
        throw node_error(d, source_name, k,
                         "bias " + shown_name(r.bias->value) + " is not a finite number");
    }
    if ((r.offset || r.scale) && u.role == Role::hidden)
      throw node_error(d, source_name, k,
                       std::string(r.offset ? "offset" : "scale") +
                           " is read only on input and output nodes (their scaling)");
    if (r.index && u.role != Role::hidden && !r.index->value.empty()) {
      u.index = parse_index(r.index->value);
      if (!u.index)
        throw node_error(d, source_name, k,
                         "index " + shown_name(r.index->value) + " is not a non-negative integer");
    }
    u.offset = r.offset;
    u.scale = r.scale;
    const std::string& id = d.nodes[k].id;
    u.name = r.label ? (r.label->value == unnamed_label ? std::string() : r.label->value) : id;
    check_dot_name(u.name, source_name + ": node " + shown_name(id));
  }
  return units;
}

// Stage 3: inputs and outputs numbered, explicit indices first, then the
// others in order of appearance.
void number_units(std::vector<Unit>& units, const DotGraph& d, const std::string& source_name) {
  for (Role role : {Role::input, Role::output}) {
    const auto count = static_cast<std::size_t>(
        std::count_if(units.begin(), units.end(), [&](const Unit& u) { return u.role == role; }));
    std::vector<std::optional<std::size_t>> owner(count);
    for (std::size_t k = 0; k < units.size(); ++k) {
      if (units[k].role != role || !units[k].index) continue;
      const std::size_t idx = *units[k].index;
      const std::string what = std::string(to_string(role)) + " index " + std::to_string(idx);
      if (idx >= count)
        throw node_error(d, source_name, k,
                         what + " is out of range 0.." + std::to_string(count) + "-1");
      if (owner[idx])
        throw node_error(d, source_name, k,
                         what + " is already taken by node " + shown_name(d.nodes[*owner[idx]].id));
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

// An edge's weight, or none; its other attributes draw (label included) or
// are an error naming the edge.
std::optional<double> edge_weight(const DotGraph& d, const detail::DotEdge& e,
                                  const std::string& source_name) {
  const std::string edge =
      "edge " + shown_name(d.nodes[e.source].id) + " -> " + shown_name(d.nodes[e.target].id);
  std::optional<double> weight;
  for (const DotAttribute& a : d.edge_attributes[e.attributes]) {
    if (a.name == "weight") {
      if (a.value.empty()) continue;
      weight = parse_dot_number(a.value);
      if (!weight)
        throw io_error(source_name + ": " + edge + ": weight " + shown_name(a.value) +
                       " is not a finite number");
    } else if (a.name != "label" && !drawing_attribute(a.name)) {
      throw io_error(source_name + ": " + edge + ": unknown attribute " + shown_name(a.name) +
                     " (dagprop reads weight and ignores Graphviz's drawing attributes)");
    }
  }
  return weight;
}

// Stage 4: the Topology, with explicit weights and biases over the
// initialised ones.
Topology build_topology(const std::vector<Unit>& units, const DotGraph& d,
                        const std::string& source_name, InitScheme scheme, std::uint64_t seed) {
  const std::size_t n = units.size();
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
  for (const detail::DotEdge& e : d.edges) {
    const UnitId j = e.source, i = e.target;
    // A strict graph has one edge per pair; a repeated one sets its attributes
    // (the later weight wins). Otherwise validate() refuses the duplicate.
    if (!d.strict || pairs.emplace(j, i).second) t.connect(j, i);
    if (const auto w = edge_weight(d, e, source_name)) weights[{j, i}] = *w;
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
ModelMeta read_meta(const std::vector<Unit>& units, const DotGraph& d,
                    const std::string& source_name) {
  std::map<std::string, MetaAttribute> graph;
  for (const DotAttribute& a : d.graph_attributes)
    if (detail::is_meta_attribute(a.name)) graph[a.name] = MetaAttribute{a.value, a.line};
  std::vector<detail::UnitScaling> inputs, outputs;
  const auto value = [](const DotAttribute* a) {
    return a ? std::optional<std::string>(a->value) : std::nullopt;
  };
  for (std::size_t k = 0; k < units.size(); ++k) {
    if (units[k].role == Role::hidden) continue;
    auto& list = units[k].role == Role::input ? inputs : outputs;
    if (list.size() <= *units[k].index) list.resize(*units[k].index + 1);
    list[*units[k].index] =
        detail::UnitScaling{d.nodes[k].id, value(units[k].offset), value(units[k].scale)};
  }
  return detail::read_dot_meta(graph, inputs, outputs, source_name);
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
  const DotGraph parsed = parse_dot(read_capped(in), source_name);
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

// An ID as read_dot reads it back: bare when it is a plain identifier,
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

namespace {

using TopologyVertex = Topology::Graph::vertex_descriptor;

// Node ids: the name when it is unique, else "u<id>" (made unique). Refuses a
// name read_dot would not read back and a non-finite bias.
std::vector<std::string> node_ids(const Topology& t) {
  const Topology::Graph& g = t.graph();
  const std::size_t n = t.num_units();
  std::map<std::string, std::size_t> name_count;
  for (TopologyVertex v = 0; v < n; ++v) {
    check_dot_name(g[v].name, "write_dot: unit " + std::to_string(v));
    if (!std::isfinite(g[v].bias))
      throw io_error("write_dot: unit " + t.label(v) + " has a non-finite bias");
    ++name_count[g[v].name];
  }
  std::vector<std::string> ids(n);
  std::set<std::string> used;
  for (TopologyVertex v = 0; v < n; ++v)
    if (!g[v].name.empty() && name_count[g[v].name] == 1) used.insert(ids[v] = g[v].name);
  for (TopologyVertex v = 0; v < n; ++v) {
    if (!ids[v].empty()) continue;
    std::string id = "u" + std::to_string(v);
    while (used.count(id)) id += "_";
    used.insert(ids[v] = id);
  }
  return ids;
}

// One node statement. Only what the unit has: no activation or bias for an
// input, no index for a hidden unit; the activation is also shown beside the
// node (xlabel).
void put_node(std::string& text, const std::string& id, const UnitProps& u, const ModelMeta& meta) {
  put_id(text, id);
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
}

}  // namespace

// Written as write_graphviz_dp writes it (attributes in name order), without
// its per-value regular expression and per-line flush: linear and fast.
void write_dot(std::ostream& out, const Topology& t, const ModelMeta& meta) {
  const Topology::Graph& g = t.graph();
  const std::vector<std::string> ids = node_ids(t);
  try {
    meta.check(t.num_inputs(), t.num_outputs());
  } catch (const error& e) {
    throw io_error(std::string("write_dot: the model metadata: ") + e.what());
  }
  std::string text = "digraph G {\n" + detail::meta_graph_statement(meta);
  const auto check_cap = [&] {
    if (text.size() <= max_dot_bytes) return;
    throw io_error("write_dot: the DOT text of " + std::to_string(t.num_units()) + " units and " +
                   std::to_string(t.num_connections()) + " connections exceeds the " +
                   std::to_string(max_dot_bytes) +
                   " bytes read_dot reads; save it as a model file instead");
  };
  for (TopologyVertex v = 0; v < t.num_units(); ++v) {
    put_node(text, ids[v], g[v], meta);
    check_cap();
  }
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    const TopologyVertex j = boost::source(*e, g), i = boost::target(*e, g);
    if (!std::isfinite(g[*e].weight))
      throw io_error("write_dot: connection " + t.label(j) + " -> " + t.label(i) +
                     " has a non-finite weight");
    put_id(text, ids[j]);
    text += "->";
    put_id(text, ids[i]);
    text += "  [weight=";
    detail::put_dot_number(text, g[*e].weight);
    text += "];\n";
    check_cap();
  }
  text += "}\n";
  check_cap();
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
