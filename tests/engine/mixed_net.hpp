// Test helpers: a layered net with skip connections (both the dense and the
// sparse kernels take part), and seeded data for any net, one-hot or not.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dagprop/dagprop.hpp"

namespace dagprop::test {

// A layered net (dense groups) with extra skip connections (sparse units),
// initialised after the skips are added.
inline Topology mixed_topology() {
  // inputs 0..5, layer 1: 6..85, layer 2: 86..125, outputs 126..128
  Topology t = make_mlp({6, 80, 40, 3}, Activation::tanh, Activation::identity);
  t.connect(0, 127);   // input -> output
  t.connect(10, 126);  // layer 1 -> output, across a level
  t.connect(2, 100);   // input -> layer 2
  initialize(t, InitScheme::he_uniform, 5);
  return t;
}

template <class T>
Dataset<T> make_data(std::size_t rows, std::size_t n_in, std::size_t n_out, bool one_hot,
                     std::uint64_t seed) {
  SplitMix64 rng(seed);
  Dataset<T> d;
  d.num_inputs = n_in;
  d.num_targets = n_out;
  for (std::size_t r = 0; r < rows * n_in; ++r)
    d.inputs.push_back(static_cast<T>(rng.uniform(-1, 1)));
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t hot = rng.below(n_out);
    for (std::size_t k = 0; k < n_out; ++k)
      d.targets.push_back(one_hot ? T(k == hot ? 1 : 0) : static_cast<T>(rng.uniform(-1, 1)));
  }
  return d;
}

}  // namespace dagprop::test
