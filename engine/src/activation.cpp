// The activations' own vectorised forms (float tanh and sigmoid), the loop
// over f and f' for every other Fn, and the text form of the codes. The
// functions themselves are the Fn specialisations in activation.hpp.
#include "dagprop/activation.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

namespace dagprop {

namespace {

// y[r] = f(x[r]), v[r] = f'(x[r], y[r]), a loop the compiler vectorises
// where f and f' allow it.
template <class F, class T>
void array_loop(const T* x, T* y, T* v, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) {
    const T yr = F::f(x[r]);
    y[r] = yr;
    v[r] = F::df(x[r], yr);
  }
}

// Whether F declares a vectorised form of its own for T.
template <class F, class T, class = void>
struct has_array : std::false_type {};
template <class F, class T>
struct has_array<F, T,
                 std::void_t<decltype(F::array(std::declval<const T*>(), std::declval<T*>(),
                                               std::declval<T*>(), std::size_t{}))>>
    : std::true_type {};

// tanh in float as a rational function of x on [-7.9, 7.9] (outside it tanh
// rounds to ±1 in float): the minimax fit used by Eigen, within a few ulp of
// std::tanh, and a loop the compiler vectorises. Double keeps std::tanh.
inline float fast_tanh(float x) {
  x = x < -7.90531110763549805f ? -7.90531110763549805f : x;
  x = x > 7.90531110763549805f ? 7.90531110763549805f : x;
  const float x2 = x * x;
  float p = -2.76076847742355e-16f;
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  float q = 1.19825839466702e-06f;
  q = q * x2 + 1.18534705686654e-04f;
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

}  // namespace

// tanh in float from fast_tanh, v = 1 - y^2.
void Fn<Activation::tanh>::array(const float* x, float* y, float* v, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) {
    const float yr = fast_tanh(x[r]);
    y[r] = yr;
    v[r] = 1.0f - yr * yr;
  }
}

// The logistic function in float from e = e^-|x|: σ = 1/(1 + e) for x >= 0,
// e/(1 + e) below, and v = σ(x) σ(-x) = e/(1 + e)^2 (eq. 16), so that neither
// tail loses its relative accuracy (1 - σ would cancel) nor rounds v to 0
// while σ(-|x|) is a normal float.
void Fn<Activation::sigmoid>::array(const float* x, float* y, float* v, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) {
    const float e = fast_exp_nonpositive(-std::abs(x[r]));
    const float inv = 1.0f / (1.0f + e);
    y[r] = x[r] >= 0.0f ? inv : e * inv;
    v[r] = e * inv * inv;
  }
}

std::string_view to_string(Activation f) {
  return activation_names.name_of(f);
}

Activation parse_activation(std::string_view name) {
  return activation_names.read(name);
}

template <class T>
void activate_array(Activation f, const T* x, T* y, T* v, std::size_t n) {
  with_fn(f, [&](auto fn) {
    using F = decltype(fn);
    if constexpr (has_array<F, T>::value)
      F::array(x, y, v, n);
    else
      array_loop<F>(x, y, v, n);
  });
}

template void activate_array<float>(Activation, const float*, float*, float*, std::size_t);
template void activate_array<double>(Activation, const double*, double*, double*, std::size_t);

}  // namespace dagprop
