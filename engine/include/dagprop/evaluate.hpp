// Inference over a data set: outputs, loss and accuracy, in parallel over
// blocks of runs with a result independent of the thread count.
#pragma once

#include <cstddef>
#include <vector>

#include "dagprop/dataset.hpp"
#include "dagprop/loss.hpp"
#include "dagprop/network.hpp"

namespace dagprop {

struct Evaluation {
  double loss = 0;      // mean E per run
  double accuracy = 0;  // fraction of runs classified right (see correct() in loss.hpp)
  std::size_t runs = 0;
};

// threads 0: all cores.
template <class T>
Evaluation evaluate(const Network<T>& net, const Dataset<T>& data, Loss loss,
                    std::size_t threads = 0);

// Outputs for `rows` input rows (row-major, num_inputs each): [rows * num_outputs].
// A caller with many small batches wants a Predictor (predictor.hpp): the same
// bits without threads or allocation per call.
template <class T>
std::vector<T> predict(const Network<T>& net, const T* inputs, std::size_t rows,
                       std::size_t threads = 0);

// Checks that data fits the network: input and target counts. Throws invalid_argument.
template <class T>
void check_data(const Network<T>& net, const Dataset<T>& data, const char* what);

// Checks that the loss is one of Loss's and fits the network's outputs:
// softmax-ce needs at least two outputs (the softmax of one is always 1), bce
// needs sigmoid output units (its E is computed from x, its accuracy from y).
// Throws invalid_argument starting with `what`. The Trainer and evaluate() call it.
template <class T>
void check_loss(const Network<T>& net, Loss loss, const char* what);

// Whether the loss is one that classifies (accuracy is reported for it).
inline bool classifies(Loss loss) {
  return loss != Loss::sse;
}

}  // namespace dagprop
