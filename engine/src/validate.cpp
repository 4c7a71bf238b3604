// Topology::validate(): everything that would make compile() or training
// meaningless, reported with the units involved.
#include <algorithm>
#include <cmath>
#include <deque>
#include <set>

#include "dagprop/error.hpp"
#include "dagprop/topology.hpp"

namespace dagprop {

namespace {

// Returns the units of one cycle in forward order, or nothing when the graph
// is acyclic. Kahn's algorithm strips every unit not on or after a cycle; each
// unit left keeps an upstream unit that is also left, so walking upstream
// through left units must revisit one: that stretch is a cycle.
std::vector<UnitId> find_cycle(const Topology& t) {
  const auto& g = t.graph();
  const std::size_t n = t.num_units();
  std::vector<std::size_t> indegree(n, 0);
  for (UnitId i = 0; i < n; ++i) indegree[i] = boost::in_degree(i, g);
  std::deque<UnitId> ready;
  for (UnitId i = 0; i < n; ++i)
    if (indegree[i] == 0) ready.push_back(i);
  std::vector<bool> removed(n, false);
  while (!ready.empty()) {
    const UnitId j = ready.front();
    ready.pop_front();
    removed[j] = true;
    for (auto [e, end] = boost::out_edges(j, g); e != end; ++e)
      if (--indegree[boost::target(*e, g)] == 0) ready.push_back(boost::target(*e, g));
  }
  auto left = std::find(removed.begin(), removed.end(), false);
  if (left == removed.end()) return {};
  std::vector<std::size_t> seen_at(n, n);
  std::vector<UnitId> walk;
  UnitId i = static_cast<UnitId>(left - removed.begin());
  while (seen_at[i] == n) {
    seen_at[i] = walk.size();
    walk.push_back(i);
    for (auto [e, end] = boost::in_edges(i, g); e != end; ++e)
      if (!removed[boost::source(*e, g)]) {
        i = boost::source(*e, g);
        break;
      }
  }
  std::vector<UnitId> cycle(walk.begin() + static_cast<std::ptrdiff_t>(seen_at[i]), walk.end());
  std::reverse(cycle.begin(), cycle.end());
  return cycle;
}

void check_numbering(const Topology& t, Role role, std::size_t count) {
  std::vector<bool> used(count, false);
  for (UnitId i = 0; i < t.num_units(); ++i) {
    if (t.role(i) != role) continue;
    const std::size_t k = t.index(i);
    if (k >= count || used[k])
      throw topology_error("validate: " + std::string(to_string(role)) + " unit " + t.label(i) +
                           " has number " + std::to_string(k) + ", which is " +
                           (k >= count ? "out of range" : "taken by another unit") +
                           " (numbers must be 0.." + std::to_string(count - 1) + ")");
    used[k] = true;
  }
}

}  // namespace

void Topology::validate() const {
  if (num_inputs_ == 0) throw topology_error("validate: the network has no input unit");
  if (num_outputs_ == 0) throw topology_error("validate: the network has no output unit");
  for (UnitId i = 0; i < num_units(); ++i) {
    // Codes set by a cast (set_activation takes any value of the enum's type).
    if (!role_names.is_valid(g_[i].role))
      throw topology_error("validate: unit " + label(i) + " has role code " +
                           std::to_string(static_cast<int>(g_[i].role)) + ", which is not a role");
    if (static_cast<std::size_t>(g_[i].activation) >= num_activations)
      throw topology_error("validate: unit " + label(i) + " has activation code " +
                           std::to_string(static_cast<int>(g_[i].activation)) +
                           ", which is not an activation");
  }
  check_numbering(*this, Role::input, num_inputs_);
  check_numbering(*this, Role::output, num_outputs_);

  for (UnitId i = 0; i < num_units(); ++i) {
    std::set<UnitId> sources;
    for (auto [e, end] = boost::in_edges(i, g_); e != end; ++e) {
      const UnitId j = boost::source(*e, g_);
      if (j == i) throw topology_error("validate: unit " + label(i) + " is connected to itself");
      if (g_[i].role == Role::input)
        throw topology_error("validate: connection " + label(j) + " -> " + label(i) +
                             " enters an input unit");
      if (!sources.insert(j).second)
        throw topology_error("validate: duplicate connection " + label(j) + " -> " + label(i));
      if (!std::isfinite(g_[*e].weight))
        throw topology_error("validate: weight of " + label(j) + " -> " + label(i) +
                             " is not finite (" + std::to_string(g_[*e].weight) + ")");
    }
    if (g_[i].role != Role::input && !std::isfinite(g_[i].bias))
      throw topology_error("validate: bias of unit " + label(i) + " is not finite (" +
                           std::to_string(g_[i].bias) + ")");
  }

  if (auto cycle = find_cycle(*this); !cycle.empty()) {
    std::string path;
    for (UnitId i : cycle) path += label(i) + " -> ";
    throw topology_error("validate: the network has a cycle: " + path + label(cycle.front()));
  }
  // A hidden or output unit with an empty S_i is allowed: it is a constant
  // unit, x_i = b_i and y_i = f_i(b_i) (a NEAT bias neuron, an output no
  // connection reaches yet); every unit of a DAG is reached from an input or
  // from such a unit, so there is nothing more to check.
}

}  // namespace dagprop
