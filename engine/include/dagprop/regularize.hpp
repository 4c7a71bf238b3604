// Regularisation helpers around the optimizer step: gradient clipping by
// global norm and by value (the Trainer calls these between the reduction and
// the update, TrainOptions::clip_norm / clip_value) and early stopping on the
// validation loss. Dropout lives in the block kernels (TrainOptions::dropout).
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "dagprop/network.hpp"

namespace dagprop {

// Parameters per block when summing squares: fixed, so the norm is the same
// on any number of threads.
inline constexpr std::size_t norm_grain = 4096;

// sqrt(Σ g[k]²), accumulated in double: each block of norm_grain values summed
// in order (blocks in parallel), then the block sums in block order.
template <class T>
double global_norm(const T* g, std::size_t n);

// When ||g|| > max_norm, g <- g · max_norm / ||g|| (no ε added, unlike
// PyTorch's clip_grad_norm_). Returns ||g|| before clipping. max_norm > 0.
template <class T>
double clip_by_norm(T* g, std::size_t n, double max_norm);

// g[k] <- min(max(g[k], -limit), limit). Returns how many values it changed.
template <class T>
std::size_t clip_by_value(T* g, std::size_t n, double limit);

// Stops training once the validation loss has not improved by more than
// min_delta for `patience` epochs, keeping a copy of the best parameters.
// From an on_epoch callback of Trainer::fit:
//   dagprop::EarlyStopping<float> stop(5);       // --patience 5
//   trainer.fit(train, &valid, [&](const EpochReport& r) {
//     return stop.update(r.validation_loss, net); });
//   stop.restore(net);                            // the best weights
template <class T>
class EarlyStopping {
 public:
  explicit EarlyStopping(std::size_t patience, double min_delta = 0);

  // Records one epoch's loss (NaN counts as no improvement) and, when it is
  // the best so far, a copy of net's parameters. Returns false when training
  // should stop: `patience` epochs in a row without improvement.
  bool update(double loss, const Network<T>& net);
  // Copies the best parameters back into net; throws invalid_argument when
  // none were recorded or the network has another size.
  void restore(Network<T>& net) const;

  double best_loss() const { return best_loss_; }
  std::size_t best_epoch() const { return best_epoch_; }  // 1-based; 0: none yet
  std::size_t epochs() const { return epochs_; }          // update() calls so far
  std::size_t bad_epochs() const { return bad_epochs_; }  // since the best
  bool stopped() const { return bad_epochs_ >= patience_; }
  const std::vector<T>& best_params() const { return best_; }

 private:
  std::size_t patience_;
  double min_delta_;
  double best_loss_ = std::numeric_limits<double>::infinity();
  std::size_t best_epoch_ = 0, epochs_ = 0, bad_epochs_ = 0;
  std::vector<T> best_;  // [num_params]
};

}  // namespace dagprop
