// compile(): Topology (Boost.Graph) -> Network (flat arrays). Units are
// ordered by level U_1..U_N (longest path from an input), inputs first, so
// that every unit comes after all of S_i, and a layer's units are adjacent.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <numeric>

#include <boost/graph/topological_sort.hpp>

#include "dagprop/error.hpp"
#include "dagprop/network.hpp"
#include "dagprop/topology.hpp"

namespace dagprop {

void detail::value_does_not_fit(const std::string& what, double v, std::size_t bytes) {
  char shortest[32];  // the fewest digits that read back to v
  *std::to_chars(shortest, shortest + sizeof shortest - 1, v).ptr = '\0';
  char buf[96];
  std::snprintf(buf, sizeof buf, " = %s does not fit in %s (largest magnitude %.9g)", shortest,
                bytes == sizeof(float) ? "float" : "double",
                bytes == sizeof(float) ? static_cast<double>(std::numeric_limits<float>::max())
                                       : std::numeric_limits<double>::max());
  throw numeric_error(what + buf + "; use double precision");
}

namespace {

// Groups with fewer multiply-adds per run than this run unit by unit.
constexpr std::size_t min_dense_size = 64;

// A unit feeding at least this many units of sparse groups pulls their p_i in
// the backward pass (one row of runs moved per connection, and its own p_j,
// y_j held in registers); below it, each of them pushes into p_j (three rows
// a connection, but no work per unit j). See Network::down_offsets().
// Measured: W3 the same at 1, 4 and 8; W2's output unit, whose 32 sources
// feed it alone, backward 1.2x faster pushing than each source pulling.
constexpr std::size_t pull_min_fan_out = 4;

std::vector<std::uint32_t> levels(const Topology& t) {
  const auto& g = t.graph();
  std::vector<UnitId> order;
  boost::topological_sort(g, std::back_inserter(order));  // reverse topological order
  // Level 0 is the inputs alone: a constant unit (empty S_i) is at level 1.
  std::vector<std::uint32_t> level(t.num_units(), 0);
  for (UnitId i = 0; i < t.num_units(); ++i)
    if (t.role(i) != Role::input) level[i] = 1;
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    for (auto [e, end] = boost::in_edges(*it, g); e != end; ++e)
      level[*it] = std::max(level[*it], level[boost::source(*e, g)] + 1);
  return level;
}

template <class T>
std::vector<Group> plan_groups(const Network<T>& n) {
  std::vector<Group> groups;
  UnitId i = n.num_inputs();
  while (i < n.num_units()) {
    const std::size_t c0 = n.first(i), c1 = n.first(i + 1);
    const UnitId j0 = c1 > c0 ? n.source(c0) : 0;
    const UnitId j1 = c1 > c0 ? n.source(c1 - 1) + 1 : 0;
    auto dense_like = [&](UnitId k) {  // sources exactly j0, j0 + 1, ..., j1 - 1
      const std::size_t k0 = n.first(k), k1 = n.first(k + 1);
      if (k1 - k0 != j1 - j0 || j1 == j0 || j1 > i) return false;
      for (std::size_t c = k0; c < k1; ++c)
        if (n.source(c) != j0 + (c - k0)) return false;
      return true;
    };
    UnitId last = i;
    if (dense_like(i))
      while (last < n.num_units() && dense_like(last)) ++last;
    if (last > i && (last - i) * (j1 - j0) >= min_dense_size && last - i >= 2) {
      groups.push_back(Group{i, last, true, j0, j1});
      i = last;
      continue;
    }
    if (!groups.empty() && !groups.back().dense)
      groups.back().last = i + 1;
    else
      groups.push_back(Group{i, i + 1, false, 0, 0});
    ++i;
  }
  return groups;
}

}  // namespace

template <class T>
void Network<T>::out_of_range(UnitId i) const {
  throw invalid_argument("unit id " + std::to_string(i) + " out of range (the network has " +
                         std::to_string(num_units()) + " units)");
}

template <class T>
UnitId Network<T>::output(std::size_t k) const {
  if (k >= outputs_.size())
    throw invalid_argument("output number " + std::to_string(k) +
                           " out of range (the network has " + std::to_string(outputs_.size()) +
                           " outputs)");
  return outputs_[k];
}

template <class T>
std::size_t Network<T>::first(UnitId i) const {
  if (i > num_units())
    throw invalid_argument("first: unit id " + std::to_string(i) +
                           " out of range (the network has " + std::to_string(num_units()) +
                           " units)");
  return first_[i];
}

template <class T>
UnitId Network<T>::source(std::size_t c) const {
  if (c >= source_.size())
    throw invalid_argument("source: connection " + std::to_string(c) +
                           " out of range (the network has " + std::to_string(source_.size()) +
                           " connections)");
  return source_[c];
}

template <class T>
void Network<T>::set_bias(UnitId i, T value) {
  if (role(i) == Role::input)
    throw invalid_argument("set_bias: unit u" + std::to_string(i) + " is an input and has no bias");
  b()[i] = value;
}

template <class T>
std::size_t Network<T>::connection(UnitId j, UnitId i) const {
  if (i >= num_units() || j >= num_units())
    throw invalid_argument("connection: unit id " + std::to_string(std::max(i, j)) +
                           " out of range (the network has " + std::to_string(num_units()) +
                           " units)");
  auto begin = source_.begin() + static_cast<std::ptrdiff_t>(first_[i]);
  auto end = source_.begin() + static_cast<std::ptrdiff_t>(first_[i + 1]);
  auto it = std::lower_bound(begin, end, j);
  if (it == end || *it != j)
    throw invalid_argument("connection: no connection u" + std::to_string(j) + " -> u" +
                           std::to_string(i));
  return static_cast<std::size_t>(it - source_.begin());
}

template <class T>
Network<T> compile(const Topology& t) {
  t.validate();
  const auto& g = t.graph();
  const std::size_t n = t.num_units();
  const auto level = levels(t);

  // Order: inputs by number, then by level, then outputs of a level by number
  // after its hidden units, then by Topology id.
  std::vector<UnitId> order(n);
  std::iota(order.begin(), order.end(), UnitId{0});
  auto key = [&](UnitId i) {
    const auto& u = g[i];
    const bool input = u.role == Role::input;
    return std::make_tuple(input ? 0u : 1u, level[i], u.role == Role::output ? 1 : 0,
                           u.role == Role::hidden ? i : u.index);
  };
  std::sort(order.begin(), order.end(), [&](UnitId a, UnitId b) { return key(a) < key(b); });
  std::vector<UnitId> compiled(n);
  for (UnitId k = 0; k < n; ++k) compiled[order[k]] = k;

  Network<T> net;
  net.num_inputs_ = t.num_inputs();
  net.role_.resize(n);
  net.activation_.resize(n);
  net.level_.resize(n);
  net.name_.resize(n);
  net.topology_id_ = order;
  net.outputs_.resize(t.num_outputs());
  net.first_.assign(n + 1, 0);
  net.params_.assign(t.num_connections() + n, T(0));
  net.source_.resize(t.num_connections());
  std::vector<std::pair<std::uint32_t, double>> s;
  for (UnitId k = 0; k < n; ++k) {
    const UnitId v = order[k];
    net.role_[k] = g[v].role;
    net.activation_[k] = g[v].role == Role::input ? Activation::identity : g[v].activation;
    net.level_[k] = level[v];
    net.name_[k] = g[v].name;
    if (g[v].role == Role::output) net.outputs_[g[v].index] = k;
    s.clear();
    for (auto [e, end] = boost::in_edges(v, g); e != end; ++e)
      s.emplace_back(static_cast<std::uint32_t>(compiled[boost::source(*e, g)]), g[*e].weight);
    std::sort(s.begin(), s.end());
    net.first_[k + 1] = net.first_[k] + s.size();
    for (std::size_t q = 0; q < s.size(); ++q) {
      net.source_[net.first_[k] + q] = s[q].first;
      net.params_[net.first_[k] + q] = detail::narrow<T>(s[q].second, [&] {
        return "the weight on " + t.label(order[s[q].first]) + " -> " + t.label(v);
      });
    }
    net.b()[k] = g[v].role == Role::input
                     ? T(0)
                     : detail::narrow<T>(g[v].bias, [&] { return "the bias of " + t.label(v); });
    net.num_levels_ = std::max<std::size_t>(net.num_levels_, level[v] + 1);
  }
  net.groups_ = plan_groups(net);
  // Each connection into a sparse unit i, by how its source j takes part in
  // eq. (14): j pulls (at least pull_min_fan_out such i) or i pushes.
  std::vector<std::size_t> fan_out(n, 0);
  for (const Group& group : net.groups_)
    if (!group.dense)
      for (std::size_t c = net.first(group.first); c < net.first(group.last); ++c)
        ++fan_out[net.source_[c]];
  const auto pulling = [&](UnitId j) { return fan_out[j] >= pull_min_fan_out; };
  const auto pulls = [&](std::size_t c) { return pulling(net.source_[c]); };
  net.down_first_.assign(n + 1, 0);
  net.push_first_.assign(n + 1, 0);
  for (UnitId j = 0; j < n; ++j)
    net.down_first_[j + 1] = net.down_first_[j] + (pulling(j) ? fan_out[j] : 0);
  net.down_unit_.resize(net.down_first_[n]);
  net.down_connection_.resize(net.down_first_[n]);
  std::vector<std::size_t> next(net.down_first_.begin(), net.down_first_.end() - 1);
  for (const Group& group : net.groups_)  // they cover the units after the inputs, in order
    for (UnitId i = group.first; i < group.last; ++i) {
      std::size_t pushed = 0;
      if (!group.dense)
        for (std::size_t c = net.first(i); c < net.first(i + 1); ++c)
          if (!pulls(c)) net.push_connection_.push_back(c), ++pushed;
      net.push_first_[i + 1] = net.push_first_[i] + pushed;
    }
  // D_j of the pulling units, filled with i descending
  for (auto group = net.groups_.rbegin(); group != net.groups_.rend(); ++group)
    if (!group->dense)
      for (UnitId i = group->last; i-- > group->first;)
        for (std::size_t c = net.first(i); c < net.first(i + 1); ++c)
          if (pulls(c)) {
            const std::size_t k = next[net.source_[c]]++;
            net.down_unit_[k] = static_cast<std::uint32_t>(i);
            net.down_connection_[k] = c;
          }
  net.sink_.assign(n, 1);
  for (const std::uint32_t j : net.source_) net.sink_[j] = 0;
  return net;
}

template <class T>
Topology Network<T>::to_topology() const {
  const std::size_t n = num_units();
  std::vector<UnitId> unit_of(n);  // topology id -> compiled id
  for (UnitId k = 0; k < n; ++k) unit_of[topology_id_[k]] = k;
  Topology t;
  for (UnitId v = 0; v < n; ++v) {
    const UnitId k = unit_of[v];
    UnitId id = role_[k] == Role::input
                    ? t.add_input(name_[k])
                    : t.add_unit(activation_[k], role_[k], name_[k], static_cast<double>(b()[k]));
    DAGPROP_ASSERT(id == v);
    if (role_[k] == Role::input) t.set_index(id, k);
  }
  for (std::size_t q = 0; q < outputs_.size(); ++q) t.set_index(topology_id_[outputs_[q]], q);
  for (UnitId v = 0; v < n; ++v) {
    const UnitId k = unit_of[v];
    for (std::size_t c = first_[k]; c < first_[k + 1]; ++c)
      t.connect(topology_id_[source_[c]], v, static_cast<double>(params_[c]));
  }
  return t;
}

template class Network<float>;
template class Network<double>;
template Network<float> compile<float>(const Topology&);
template Network<double> compile<double>(const Topology&);

}  // namespace dagprop
