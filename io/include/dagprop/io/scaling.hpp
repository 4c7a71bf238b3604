// Input scaling fitted on a training set and replayed on any later data:
// x' = (x - offset[c]) / scale[c] per input column c. A plain struct so that the
// model file can store it. It never touches targets and never reads files.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dagprop/dataset.hpp"

namespace dagprop::io {

enum class ScaleKind {
  none,         // x' = x; offset and scale may be empty
  divide,       // offset 0, scale a constant: x' = x / constant
  standardize,  // offset the mean, scale the standard deviation of each column
};

std::string to_string(ScaleKind kind);              // "none", "divide", "standardize"
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
// a constant column gets scale 1 (so it becomes 0). invalid_argument if empty.
Scaler fit_standardize(const Dataset<double>& data);

// x' = x / constant on num_inputs columns; the constant must be finite and non-zero.
Scaler divide(std::size_t num_inputs, double constant);

// Scales one row of num_inputs values in place (prediction input).
template <class T>
void apply(const Scaler& s, T* row, std::size_t num_inputs) {
  if (s.kind == ScaleKind::none) return;
  s.check(num_inputs);
  for (std::size_t c = 0; c < num_inputs; ++c)
    row[c] = static_cast<T>((static_cast<double>(row[c]) - s.offset[c]) / s.scale[c]);
}

// Scales every row's inputs in place; invalid_argument on a column count mismatch.
template <class T>
void apply(const Scaler& s, Dataset<T>& data) {
  if (s.kind == ScaleKind::none) return;
  s.check(data.num_inputs);
  for (std::size_t r = 0; r < data.size(); ++r)
    apply(s, data.inputs.data() + r * data.num_inputs, data.num_inputs);
}

}  // namespace dagprop::io
