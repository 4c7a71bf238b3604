// neat-python JSON <-> genes <-> Topology (see neat_json.hpp): the fields are
// read from json.hpp's document and checked one by one, each error naming the
// file, the line:column and the node; the genes become units and connections
// with the steepness and `mean` folded into biases and weights.
#include "dagprop/io/neat_json.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <utility>

#include "dagprop/error.hpp"
#include "dagprop/io/atomic_file.hpp"
#include "dagprop/io/import.hpp"
#include "json.hpp"

namespace dagprop::io {

namespace {

// neat-python's activations: name, dagprop's f, steepness k (README.md's table).
struct NeatFunction {
  std::string_view name;
  Activation f;
  double k;
};
const NeatFunction neat_functions[] = {
    {"identity", Activation::identity, 1},
    {"sigmoid", Activation::neat_sigmoid, 1},
    {"tanh", Activation::tanh, 2.5},  // 2.5z clamped to ±60: tanh is ±1 in double from 19.1
    {"sin", Activation::neat_sin, 1},
    {"gauss", Activation::neat_gauss, 1},
    {"relu", Activation::relu, 1},
    {"elu", Activation::elu, 1},
    {"lelu", Activation::lelu, 1},
    {"selu", Activation::selu, 1},
    {"softplus", Activation::neat_softplus, 1},
    {"clamped", Activation::hard_tanh, 1},
    {"exp", Activation::exp, 1},
    {"abs", Activation::abs, 1},
    {"hat", Activation::hat, 1},
    {"square", Activation::square, 1},
    {"cube", Activation::cube, 1},
};

std::string supported_activations() {
  std::string all;
  for (const NeatFunction& f : neat_functions)
    all += (all.empty() ? "" : ", ") + std::string(f.name);
  return all;
}

// Reads the fields of one document; every error names the file and the place.
class Reader {
 public:
  Reader(const json::Document& doc, std::string_view text, const std::string& source)
      : doc_(doc), text_(text), source_(source) {}

  std::string where(const json::Value& v) const {
    return source_ + ":" + std::to_string(v.line) + ":" + std::to_string(v.column);
  }
  [[noreturn]] void fail(const json::Value& v, const std::string& what) const {
    throw io_error(where(v) + ": " + what);
  }

  const json::Value& field(const json::Value& obj, std::string_view name, json::Kind kind,
                           const std::string& context) const {
    const json::Value* v = doc_.member(obj, name);
    if (!v) fail(obj, context + ": expected a member '" + std::string(name) + "', found none");
    if (v->kind != kind)
      fail(*v, context + ": '" + std::string(name) + "' should be " +
                   std::string(json::to_string(kind)) + ", found " +
                   std::string(json::to_string(v->kind)));
    return *v;
  }
  const std::string& text(const json::Value& obj, std::string_view name,
                          const std::string& context) const {
    return doc_.text(field(obj, name, json::Kind::string, context));
  }
  double number(const json::Value& obj, std::string_view name, const std::string& context) const {
    const json::Value& v = field(obj, name, json::Kind::number, context);
    if (!std::isfinite(v.number))
      fail(v, context + ": '" + std::string(name) + "' is " + raw(v) +
                  ", expected a finite number (Python writes " + raw(v) +
                  " for a non-finite value)");
    return v.number;
  }
  std::int64_t integer(const json::Value& v, const std::string& context) const {
    if (v.kind != json::Kind::number || !v.integer)
      fail(v, context + ": expected an integer node id, found " +
                  (v.kind == json::Kind::number ? "'" + printable(raw(v), 60) + "'"
                                                : std::string(json::to_string(v.kind))));
    return v.int_value;
  }
  std::int64_t integer(const json::Value& obj, std::string_view name,
                       const std::string& context) const {
    return integer(field(obj, name, json::Kind::number, context), context);
  }
  std::vector<std::int64_t> keys(const json::Value& topology, std::string_view name) const {
    std::vector<std::int64_t> out;
    std::set<std::int64_t> seen;
    for (const json::Value* k :
         doc_.elements(field(topology, name, json::Kind::array, "topology"))) {
      out.push_back(integer(*k, "topology." + std::string(name)));
      if (!seen.insert(out.back()).second)
        fail(*k, "topology." + std::string(name) + ": key " + std::to_string(out.back()) +
                     " appears twice");
    }
    return out;
  }
  std::string raw(const json::Value& v) const {
    return std::string(text_.substr(v.begin, v.end - v.begin));
  }
  // activation or aggregation of a node: {"name": ..., "custom": false}
  std::string function(const json::Value& node, std::string_view kind,
                       const std::string& context) const {
    const json::Value& f = field(node, kind, json::Kind::object, context);
    const std::string& name = text(f, "name", context + " " + std::string(kind));
    if (const json::Value* custom = doc_.member(f, "custom");
        custom && custom->kind == json::Kind::boolean && custom->boolean)
      fail(f, context + ": " + std::string(kind) + " '" + printable(name, 60) +
                  "' is a custom (user-defined) function, which dagprop cannot know");
    return name;
  }
  const json::Document& doc() const { return doc_; }

 private:
  const json::Document& doc_;
  std::string_view text_;
  const std::string& source_;
};

std::string node_context(std::int64_t id) {
  return "node " + std::to_string(id);
}

NeatNode read_node(const Reader& r, const json::Value& v, std::int64_t id) {
  const std::string context = node_context(id);
  NeatNode n;
  n.id = id;
  n.line = v.line, n.column = v.column;
  n.activation = r.function(v, "activation", context);
  n.aggregation = r.function(v, "aggregation", context);
  NeatActivation a;
  if (!neat_activation(n.activation, a))
    r.fail(v, context + ": activation '" + printable(n.activation, 60) +
                  "' is not supported (dagprop imports neat-python's " + supported_activations() +
                  ")");
  if (n.aggregation != "sum" && n.aggregation != "mean")
    r.fail(v, context + ": aggregation '" + printable(n.aggregation, 60) +
                  "' is not supported (dagprop imports sum and mean)");
  n.bias = r.number(v, "bias", context);
  n.response = r.number(v, "response", context);
  return n;
}

void read_nodes(const Reader& r, const json::Value& root, NeatNetwork& n) {
  const std::set<std::int64_t> inputs(n.input_keys.begin(), n.input_keys.end());
  const std::set<std::int64_t> outputs(n.output_keys.begin(), n.output_keys.end());
  std::set<std::int64_t> ids;
  for (const json::Value* v : r.doc().elements(r.field(root, "nodes", json::Kind::array, "file"))) {
    if (v->kind != json::Kind::object) r.fail(*v, "nodes: expected an object for each node");
    const std::int64_t id = r.integer(*v, "id", "a node");
    const std::string context = node_context(id);
    if (!ids.insert(id).second) r.fail(*v, context + ": a second node with this id");
    const std::string& type = r.text(*v, "type", context);
    const std::string expected = inputs.count(id)    ? "input"
                                 : outputs.count(id) ? "output"
                                                     : "hidden";
    if (type != "input" && type != "hidden" && type != "output")
      r.fail(*v,
             context + ": type '" + printable(type, 60) + "' (expected input, hidden or output)");
    if (type != expected)
      r.fail(*v, context + ": type '" + printable(type, 60) +
                     "' contradicts topology's keys, which make it " + expected);
    if (type == "input") continue;
    n.nodes.push_back(read_node(r, *v, id));
    n.nodes.back().output = type == "output";
  }
  for (std::int64_t k : n.output_keys)
    if (!ids.count(k)) r.fail(root, "output key " + std::to_string(k) + " has no node in 'nodes'");
}

void read_connections(const Reader& r, const json::Value& root, NeatNetwork& n) {
  const std::set<std::int64_t> inputs(n.input_keys.begin(), n.input_keys.end());
  std::set<std::int64_t> nodes;
  for (const NeatNode& node : n.nodes) nodes.insert(node.id);
  std::set<std::pair<std::int64_t, std::int64_t>> enabled;
  const json::Value& list = r.field(root, "connections", json::Kind::array, "file");
  for (const json::Value* v : r.doc().elements(list)) {
    if (v->kind != json::Kind::object)
      r.fail(*v, "connections: expected an object for each connection");
    NeatConnection c;
    c.line = v->line, c.column = v->column;
    c.from = r.integer(*v, "from", "a connection");
    c.to = r.integer(*v, "to", "a connection");
    const std::string context =
        "connection " + std::to_string(c.from) + " -> " + std::to_string(c.to);
    c.weight = r.number(*v, "weight", context);
    c.enabled = r.field(*v, "enabled", json::Kind::boolean, context).boolean;
    if (c.enabled) {
      if (!inputs.count(c.from) && !nodes.count(c.from))
        r.fail(*v, context + ": node " + std::to_string(c.from) + " does not exist");
      if (inputs.count(c.to)) r.fail(*v, context + ": enters input " + std::to_string(c.to));
      if (!nodes.count(c.to))
        r.fail(*v, context + ": node " + std::to_string(c.to) + " does not exist");
      if (!enabled.emplace(c.from, c.to).second)
        r.fail(*v, context + ": a second enabled connection between these nodes");
    }
    n.connections.push_back(c);
  }
}

// Shortest text that reads back to exactly v, with ".0" on integral values as
// Python writes floats.
std::string number(double v) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, end);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\', out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[(c >> 4) & 0xf], out += hex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void write_node(std::ostream& out, std::int64_t id, std::string_view type,
                std::string_view activation, std::string_view aggregation, double bias,
                double response) {
  out << "    {\n      \"id\": " << id << ",\n      \"type\": " << quoted(type)
      << ",\n      \"activation\": {\n        \"name\": " << quoted(activation)
      << ",\n        \"custom\": false\n      },\n      \"aggregation\": {\n        \"name\": "
      << quoted(aggregation)
      << ",\n        \"custom\": false\n      },\n      \"bias\": " << number(bias)
      << ",\n      \"response\": " << number(response) << "\n    }";
}

std::string key_list(const std::vector<std::int64_t>& keys) {
  std::string s = "[";
  for (std::size_t k = 0; k < keys.size(); ++k) s += (k ? ", " : "") + std::to_string(keys[k]);
  return s + "]";
}

// Number of enabled connections into each node: the n of `mean`.
std::map<std::int64_t, double> fan_in(const NeatNetwork& n) {
  std::map<std::int64_t, double> count;
  for (const NeatConnection& c : n.connections)
    if (c.enabled) count[c.to] += 1;
  return count;
}

// The factor k response / n between a gene's weight and dagprop's w_ij.
double weight_factor(const NeatNode& node, const NeatActivation& a, double fan) {
  return a.k * node.response / (node.aggregation == "mean" && fan > 0 ? fan : 1.0);
}

}  // namespace

bool neat_activation(std::string_view name, NeatActivation& out) {
  for (const NeatFunction& f : neat_functions)
    if (f.name == name) {
      out = NeatActivation{f.f, f.k};
      return true;
    }
  return false;
}

NeatNetwork parse_neat_json(std::string_view text, const std::string& source) {
  if (text.size() > max_neat_json_bytes)
    throw io_error(source + ": JSON text of " + std::to_string(text.size()) +
                   " bytes exceeds the cap of " + std::to_string(max_neat_json_bytes));
  const json::Document doc = json::parse(text, source);
  const Reader r(doc, text, source);
  const json::Value& root = doc.root();
  if (root.kind != json::Kind::object)
    r.fail(root, "expected a JSON object (neat-python's network export), found " +
                     std::string(json::to_string(root.kind)));
  const std::string& version = r.text(root, "format_version", "file");
  if (version != "1.0")
    r.fail(*doc.member(root, "format_version"), "format_version '" + printable(version, 60) +
                                                    "' (dagprop reads neat-python's format 1.0)");
  const std::string& type = r.text(root, "network_type", "file");
  if (type != "feedforward")
    r.fail(*doc.member(root, "network_type"),
           "network_type '" + printable(type, 60) +
               "': dagprop imports feedforward networks only (recurrent, ctrnn and iznn "
               "networks have cycles or state)");
  NeatNetwork n;
  if (const json::Value* meta = doc.member(root, "metadata")) {
    if (meta->kind != json::Kind::object)
      r.fail(*meta,
             "metadata should be an object, found " + std::string(json::to_string(meta->kind)));
    n.metadata = r.raw(*meta);
  }
  const json::Value& topology = r.field(root, "topology", json::Kind::object, "file");
  n.input_keys = r.keys(topology, "input_keys");
  n.output_keys = r.keys(topology, "output_keys");
  for (auto [name, keys] :
       {std::pair{"num_inputs", &n.input_keys}, {"num_outputs", &n.output_keys}})
    if (const json::Value* count = doc.member(topology, name))
      if (count->kind != json::Kind::number || !count->integer ||
          count->int_value != static_cast<std::int64_t>(keys->size()))
        r.fail(*count, std::string("topology.") + name + " is " + printable(r.raw(*count), 60) +
                           ", but " + std::to_string(keys->size()) + " keys are listed");
  const std::set<std::int64_t> inputs(n.input_keys.begin(), n.input_keys.end());
  for (std::int64_t k : n.output_keys)
    if (inputs.count(k))
      r.fail(topology, "key " + std::to_string(k) + " is both an input and an output key");
  read_nodes(r, root, n);
  read_connections(r, root, n);
  return n;
}

NeatNetwork read_neat_json_file(const std::string& path) {
  const std::string text = read_text_file(path, max_neat_json_bytes);
  return parse_neat_json(text, path);
}

Topology to_topology(const NeatNetwork& n, const std::string& source) {
  Topology t;
  std::map<std::int64_t, UnitId> unit;
  std::map<std::int64_t, std::size_t> output_index;
  for (std::size_t k = 0; k < n.output_keys.size(); ++k) output_index[n.output_keys[k]] = k;
  for (std::int64_t k : n.input_keys) unit[k] = t.add_input(std::to_string(k));
  std::map<std::int64_t, const NeatNode*> node_of;
  std::map<std::int64_t, NeatActivation> act;
  for (const NeatNode& node : n.nodes) {
    if (unit.count(node.id))
      throw io_error(source + ": " + node_context(node.id) +
                     ": a second node or input with this id");
    if (!neat_activation(node.activation, act[node.id]))
      throw io_error(source + ": " + node_context(node.id) + ": activation '" + node.activation +
                     "' is not supported");
    const NeatActivation& a = act[node.id];
    const UnitId i = t.add_unit(a.f, node.output ? Role::output : Role::hidden,
                                std::to_string(node.id), a.k * node.bias);
    if (node.output != (output_index.count(node.id) != 0))
      throw io_error(source + ": " + node_context(node.id) + ": its type contradicts output_keys");
    if (node.output) t.set_index(i, output_index.at(node.id));
    unit[node.id] = i;
    node_of[node.id] = &node;
  }
  const auto fan = fan_in(n);
  for (const NeatConnection& c : n.connections) {
    if (!c.enabled) continue;
    if (!unit.count(c.from) || !node_of.count(c.to))
      throw io_error(source + ": connection " + std::to_string(c.from) + " -> " +
                     std::to_string(c.to) + ": " +
                     (unit.count(c.from) ? "node " + std::to_string(c.to) + " is not a node"
                                         : "node " + std::to_string(c.from) + " does not exist"));
    const NeatNode& to = *node_of.at(c.to);
    t.connect(unit.at(c.from), unit.at(c.to),
              weight_factor(to, act.at(c.to), fan.at(c.to)) * c.weight);
  }
  try {
    t.validate();
  } catch (const error& e) {
    throw io_error(source + ": " + e.what());
  }
  return t;
}

Topology read_neat_json(std::string_view text, const std::string& source) {
  return to_topology(parse_neat_json(text, source), source);
}

Topology read_neat_json(const std::string& path) {
  return to_topology(read_neat_json_file(path), path);
}

void update_genes(NeatNetwork& n, const Topology& tuned) {
  const auto unit_of = [&](std::int64_t id) {
    const auto u = tuned.find(std::to_string(id));
    if (!u)
      throw io_error("update_genes: the tuned network has no unit '" + std::to_string(id) + "'");
    return *u;
  };
  const auto fan = fan_in(n);
  std::map<std::int64_t, NeatNode*> node_of;
  std::size_t enabled = 0;
  for (NeatNode& node : n.nodes) {
    NeatActivation a;
    neat_activation(node.activation, a);
    const UnitId i = unit_of(node.id);
    if (tuned.activation(i) != a.f)
      throw io_error("update_genes: unit '" + std::to_string(node.id) + "' has activation " +
                     std::string(to_string(tuned.activation(i))) + ", node " +
                     std::to_string(node.id) + " has '" + node.activation + "'");
    node.bias = tuned.bias(i) / a.k;
    if (node.response == 0.0) node.response = 1.0;
    node_of[node.id] = &node;
  }
  for (NeatConnection& c : n.connections) {
    if (!c.enabled) continue;
    ++enabled;
    const UnitId j = unit_of(c.from), i = unit_of(c.to);
    if (!tuned.connected(j, i))
      throw io_error("update_genes: the tuned network lacks connection " + std::to_string(c.from) +
                     " -> " + std::to_string(c.to));
    const NeatNode& to = *node_of.at(c.to);
    NeatActivation a;
    neat_activation(to.activation, a);
    c.weight = tuned.weight(j, i) / weight_factor(to, a, fan.at(c.to));
  }
  if (tuned.num_connections() != enabled)
    throw io_error("update_genes: the tuned network has " +
                   std::to_string(tuned.num_connections()) + " connections, the genes " +
                   std::to_string(enabled) + " enabled ones");
}

void write_neat_json(std::ostream& out, const NeatNetwork& n) {
  for (const NeatNode& node : n.nodes)
    if (!std::isfinite(node.bias) || !std::isfinite(node.response))
      throw io_error("write_neat_json: node " + std::to_string(node.id) +
                     " has a non-finite bias or response (JSON has no such number)");
  for (const NeatConnection& c : n.connections)
    if (!std::isfinite(c.weight))
      throw io_error("write_neat_json: connection " + std::to_string(c.from) + " -> " +
                     std::to_string(c.to) + " has a non-finite weight (JSON has no such number)");
  out << "{\n  \"format_version\": \"1.0\",\n  \"network_type\": \"feedforward\",\n"
      << "  \"metadata\": " << n.metadata
      << ",\n  \"topology\": {\n    \"num_inputs\": " << n.input_keys.size()
      << ",\n    \"num_outputs\": " << n.output_keys.size()
      << ",\n    \"input_keys\": " << key_list(n.input_keys)
      << ",\n    \"output_keys\": " << key_list(n.output_keys) << "\n  },\n  \"nodes\": [";
  const char* sep = "\n";
  for (const NeatNode& node : n.nodes) {
    out << sep;
    write_node(out, node.id, node.output ? "output" : "hidden", node.activation, node.aggregation,
               node.bias, node.response);
    sep = ",\n";
  }
  for (std::int64_t k : n.input_keys) {
    out << sep;
    write_node(out, k, "input", "identity", "none", 0.0, 1.0);
    sep = ",\n";
  }
  out << "\n  ],\n  \"connections\": [";
  sep = "\n";
  for (const NeatConnection& c : n.connections) {
    out << sep << "    {\"from\": " << c.from << ", \"to\": " << c.to
        << ", \"weight\": " << number(c.weight)
        << ", \"enabled\": " << (c.enabled ? "true" : "false") << "}";
    sep = ",\n";
  }
  out << "\n  ]\n}\n";
}

void save_neat_json(const std::string& path, const NeatNetwork& n) {
  write_file_atomically(path, [&](std::ostream& out) { write_neat_json(out, n); });
}

}  // namespace dagprop::io
