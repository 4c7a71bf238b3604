// The compiled network: units renumbered in topological order (inputs first,
// in input-number order), upstream sets S_i as compressed sparse rows, and all
// parameters in one buffer [w | b]. Computing code reads only this; it is
// shared read-only by every worker while a mini-batch runs.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "dagprop/activation.hpp"
#include "dagprop/compile.hpp"
#include "dagprop/error.hpp"
#include "dagprop/unit.hpp"

namespace dagprop {

class Topology;  // topology.hpp; to_topology() needs it complete

// A stretch of consecutive units [first, last) computed together. A dense
// group's units all have exactly the sources [src_first, src_last), in order,
// so its weights form a row-major matrix and it runs as a matrix product.
struct Group {
  UnitId first = 0, last = 0;
  bool dense = false;
  UnitId src_first = 0, src_last = 0;
};

namespace detail {
// numeric_error: "<what> = <v> does not fit in <type> (largest magnitude ...)".
[[noreturn]] void value_does_not_fit(const std::string& what, double v, std::size_t bytes);

// v in precision U; a finite v beyond U's range (a double weight of 1e300 for
// float) is refused, naming `what()`, instead of becoming inf.
template <class U, class What>
U narrow(double v, const What& what) {
  if (std::isfinite(v) && std::fabs(v) > static_cast<double>(std::numeric_limits<U>::max()))
    value_does_not_fit(what(), v, sizeof(U));
  return static_cast<U>(v);
}
}  // namespace detail

template <class T>
class Network {
 public:
  using value_type = T;

  std::size_t num_units() const { return role_.size(); }
  std::size_t num_inputs() const { return num_inputs_; }
  std::size_t num_outputs() const { return outputs_.size(); }
  std::size_t num_connections() const { return source_.size(); }
  // Number of trainable values: weights plus biases of non-input units.
  std::size_t num_parameters() const { return num_connections() + num_units() - num_inputs(); }
  std::size_t num_levels() const { return num_levels_; }

  // Accessors by unit id; an id out of range throws invalid_argument.
  Role role(UnitId i) const { return role_[checked(i)]; }
  Activation activation(UnitId i) const { return activation_[checked(i)]; }
  std::size_t level(UnitId i) const { return level_[checked(i)]; }  // 0 for inputs
  const std::string& name(UnitId i) const { return name_[checked(i)]; }
  // The Topology vertex this unit came from.
  UnitId topology_id(UnitId i) const { return topology_id_[checked(i)]; }
  // The unit for a message, as Topology::label names its vertex: 'name'
  // (escaped) when it has one, else u<topology id>.
  std::string label(UnitId i) const;
  // Parameter k of the [w | b] buffer for a message: "the weight 'a' -> 'h'"
  // or "the bias of unit 'h'", units as label() names them.
  std::string parameter_label(std::size_t k) const;
  // Compiled id of output number k (inputs are 0..num_inputs-1 already).
  UnitId output(std::size_t k) const;
  const std::vector<UnitId>& outputs() const { return outputs_; }

  // S_i as connection indices c in [first(i), first(i + 1)): source(c) = j,
  // w()[c] = w_ij. Kernels read the raw arrays offsets() and sources().
  std::size_t first(UnitId i) const;  // i in [0, num_units]
  UnitId source(std::size_t c) const;
  // Raw arrays: sources() [num_connections], offsets() [num_units + 1],
  // activations() [num_units].
  const std::uint32_t* sources() const { return source_.data(); }
  const std::size_t* offsets() const { return first_.data(); }
  const Activation* activations() const { return activation_.data(); }

  // One parameter buffer with named views: w [num_connections], b [num_units].
  std::vector<T>& params() { return params_; }
  const std::vector<T>& params() const { return params_; }
  T* w() { return params_.data(); }
  const T* w() const { return params_.data(); }
  T* b() { return params_.data() + num_connections(); }
  const T* b() const { return params_.data() + num_connections(); }
  // w_ij by unit ids; throws invalid_argument when j -> i does not exist.
  T weight(UnitId j, UnitId i) const { return params_[connection(j, i)]; }
  void set_weight(UnitId j, UnitId i, T value) { params_[connection(j, i)] = value; }
  T bias(UnitId i) const { return b()[checked(i)]; }
  void set_bias(UnitId i, T value);  // throws for input units, which have no bias
  std::size_t connection(UnitId j, UnitId i) const;

  const std::vector<Group>& groups() const { return groups_; }
  // How the backward pass of sparse groups moves p (eq. 14) along their
  // connections j -> i. A unit j feeding many units of sparse groups (at
  // least compile.cpp's pull_min_fan_out) pulls their p_i at its turn: entries k in
  // [down_offsets()[j], down_offsets()[j + 1]) name such an i = down_units()[k]
  // and the connection c = down_connections()[k] (w()[c] = w_ij), i
  // descending. Into any other unit j, each sparse i pushes: its connections
  // c = push_connections()[k], k in [push_offsets()[i], push_offsets()[i + 1]),
  // ascending. Units of dense groups push by their products instead.
  const std::size_t* down_offsets() const { return down_first_.data(); }
  const std::uint32_t* down_units() const { return down_unit_.data(); }
  const std::size_t* down_connections() const { return down_connection_.data(); }
  const std::size_t* push_offsets() const { return push_first_.data(); }
  const std::size_t* push_connections() const { return push_connection_.data(); }
  // Whether no connection leaves unit i (D_i is empty).
  bool is_sink(UnitId i) const { return sink_[checked(i)] != 0; }

  // The same graph and values as an editable Topology (vertex ids as in the
  // Topology this network was compiled from).
  Topology to_topology() const;

  // Compiles a validated topology; throws topology_error when it is not valid.
  template <class U>
  friend Network<U> compile(const Topology& t);
  template <class U>
  friend class Network;

  // The same network in another precision; numeric_error naming the weight
  // or bias when a finite value does not fit U.
  template <class U>
  Network<U> cast() const;

 private:
  // i, or invalid_argument when out of range (inline: kernels call it per unit).
  std::size_t checked(UnitId i) const {
    if (i >= num_units()) out_of_range(i);
    return i;
  }
  [[noreturn]] void out_of_range(UnitId i) const;

  std::size_t num_inputs_ = 0, num_levels_ = 0;
  std::vector<Role> role_;                    // [num_units]
  std::vector<Activation> activation_;        // [num_units]
  std::vector<std::uint32_t> level_;          // [num_units]
  std::vector<std::string> name_;             // [num_units]
  std::vector<UnitId> topology_id_;           // [num_units]
  std::vector<UnitId> outputs_;               // [num_outputs]
  std::vector<std::size_t> first_;            // [num_units + 1]
  std::vector<std::uint32_t> source_;         // [num_connections], ascending within a unit
  std::vector<T> params_;                     // [num_connections + num_units]
  std::vector<Group> groups_;                 // the groups to compute, in topological order
  std::vector<std::size_t> down_first_;       // [num_units + 1]
  std::vector<std::uint32_t> down_unit_;      // [connections into sparse units pulled]
  std::vector<std::size_t> down_connection_;  // [the same]
  std::vector<std::size_t> push_first_;       // [num_units + 1]
  std::vector<std::size_t> push_connection_;  // [connections into sparse units not pulled]
  std::vector<char> sink_;                    // [num_units]: 1 when D_i is empty
};

template <class T>
std::string Network<T>::label(UnitId i) const {
  const UnitId k = checked(i);
  if (!name_[k].empty()) return "'" + printable(name_[k]) + "'";
  return "u" + std::to_string(topology_id_[k]);
}

template <class T>
std::string Network<T>::parameter_label(std::size_t k) const {
  const std::size_t W = num_connections();
  if (k >= params_.size())
    throw invalid_argument("parameter_label: no parameter " + std::to_string(k));
  if (k >= W) return "the bias of unit " + label(static_cast<UnitId>(k - W));
  const auto i = std::upper_bound(first_.begin(), first_.end(), k) - first_.begin() - 1;
  return "the weight " + label(source_[k]) + " -> " + label(static_cast<UnitId>(i));
}

template <class T>
template <class U>
Network<U> Network<T>::cast() const {
  Network<U> n;
  n.num_inputs_ = num_inputs_;
  n.num_levels_ = num_levels_;
  n.role_ = role_;
  n.activation_ = activation_;
  n.level_ = level_;
  n.name_ = name_;
  n.topology_id_ = topology_id_;
  n.outputs_ = outputs_;
  n.first_ = first_;
  n.source_ = source_;
  n.params_.resize(params_.size());
  for (UnitId i = 0; i < num_units(); ++i) {
    for (std::size_t c = first_[i]; c < first_[i + 1]; ++c)
      n.params_[c] = detail::narrow<U>(static_cast<double>(params_[c]), [&] {
        return "the weight on " + label(source_[c]) + " -> " + label(i);
      });
    n.b()[i] =
        detail::narrow<U>(static_cast<double>(b()[i]), [&] { return "the bias of " + label(i); });
  }
  n.groups_ = groups_;
  n.down_first_ = down_first_;
  n.down_unit_ = down_unit_;
  n.down_connection_ = down_connection_;
  n.push_first_ = push_first_;
  n.push_connection_ = push_connection_;
  n.sink_ = sink_;
  return n;
}

}  // namespace dagprop
