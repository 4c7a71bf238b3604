// neat-python's network JSON (format_version "1.0", neat.export.export_network_json)
// for feed-forward networks: read into its genes, turned into a Topology that
// computes exactly neat-python's outputs, and the genes written back after
// fine-tuning (same node ids, response, aggregation; tuned weights and biases).
// Recurrent, CTRNN and IZNN networks are refused; it does not run NEAT.
//
// A node computes act(bias + response * agg(w * v)); dagprop's unit computes
// f(k (bias + response * sum(w * v) / n)), n the number of enabled connections
// into it for `mean` (1 for `sum`), k the steepness neat_activation() gives:
// bias k * bias and weights k * response * w / n (eq. 1-2).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "dagprop/topology.hpp"

namespace dagprop::io {

struct NeatNode {
  std::int64_t id = 0;
  bool output = false;
  std::string activation = "sigmoid", aggregation = "sum";
  double bias = 0, response = 1;
  std::uint32_t line = 0, column = 0;  // where the node is in the file (0: not from a file)
};

struct NeatConnection {
  std::int64_t from = 0, to = 0;
  double weight = 0;
  bool enabled = true;
  std::uint32_t line = 0, column = 0;
};

// The genes of a feed-forward network, in file order.
struct NeatNetwork {
  std::vector<std::int64_t> input_keys, output_keys;  // column order of inputs and outputs
  std::vector<NeatNode> nodes;                        // hidden and output nodes
  std::vector<NeatConnection> connections;            // disabled ones too
  std::string metadata = "{}";                        // the "metadata" object, verbatim JSON
};

// neat-python's built-in activation `name` as dagprop's f and steepness k
// (f(k z) = act(z) for every z neat-python can compute, table in README.md).
// false for inv, log and names that are not neat-python's.
struct NeatActivation {
  Activation f = Activation::identity;
  double k = 1;
};
bool neat_activation(std::string_view name, NeatActivation& out);

// Larger JSON text is refused before it is parsed.
inline constexpr std::size_t max_neat_json_bytes = std::size_t{64} << 20;

// Parses and checks the genes: io_error naming `source`, the line:column and the
// node id on malformed JSON, a missing or mistyped field, a format_version
// other than "1.0", a network_type other than "feedforward", a custom or
// unsupported activation or aggregation, a duplicate node id or input/output
// key, an input key that is also a node, a node whose type contradicts the
// keys, an output key with no node, a connection from or to an unknown node or
// into an input, a duplicate enabled connection, or a non-finite number.
NeatNetwork parse_neat_json(std::string_view text, const std::string& source);
NeatNetwork read_neat_json_file(const std::string& path);

// Inputs named by their keys in input_keys order, one unit per node named by
// its id (outputs numbered in output_keys order), one connection per enabled
// gene; a node no enabled connection enters is a constant unit, act(bias).
// io_error naming `source` when the graph does not validate (a cycle, listing
// node ids).
Topology to_topology(const NeatNetwork& n, const std::string& source);
Topology read_neat_json(std::string_view text, const std::string& source);
Topology read_neat_json(const std::string& path);

// Puts the weights and biases of `tuned` (to_topology(n), then trained) back
// into n's genes: bias = b / k, weight = w n / (k response); disabled genes
// and every other field are kept. A node whose response is 0 gets response 1
// (its trained weights would otherwise be lost). io_error when `tuned` lacks a
// node or an enabled connection of `n` or its activation differs.
void update_genes(NeatNetwork& n, const Topology& tuned);

// neat-python's layout (indent 2): format_version, network_type, metadata,
// topology, nodes (the inputs after the others, as neat-python writes them),
// connections. Numbers in the shortest form that reads back exactly.
void write_neat_json(std::ostream& out, const NeatNetwork& n);
void save_neat_json(const std::string& path, const NeatNetwork& n);  // atomic (atomic_file.hpp)

}  // namespace dagprop::io
