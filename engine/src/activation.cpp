// The activations' own vectorised forms (float tanh and sigmoid), the loop
// over f and f' for every other Fn, and the text form of the codes. The
// functions themselves are the Fn specialisations in activation.hpp.
#include "dagprop/activation.hpp"

#include <cstddef>

#include "activation_one.hpp"
#include "simd.hpp"

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

}  // namespace

// tanh in float from fast_tanh, v = 1 - y^2: whole vectors, then the rest
// one at a time (the same bits).
void Fn<Activation::tanh>::array(const float* x, float* y, float* v, std::size_t n) {
  using VecT = detail::Vec<float>;
  std::size_t r = 0;
  for (; r + VecT::size <= n; r += VecT::size) {
    const VecT::type yr = detail::fast_tanh(VecT::load(x + r));
    VecT::store(y + r, yr);
    VecT::store(v + r, 1.0f - yr * yr);
  }
  for (; r < n; ++r) {
    const float yr = detail::fast_tanh(x[r]);
    y[r] = yr;
    v[r] = 1.0f - yr * yr;
  }
}

// The logistic function in float (fast_sigmoid).
void Fn<Activation::sigmoid>::array(const float* x, float* y, float* v, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) y[r] = detail::fast_sigmoid(x[r], v[r]);
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
    if constexpr (detail::has_array<F, T>::value)
      F::array(x, y, v, n);
    else
      array_loop<F>(x, y, v, n);
  });
}

template void activate_array<float>(Activation, const float*, float*, float*, std::size_t);
template void activate_array<double>(Activation, const double*, double*, double*, std::size_t);

}  // namespace dagprop
