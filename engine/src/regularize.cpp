// Gradient clipping (a deterministic global norm) and early stopping; see
// regularize.hpp. The parallel loops use whatever task arena the caller is in.
#include "dagprop/regularize.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "dagprop/error.hpp"

namespace dagprop {

template <class T>
double global_norm(const T* g, std::size_t n) {
  const std::size_t blocks = (n + norm_grain - 1) / norm_grain;
  std::vector<double> partial(blocks, 0.0);  // [blocks]
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1), [&](const auto& range) {
    for (std::size_t q = range.begin(); q != range.end(); ++q) {
      double s = 0;
      for (std::size_t k = q * norm_grain; k < std::min(n, (q + 1) * norm_grain); ++k)
        s += static_cast<double>(g[k]) * static_cast<double>(g[k]);
      partial[q] = s;
    }
  });
  double total = 0;
  for (double s : partial) total += s;  // in block order
  return std::sqrt(total);
}

template <class T>
double clip_by_norm(T* g, std::size_t n, double max_norm) {
  if (!(max_norm > 0) || !std::isfinite(max_norm))
    throw invalid_argument("clip_by_norm: max_norm must be positive and finite, got " +
                           std::to_string(max_norm));
  const double norm = global_norm(g, n);
  if (norm > max_norm) {
    const T scale = static_cast<T>(max_norm / norm);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, norm_grain), [&](const auto& range) {
      for (std::size_t k = range.begin(); k != range.end(); ++k) g[k] *= scale;
    });
  }
  return norm;
}

template <class T>
std::size_t clip_by_value(T* g, std::size_t n, double limit) {
  if (!(limit > 0) || !std::isfinite(limit))
    throw invalid_argument("clip_by_value: limit must be positive and finite, got " +
                           std::to_string(limit));
  const T hi = static_cast<T>(limit), lo = -hi;
  std::size_t changed = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const T c = std::min(std::max(g[k], lo), hi);
    changed += c != g[k];
    g[k] = c;
  }
  return changed;
}

template <class T>
EarlyStopping<T>::EarlyStopping(std::size_t patience, double min_delta)
    : patience_(patience), min_delta_(min_delta) {
  if (patience == 0) throw invalid_argument("EarlyStopping: patience must be at least 1 epoch");
  if (!(min_delta >= 0) || !std::isfinite(min_delta))
    throw invalid_argument("EarlyStopping: min_delta must be >= 0 and finite, got " +
                           std::to_string(min_delta));
}

template <class T>
bool EarlyStopping<T>::update(double loss, const Network<T>& net) {
  ++epochs_;
  if (loss < best_loss_ - min_delta_) {  // false for NaN
    best_loss_ = loss;
    best_epoch_ = epochs_;
    bad_epochs_ = 0;
    best_ = net.params();
  } else {
    ++bad_epochs_;
  }
  return !stopped();
}

template <class T>
void EarlyStopping<T>::restore(Network<T>& net) const {
  if (best_epoch_ == 0) throw invalid_argument("EarlyStopping: no epoch improved on +inf yet");
  if (best_.size() != net.params().size())
    throw invalid_argument("EarlyStopping: kept " + std::to_string(best_.size()) +
                           " parameters, the network has " + std::to_string(net.params().size()));
  net.params() = best_;
}

template double global_norm<float>(const float*, std::size_t);
template double global_norm<double>(const double*, std::size_t);
template double clip_by_norm<float>(float*, std::size_t, double);
template double clip_by_norm<double>(double*, std::size_t, double);
template std::size_t clip_by_value<float>(float*, std::size_t, double);
template std::size_t clip_by_value<double>(double*, std::size_t, double);
template class EarlyStopping<float>;
template class EarlyStopping<double>;

}  // namespace dagprop
