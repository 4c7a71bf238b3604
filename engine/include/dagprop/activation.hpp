// Activation functions f_i and their derivatives f'_i, one per unit (eq. 2).
// Everything about an activation lives here: its name, f, and f' (from x or
// from y, whichever is cheaper and exact). A new activation is appended to the
// enum (codes are stored in model files) and added to this file and
// activation.cpp only. Every f and f' is finite for every finite x (float too).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace dagprop {

// The codes are stored in model files: new activations go at the end.
enum class Activation : std::uint8_t {
  identity,
  sigmoid,
  tanh,
  relu,
  leaky_relu,
  softplus,
  elu,
  selu,
  silu,
  gelu,
  gaussian,
  sin,
  abs,
  hard_tanh,
  softsign,
  square,
  cube,
  exp,
  hat,
  lelu,
  neat_sin,
  neat_softplus,
  neat_sigmoid,
  neat_gauss
};

inline constexpr std::size_t num_activations = 24;
static_assert(static_cast<std::size_t>(Activation::neat_gauss) + 1 == num_activations);

inline constexpr double leaky_relu_slope = 0.01;
inline constexpr double lelu_slope = 0.005;  // NEAT-python's lelu
// exp, neat_sin, neat_softplus and neat_sigmoid clamp their argument to ±60 as
// NEAT-python does; neat_gauss clamps x to ±3.4.
inline constexpr double neat_clamp = 60.0;
inline constexpr double neat_gauss_clamp = 3.4;
// SELU's constants (Klambauer et al. 2017), as PyTorch writes them.
inline constexpr double selu_scale = 1.0507009873554804934193349852946;
inline constexpr double selu_alpha = 1.6732632423543772848170429916717;

// "identity", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "elu",
// "selu", "silu", "gelu", "gaussian", "sin", "abs", "hard_tanh", "softsign",
// "square", "cube", "exp", "hat", "lelu", "neat_sin", "neat_softplus",
// "neat_sigmoid", "neat_gauss".
std::string_view to_string(Activation f);
// Inverse of to_string, which also accepts NEAT-python's name "clamped" for
// hard_tanh and "swish" for silu; throws invalid_argument naming the accepted names.
Activation parse_activation(std::string_view name);

namespace detail {

// The logistic function σ(x) from e^-|x|, which cannot overflow.
template <class T>
inline T logistic(T x) {
  const T e = std::exp(-std::abs(x));
  return x >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
}

// Φ(x), the standard normal distribution function, as erfc(-x/√2)/2: erfc
// keeps Φ's relative accuracy in the left tail, where 1 + erf(x/√2) cancels.
template <class T>
inline T normal_cdf(T x) {
  return T(0.5) * std::erfc(T(-0.70710678118654752440) * x);
}

// |x| capped at 40, for e^(-x^2) and e^(-x^2/2): both are 0 there in double
// already, and x^2 cannot overflow (1e30^2 is inf in float).
template <class T>
inline T capped_abs(T x) {
  return std::min(std::abs(x), T(40));
}

// φ(x) = e^(-x^2/2) / √(2π), the standard normal density.
template <class T>
inline T normal_pdf(T x) {
  const T a = capped_abs(x);
  return T(0.39894228040143267794) * std::exp(T(-0.5) * a * a);
}

// x clamped to [-c, c].
template <class T>
inline T clamp_to(T x, T c) {
  return x < -c ? -c : x > c ? c : x;
}

// |x| capped where x^2 (x^3) is still finite in T, so that square and cube
// stay finite. In double that is about where NEAT-python's z ** 2 (z ** 3)
// raises OverflowError, so the cap changes nothing NEAT-python computes.
template <class T>
inline T square_cap() {
  if constexpr (std::is_same<T, float>::value)
    return 1.8e19f;
  else
    return T(1.3e154);
}
template <class T>
inline T cube_cap() {
  if constexpr (std::is_same<T, float>::value)
    return 6.9e12f;
  else
    return T(5.6e102);
}

// NEAT-python's sin, softplus and sigmoid of z, computed at z5 = 5z clamped to ±60.
template <class T>
inline T neat_z5(T x) {
  return clamp_to(T(5) * clamp_to(x, T(13)), T(neat_clamp));  // |x| <= 13 first: 5x cannot overflow
}

}  // namespace detail

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
    case Activation::elu:  // alpha = 1: e^x - 1 below 0
      return x >= T(0) ? x : std::expm1(x);
    case Activation::selu:  // scale (x, or alpha (e^x - 1) below 0)
      return x >= T(0) ? T(selu_scale) * x : T(selu_scale * selu_alpha) * std::expm1(x);
    case Activation::silu:  // x σ(x), also called swish
      return x * detail::logistic(x);
    case Activation::gelu:  // x Φ(x), exact (PyTorch's approximate='none')
      return x * detail::normal_cdf(x);
    case Activation::gaussian: {  // e^(-x^2). NEAT-python's "gauss" is e^(-5 z^2) with
      // z clamped to [-3.4, 3.4]: this one at x = √5 z, a scaling of w_ij and b_i.
      const T a = detail::capped_abs(x);
      return std::exp(-a * a);
    }
    case Activation::sin:
      return std::sin(x);
    case Activation::abs:
      return std::abs(x);
    case Activation::hard_tanh:  // x clamped to [-1, 1], NEAT-python's "clamped"
      return x < T(-1) ? T(-1) : x > T(1) ? T(1) : x;
    case Activation::softsign:
      return x / (T(1) + std::abs(x));
    case Activation::square: {
      const T c = detail::clamp_to(x, detail::square_cap<T>());
      return c * c;
    }
    case Activation::cube: {
      const T c = detail::clamp_to(x, detail::cube_cap<T>());
      return c * c * c;
    }
    case Activation::exp:  // e^x with x clamped to ±60 (NEAT-python's exp): finite in float
      return std::exp(detail::clamp_to(x, T(neat_clamp)));
    case Activation::hat:  // max(0, 1 - |x|), a triangle on [-1, 1]
      return std::abs(x) < T(1) ? T(1) - std::abs(x) : T(0);
    case Activation::lelu:  // leaky ReLU of slope 0.005 (NEAT-python's lelu)
      return x >= T(0) ? x : T(lelu_slope) * x;
    case Activation::neat_sin:  // NEAT-python's sin: sin(5x), 5x clamped to ±60
      return std::sin(detail::neat_z5(x));
    case Activation::neat_softplus: {  // NEAT-python's softplus: 0.2 log(1 + e^(5x)), 5x to ±60
      const T z = detail::neat_z5(x);
      return T(0.2) * ((z > T(0) ? z : T(0)) + std::log1p(std::exp(-std::abs(z))));
    }
    case Activation::neat_sigmoid:  // NEAT-python's sigmoid: 1 / (1 + e^-z), z = 5x clamped to ±60
      return T(1) / (T(1) + std::exp(-detail::neat_z5(x)));
    case Activation::neat_gauss: {  // NEAT-python's gauss: e^(-5 z^2), z = x clamped to ±3.4
      const T z = detail::clamp_to(x, T(neat_gauss_clamp));
      return std::exp(T(-5) * (z * z));
    }
  }
  return x;
}

// v = f'(x), Algorithm 4, given both x and y = f(x). At a kink the right-hand
// derivative, as for relu (eq. 17), except where f' is 0 at the kink (abs,
// hard_tanh), as PyTorch has it.
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
    case Activation::elu:  // from y: e^x = y + 1 below 0
      return x >= T(0) ? T(1) : y + T(1);
    case Activation::selu:  // from y: scale alpha e^x = y + scale alpha below 0
      return x >= T(0) ? T(selu_scale) : y + T(selu_scale * selu_alpha);
    case Activation::silu: {  // σ + x σ (1 - σ) = σ + y (1 - σ)
      const T s = detail::logistic(x);
      return s + y * (T(1) - s);
    }
    case Activation::gelu:  // Φ(x) + x φ(x)
      return detail::normal_cdf(x) + x * detail::normal_pdf(x);
    case Activation::gaussian:  // from y: -2 x e^(-x^2); x y first, as -2 x may overflow
      return T(-2) * (x * y);
    case Activation::sin:
      return std::cos(x);
    case Activation::abs:  // sign(x), 0 at 0
      return x > T(0) ? T(1) : x < T(0) ? T(-1) : T(0);
    case Activation::hard_tanh:  // 1 inside (-1, 1), 0 from ±1 on
      return x > T(-1) && x < T(1) ? T(1) : T(0);
    case Activation::softsign: {                // 1 / (1 + |x|)^2, squared after the division:
      const T d = T(1) / (T(1) + std::abs(x));  // (1 + |x|)^2 overflows in float
      return d * d;
    }
    case Activation::square:
      return T(2) * detail::clamp_to(x, detail::square_cap<T>());
    case Activation::cube: {
      const T c = detail::clamp_to(x, detail::cube_cap<T>());
      return T(3) * (c * c);
    }
    case Activation::exp:  // y inside (-60, 60), 0 from ±60 on (flat beyond the clamp)
      return x > T(-neat_clamp) && x < T(neat_clamp) ? y : T(0);
    case Activation::hat:  // -sign(x) inside (-1, 1), the right derivative -1 at 0
      return std::abs(x) < T(1) ? (x >= T(0) ? T(-1) : T(1)) : T(0);
    case Activation::lelu:
      return x >= T(0) ? T(1) : T(lelu_slope);
    case Activation::neat_sin:  // 5 cos(5x) inside (-12, 12), 0 from the clamp on
      return x > T(-neat_clamp / 5) && x < T(neat_clamp / 5) ? T(5) * std::cos(T(5) * x) : T(0);
    case Activation::neat_softplus:  // σ(5x) inside (-12, 12), 0 from the clamp on
      return x > T(-neat_clamp / 5) && x < T(neat_clamp / 5) ? detail::logistic(T(5) * x) : T(0);
    case Activation::neat_sigmoid: {  // 5 σ(5x) σ(-5x) inside (-12, 12), 0 from the clamp on:
      // from e = e^-|5x|, as 5 y (1 - y) would cancel to 0 where y rounds to 1
      if (!(x > T(-neat_clamp / 5) && x < T(neat_clamp / 5))) return T(0);
      const T e = std::exp(-std::abs(T(5) * x)), d = T(1) / (T(1) + e);
      return T(5) * (e * d * d);
    }
    case Activation::neat_gauss:  // -10 x y inside (-3.4, 3.4), 0 from the clamp on
      return x > T(-neat_gauss_clamp) && x < T(neat_gauss_clamp) ? T(-10) * (x * y) : T(0);
  }
  return T(1);
}

// y[r] = f(x[r]) and v[r] = f'(x[r]) for r < n: one switch per array, not per value.
template <class T>
void activate_array(Activation f, const T* x, T* y, T* v, std::size_t n);

}  // namespace dagprop
