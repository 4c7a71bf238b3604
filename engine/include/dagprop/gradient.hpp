// Gradient buffers Δw, Δb (eq. 9-10), laid out as the network's parameters:
// [dw | db]. Each worker of a mini-batch owns one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "dagprop/network.hpp"

namespace dagprop {

template <class T>
struct Gradient {
  std::size_t num_connections = 0;
  std::vector<T> g;  // [num_connections + num_units]: dw then db

  Gradient() = default;
  explicit Gradient(const Network<T>& n)
      : num_connections(n.num_connections()), g(n.params().size(), T(0)) {}

  T* dw() { return g.data(); }
  const T* dw() const { return g.data(); }
  T* db() { return g.data() + num_connections; }
  const T* db() const { return g.data() + num_connections; }
  std::size_t size() const { return g.size(); }
};

// Algorithm 2, InitGrad: Δw_ij <- 0, Δb_i <- 0.
template <class T>
void init_grad(Gradient<T>& grad) {
  std::fill(grad.g.begin(), grad.g.end(), T(0));
}

// Algorithm 5, UpdateNN: w_ij <- w_ij - η Δw_ij, b_i <- b_i - η Δb_i (eq. 4-5).
template <class T>
void update_nn(Network<T>& net, const Gradient<T>& grad, T eta) {
  T* theta = net.params().data();
  for (std::size_t k = 0; k < grad.size(); ++k) theta[k] -= eta * grad.g[k];
}

}  // namespace dagprop
