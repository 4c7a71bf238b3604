// Scaler fitting and checks (see scaling.hpp); applying it is a template in the
// header. Standardization uses two passes (mean, then squared deviations) for
// accuracy. It does not decide when to scale; the caller and the model file do.
#include "dagprop/io/scaling.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "dagprop/error.hpp"

namespace dagprop::io {

std::string to_string(ScaleKind kind) {
  return std::string(scale_kind_names.name_of(kind));
}

ScaleKind parse_scale_kind(std::string_view text) {
  if (const std::optional<ScaleKind> k = scale_kind_names.parse(text)) return *k;
  throw invalid_argument("unknown scaling \"" + printable(text, 40) + "\": expected " +
                         scale_kind_names.expected());
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

namespace {

// Shortest round-trip text of a double, whatever the locale.
std::string exact(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// The mean of column c when the plain sum overflows: a sum of x / n.
double mean_of_scaled(const Dataset<double>& data, std::size_t c) {
  const auto n = static_cast<double>(data.size());
  double mean = 0;
  for (std::size_t r = 0; r < data.size(); ++r) mean += data.input(r)[c] / n;
  return mean;
}

// The population deviation of column c when the plain sum of squares overflows:
// the deviations are divided by the largest one first.
double deviation_of_scaled(const Dataset<double>& data, std::size_t c, double mean) {
  double largest = 0;
  for (std::size_t r = 0; r < data.size(); ++r)
    largest = std::max(largest, std::fabs(data.input(r)[c] - mean));
  if (!std::isfinite(largest))
    throw numeric_error("fit_standardize: input column " + std::to_string(c + 1) +
                        ": the values span more than a double holds (" + std::to_string(largest) +
                        ")");
  double sum = 0;
  for (std::size_t r = 0; r < data.size(); ++r) {
    const double d = (data.input(r)[c] - mean) / largest;
    sum += d * d;
  }
  return largest * std::sqrt(sum / static_cast<double>(data.size()));
}

}  // namespace

Scaler fit_standardize(const Dataset<double>& data) {
  data.check();
  const std::size_t n = data.size();
  const std::size_t m = data.num_inputs;
  if (n == 0) throw invalid_argument("fit_standardize: the data set has no rows");
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < m; ++c)
      if (!std::isfinite(data.input(r)[c]))
        throw numeric_error(data.where(r) + ", input column " + std::to_string(c + 1) +
                            ": the value is not finite (fitting standardize)");
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
  for (std::size_t c = 0; c < m; ++c) {
    if (constant[c])
      s.offset[c] = data.input(0)[c];  // exactly, so that the column becomes 0
    else
      s.offset[c] = std::isfinite(s.offset[c]) ? s.offset[c] / static_cast<double>(n)
                                               : mean_of_scaled(data, c);
  }
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < m; ++c) {
      const double d = data.input(r)[c] - s.offset[c];
      s.scale[c] += d * d;
    }
  for (std::size_t c = 0; c < m; ++c) {
    if (constant[c]) {
      s.scale[c] = 1.0;
      continue;
    }
    const double stddev = std::isfinite(s.scale[c]) ? std::sqrt(s.scale[c] / static_cast<double>(n))
                                                    : deviation_of_scaled(data, c, s.offset[c]);
    s.scale[c] = stddev > 0 ? stddev : 1.0;  // 0 only if the deviations underflow
  }
  s.check(m);
  return s;
}

void detail::scaled_out_of_range(const Scaler& s, const std::string& row, std::size_t column,
                                 double value, const char* type_name) {
  throw numeric_error((row.empty() ? "" : row + ", ") + "input column " +
                      std::to_string(column + 1) + ": scaling (" + to_string(s.kind) + ") of " +
                      exact(value) + " with offset " + exact(s.offset[column]) + " and scale " +
                      exact(s.scale[column]) + " leaves the range of " + type_name);
}

void detail::target_out_of_range(const std::string& row, std::size_t column, double value) {
  throw numeric_error(row + ", target column " + std::to_string(column + 1) +
                      ": target scaling of " + exact(value) +
                      " leaves the range of the data's type");
}

Scaler fit_standardize_targets(const Dataset<double>& data) {
  data.check();
  if (data.num_targets == 0) throw invalid_argument("fit_standardize_targets: no target columns");
  Dataset<double> targets;  // the targets as the columns to fit
  targets.num_inputs = data.num_targets;
  targets.inputs = data.targets;
  targets.same_rows_as(data);
  return fit_standardize(targets);
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
