// Array versions of the activations: the switch is taken once per unit and
// the loop over runs is left for the compiler to vectorise.
#include "dagprop/activation.hpp"

#include <array>

#include "dagprop/error.hpp"

namespace dagprop {

namespace {
constexpr std::array<std::string_view, num_activations> names = {
    "identity", "sigmoid", "tanh", "relu", "leaky_relu", "softplus"};

template <Activation F, class T>
void activate_loop(const T* x, T* y, T* v, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) {
    const T yr = activate(F, x[r]);
    y[r] = yr;
    v[r] = derivative(F, x[r], yr);
  }
}
}  // namespace

std::string_view to_string(Activation f) { return names.at(static_cast<std::size_t>(f)); }

Activation parse_activation(std::string_view name) {
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return static_cast<Activation>(k);
  std::string all;
  for (auto n : names) all += (all.empty() ? "" : ", ") + std::string(n);
  throw invalid_argument("unknown activation '" + std::string(name) + "' (expected one of " +
                         all + ")");
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
  }
}

template void activate_array<float>(Activation, const float*, float*, float*, std::size_t);
template void activate_array<double>(Activation, const double*, double*, double*, std::size_t);

}  // namespace dagprop
