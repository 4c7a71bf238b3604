// Internal: the one-value forms behind the activations' own vectorised
// arrays (float tanh and sigmoid), shared by those arrays (activation.cpp)
// and by one run's inference (block.cpp), which must have their bits without
// a call per value: activate_one is the element formula of activate_array.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include "dagprop/activation.hpp"

namespace dagprop::detail {

// tanh in float as a rational function of x on [-7.9, 7.9] (outside it tanh
// rounds to ±1 in float): the minimax fit used by Eigen, within a few ulp of
// std::tanh. F is float or a vector of floats (simd.hpp), which computes each
// lane as the float does; written on vectors, the loop has one division a
// vector, where the compiler's own vectorisation of the float loop took two.
// Double keeps std::tanh.
template <class F>
inline F fast_tanh(F x) {
  constexpr float bound = 7.90531110763549805f;
  x = x < -bound ? -bound : x;
  x = x > bound ? bound : x;
  const F x2 = x * x;
  F p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  F q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  return x * p / q;
}

// e^x in float for x <= 0 (Cephes' expf: x = n ln 2 + r, |r| <= ln 2 / 2, a
// degree-6 polynomial for e^r, 2^n from the exponent bits), within 2 ulp of
// std::exp and a loop the compiler vectorises. Below -87.3 it returns about
// 1.2e-38, the smallest normal float, instead of a subnormal.
inline float fast_exp_nonpositive(float x_in) {
  // NaN takes the clamped path (a NaN converted to int is undefined) and
  // comes back as NaN.
  const float x = x_in >= -87.3f ? x_in : -87.3f;
  const float n = std::nearbyint(x * 1.44269504088896341f);
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float er = p * r * r + r + 1.0f;
  const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return x_in == x_in ? er * scale : x_in;
}

// The logistic function in float from e = e^-|x|: σ = 1/(1 + e) for x >= 0,
// e/(1 + e) below, and v = σ(x) σ(-x) = e/(1 + e)^2 (eq. 16), so that neither
// tail loses its relative accuracy (1 - σ would cancel) nor rounds v to 0
// while σ(-|x|) is a normal float.
inline float fast_sigmoid(float x, float& v) {
  const float e = fast_exp_nonpositive(-std::abs(x));
  const float inv = 1.0f / (1.0f + e);
  v = e * inv * inv;
  return x >= 0.0f ? inv : e * inv;
}

// Whether F declares a vectorised form of its own for T.
template <class F, class T, class = void>
struct has_array : std::false_type {};
template <class F, class T>
struct has_array<F, T,
                 std::void_t<decltype(F::array(std::declval<const T*>(), std::declval<T*>(),
                                               std::declval<T*>(), std::size_t{}))>>
    : std::true_type {};

// The one-value form of each Fn's own array form (float only).
inline float one_value(Fn<Activation::tanh>, float x) {
  return fast_tanh(x);
}
inline float one_value(Fn<Activation::sigmoid>, float x) {
  float v;
  return fast_sigmoid(x, v);
}

// y = F(x) with the bits activate_array gives each element: the one-value
// form of an Fn's own array where it has one for T (an Fn given an array form
// without a one_value above does not compile here), else F::f.
template <class F, class T>
inline T one_of(F fn, T x) {
  if constexpr (has_array<F, T>::value)
    return one_value(fn, x);
  else
    return F::f(x);
}

// y = f(x), one dispatch on f.
template <class T>
inline T activate_one(Activation f, T x) {
  T y = x;
  with_fn(f, [&](auto fn) { y = one_of(fn, x); });
  return y;
}

}  // namespace dagprop::detail
