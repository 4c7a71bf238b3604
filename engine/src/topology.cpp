// Building and editing a Topology. Validation is in validate.cpp.
#include "dagprop/topology.hpp"

#include <algorithm>
#include <array>
#include <deque>

#include "dagprop/error.hpp"

namespace dagprop {

std::string_view to_string(Role r) {
  return role_names.name_of(r);
}

Role parse_role(std::string_view name) {
  return role_names.read(name);
}

UnitId Topology::add_input(std::string name) {
  UnitProps u;
  u.role = Role::input;
  u.name = std::move(name);
  u.index = num_inputs_++;
  return boost::add_vertex(u, g_);
}

UnitId Topology::add_unit(Activation f, Role role, std::string name, double b) {
  if (role == Role::input) throw invalid_argument("add_unit: use add_input() for input units");
  if (!role_names.is_valid(role))
    throw invalid_argument("add_unit: role code " + std::to_string(static_cast<int>(role)) +
                           " is not a role");
  if (static_cast<std::size_t>(f) >= num_activations)
    throw invalid_argument("add_unit: activation code " + std::to_string(static_cast<int>(f)) +
                           " is not an activation");
  UnitProps u;
  u.role = role;
  u.activation = f;
  u.bias = b;
  u.name = std::move(name);
  if (role == Role::output) u.index = num_outputs_++;
  return boost::add_vertex(u, g_);
}

void Topology::connect(UnitId j, UnitId i, double w) {
  check_unit(j, "connect (upstream unit j)");
  check_unit(i, "connect (downstream unit i)");
  boost::add_edge(j, i, ConnectionProps{w}, g_);
}

void Topology::disconnect(UnitId j, UnitId i) {
  check_unit(j, "disconnect (upstream unit j)");
  check_unit(i, "disconnect (downstream unit i)");
  if (!boost::edge(j, i, g_).second)
    throw invalid_argument("disconnect: no connection " + label(j) + " -> " + label(i));
  boost::remove_edge(j, i, g_);
}

std::vector<UnitId> Topology::inputs() const {
  std::vector<UnitId> r(num_inputs_);
  for (UnitId i = 0; i < num_units(); ++i)
    if (g_[i].role == Role::input && g_[i].index < r.size()) r[g_[i].index] = i;
  return r;
}

std::vector<UnitId> Topology::outputs() const {
  std::vector<UnitId> r(num_outputs_);
  for (UnitId i = 0; i < num_units(); ++i)
    if (g_[i].role == Role::output && g_[i].index < r.size()) r[g_[i].index] = i;
  return r;
}

std::vector<UnitId> Topology::upstream(UnitId i) const {
  check_unit(i, "upstream");
  std::vector<UnitId> r;
  for (auto [e, end] = boost::in_edges(i, g_); e != end; ++e) r.push_back(boost::source(*e, g_));
  return r;
}

std::vector<UnitId> Topology::downstream(UnitId i) const {
  check_unit(i, "downstream");
  std::vector<UnitId> r;
  for (auto [e, end] = boost::out_edges(i, g_); e != end; ++e) r.push_back(boost::target(*e, g_));
  return r;
}

bool Topology::connected(UnitId j, UnitId i) const {
  check_unit(j, "connected");
  check_unit(i, "connected");
  return boost::edge(j, i, g_).second;
}

double Topology::weight(UnitId j, UnitId i) const {
  check_unit(j, "weight");
  check_unit(i, "weight");
  auto [e, found] = boost::edge(j, i, g_);
  if (!found) throw invalid_argument("weight: no connection " + label(j) + " -> " + label(i));
  return g_[e].weight;
}

void Topology::set_weight(UnitId j, UnitId i, double w) {
  check_unit(j, "set_weight");
  check_unit(i, "set_weight");
  auto [e, found] = boost::edge(j, i, g_);
  if (!found) throw invalid_argument("set_weight: no connection " + label(j) + " -> " + label(i));
  g_[e].weight = w;
}

std::vector<bool> Topology::reachable(const std::vector<UnitId>& from, Direction d) const {
  std::vector<bool> reached(num_units(), false);
  std::deque<UnitId> queue;
  for (UnitId i : from) {
    check_unit(i, "reachable");
    if (!reached[i]) reached[i] = true, queue.push_back(i);
  }
  const auto visit = [&](UnitId k) {
    if (!reached[k]) reached[k] = true, queue.push_back(k);
  };
  while (!queue.empty()) {
    const UnitId j = queue.front();
    queue.pop_front();
    if (d == Direction::downstream)
      for (auto [e, end] = boost::out_edges(j, g_); e != end; ++e) visit(boost::target(*e, g_));
    else
      for (auto [e, end] = boost::in_edges(j, g_); e != end; ++e) visit(boost::source(*e, g_));
  }
  return reached;
}

std::optional<UnitId> Topology::find(const std::string& name) const {
  for (UnitId i = 0; i < num_units(); ++i)
    if (g_[i].name == name) return i;
  return std::nullopt;
}

std::string Topology::label(UnitId i) const {
  if (i < num_units() && !g_[i].name.empty()) return "'" + printable(g_[i].name) + "'";
  return "u" + std::to_string(i);
}

UnitProps& Topology::unit(UnitId i) {
  check_unit(i, "unit");
  return g_[i];
}

const UnitProps& Topology::unit(UnitId i) const {
  check_unit(i, "unit");
  return g_[i];
}

void Topology::check_unit(UnitId i, const char* what) const {
  if (i >= num_units())
    throw invalid_argument(std::string(what) + ": unit id " + std::to_string(i) +
                           " out of range (the topology has " + std::to_string(num_units()) +
                           " units)");
}

std::vector<UnitId> add_dense_layer(Topology& t, const std::vector<UnitId>& from, std::size_t n,
                                    Activation f, Role role) {
  if (n == 0) throw invalid_argument("add_dense_layer: a layer needs at least one unit");
  if (n > max_units - std::min(max_units, t.num_units()))
    throw invalid_argument("add_dense_layer: " + std::to_string(n) + " more units exceed " +
                           std::to_string(max_units) + " units in all");
  // Checked before anything is added, so that a bad id leaves t as it was.
  for (UnitId j : from)
    if (j >= t.num_units())
      throw invalid_argument("add_dense_layer: unit id " + std::to_string(j) +
                             " out of range (the topology has " + std::to_string(t.num_units()) +
                             " units)");
  if (static_cast<std::size_t>(f) >= num_activations)
    throw invalid_argument("add_dense_layer: activation code " +
                           std::to_string(static_cast<int>(f)) + " is not an activation");
  if (role == Role::input)
    throw invalid_argument("add_dense_layer: a dense layer cannot be of input units");
  std::vector<UnitId> layer;
  layer.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const UnitId i = t.add_unit(f, role);
    for (UnitId j : from) t.connect(j, i);
    layer.push_back(i);
  }
  return layer;
}

Topology make_mlp(const std::vector<std::size_t>& sizes, Activation hidden, Activation output) {
  if (sizes.size() < 2)
    throw invalid_argument("make_mlp: need at least two sizes (inputs and outputs), got " +
                           std::to_string(sizes.size()));
  std::size_t units = 0;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    if (sizes[k] == 0)
      throw invalid_argument("make_mlp: layer " + std::to_string(k) + " has size 0");
    if (sizes[k] > max_units - units)
      throw invalid_argument("make_mlp: more than " + std::to_string(max_units) +
                             " units in all (layer " + std::to_string(k) + " has " +
                             std::to_string(sizes[k]) + ")");
    units += sizes[k];
  }
  Topology t;
  std::vector<UnitId> prev;
  for (std::size_t k = 0; k < sizes[0]; ++k) prev.push_back(t.add_input());
  for (std::size_t l = 1; l < sizes.size(); ++l) {
    const bool last = l + 1 == sizes.size();
    prev = add_dense_layer(t, prev, sizes[l], last ? output : hidden,
                           last ? Role::output : Role::hidden);
  }
  return t;
}

}  // namespace dagprop
