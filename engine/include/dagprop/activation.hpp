// Activation functions f_i and their derivatives f'_i, one per unit (eq. 2).
// Everything about an activation lives here: its name, f, and f' (from x or
// from y, whichever the memo uses). A new activation is added to this file only.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dagprop {

enum class Activation : std::uint8_t { identity, sigmoid, tanh, relu, leaky_relu, softplus };

inline constexpr std::size_t num_activations = 6;
inline constexpr double leaky_relu_slope = 0.01;

// "identity", "sigmoid", "tanh", "relu", "leaky_relu", "softplus".
std::string_view to_string(Activation f);
// Inverse of to_string; throws invalid_argument naming the accepted names.
Activation parse_activation(std::string_view name);

// y = f(x), eq. (2).
template <class T>
inline T activate(Activation f, T x) {
  switch (f) {
    case Activation::identity:
      return x;
    case Activation::sigmoid:
      return T(1) / (T(1) + std::exp(-x));
    case Activation::tanh:
      return std::tanh(x);
    case Activation::relu:
      return x >= T(0) ? x : T(0);
    case Activation::leaky_relu:
      return x >= T(0) ? x : T(leaky_relu_slope) * x;
    case Activation::softplus:  // log(1 + e^x) without overflow
      return (x > T(0) ? x : T(0)) + std::log1p(std::exp(-std::abs(x)));
  }
  return x;
}

// v = f'(x), Algorithm 4, given both x and y = f(x).
template <class T>
inline T derivative(Activation f, T x, T y) {
  switch (f) {
    case Activation::identity:
      return T(1);
    case Activation::sigmoid:  // eq. (16)
      return y * (T(1) - y);
    case Activation::tanh:
      return T(1) - y * y;
    case Activation::relu:  // eq. (17)
      return x >= T(0) ? T(1) : T(0);
    case Activation::leaky_relu:
      return x >= T(0) ? T(1) : T(leaky_relu_slope);
    case Activation::softplus:  // the logistic function of x
      return T(1) / (T(1) + std::exp(-x));
  }
  return T(1);
}

// y[r] = f(x[r]) and v[r] = f'(x[r]) for r < n: one switch per array, not per value.
template <class T>
void activate_array(Activation f, const T* x, T* y, T* v, std::size_t n);

}  // namespace dagprop
