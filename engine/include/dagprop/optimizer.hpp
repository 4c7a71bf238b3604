// How Δw, Δb become a change of w, b. Plain SGD is the memo's Algorithm 5
// and the default; others keep state per parameter (same layout [w | b]).
// update() is called on disjoint ranges of parameters in parallel.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace dagprop {

// Everything an optimizer needs to continue bit-identically after a checkpoint.
template <class T>
struct OptimizerState {
  std::string name;
  std::vector<double> scalars;          // hyper-parameters and counters
  std::vector<std::vector<T>> buffers;  // per-parameter state, each [num_params]
};

template <class T>
class Optimizer {
 public:
  // Throws invalid_argument unless the rate is positive and finite in T.
  explicit Optimizer(double learning_rate) { set_learning_rate(learning_rate); }
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  virtual std::string name() const = 0;
  // False for an optimizer whose update reads no η (irprop-): a schedule, or
  // a learning rate in a message, means nothing to it.
  virtual bool has_learning_rate() const { return true; }
  // Once per mini-batch, before update() runs on the ranges.
  virtual void begin_step(std::size_t num_params) { (void)num_params; }
  // θ[k] for k in [begin, end) from the reduced gradient g[k].
  virtual void update(T* theta, const T* g, std::size_t begin, std::size_t end) = 0;
  virtual OptimizerState<T> state() const { return {name(), {learning_rate_}, {}}; }
  virtual void set_state(const OptimizerState<T>& s);

  double learning_rate() const { return learning_rate_; }
  void set_learning_rate(double eta);

 protected:
  double learning_rate_ = 0;
};

// Algorithm 5, UpdateNN: θ <- θ - η Δθ.
template <class T>
class Sgd : public Optimizer<T> {
 public:
  explicit Sgd(double learning_rate) : Optimizer<T>(learning_rate) {}
  std::string name() const override { return "sgd"; }
  void update(T* theta, const T* g, std::size_t begin, std::size_t end) override {
    const T eta = static_cast<T>(this->learning_rate_);
    for (std::size_t k = begin; k < end; ++k) theta[k] -= eta * g[k];
  }
};

}  // namespace dagprop
