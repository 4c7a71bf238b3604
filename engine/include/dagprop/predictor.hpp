// Inference on one thread without per-call setup: what predict() of
// evaluate.hpp computes (the same bits), from a workspace kept between calls.
// A NEAT fitness loop or a deployed model calls it millions of times on small
// batches, where predict()'s threads and allocations would cost more than the
// network. One Predictor per thread; any number of them may share one const
// network.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "dagprop/network.hpp"

namespace dagprop {

// Runs propagated together by predict(), evaluate() and a Predictor: a
// block's lanes are its runs rounded up to a multiple of 16, so the blocking
// decides the bits of the result and all three use this one.
inline constexpr std::size_t predict_block = 64;

template <class T>
class Predictor {
 public:
  // Keeps a reference to net, which must outlive the Predictor and keep its
  // shape (weights may change between calls).
  explicit Predictor(const Network<T>& net);
  Predictor(const Network<T>&&) = delete;  // a temporary would dangle
  ~Predictor();
  // A copy predicts with the same network from a workspace of its own; a
  // moved-from Predictor still predicts (it makes a new workspace).
  Predictor(const Predictor& other);
  Predictor& operator=(const Predictor& other);
  Predictor(Predictor&& other) noexcept;
  Predictor& operator=(Predictor&& other) noexcept;

  const Network<T>& network() const { return *net_; }

  // Outputs of `rows` input rows (row-major, num_inputs each): out[r *
  // num_outputs + k], bit for bit predict(network(), inputs, rows). The
  // returned vector is valid until the next call. No allocation once a call
  // of at least min(rows, predict_block) rows, and one of rows rows, was made.
  const std::vector<T>& predict(const T* inputs, std::size_t rows);
  // The same into out[rows * num_outputs] (no allocation once a call of at
  // least min(rows, predict_block) rows was made).
  void predict(const T* inputs, std::size_t rows, T* out);

 private:
  struct Impl;  // the inference workspace and the rows' index (predictor.cpp)
  Impl& impl();

  const Network<T>* net_;
  std::unique_ptr<Impl> impl_;
};

// Throws invalid_argument (starting with `what`) when `rows` input rows
// cannot be predicted: null inputs, or outputs too large to allocate.
template <class T>
void check_predict_rows(const Network<T>& net, const T* inputs, std::size_t rows, const char* what);

}  // namespace dagprop
