// Activation functions f_i and their derivatives f'_i, one per unit (eq. 2).
// Each activation is one Fn specialisation below: its name, f, f' (from x, y
// or both, whichever is cheaper and exact) and, where it has one, its own
// vectorised array form. activate, derivative, activate_array and the name
// table reach every Fn through one dispatch (with_fn). Every f and f' is
// finite for every finite x (float too).
//
// A new activation: its code at the end of the enum (codes are stored in model
// files) and its Fn here; nothing else in the engine. Foreign formats map
// activations in their own tables, which a new activation may join: the C
// export (io/src/c_export.cpp), NEAT-python's names (io/src/neat_json.cpp) and
// FANN's activations (io/src/fann_common.hpp, io/src/fann_write.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "dagprop/enum_names.hpp"

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

inline constexpr double leaky_relu_slope = 0.01;
inline constexpr double lelu_slope = 0.005;  // NEAT-python's lelu
// exp, neat_sin, neat_softplus and neat_sigmoid clamp their argument to ±60 as
// NEAT-python does; neat_gauss clamps x to ±3.4.
inline constexpr double neat_clamp = 60.0;
inline constexpr double neat_gauss_clamp = 3.4;
// SELU's constants (Klambauer et al. 2017), as PyTorch writes them.
inline constexpr double selu_scale = 1.0507009873554804934193349852946;
inline constexpr double selu_alpha = 1.6732632423543772848170429916717;

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

// What f' is computed from: x only (or nothing), y only, or both.
enum class Reads : std::uint8_t { x, y, x_and_y };

// One activation: its name (the text form of its code), f (eq. 2), f' (given
// both x and y = f(x); Algorithm 4), and which of x and y f' reads. At a kink
// the right-hand derivative, as for relu (eq. 17), except where f' is 0 at the
// kink (abs, hard_tanh), as PyTorch has it. An Fn with a vectorised form of its
// own declares `static void array(const T* x, T* y, T* v, std::size_t n)` for
// that T (defined in activation.cpp); the others get the loop over f and df.
template <Activation A>
struct Fn;

template <>
struct Fn<Activation::identity> {
  static constexpr std::string_view name = "identity";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {
    return x;
  }
  template <class T>
  static T df(T, T) {
    return T(1);
  }
};

template <>
struct Fn<Activation::sigmoid> {
  static constexpr std::string_view name = "sigmoid";
  static constexpr Reads reads = Reads::y;
  template <class T>
  static T f(T x) {
    return T(1) / (T(1) + std::exp(-x));
  }
  template <class T>
  static T df(T, T y) {  // eq. (16)
    return y * (T(1) - y);
  }
  static void array(const float* x, float* y, float* v, std::size_t n);
};

template <>
struct Fn<Activation::tanh> {
  static constexpr std::string_view name = "tanh";
  static constexpr Reads reads = Reads::y;
  template <class T>
  static T f(T x) {
    return std::tanh(x);
  }
  template <class T>
  static T df(T, T y) {
    return T(1) - y * y;
  }
  static void array(const float* x, float* y, float* v, std::size_t n);
};

template <>
struct Fn<Activation::relu> {
  static constexpr std::string_view name = "relu";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {
    return x >= T(0) ? x : T(0);
  }
  template <class T>
  static T df(T x, T) {  // eq. (17)
    return x >= T(0) ? T(1) : T(0);
  }
};

// A leaky ReLU: x above 0, slope * x below; leaky_relu and NEAT's lelu differ
// only in the slope.
template <const double& slope>
struct LeakyFn {
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {
    return x >= T(0) ? x : T(slope) * x;
  }
  template <class T>
  static T df(T x, T) {
    return x >= T(0) ? T(1) : T(slope);
  }
};

template <>
struct Fn<Activation::leaky_relu> : LeakyFn<leaky_relu_slope> {
  static constexpr std::string_view name = "leaky_relu";
};

template <>
struct Fn<Activation::softplus> {
  static constexpr std::string_view name = "softplus";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {  // log(1 + e^x) without overflow
    return (x > T(0) ? x : T(0)) + std::log1p(std::exp(-std::abs(x)));
  }
  template <class T>
  static T df(T x, T) {  // the logistic function of x
    return T(1) / (T(1) + std::exp(-x));
  }
};

template <>
struct Fn<Activation::elu> {
  static constexpr std::string_view name = "elu";
  static constexpr Reads reads = Reads::x_and_y;
  template <class T>
  static T f(T x) {  // alpha = 1: e^x - 1 below 0
    return x >= T(0) ? x : std::expm1(x);
  }
  template <class T>
  static T df(T x, T y) {  // from y: e^x = y + 1 below 0
    return x >= T(0) ? T(1) : y + T(1);
  }
};

template <>
struct Fn<Activation::selu> {
  static constexpr std::string_view name = "selu";
  static constexpr Reads reads = Reads::x_and_y;
  template <class T>
  static T f(T x) {  // scale (x, or alpha (e^x - 1) below 0)
    return x >= T(0) ? T(selu_scale) * x : T(selu_scale * selu_alpha) * std::expm1(x);
  }
  template <class T>
  static T df(T x, T y) {  // from y: scale alpha e^x = y + scale alpha below 0
    return x >= T(0) ? T(selu_scale) : y + T(selu_scale * selu_alpha);
  }
};

template <>
struct Fn<Activation::silu> {
  static constexpr std::string_view name = "silu";
  static constexpr Reads reads = Reads::x_and_y;
  template <class T>
  static T f(T x) {  // x σ(x), also called swish
    return x * detail::logistic(x);
  }
  template <class T>
  static T df(T x, T y) {  // σ + x σ (1 - σ) = σ + y (1 - σ)
    const T s = detail::logistic(x);
    return s + y * (T(1) - s);
  }
};

template <>
struct Fn<Activation::gelu> {
  static constexpr std::string_view name = "gelu";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {  // x Φ(x), exact (PyTorch's approximate='none')
    return x * detail::normal_cdf(x);
  }
  template <class T>
  static T df(T x, T) {  // Φ(x) + x φ(x)
    return detail::normal_cdf(x) + x * detail::normal_pdf(x);
  }
};

template <>
struct Fn<Activation::gaussian> {
  static constexpr std::string_view name = "gaussian";
  static constexpr Reads reads = Reads::x_and_y;
  template <class T>
  static T f(T x) {  // e^(-x^2). NEAT-python's "gauss" is e^(-5 z^2) with
    // z clamped to [-3.4, 3.4]: this one at x = √5 z, a scaling of w_ij and b_i.
    const T a = detail::capped_abs(x);
    return std::exp(-a * a);
  }
  template <class T>
  static T df(T x, T y) {  // from y: -2 x e^(-x^2); x y first, as -2 x may overflow
    return T(-2) * (x * y);
  }
};

template <>
struct Fn<Activation::sin> {
  static constexpr std::string_view name = "sin";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {
    return std::sin(x);
  }
  template <class T>
  static T df(T x, T) {
    return std::cos(x);
  }
};

template <>
struct Fn<Activation::abs> {
  static constexpr std::string_view name = "abs";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {
    return std::abs(x);
  }
  template <class T>
  static T df(T x, T) {  // sign(x), 0 at 0
    return x > T(0) ? T(1) : x < T(0) ? T(-1) : T(0);
  }
};

template <>
struct Fn<Activation::hard_tanh> {
  static constexpr std::string_view name = "hard_tanh";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {  // x clamped to [-1, 1], NEAT-python's "clamped"
    return x < T(-1) ? T(-1) : x > T(1) ? T(1) : x;
  }
  template <class T>
  static T df(T x, T) {  // 1 inside (-1, 1), 0 from ±1 on
    return x > T(-1) && x < T(1) ? T(1) : T(0);
  }
};

template <>
struct Fn<Activation::softsign> {
  static constexpr std::string_view name = "softsign";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {
    return x / (T(1) + std::abs(x));
  }
  template <class T>
  static T df(T x, T) {                       // 1 / (1 + |x|)^2, squared after the division:
    const T d = T(1) / (T(1) + std::abs(x));  // (1 + |x|)^2 overflows in float
    return d * d;
  }
};

template <>
struct Fn<Activation::square> {
  static constexpr std::string_view name = "square";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {
    const T c = detail::clamp_to(x, detail::square_cap<T>());
    return c * c;
  }
  template <class T>
  static T df(T x, T) {
    return T(2) * detail::clamp_to(x, detail::square_cap<T>());
  }
};

template <>
struct Fn<Activation::cube> {
  static constexpr std::string_view name = "cube";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {
    const T c = detail::clamp_to(x, detail::cube_cap<T>());
    return c * c * c;
  }
  template <class T>
  static T df(T x, T) {
    const T c = detail::clamp_to(x, detail::cube_cap<T>());
    return T(3) * (c * c);
  }
};

template <>
struct Fn<Activation::exp> {
  static constexpr std::string_view name = "exp";
  static constexpr Reads reads = Reads::x_and_y;
  template <class T>
  static T f(T x) {  // e^x with x clamped to ±60 (NEAT-python's exp): finite in float
    return std::exp(detail::clamp_to(x, T(neat_clamp)));
  }
  template <class T>
  static T df(T x, T y) {  // y inside (-60, 60), 0 from ±60 on (flat beyond the clamp)
    return x > T(-neat_clamp) && x < T(neat_clamp) ? y : T(0);
  }
};

template <>
struct Fn<Activation::hat> {
  static constexpr std::string_view name = "hat";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {  // max(0, 1 - |x|), a triangle on [-1, 1]
    return std::abs(x) < T(1) ? T(1) - std::abs(x) : T(0);
  }
  template <class T>
  static T df(T x, T) {  // -sign(x) inside (-1, 1), the right derivative -1 at 0
    return std::abs(x) < T(1) ? (x >= T(0) ? T(-1) : T(1)) : T(0);
  }
};

template <>
struct Fn<Activation::lelu> : LeakyFn<lelu_slope> {  // NEAT-python's lelu, slope 0.005
  static constexpr std::string_view name = "lelu";
};

template <>
struct Fn<Activation::neat_sin> {
  static constexpr std::string_view name = "neat_sin";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {  // NEAT-python's sin: sin(5x), 5x clamped to ±60
    return std::sin(detail::neat_z5(x));
  }
  template <class T>
  static T df(T x, T) {  // 5 cos(5x) inside (-12, 12), 0 from the clamp on
    return x > T(-neat_clamp / 5) && x < T(neat_clamp / 5) ? T(5) * std::cos(T(5) * x) : T(0);
  }
};

template <>
struct Fn<Activation::neat_softplus> {
  static constexpr std::string_view name = "neat_softplus";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {  // NEAT-python's softplus: 0.2 log(1 + e^(5x)), 5x to ±60
    const T z = detail::neat_z5(x);
    return T(0.2) * ((z > T(0) ? z : T(0)) + std::log1p(std::exp(-std::abs(z))));
  }
  template <class T>
  static T df(T x, T) {  // σ(5x) inside (-12, 12), 0 from the clamp on
    return x > T(-neat_clamp / 5) && x < T(neat_clamp / 5) ? detail::logistic(T(5) * x) : T(0);
  }
};

template <>
struct Fn<Activation::neat_sigmoid> {
  static constexpr std::string_view name = "neat_sigmoid";
  static constexpr Reads reads = Reads::x;
  template <class T>
  static T f(T x) {  // NEAT-python's sigmoid: 1 / (1 + e^-z), z = 5x clamped to ±60
    return T(1) / (T(1) + std::exp(-detail::neat_z5(x)));
  }
  template <class T>
  static T df(T x, T) {  // 5 σ(5x) σ(-5x) inside (-12, 12), 0 from the clamp on:
    // from e = e^-|5x|, as 5 y (1 - y) would cancel to 0 where y rounds to 1
    if (!(x > T(-neat_clamp / 5) && x < T(neat_clamp / 5))) return T(0);
    const T e = std::exp(-std::abs(T(5) * x)), d = T(1) / (T(1) + e);
    return T(5) * (e * d * d);
  }
};

template <>
struct Fn<Activation::neat_gauss> {
  static constexpr std::string_view name = "neat_gauss";
  static constexpr Reads reads = Reads::x_and_y;
  template <class T>
  static T f(T x) {  // NEAT-python's gauss: e^(-5 z^2), z = x clamped to ±3.4
    const T z = detail::clamp_to(x, T(neat_gauss_clamp));
    return std::exp(T(-5) * (z * z));
  }
  template <class T>
  static T df(T x, T y) {  // -10 x y inside (-3.4, 3.4), 0 from the clamp on
    return x > T(-neat_gauss_clamp) && x < T(neat_gauss_clamp) ? T(-10) * (x * y) : T(0);
  }
};

namespace detail {

template <class F, class = void>
struct is_defined : std::false_type {};
template <class F>
struct is_defined<F, std::void_t<decltype(sizeof(F))>> : std::true_type {};

// The number of codes with an Fn: they run from 0 without a gap.
template <std::size_t K = 0>
constexpr std::size_t count_fns() {
  if constexpr (is_defined<Fn<static_cast<Activation>(K)>>::value)
    return count_fns<K + 1>();
  else
    return K;
}

}  // namespace detail

inline constexpr std::size_t num_activations = detail::count_fns();

namespace detail {

template <class Op, std::size_t... K>
constexpr bool with_fn(Activation f, Op& op, std::index_sequence<K...>) {
  return ((f == static_cast<Activation>(K) && (op(Fn<static_cast<Activation>(K)>{}), true)) || ...);
}

}  // namespace detail

// op(Fn<f>{}) for a code f known only at run time: the one place a code is
// turned into its Fn. False (and op not called) for a code without an Fn (a cast).
template <class Op>
constexpr bool with_fn(Activation f, Op&& op) {
  return detail::with_fn(f, op, std::make_index_sequence<num_activations>{});
}

namespace detail {

template <std::size_t... K>
constexpr EnumNames<Activation, sizeof...(K) + 2> activation_names(std::index_sequence<K...>) {
  return {"activation",
          {{static_cast<Activation>(K), Fn<static_cast<Activation>(K)>::name}...,
           {Activation::hard_tanh, "clamped"},  // NEAT-python's name
           {Activation::silu, "swish"}}};
}

}  // namespace detail

// Every activation's name from its Fn, then the names also read: NEAT-python's
// "clamped" for hard_tanh and "swish" for silu.
inline constexpr auto activation_names =
    detail::activation_names(std::make_index_sequence<num_activations>{});

// Fn<f>::name; a code without an Fn (a cast) throws invalid_argument.
std::string_view to_string(Activation f);
// The code of a name or alias; throws invalid_argument naming the accepted names.
Activation parse_activation(std::string_view name);

// What f' of f reads (Fn<f>::reads).
constexpr Reads derivative_reads(Activation f) {
  Reads r = Reads::x;
  with_fn(f, [&](auto fn) { r = decltype(fn)::reads; });
  return r;
}

// y = f(x), eq. (2). A code without an Fn (refused by validate) leaves x.
template <class T>
inline T activate(Activation f, T x) {
  T y = x;
  with_fn(f, [&](auto fn) { y = decltype(fn)::f(x); });
  return y;
}

// v = f'(x), Algorithm 4, given both x and y = f(x). 1 for a code without an Fn.
template <class T>
inline T derivative(Activation f, T x, T y) {
  T v = T(1);
  with_fn(f, [&](auto fn) { v = decltype(fn)::df(x, y); });
  return v;
}

// y[r] = f(x[r]) and v[r] = f'(x[r]) for r < n: one dispatch per array, not per
// value, and the Fn's own vectorised form where it has one for T.
template <class T>
void activate_array(Activation f, const T* x, T* y, T* v, std::size_t n);

}  // namespace dagprop
