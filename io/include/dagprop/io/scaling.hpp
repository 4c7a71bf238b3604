// Scaling fitted on a training set and replayed on any later data: inputs
// x' = (x - offset[c]) / scale[c] per input column c, and (a second Scaler,
// ModelMeta::target) targets t' = (t - offset[k]) / scale[k] per output k,
// whose network outputs are de-scaled as y = y' * scale[k] + offset[k].
// A plain struct so that the model file can store it. It never reads files.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "dagprop/dataset.hpp"
#include "dagprop/enum_names.hpp"

namespace dagprop::io {

enum class ScaleKind {
  none,         // x' = x; offset and scale may be empty
  divide,       // offset 0, scale a constant: x' = x / constant
  standardize,  // offset the mean, scale the standard deviation of each column
  affine,       // any offset and scale per column, taken over from another tool (FANN)
};
inline constexpr EnumNames<ScaleKind, 4> scale_kind_names{"scaling",
                                                          {{ScaleKind::none, "none"},
                                                           {ScaleKind::divide, "divide"},
                                                           {ScaleKind::standardize, "standardize"},
                                                           {ScaleKind::affine, "affine"}}};

std::string to_string(ScaleKind kind);              // "none", "divide", "standardize", "affine"
ScaleKind parse_scale_kind(std::string_view text);  // invalid_argument on other text

struct Scaler {
  ScaleKind kind = ScaleKind::none;
  std::vector<double> offset;  // [num_inputs], subtracted first
  std::vector<double> scale;   // [num_inputs], then divided by; finite and non-zero

  // Throws invalid_argument unless kind none, or both vectors hold num_inputs
  // finite values and no scale is 0.
  void check(std::size_t num_inputs) const;

  bool operator==(const Scaler& other) const {
    return kind == other.kind && offset == other.offset && scale == other.scale;
  }
  bool operator!=(const Scaler& other) const { return !(*this == other); }
};

// Mean and population standard deviation (divided by n) of each input column;
// a constant column gets scale 1 (so it becomes 0). invalid_argument if empty,
// numeric_error if a column's values are not finite or span more than a double
// holds (their sums overflowing is handled: values near 1e308 are fine).
Scaler fit_standardize(const Dataset<double>& data);

// x' = x / constant on num_inputs columns; the constant must be finite and non-zero.
Scaler divide(std::size_t num_inputs, double constant);

// fit_standardize of the target columns (for ModelMeta::target).
Scaler fit_standardize_targets(const Dataset<double>& data);

namespace detail {
// Throws numeric_error: input column `column` (of `row`, "FILE: row N", if not
// empty) holds `value`, which `s` scales out of the range of `type_name`.
[[noreturn]] void scaled_out_of_range(const Scaler& s, const std::string& row, std::size_t column,
                                      double value, const char* type_name);
// Throws numeric_error: target column `column` of `row` scales out of range.
[[noreturn]] void target_out_of_range(const std::string& row, std::size_t column, double value);

// True if x' of `value` in `column` is finite in T (checked before converting,
// since a double out of the range of float does not convert).
template <class T>
bool scales_finite(const Scaler& s, std::size_t column, double value, double& scaled) {
  scaled = (value - s.offset[column]) / s.scale[column];
  return std::isfinite(scaled) &&
         std::fabs(scaled) <= static_cast<double>(std::numeric_limits<T>::max());
}

// `where()` names the row ("FILE: row N", or "" for a lone row); it is called
// only for a message.
template <class T, class Where>
void check_row(const Scaler& s, const T* row, std::size_t num_inputs, const Where& where) {
  for (std::size_t c = 0; c < num_inputs; ++c) {
    double scaled = 0;
    if (!scales_finite<T>(s, c, static_cast<double>(row[c]), scaled))
      scaled_out_of_range(s, where(), c, static_cast<double>(row[c]),
                          sizeof(T) == sizeof(float) ? "float" : "double");
  }
}

template <class T>
void scale_row(const Scaler& s, T* row, std::size_t num_inputs) {
  for (std::size_t c = 0; c < num_inputs; ++c)
    row[c] = static_cast<T>((static_cast<double>(row[c]) - s.offset[c]) / s.scale[c]);
}
}  // namespace detail

// Scales one row of num_inputs values in place (prediction input). A value that
// would leave the range of T (a tiny scale, a far outlier) is a numeric_error
// naming its column, and the row is left unchanged.
template <class T>
void apply(const Scaler& s, T* row, std::size_t num_inputs) {
  if (s.kind == ScaleKind::none) return;
  s.check(num_inputs);
  detail::check_row(s, row, num_inputs, [] { return std::string(); });
  detail::scale_row(s, row, num_inputs);
}

// Scales every row's inputs in place; invalid_argument on a column count
// mismatch, numeric_error (naming row and column, data unchanged) as above.
template <class T>
void apply(const Scaler& s, Dataset<T>& data) {
  if (s.kind == ScaleKind::none) return;
  s.check(data.num_inputs);
  for (std::size_t r = 0; r < data.size(); ++r)
    detail::check_row(s, data.inputs.data() + r * data.num_inputs, data.num_inputs,
                      [&] { return data.where(r); });
  for (std::size_t r = 0; r < data.size(); ++r)
    detail::scale_row(s, data.inputs.data() + r * data.num_inputs, data.num_inputs);
}

// Target scaling: t' = (t - offset[k]) / scale[k] on every row's targets in
// place (training and evaluation data). invalid_argument when `s` does not fit
// the target columns; numeric_error naming row and target column (data
// unchanged) when a value leaves the range of T.
template <class T>
void apply_targets(const Scaler& s, Dataset<T>& data) {
  if (s.kind == ScaleKind::none) return;
  s.check(data.num_targets);
  const std::size_t K = data.num_targets;
  for (std::size_t k = 0; k < data.targets.size(); ++k) {
    double scaled = 0;
    if (!detail::scales_finite<T>(s, k % K, static_cast<double>(data.targets[k]), scaled))
      detail::target_out_of_range(data.where(k / K), k % K, static_cast<double>(data.targets[k]));
  }
  for (std::size_t k = 0; k < data.targets.size(); ++k)
    data.targets[k] =
        static_cast<T>((static_cast<double>(data.targets[k]) - s.offset[k % K]) / s.scale[k % K]);
}

// The inverse on network outputs: y = y' * scale[k] + offset[k] on `rows` rows
// of K outputs (what predict prints in the targets' own units).
template <class T>
void unscale_outputs(const Scaler& s, T* y, std::size_t rows, std::size_t K) {
  if (s.kind == ScaleKind::none) return;
  s.check(K);
  for (std::size_t k = 0; k < rows * K; ++k)
    y[k] = static_cast<T>(static_cast<double>(y[k]) * s.scale[k % K] + s.offset[k % K]);
}

}  // namespace dagprop::io
