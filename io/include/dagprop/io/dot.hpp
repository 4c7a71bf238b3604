// Graphviz DOT for topologies, read with DOT's own grammar (subgraphs, node
// and edge defaults, ports, "a" + "b", HTML strings, strict graphs): a
// drawing (`dot -Tsvg`) that is also an exact description of
// the network, and of what a model file holds besides it (ModelMeta: the input
// and target scaling, the training setup, class names), so that a model goes
// to DOT and back unchanged. It does not store training state (checkpoints do).
//
// Node attributes: label (the unit's name; "\N" or absent: the node id, and
//   written as "\N" for units without a name), role (input | hidden | output;
//   default hidden), activation (identity, sigmoid, tanh, relu, leaky_relu,
//   softplus, elu, selu, silu, gelu, gaussian, sin, abs, hard_tanh, softsign,
//   square ... neat_gauss, or NEAT-python's clamped for hard_tanh, swish for silu:
//   to_string and parse_activation in activation.hpp;
//   default relu for hidden units, as `dagprop new`, and identity for outputs; ignored for
//   inputs), bias (b_i), index (number among the inputs or the
//   outputs; empty or absent: numbered in order of first appearance in the
//   file after the explicit numbers; ignored for hidden units), shape (drawing
//   only), offset and scale (an input's scaling x' = (x - offset) / scale, an
//   output's target scaling; read only with the graph attribute below). Graph
//   attributes (write_dot writes them when the model has them):
//   dagprop_input_scaling, dagprop_target_scaling (none | divide | standardize
//   | affine; absent: none), dagprop_loss (sse | softmax-ce | bce),
//   dagprop_reduction (sum | mean), dagprop_targets (columns | class-column |
//   idx-labels), the three together or none; dagprop_columns (the target
//   columns as named in training) and dagprop_class_names (the names joined
//   by ',', each with '%', ',', '"', '\' and control bytes written %XX).
//   Another dagprop_ graph attribute is an error; other graph attributes
//   draw. Edge attribute: weight (w_ij). Numbers are written with the fewest
//   digits that read back to the same double (at most max_digits10), so a round
//   trip is exact. Missing weights and biases come from initialize(topology,
//   scheme, seed); explicit values are then restored. Graphviz's drawing
//   attributes (shape, color, style, ...) are ignored; any other attribute of a
//   node or edge is an io_error naming it and the node. Units get Topology ids
//   in order of first appearance in the file.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "dagprop/init.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/network.hpp"
#include "dagprop/topology.hpp"

namespace dagprop::io {

// Writes `t` as a digraph; io_error when a name cannot be carried exactly (a
// backslash before a newline, an odd run of backslashes before a quote or at
// the end, "\N", over max_name_bytes), a value is not finite, `meta` does not
// fit the network (ModelMeta::check), or the text would exceed the 32 MiB
// read_dot reads (nothing is written then).
void write_dot(std::ostream& out, const Topology& t);
void write_dot(std::ostream& out, const Topology& t, const ModelMeta& meta);
template <class T>
void write_dot(std::ostream& out, const Network<T>& net, const ModelMeta& meta = {});

// Reads a digraph; io_error naming `source_name` and the node or edge on an
// unknown role or activation, a non-numeric weight, bias or index, a duplicate
// or out-of-range index, a DOT syntax error, or a graph that does not validate.
// DOT as Graphviz reads it: comments (//, /* */, '#' in the first column),
// default attribute statements (node [...], edge [...], scoped to their
// subgraph), edge chains, anonymous subgraphs ({a b} -> c), ports (ignored),
// "a" + "b". In a `strict` digraph a repeated edge is one connection, the
// later weight winning; otherwise it is refused as a duplicate. Numbers with
// an exponent (weight=1e-3), which DOT's grammar lacks, are read as numbers;
// other badly delimited numerals (0x10, 1.5.2) are refused naming the line, as
// are text over 32 MiB (read no further) and braces nested deeper than 100
// levels. Unquoted UTF-8 ids, a byte order mark and HTML strings <...> (as
// Graphviz balances them; the value without the outer < >) are read as
// Graphviz reads them. Names over max_name_bytes, or that write_dot could not
// write back exactly, are refused. The model metadata are read and checked
// (an io_error naming the attribute and the node or line) and stored in
// `meta` when given; a file without them gives ModelMeta{}.
Topology read_dot(std::istream& in, const std::string& source_name,
                  InitScheme scheme = InitScheme::glorot_uniform, std::uint64_t seed = 1,
                  ModelMeta* meta = nullptr);
Topology read_dot(const std::string& path, InitScheme scheme = InitScheme::glorot_uniform,
                  std::uint64_t seed = 1, ModelMeta* meta = nullptr);

// The units from which no path leads to an output (valid, but they only cost
// time, and in a hand-written file they are usually a misspelt edge): `import`
// warns naming them.
std::vector<UnitId> units_reaching_no_output(const Topology& t);

}  // namespace dagprop::io
