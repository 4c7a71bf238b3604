// Test helper: the case of tests/engine/reference/irprop_reference.py, a
// 2-2-1 DAG (h1 also reads h0, o also reads x0; tanh hidden, identity output),
// its six runs, and the script's iRPROP- results after twelve updates. The
// engine and command-line tests of iRPROP- check against it. No assertions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/optimizer.hpp"

namespace dagprop::test {

inline Topology irprop_topology() {
  Topology t;
  const UnitId x0 = t.add_input("x0"), x1 = t.add_input("x1");
  const UnitId h0 = t.add_unit(Activation::tanh, Role::hidden, "h0", 0.1);
  const UnitId h1 = t.add_unit(Activation::tanh, Role::hidden, "h1", -0.2);
  const UnitId o = t.add_output(Activation::identity, "o", 0.05);
  t.connect(x0, h0, 0.3), t.connect(x1, h0, -0.5), t.connect(x1, h1, 0.8);
  t.connect(h0, h1, 0.6), t.connect(h0, o, 0.7), t.connect(h1, o, -0.4), t.connect(x0, o, 0.25);
  return t;
}

// The script's parameter order as indices into net.params(): w(x0->h0),
// w(x1->h0), w(x1->h1), w(h0->h1), w(h0->o), w(h1->o), w(x0->o), b(h0), b(h1), b(o).
template <class T>
std::vector<std::size_t> irprop_order(const Network<T>& net) {
  std::map<std::string, UnitId> id;
  for (UnitId i = 0; i < net.num_units(); ++i) id[net.name(i)] = i;
  const auto w = [&](const char* j, const char* i) { return net.connection(id.at(j), id.at(i)); };
  const auto b = [&](const char* i) { return net.num_connections() + id.at(i); };
  return {w("x0", "h0"), w("x1", "h0"), w("x1", "h1"), w("h0", "h1"), w("h0", "o"),
          w("h1", "o"),  w("x0", "o"),  b("h0"),       b("h1"),       b("o")};
}

// Rows x0, x1, t.
inline const std::vector<std::vector<double>> irprop_rows = {{0.5, -1.0, 0.3},   {1.5, 0.3, -0.6},
                                                             {-0.7, 0.9, 0.9},   {0.2, 0.4, 0.1},
                                                             {-1.2, -0.6, -0.4}, {0.9, 1.1, 0.7}};

template <class T>
Dataset<T> irprop_data() {
  Dataset<T> d;
  d.num_inputs = 2, d.num_targets = 1;
  for (const auto& r : irprop_rows) {
    d.inputs.push_back(static_cast<T>(r[0])), d.inputs.push_back(static_cast<T>(r[1]));
    d.targets.push_back(static_cast<T>(r[2]));
  }
  return d;
}

// The script's constants: Δ0 0.1, η+ 1.2, η- 0.5, Δmin 0.02, Δmax 0.15.
inline OptimizerOptions irprop_options() {
  OptimizerOptions o;
  o.name = "irprop-";
  o.rprop_delta0 = 0.1, o.rprop_increase = 1.2, o.rprop_decrease = 0.5;
  o.rprop_delta_min = 0.02, o.rprop_delta_max = 0.15;
  return o;
}

// Printed by tests/engine/reference/irprop_reference.py: per batch size,
// θ, Δ and g' after twelve updates, in the script's order. Along the way the
// full batch (6) flipped a sign 29 times and reached Δmax 11 and Δmin 6
// times; batches of 2 in data order: 40 flips, 3 and 16.
inline const std::map<std::size_t, std::vector<std::vector<double>>> irprop_reference = {
    {6,
     {{-0.18006399999999997, 0.29649999999999993, 0.64006000000000007, 1.4754999999999998,
       0.29399999999999987, 0.47999999999999993, -0.042575999999999989, 0.058200000000000036,
       -0.42359840000000004, 0.15380000000000002},
      {0.031103999999999993, 0.02, 0.077759999999999996, 0.053999999999999999, 0.027,
       0.053999999999999999, 0.031103999999999993, 0.024, 0.049766400000000002,
       0.028799999999999999},
      {0.061058521334689447, -0.052201670571749681, -0.090265746929842447, -0.025494971364507985,
       0.047902812345445703, 0.037648579128655324, -0.19195006178156479, 0.1201400726144235,
       0.12186186179997054, -0.38109583703489414}}},
    {2,
     {{0.33871999999999997, -0.193, 0.12553600000000009, 1.1205000000000001, 0.17949999999999997,
       -0.45900000000000007, -0.22871999999999998, -0.0080000000000000036, -0.29300000000000004,
       0.034999999999999989},
      {0.02, 0.027, 0.031103999999999993, 0.02, 0.02, 0.02, 0.02, 0.024, 0.024, 0.02},
      {0, 0.38768708499228283, 0.59910436181068616, 0, 0, 0, 0, 0.14324942635209792,
       0.10645473653406368, 0.097757563598482977}}},
};

}  // namespace dagprop::test
