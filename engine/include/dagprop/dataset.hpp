// A data set in memory: one row per run, inputs and targets side by side.
// Readers in io/ fill it; the trainer and the evaluation read it. It does not
// know about files.
#pragma once

#include <cstddef>
#include <vector>

#include "dagprop/error.hpp"

namespace dagprop {

template <class T>
struct Dataset {
  std::size_t num_inputs = 0;   // columns of x
  std::size_t num_targets = 0;  // columns of y*
  std::vector<T> inputs;        // [size() * num_inputs], row-major
  std::vector<T> targets;       // [size() * num_targets], row-major

  std::size_t size() const { return num_inputs ? inputs.size() / num_inputs : 0; }
  const T* input(std::size_t row) const { return inputs.data() + row * num_inputs; }
  const T* target(std::size_t row) const { return targets.data() + row * num_targets; }

  // Throws invalid_argument unless the two arrays hold the same number of rows.
  void check() const {
    if (num_inputs == 0) throw invalid_argument("Dataset: num_inputs is 0");
    if (inputs.size() % num_inputs != 0)
      throw invalid_argument("Dataset: inputs.size() " + std::to_string(inputs.size()) +
                             " is not a multiple of num_inputs " + std::to_string(num_inputs));
    if (targets.size() != size() * num_targets)
      throw invalid_argument("Dataset: targets.size() " + std::to_string(targets.size()) +
                             " != rows " + std::to_string(size()) + " * num_targets " +
                             std::to_string(num_targets));
  }
};

// Converts between precisions (data are read once and trained in float or double).
template <class To, class From>
Dataset<To> convert(const Dataset<From>& d) {
  Dataset<To> out;
  out.num_inputs = d.num_inputs;
  out.num_targets = d.num_targets;
  out.inputs.assign(d.inputs.begin(), d.inputs.end());
  out.targets.assign(d.targets.begin(), d.targets.end());
  return out;
}

}  // namespace dagprop
