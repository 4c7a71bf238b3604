// The editable network: a Boost.Graph adjacency list of units (vertices) and
// weighted connections j -> i (edges, as w_ij in the memo). Build it in any
// order, then validate() and compile() it; it is never used for computing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "dagprop/activation.hpp"
#include "dagprop/unit.hpp"

namespace dagprop {

struct UnitProps {
  Role role = Role::hidden;
  Activation activation = Activation::identity;
  double bias = 0.0;      // b_i (unused for inputs)
  std::string name;       // optional; "u<id>" is used in messages when empty
  std::size_t index = 0;  // number among the inputs or among the outputs
};

struct ConnectionProps {
  double weight = 0.0;  // w_ij
};

class Topology {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, UnitProps,
                                      ConnectionProps>;

  // An input unit (y_i = x_i); numbered after the inputs already present.
  UnitId add_input(std::string name = {});
  // A hidden or output unit with activation f and bias b; outputs are numbered
  // after the outputs already present.
  UnitId add_unit(Activation f, Role role = Role::hidden, std::string name = {}, double b = 0.0);
  UnitId add_output(Activation f, std::string name = {}, double b = 0.0) {
    return add_unit(f, Role::output, std::move(name), b);
  }
  // A connection from unit j (upstream) to unit i (downstream) with weight w_ij.
  // Cycles, self-loops and duplicates are reported by validate(), not here.
  void connect(UnitId j, UnitId i, double w = 0.0);
  // Removes the connection j -> i (every one, if duplicated); throws
  // invalid_argument naming the units when there is none.
  void disconnect(UnitId j, UnitId i);

  std::size_t num_units() const { return boost::num_vertices(g_); }
  std::size_t num_connections() const { return boost::num_edges(g_); }
  std::size_t num_inputs() const { return num_inputs_; }
  std::size_t num_outputs() const { return num_outputs_; }

  // Units in the order of their input (output) number.
  std::vector<UnitId> inputs() const;
  std::vector<UnitId> outputs() const;
  std::vector<UnitId> upstream(UnitId i) const;    // S_i
  std::vector<UnitId> downstream(UnitId i) const;  // D_i

  bool connected(UnitId j, UnitId i) const;
  double weight(UnitId j, UnitId i) const;  // throws when j -> i does not exist
  void set_weight(UnitId j, UnitId i, double w);
  double bias(UnitId i) const { return unit(i).bias; }
  void set_bias(UnitId i, double b) { unit(i).bias = b; }
  Activation activation(UnitId i) const { return unit(i).activation; }
  void set_activation(UnitId i, Activation f) { unit(i).activation = f; }
  Role role(UnitId i) const { return unit(i).role; }
  const std::string& name(UnitId i) const { return unit(i).name; }
  void set_name(UnitId i, std::string name) { unit(i).name = std::move(name); }
  // The unit's number among the inputs (or outputs); set_index renumbers it
  // (validate() checks that the numbers form 0..n-1).
  std::size_t index(UnitId i) const { return unit(i).index; }
  void set_index(UnitId i, std::size_t k) { unit(i).index = k; }
  // Calls f(j, w_ij) for every connection j -> i, w_ij by reference.
  template <class F>
  void for_each_upstream(UnitId i, F f) {
    check_unit(i, "for_each_upstream");
    for (auto [e, end] = boost::in_edges(i, g_); e != end; ++e)
      f(boost::source(*e, g_), g_[*e].weight);
  }
  // Calls f(j, w_ij) for every connection j -> i, w_ij by value.
  template <class F>
  void for_each_upstream(UnitId i, F f) const {
    check_unit(i, "for_each_upstream");
    for (auto [e, end] = boost::in_edges(i, g_); e != end; ++e)
      f(boost::source(*e, g_), g_[*e].weight);
  }
  // For each unit, whether a path of connections leads to it from a unit of
  // `from` (downstream), or from it to a unit of `from` (upstream); the units
  // of `from` themselves are marked.
  enum class Direction : std::uint8_t { downstream, upstream };
  std::vector<bool> reachable(const std::vector<UnitId>& from, Direction d) const;
  std::optional<UnitId> find(const std::string& name) const;
  // The unit's name, or "u<id>" when it has none: used in every message.
  std::string label(UnitId i) const;

  // Throws topology_error naming the units when the network cannot be
  // compiled: no inputs, no outputs, a self-loop, a duplicate connection, a
  // connection into an input, a cycle (listing its units), a non-finite weight
  // or bias, bad numbering. A hidden or output unit with no upstream unit is
  // valid: a constant unit, x_i = b_i, y_i = f_i(b_i), its bias still trained.
  void validate() const;

  const Graph& graph() const { return g_; }

 private:
  UnitProps& unit(UnitId i);
  const UnitProps& unit(UnitId i) const;
  void check_unit(UnitId i, const char* what) const;

  Graph g_;
  std::size_t num_inputs_ = 0;
  std::size_t num_outputs_ = 0;
};

// Adds n units with activation f, each connected from every unit of `from`
// (weights 0: initialise afterwards). Returns the new units.
std::vector<UnitId> add_dense_layer(Topology& t, const std::vector<UnitId>& from, std::size_t n,
                                    Activation f, Role role = Role::hidden);

// A layered perceptron, e.g. sizes {784, 256, 128, 10}: inputs, hidden layers
// with activation `hidden`, outputs with activation `output`; weights 0.
Topology make_mlp(const std::vector<std::size_t>& sizes, Activation hidden, Activation output);

}  // namespace dagprop
