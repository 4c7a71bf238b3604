// Test helpers: every activation by code, and where each activation's f' jumps
// (a central difference must not straddle such a point).
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "dagprop/dagprop.hpp"

namespace dagprop::test {

using A = Activation;

inline std::vector<Activation> all_activations() {
  std::vector<Activation> all;
  for (std::size_t k = 0; k < num_activations; ++k) all.push_back(static_cast<Activation>(k));
  return all;
}

// Whether x is within `d` of a point where f' jumps (or, for elu, f'').
inline bool near_kink(Activation f, double x, double d) {
  switch (f) {
    case A::relu:
    case A::leaky_relu:
    case A::elu:
    case A::selu:
    case A::abs:
    case A::lelu:
      return std::abs(x) < d;
    case A::hard_tanh:
      return std::abs(std::abs(x) - 1) < d;
    case A::hat:
      return std::abs(x) < d || std::abs(std::abs(x) - 1) < d;
    case A::exp:
      return std::abs(std::abs(x) - 60) < d;
    case A::neat_sin:
    case A::neat_softplus:
    case A::neat_sigmoid:  // 5x clamped at ±60
      return std::abs(std::abs(x) - 12) < d;
    case A::neat_gauss:  // x clamped at ±3.4
      return std::abs(std::abs(x) - 3.4) < d;
    default:
      return false;
  }
}

}  // namespace dagprop::test
