// Structural edits on a Topology: add or remove a unit or a connection, split a
// connection (NEAT's add-node), change an activation, prune small weights and
// the units they strand. Each edit checks its arguments first and leaves the
// topology as it was when it throws; it changes nothing it is not asked to.
// A trained Network is edited through net.to_topology() and compile().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dagprop/activation.hpp"
#include "dagprop/init.hpp"
#include "dagprop/random.hpp"
#include "dagprop/topology.hpp"

namespace dagprop {

// The unit a user names: the unit with that name, or, when no unit has it, the
// unit of id N written "N" or "uN" (as Topology::label writes unnamed units).
// Throws invalid_argument when there is none, or when several units share the
// name.
UnitId find_unit(const Topology& t, const std::string& name_or_id);

// Where the weights an edit adds without a value come from: drawn as
// initialize() draws the weights into the unit they enter (its fan-in and
// fan-out after the edit), from one seeded stream shared by a run of edits.
class WeightSource {
 public:
  // invalid_argument when `scheme` is not a scheme.
  explicit WeightSource(InitScheme scheme = InitScheme::glorot_uniform, std::uint64_t seed = 1);
  double draw(const Topology& t, UnitId i) { return weight_distribution(t, i, scheme_).draw(rng_); }

 private:
  InitScheme scheme_;
  SplitMix64 rng_;
};

// Adds the connection j -> i with weight w (or one drawn from `weights`).
// topology_error naming the units when j -> i exists already, i is an input,
// j is i, or the connection would close a cycle (the message lists it).
void add_connection(Topology& t, UnitId j, UnitId i, double w);
void add_connection(Topology& t, UnitId j, UnitId i, WeightSource& weights);
// Removes j -> i and returns its weight; invalid_argument when there is none.
double remove_connection(Topology& t, UnitId j, UnitId i);

// A hidden unit to add: connected from the units of `from` (w_ij into the new
// unit) and to the units of `to` (w from the new unit); a weight not given is
// drawn from the WeightSource.
struct Link {
  UnitId unit = 0;
  std::optional<double> w;
};
struct NewUnit {
  std::string name;  // empty, or a name no other unit has
  Activation activation = Activation::identity;
  double bias = 0.0;
  std::vector<Link> from, to;
};
// Returns the new unit's id (num_units() before the call). Checks as
// add_connection does, and refuses a name in use or a missing weight with no
// WeightSource.
UnitId add_unit(Topology& t, const NewUnit& u, WeightSource* weights = nullptr);

// NEAT's add-node: j -> i becomes j -> n -> i through a new hidden unit n with
// activation f and bias 0, w_jn = 1 and w_ni = the old w_ij. An identity unit,
// or a relu unit on a non-negative y_j, leaves the network's function as it was.
UnitId split_connection(Topology& t, UnitId j, UnitId i, Activation f = Activation::identity,
                        std::string name = {});

// Sets the activation of a hidden or output unit (an input has none).
void change_activation(Topology& t, UnitId i, Activation f);

// Removes a hidden unit with its connections; later ids shift down by one.
// Inputs and outputs cannot be removed: the network's interface is kept.
void remove_unit(Topology& t, UnitId i);

// Removes every connection with |w| < threshold, then every hidden unit left
// without a path from an input or a constant unit (a hidden unit without
// sources before the prune, NEAT's bias neuron) or without a path to an
// output (inputs, outputs and constant units feeding an output stay). Throws
// topology_error naming the outputs, and leaves t as it was, when an output
// reached from an input before would be reached from none after.
struct PruneReport {
  std::size_t connections_removed = 0;     // small ones and those of removed units
  std::vector<std::string> units_removed;  // their labels, as before the prune
};
PruneReport prune(Topology& t, double threshold);

}  // namespace dagprop
