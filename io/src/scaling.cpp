// Scaler fitting and checks (see scaling.hpp); applying it is a template in the
// header. Standardization uses two passes (mean, then squared deviations) for
// accuracy. It does not decide when to scale; the caller and the model file do.
#include "dagprop/io/scaling.hpp"

#include <algorithm>
#include <cmath>

#include "dagprop/error.hpp"

namespace dagprop::io {

std::string to_string(ScaleKind kind) {
  switch (kind) {
    case ScaleKind::none:
      return "none";
    case ScaleKind::divide:
      return "divide";
    case ScaleKind::standardize:
      return "standardize";
  }
  throw invalid_argument("to_string: unknown ScaleKind");
}

ScaleKind parse_scale_kind(std::string_view text) {
  for (const ScaleKind k : {ScaleKind::none, ScaleKind::divide, ScaleKind::standardize})
    if (text == to_string(k)) return k;
  throw invalid_argument("unknown scaling \"" + std::string(text.substr(0, 40)) +
                         "\": expected none, divide or standardize");
}

void Scaler::check(std::size_t num_inputs) const {
  if (kind == ScaleKind::none) return;
  if (offset.size() != num_inputs || scale.size() != num_inputs)
    throw invalid_argument("Scaler (" + to_string(kind) + ") has " + std::to_string(offset.size()) +
                           " offsets and " + std::to_string(scale.size()) +
                           " scales, the data have " + std::to_string(num_inputs) +
                           " input columns");
  for (std::size_t c = 0; c < num_inputs; ++c)
    if (!std::isfinite(offset[c]) || !std::isfinite(scale[c]) || scale[c] == 0)
      throw invalid_argument("Scaler column " + std::to_string(c) + ": offset " +
                             std::to_string(offset[c]) + ", scale " + std::to_string(scale[c]) +
                             " (must be finite, scale non-zero)");
}

Scaler fit_standardize(const Dataset<double>& data) {
  data.check();
  const std::size_t n = data.size();
  const std::size_t m = data.num_inputs;
  if (n == 0) throw invalid_argument("fit_standardize: the data set has no rows");
  Scaler s;
  s.kind = ScaleKind::standardize;
  s.offset.assign(m, 0.0);
  s.scale.assign(m, 0.0);
  std::vector<bool> constant(m, true);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < m; ++c) {
      s.offset[c] += data.input(r)[c];
      if (data.input(r)[c] != data.input(0)[c]) constant[c] = false;
    }
  for (double& mean : s.offset) mean /= static_cast<double>(n);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < m; ++c) {
      const double d = data.input(r)[c] - s.offset[c];
      s.scale[c] += d * d;
    }
  for (std::size_t c = 0; c < m; ++c) {
    const double stddev = std::sqrt(s.scale[c] / static_cast<double>(n));
    s.scale[c] = constant[c] || !(stddev > 0) || !std::isfinite(stddev) ? 1.0 : stddev;
  }
  s.check(m);
  return s;
}

Scaler divide(std::size_t num_inputs, double constant) {
  if (!std::isfinite(constant) || constant == 0)
    throw invalid_argument("divide: the constant must be finite and non-zero, got " +
                           std::to_string(constant));
  Scaler s;
  s.kind = ScaleKind::divide;
  s.offset.assign(num_inputs, 0.0);
  s.scale.assign(num_inputs, constant);
  return s;
}

}  // namespace dagprop::io
