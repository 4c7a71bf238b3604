// A data set in memory: one row per run, inputs and targets side by side.
// Readers in io/ fill it; the trainer and the evaluation read it. It does not
// read files; it only remembers, for messages, which file and rows it holds.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "dagprop/error.hpp"

namespace dagprop {

// The default cap on the values (inputs and targets) the file readers put in
// one data set: 2^27, 1 GiB as double. They refuse more before allocating,
// naming the cap (CsvOptions / IdxOptions max_values; the CLI's --max-values).
inline constexpr std::uint64_t default_max_values = std::uint64_t{1} << 27;

// The end of a reader's message refusing more than `cap` values.
inline std::string values_cap_text(std::uint64_t cap) {
  return "above the cap of " + std::to_string(cap) + " values (" +
         std::to_string(cap / (std::uint64_t{1} << 17)) +
         " MiB as double; raise it with --max-values)";
}

template <class T>
struct Dataset {
  std::size_t num_inputs = 0;   // columns of x
  std::size_t num_targets = 0;  // columns of y*
  std::vector<T> inputs;        // [size() * num_inputs], row-major
  std::vector<T> targets;       // [size() * num_targets], row-major

  // Where the rows came from, for messages: the file, and each row's number as
  // its reader counts them (1-based; a CSV file's header and skipped rows
  // count, FANN data count lines, IDX data count items).
  std::string source = {};                      // the file, or empty
  std::uint64_t first_row = 1;                  // the number of row 0
  std::uint64_t row_step = 1;                   // between consecutive rows
  std::vector<std::uint64_t> row_numbers = {};  // [size()] or empty: rows chosen from a file

  std::size_t size() const { return num_inputs ? inputs.size() / num_inputs : 0; }
  const T* input(std::size_t row) const { return inputs.data() + row * num_inputs; }
  const T* target(std::size_t row) const { return targets.data() + row * num_targets; }

  std::uint64_t row_number(std::size_t row) const {
    return row < row_numbers.size() ? row_numbers[row] : first_row + row * row_step;
  }

  // "FILE: row N" (or "row N" without a file) of row `row`.
  std::string where(std::size_t row) const {
    const std::string n = "row " + std::to_string(row_number(row));
    return source.empty() ? n : source + ": " + n;
  }

  // Takes over where the rows of `from` came from (the same rows, in order).
  template <class U>
  void same_rows_as(const Dataset<U>& from) {
    source = from.source;
    first_row = from.first_row;
    row_step = from.row_step;
    row_numbers = from.row_numbers;
  }

  // Throws invalid_argument unless the two arrays hold the same number of rows.
  void check() const {
    if (num_inputs == 0) throw invalid_argument("Dataset: num_inputs is 0");
    if (inputs.size() % num_inputs != 0)
      throw invalid_argument("Dataset: inputs.size() " + std::to_string(inputs.size()) +
                             " is not a multiple of num_inputs " + std::to_string(num_inputs));
    const bool rows_match = num_targets == 0 ? targets.empty()
                                             : targets.size() % num_targets == 0 &&
                                                   targets.size() / num_targets == size();
    if (!rows_match)
      throw invalid_argument("Dataset: targets.size() " + std::to_string(targets.size()) +
                             " != rows " + std::to_string(size()) + " * num_targets " +
                             std::to_string(num_targets));
  }
};

// The rows `rows[0 .. n)` of `d`, in that order, still naming their rows in the file.
template <class T>
Dataset<T> select_rows(const Dataset<T>& d, const std::size_t* rows, std::size_t n) {
  Dataset<T> out;
  out.num_inputs = d.num_inputs;
  out.num_targets = d.num_targets;
  out.source = d.source;
  out.inputs.reserve(n * d.num_inputs);
  out.targets.reserve(n * d.num_targets);
  out.row_numbers.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t r = rows[k];
    out.inputs.insert(out.inputs.end(), d.input(r), d.input(r) + d.num_inputs);
    out.targets.insert(out.targets.end(), d.target(r), d.target(r) + d.num_targets);
    out.row_numbers.push_back(d.row_number(r));
  }
  return out;
}

// Converts between precisions (data are read once and trained in float or
// double). Throws invalid_argument, naming the file, row and column (from 1),
// for a finite value outside To's range (1e39 in a float): such a cast is undefined.
template <class To, class From>
Dataset<To> convert(const Dataset<From>& d) {
  auto copy = [&d](const std::vector<From>& from, std::vector<To>& to, std::size_t columns,
                   const char* what) {
    to.resize(from.size());
    for (std::size_t k = 0; k < from.size(); ++k) {
      const From v = from[k];
      if (std::isfinite(v) && std::abs(static_cast<long double>(v)) >
                                  static_cast<long double>(std::numeric_limits<To>::max())) {
        std::ostringstream s;
        s.precision(17);
        s << d.where(k / columns) << ", " << what << " column " << k % columns + 1 << ": the value "
          << v << " is out of the range of the training precision ("
          << (sizeof(To) == sizeof(float) ? "float" : "double") << ")";
        throw invalid_argument(s.str());
      }
      to[k] = static_cast<To>(v);
    }
  };
  Dataset<To> out;
  out.num_inputs = d.num_inputs;
  out.num_targets = d.num_targets;
  out.same_rows_as(d);
  copy(d.inputs, out.inputs, d.num_inputs ? d.num_inputs : 1, "input");
  copy(d.targets, out.targets, d.num_targets ? d.num_targets : 1, "target");
  return out;
}

}  // namespace dagprop
