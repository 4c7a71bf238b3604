// Array versions of the activations: the switch is taken once per unit and
// the loop over runs is left for the compiler to vectorise.
#include "dagprop/activation.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "dagprop/error.hpp"

namespace dagprop {

namespace {
constexpr std::array<std::string_view, num_activations> names = {
    "identity", "sigmoid",   "tanh",     "relu",          "leaky_relu",   "softplus",
    "elu",      "selu",      "silu",     "gelu",          "gaussian",     "sin",
    "abs",      "hard_tanh", "softsign", "square",        "cube",         "exp",
    "hat",      "lelu",      "neat_sin", "neat_softplus", "neat_sigmoid", "neat_gauss"};
static_assert(!names.back().empty(), "a name for every activation");

// Other names parse_activation accepts: NEAT-python's, and swish.
struct Alias {
  std::string_view name;
  Activation f;
};
constexpr Alias aliases[] = {{"clamped", Activation::hard_tanh}, {"swish", Activation::silu}};

template <Activation F, class T>
void activate_loop(const T* x, T* y, T* v, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) {
    const T yr = activate(F, x[r]);
    y[r] = yr;
    v[r] = derivative(F, x[r], yr);
  }
}

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

template <>
void activate_loop<Activation::tanh, float>(const float* x, float* y, float* v, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) {
    const float yr = fast_tanh(x[r]);
    y[r] = yr;
    v[r] = 1.0f - yr * yr;
  }
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
template <>
void activate_loop<Activation::sigmoid, float>(const float* x, float* y, float* v, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) {
    const float e = fast_exp_nonpositive(-std::abs(x[r]));
    const float inv = 1.0f / (1.0f + e);
    y[r] = x[r] >= 0.0f ? inv : e * inv;
    v[r] = e * inv * inv;
  }
}
}  // namespace

std::string_view to_string(Activation f) {
  const auto k = static_cast<std::size_t>(f);
  if (k >= names.size())
    throw invalid_argument("activation code " + std::to_string(k) + " is not an activation");
  return names[k];
}

Activation parse_activation(std::string_view name) {
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return static_cast<Activation>(k);
  for (const Alias& a : aliases)
    if (a.name == name) return a.f;
  std::string all;
  for (auto n : names) all += (all.empty() ? "" : ", ") + std::string(n);
  throw invalid_argument("unknown activation '" + printable(name) + "' (expected one of " + all +
                         ")");
}

template <class T>
void activate_array(Activation f, const T* x, T* y, T* v, std::size_t n) {
  switch (f) {
    case Activation::identity:
      return activate_loop<Activation::identity>(x, y, v, n);
    case Activation::sigmoid:
      return activate_loop<Activation::sigmoid>(x, y, v, n);
    case Activation::tanh:
      return activate_loop<Activation::tanh>(x, y, v, n);
    case Activation::relu:
      return activate_loop<Activation::relu>(x, y, v, n);
    case Activation::leaky_relu:
      return activate_loop<Activation::leaky_relu>(x, y, v, n);
    case Activation::softplus:
      return activate_loop<Activation::softplus>(x, y, v, n);
    case Activation::elu:
      return activate_loop<Activation::elu>(x, y, v, n);
    case Activation::selu:
      return activate_loop<Activation::selu>(x, y, v, n);
    case Activation::silu:
      return activate_loop<Activation::silu>(x, y, v, n);
    case Activation::gelu:
      return activate_loop<Activation::gelu>(x, y, v, n);
    case Activation::gaussian:
      return activate_loop<Activation::gaussian>(x, y, v, n);
    case Activation::sin:
      return activate_loop<Activation::sin>(x, y, v, n);
    case Activation::abs:
      return activate_loop<Activation::abs>(x, y, v, n);
    case Activation::hard_tanh:
      return activate_loop<Activation::hard_tanh>(x, y, v, n);
    case Activation::softsign:
      return activate_loop<Activation::softsign>(x, y, v, n);
    case Activation::square:
      return activate_loop<Activation::square>(x, y, v, n);
    case Activation::cube:
      return activate_loop<Activation::cube>(x, y, v, n);
    case Activation::exp:
      return activate_loop<Activation::exp>(x, y, v, n);
    case Activation::hat:
      return activate_loop<Activation::hat>(x, y, v, n);
    case Activation::lelu:
      return activate_loop<Activation::lelu>(x, y, v, n);
    case Activation::neat_sin:
      return activate_loop<Activation::neat_sin>(x, y, v, n);
    case Activation::neat_softplus:
      return activate_loop<Activation::neat_softplus>(x, y, v, n);
    case Activation::neat_sigmoid:
      return activate_loop<Activation::neat_sigmoid>(x, y, v, n);
    case Activation::neat_gauss:
      return activate_loop<Activation::neat_gauss>(x, y, v, n);
  }
}

template void activate_array<float>(Activation, const float*, float*, float*, std::size_t);
template void activate_array<double>(Activation, const double*, double*, double*, std::size_t);

}  // namespace dagprop
