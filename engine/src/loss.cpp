// The three losses. Each gives E of one run and dE/dy of its outputs.
#include "dagprop/loss.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "dagprop/error.hpp"

namespace dagprop {

std::string_view to_string(Loss l) {
  return loss_names.name_of(l);
}

Loss parse_loss(std::string_view name) {
  return loss_names.read(name);
}

std::string_view to_string(Reduction r) {
  return reduction_names.name_of(r);
}

Reduction parse_reduction(std::string_view name) {
  return reduction_names.read(name);
}

namespace {
double softplus(double x) {
  return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
}
}  // namespace

template <class T>
double loss_gradient(Loss loss, std::size_t K, const T* x, const T* y, const T* target, T* dEdy) {
  double E = 0;
  switch (loss) {
    case Loss::sse:  // eq. (3), (15)
      for (std::size_t k = 0; k < K; ++k) {
        const double e = static_cast<double>(y[k]) - static_cast<double>(target[k]);
        E += 0.5 * e * e;
        if (dEdy) dEdy[k] = static_cast<T>(e);
      }
      return E;
    case Loss::softmax_ce: {  // log-sum-exp shifted by the largest logit
      double m = -std::numeric_limits<double>::infinity(), z = 0, dsum = 0;
      for (std::size_t k = 0; k < K; ++k) m = std::max(m, static_cast<double>(y[k]));
      for (std::size_t k = 0; k < K; ++k) z += std::exp(static_cast<double>(y[k]) - m);
      const double log_z = m + std::log(z);
      for (std::size_t k = 0; k < K; ++k) {
        const double d = static_cast<double>(target[k]);
        E -= d * (static_cast<double>(y[k]) - log_z);
        dsum += d;
      }
      if (dEdy)
        for (std::size_t k = 0; k < K; ++k)
          dEdy[k] = static_cast<T>(std::exp(static_cast<double>(y[k]) - log_z) * dsum -
                                   static_cast<double>(target[k]));
      return E;
    }
    case Loss::bce:  // log y = -softplus(-x), log(1 - y) = -softplus(x)
      for (std::size_t k = 0; k < K; ++k) {
        const double d = static_cast<double>(target[k]), xk = static_cast<double>(x[k]);
        E += d * softplus(-xk) + (1 - d) * softplus(xk);
        if (dEdy) {
          // dE/dy = (y - d) / (y (1 - y)); multiplied by v = y (1 - y) (eq. 16)
          // in BackPropagate it gives p = y - d. Where the sigmoid saturates
          // to exactly 0 or 1, v = 0 and so is p, as the memo's f' says.
          const T yk = y[k];
          const T v = std::max(yk * (T(1) - yk), std::numeric_limits<T>::min());
          dEdy[k] = (yk - static_cast<T>(d)) / v;
        }
      }
      return E;
  }
  return E;
}

template <class T>
T fused_output_delta(Loss loss, T x, T target) {
  if (!fuses_output_activation(loss))
    throw invalid_argument("fused_output_delta: loss " + std::string(to_string(loss)) +
                           " is not differentiated with the output's activation");
  const double e = std::exp(-std::abs(static_cast<double>(x)));
  const double sigma = x >= T(0) ? 1 / (1 + e) : e / (1 + e);
  return static_cast<T>(sigma - static_cast<double>(target));
}

template <class T>
bool correct(Loss loss, std::size_t K, const T* y, const T* target) {
  if (loss == Loss::bce) {
    for (std::size_t k = 0; k < K; ++k)
      if ((y[k] > T(0.5)) != (target[k] > T(0.5))) return false;
    return true;
  }
  if (K == 1) return std::abs(y[0] - target[0]) < T(0.5);
  const auto arg = [K](const T* a) { return std::max_element(a, a + K) - a; };
  return arg(y) == arg(target);
}

template double loss_gradient<float>(Loss, std::size_t, const float*, const float*, const float*,
                                     float*);
template double loss_gradient<double>(Loss, std::size_t, const double*, const double*,
                                      const double*, double*);
template float fused_output_delta<float>(Loss, float, float);
template double fused_output_delta<double>(Loss, double, double);
template bool correct<float>(Loss, std::size_t, const float*, const float*);
template bool correct<double>(Loss, std::size_t, const double*, const double*);

}  // namespace dagprop
