// Gradient buffers Δw, Δb (eq. 9-10), laid out as the network's parameters:
// [dw | db]. Each worker of a mini-batch owns one.
#pragma once

#include <cstddef>
#include <vector>
#include "dagprop/aligned.hpp"

#include "dagprop/network.hpp"

namespace dagprop {

template <class T>
struct Gradient {
  std::size_t num_connections = 0;
  detail::AlignedVector<T> g;  // [num_connections + num_units]: dw then db

  Gradient() = default;
  explicit Gradient(const Network<T>& n)
      : num_connections(n.num_connections()), g(n.params().size(), T(0)) {}

  T* dw() { return g.data(); }
  const T* dw() const { return g.data(); }
  T* db() { return g.data() + num_connections; }
  const T* db() const { return g.data() + num_connections; }
  std::size_t size() const { return g.size(); }
};

}  // namespace dagprop
