// Structural edits on a Topology (see edit.hpp). Every check comes before the
// first change, so that a refused edit leaves the topology as it was. Units are
// removed by rebuilding the topology without them, in the same id order.
#include "dagprop/edit.hpp"

#include <charconv>
#include <cmath>
#include <deque>
#include <initializer_list>
#include <set>
#include <sstream>

#include "dagprop/error.hpp"

namespace dagprop {

namespace {

void check_ids(const Topology& t, std::initializer_list<UnitId> ids, const std::string& what) {
  for (UnitId k : ids)
    if (k >= t.num_units())
      throw invalid_argument(what + ": unit id " + std::to_string(k) +
                             " out of range (the topology has " + std::to_string(t.num_units()) +
                             " units)");
}

// "'a' -> 'b' -> u3".
std::string chain(const Topology& t, const std::vector<UnitId>& units) {
  std::string s;
  for (UnitId k : units) s += (s.empty() ? "" : " -> ") + t.label(k);
  return s;
}

// The units of one path from -> ... -> to (just {from} when from == to), or
// nothing when there is none. Breadth first, so the path is a shortest one.
std::vector<UnitId> find_path(const Topology& t, UnitId from, UnitId to) {
  const auto& g = t.graph();
  std::vector<UnitId> parent(t.num_units(), t.num_units());
  std::deque<UnitId> queue{from};
  parent[from] = from;
  while (!queue.empty() && parent[to] == t.num_units()) {
    const UnitId j = queue.front();
    queue.pop_front();
    for (auto [e, end] = boost::out_edges(j, g); e != end; ++e)
      if (parent[boost::target(*e, g)] == t.num_units())
        parent[boost::target(*e, g)] = j, queue.push_back(boost::target(*e, g));
  }
  if (parent[to] == t.num_units()) return {};
  std::vector<UnitId> path{to};
  while (path.back() != from) path.push_back(parent[path.back()]);
  return {path.rbegin(), path.rend()};
}

void check_activation(Activation f, const std::string& what) {
  if (static_cast<std::size_t>(f) >= num_activations)
    throw invalid_argument(what + ": activation code " + std::to_string(static_cast<int>(f)) +
                           " is not an activation");
}

void check_new_name(const Topology& t, const std::string& name, const std::string& what) {
  if (name.empty()) return;
  if (const auto k = t.find(name))
    throw invalid_argument(what + ": the name '" + name + "' is taken by unit " +
                           std::to_string(*k));
}

// Why j -> i cannot be added to t, or nothing when it can. The ids are valid.
void check_new_connection(const Topology& t, UnitId j, UnitId i, const std::string& what) {
  const std::string c = t.label(j) + " -> " + t.label(i);
  if (j == i) throw topology_error(what + ": " + c + " would connect a unit to itself");
  if (t.role(i) == Role::input)
    throw topology_error(what + ": " + c + " would enter the input unit " + t.label(i) +
                         ", which has no upstream units");
  if (t.connected(j, i)) {
    std::ostringstream m;
    m << what << ": " << c << " exists already (w = " << t.weight(j, i) << ")";
    throw topology_error(m.str());
  }
  if (const auto back = find_path(t, i, j); !back.empty())
    throw topology_error(what + ": " + c + " would close the cycle " + chain(t, back) + " -> " +
                         t.label(i));
}

// t without the units whose `keep` is false (and their connections), in the
// same order; every unit, input and output keeps its name, values and number.
Topology keep_units(const Topology& t, const std::vector<bool>& keep) {
  const auto& g = t.graph();
  Topology r;
  std::vector<UnitId> id(t.num_units(), 0);  // old id -> new id
  for (UnitId v = 0; v < t.num_units(); ++v) {
    if (!keep[v]) continue;
    const UnitProps& u = g[v];
    id[v] = u.role == Role::input ? r.add_input(u.name)
                                  : r.add_unit(u.activation, u.role, u.name, u.bias);
    r.set_index(id[v], u.index);
  }
  for (UnitId v = 0; v < t.num_units(); ++v)
    if (keep[v])
      for (auto [e, end] = boost::in_edges(v, g); e != end; ++e)
        if (keep[boost::source(*e, g)]) r.connect(id[boost::source(*e, g)], id[v], g[*e].weight);
  return r;
}

}  // namespace

WeightSource::WeightSource(InitScheme scheme, std::uint64_t seed) : scheme_(scheme), rng_(seed) {
  if (!init_scheme_names.is_valid(scheme))
    throw invalid_argument("WeightSource: scheme code " + std::to_string(static_cast<int>(scheme)) +
                           " is not an initialisation scheme");
}

UnitId find_unit(const Topology& t, const std::string& name_or_id) {
  if (name_or_id.empty()) throw invalid_argument("find_unit: the unit's name is empty");
  std::vector<UnitId> named;
  for (UnitId k = 0; k < t.num_units(); ++k)
    if (t.name(k) == name_or_id) named.push_back(k);
  if (named.size() == 1) return named.front();
  if (named.size() > 1) {
    std::string ids;
    for (UnitId k : named) ids += (ids.empty() ? "" : ", ") + std::to_string(k);
    throw invalid_argument("find_unit: the name '" + name_or_id + "' is shared by units " + ids +
                           "; name one of them by its id");
  }
  const std::size_t skip = name_or_id[0] == 'u' ? 1 : 0;
  const char* first = name_or_id.data() + skip;
  const char* last = name_or_id.data() + name_or_id.size();
  UnitId k = 0;
  const auto [end, ec] = std::from_chars(first, last, k);
  if (first != last && ec == std::errc() && end == last && k < t.num_units()) return k;
  throw invalid_argument("find_unit: no unit is named '" + name_or_id +
                         "', nor is it the id (N or uN) of one of the " +
                         std::to_string(t.num_units()) + " units");
}

void add_connection(Topology& t, UnitId j, UnitId i, double w) {
  check_ids(t, {j, i}, "add_connection");
  check_new_connection(t, j, i, "add_connection");
  t.connect(j, i, w);
}

void add_connection(Topology& t, UnitId j, UnitId i, WeightSource& weights) {
  add_connection(t, j, i, 0.0);
  t.set_weight(j, i, weights.draw(t, i));
}

double remove_connection(Topology& t, UnitId j, UnitId i) {
  check_ids(t, {j, i}, "remove_connection");
  if (!t.connected(j, i))
    throw invalid_argument("remove_connection: there is no connection " + t.label(j) + " -> " +
                           t.label(i));
  const double w = t.weight(j, i);
  t.disconnect(j, i);
  return w;
}

UnitId add_unit(Topology& t, const NewUnit& u, WeightSource* weights) {
  const std::string label =
      u.name.empty() ? "u" + std::to_string(t.num_units()) : "'" + u.name + "'";
  const std::string what = "add_unit " + label;
  check_activation(u.activation, what);
  check_new_name(t, u.name, what);
  if (!std::isfinite(u.bias)) throw invalid_argument(what + ": the bias is not finite");
  std::set<UnitId> from, to;
  for (const auto* links : {&u.from, &u.to})
    for (const Link& l : *links) {
      const bool upstream = links == &u.from;
      check_ids(t, {l.unit}, what);
      if (!(upstream ? from : to).insert(l.unit).second)
        throw topology_error(what + ": " + t.label(l.unit) + " is given twice as " +
                             (upstream ? "an upstream" : "a downstream") + " unit");
      if (l.w && !std::isfinite(*l.w))
        throw invalid_argument(what + ": the weight given with " + t.label(l.unit) +
                               " is not finite");
      if (!l.w && !weights)
        throw invalid_argument(what + ": no weight given with " + t.label(l.unit) +
                               " and no WeightSource to draw one");
      if (!upstream && t.role(l.unit) == Role::input)
        throw topology_error(what + ": " + t.label(l.unit) +
                             " is an input unit, which has no upstream units");
    }
  const auto below = t.reachable({to.begin(), to.end()}, Topology::Direction::downstream);
  for (UnitId i : to)
    for (UnitId j : from)
      if (const auto back = below[j] ? find_path(t, i, j) : std::vector<UnitId>(); !back.empty())
        throw topology_error(what + ": from " + t.label(j) + " and to " + t.label(i) +
                             " it would close the cycle " + label + " -> " + chain(t, back) +
                             " -> " + label);
  const UnitId n = t.add_unit(u.activation, Role::hidden, u.name, u.bias);
  for (const Link& l : u.from) t.connect(l.unit, n, l.w.value_or(0.0));
  for (const Link& l : u.to) t.connect(n, l.unit, l.w.value_or(0.0));
  for (const Link& l : u.from)
    if (!l.w) t.set_weight(l.unit, n, weights->draw(t, n));
  for (const Link& l : u.to)
    if (!l.w) t.set_weight(n, l.unit, weights->draw(t, l.unit));
  return n;
}

UnitId split_connection(Topology& t, UnitId j, UnitId i, Activation f, std::string name) {
  check_ids(t, {j, i}, "split_connection");
  const std::string what = "split_connection " + t.label(j) + " -> " + t.label(i);
  if (!t.connected(j, i)) throw invalid_argument(what + ": there is no such connection");
  check_activation(f, what);
  check_new_name(t, name, what);
  const double w = t.weight(j, i);
  const UnitId n = t.add_unit(f, Role::hidden, std::move(name), 0.0);
  t.disconnect(j, i);
  t.connect(j, n, 1.0);
  t.connect(n, i, w);
  return n;
}

void change_activation(Topology& t, UnitId i, Activation f) {
  check_ids(t, {i}, "change_activation");
  const std::string what = "change_activation " + t.label(i);
  if (t.role(i) == Role::input)
    throw invalid_argument(what + ": an input unit has no activation (y = x)");
  check_activation(f, what);
  t.set_activation(i, f);
}

void remove_unit(Topology& t, UnitId i) {
  check_ids(t, {i}, "remove_unit");
  if (t.role(i) != Role::hidden)
    throw invalid_argument("remove_unit " + t.label(i) + ": it is an " +
                           std::string(to_string(t.role(i))) +
                           " unit; only hidden units can be removed (the inputs and outputs "
                           "are kept)");
  std::vector<bool> keep(t.num_units(), true);
  keep[i] = false;
  t = keep_units(t, keep);
}

PruneReport prune(Topology& t, double threshold) {
  std::ostringstream m;
  m << "prune below " << threshold << ": ";
  if (!std::isfinite(threshold) || threshold < 0)
    throw invalid_argument(m.str() + "the threshold must be finite and at least 0");
  const auto& g = t.graph();
  Topology cut = t;
  for (UnitId i = 0; i < t.num_units(); ++i)
    for (auto [e, end] = boost::in_edges(i, g); e != end; ++e)
      if (std::abs(g[*e].weight) < threshold && cut.connected(boost::source(*e, g), i))
        cut.disconnect(boost::source(*e, g), i);
  // A hidden unit that had no sources before the prune is a constant (NEAT's
  // bias neuron): like an input it starts paths, and it stays.
  std::vector<UnitId> sources = t.inputs();
  for (UnitId k = 0; k < t.num_units(); ++k)
    if (t.role(k) == Role::hidden && boost::in_degree(k, g) == 0) sources.push_back(k);
  const auto from_source = cut.reachable(sources, Topology::Direction::downstream);
  const auto to_output = cut.reachable(cut.outputs(), Topology::Direction::upstream);
  const auto from_input_before = t.reachable(t.inputs(), Topology::Direction::downstream);
  const auto from_input = cut.reachable(cut.inputs(), Topology::Direction::downstream);
  std::string unreached;
  for (UnitId o : cut.outputs())
    if (from_input_before[o] && !from_input[o])
      unreached += (unreached.empty() ? "" : ", ") + cut.label(o);
  if (!unreached.empty())
    throw topology_error(m.str() + "no input would reach the output(s) " + unreached +
                         " any more (every path from an input has a weight below the threshold)");
  PruneReport r;
  std::vector<bool> keep(t.num_units(), true);
  for (UnitId k = 0; k < t.num_units(); ++k)
    if (t.role(k) == Role::hidden && !(from_source[k] && to_output[k])) {
      keep[k] = false;
      r.units_removed.push_back(t.label(k));
    }
  Topology pruned = keep_units(cut, keep);
  r.connections_removed = t.num_connections() - pruned.num_connections();
  t = std::move(pruned);
  return r;
}

}  // namespace dagprop
