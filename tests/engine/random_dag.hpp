// Test helper: seeded random DAGs with skip connections across levels, mixed
// activations, outputs that also feed other units, and ids not in
// topological order, plus random data for them.
#pragma once

#include <algorithm>
#include <vector>

#include "dagprop/dagprop.hpp"

namespace dagprop::test {

struct RandomDag {
  Topology topology;
  std::vector<double> input, target;  // one run
};

inline RandomDag random_dag(std::uint64_t seed, Loss loss) {
  SplitMix64 rng(seed);
  const std::size_t n_in = 2 + rng.below(4), n_hidden = 3 + rng.below(10), n_out = 1 + rng.below(3);
  // Creation order is topological; ids are assigned in a shuffled order.
  const std::size_t n = n_in + n_hidden + n_out;
  std::vector<std::size_t> kinds(n);  // 0 input, 1 hidden, 2 output, in topological order
  for (std::size_t k = 0; k < n; ++k) kinds[k] = k < n_in ? 0 : 1;
  kinds[n - 1] = 2;  // the last unit is an output; the others anywhere after a hidden unit
  for (std::size_t q = 1; q < n_out; ++q) {
    std::size_t k;
    do k = n_in + 1 + rng.below(n - n_in - 2);
    while (kinds[k] == 2);
    kinds[k] = 2;
  }
  RandomDag d;
  std::vector<UnitId> id(n);
  std::vector<std::size_t> creation(n);
  for (std::size_t k = 0; k < n; ++k) creation[k] = k;
  for (std::size_t k = n; k > 1; --k) std::swap(creation[k - 1], creation[rng.below(k)]);
  // add units in shuffled order, inputs keep their number by topological position
  std::vector<std::size_t> input_number(n, 0), output_number(n, 0);
  std::size_t ni = 0, no = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (kinds[k] == 0) input_number[k] = ni++;
    if (kinds[k] == 2) output_number[k] = no++;
  }
  const Activation hidden_acts[] = {Activation::sigmoid,  Activation::tanh,
                                    Activation::relu,     Activation::leaky_relu,
                                    Activation::softplus, Activation::identity};
  for (std::size_t c : creation) {
    if (kinds[c] == 0) {
      id[c] = d.topology.add_input("in" + std::to_string(c));
    } else {
      Activation f = hidden_acts[rng.below(6)];
      if (kinds[c] == 2)
        f = loss == Loss::bce          ? Activation::sigmoid
            : loss == Loss::softmax_ce ? Activation::identity
                                       : hidden_acts[rng.below(6)];
      id[c] = d.topology.add_unit(f, kinds[c] == 2 ? Role::output : Role::hidden,
                                  "u" + std::to_string(c), rng.uniform(-0.5, 0.5));
    }
  }
  for (std::size_t k = 0; k < n; ++k) {
    if (kinds[k] == 0) d.topology.set_index(id[k], input_number[k]);
    if (kinds[k] == 2) d.topology.set_index(id[k], output_number[k]);
  }
  for (std::size_t k = n_in; k < n; ++k) {
    // at least one source; each earlier unit joins with probability 0.5
    std::vector<std::size_t> src;
    for (std::size_t j = 0; j < k; ++j)
      if (rng.uniform01() < 0.5) src.push_back(j);
    if (src.empty()) src.push_back(rng.below(k));
    for (std::size_t j : src) d.topology.connect(id[j], id[k], rng.uniform(-1.2, 1.2));
  }
  d.input.resize(n_in);
  for (auto& x : d.input) x = rng.uniform(-1.5, 1.5);
  d.target.resize(n_out);
  if (loss == Loss::softmax_ce) {  // a probability vector
    double s = 0;
    for (auto& t : d.target) s += (t = rng.uniform(0.1, 1.0));
    for (auto& t : d.target) t /= s;
  } else {
    for (auto& t : d.target) t = loss == Loss::bce ? rng.uniform01() : rng.uniform(-1, 1);
  }
  return d;
}

}  // namespace dagprop::test
