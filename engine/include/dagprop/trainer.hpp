// Algorithm 1, TrainNN, over a whole data set: seeded shuffling, mini-batches,
// the runs of a mini-batch in parallel with oneTBB. A mini-batch is split into
// chunks of `chunk_size` runs, each summing into its own gradient buffer; the
// buffers are added in chunk order, so the result does not depend on threads.
// At most 64 buffers are held: a batch of more chunks runs in waves of them,
// summed in the same order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dagprop/dataset.hpp"
#include "dagprop/evaluate.hpp"
#include "dagprop/gradient.hpp"
#include "dagprop/limits.hpp"
#include "dagprop/loss.hpp"
#include "dagprop/network.hpp"
#include "dagprop/optimizer.hpp"
#include "dagprop/reducer.hpp"
#include "dagprop/schedule.hpp"

namespace dagprop {

// One option out of range: the TrainOptions field and what it must be, worded
// so that a caller can name the option its own way (the command line's flags).
struct OptionProblem {
  std::string field;  // "batch_size", "unit_dropout[3]", "schedule 'exp:0.9'" (its spec), ...
  std::string what;   // "expected 1 to 2^24 runs, got 0"
};

// The limits of the sizes are in limits.hpp (max_batch_size, max_chunk_size,
// max_threads, max_epochs).
struct TrainOptions {
  std::size_t epochs = 10;
  std::size_t batch_size = 32;  // runs per mini-batch 𝕃; the last one may be smaller
  std::size_t chunk_size = 32;  // runs per gradient buffer and per task; fixes the order of sums
  // η, the one learning rate, whatever the optimizer: the Trainer sets its
  // optimizer's η to it (times the schedule's factor when there is one).
  double learning_rate = default_learning_rate;
  Loss loss = Loss::sse;
  Reduction reduction = Reduction::sum;  // the memo's sum (eq. 8) unless asked
  std::uint64_t seed = 1;
  bool shuffle = true;          // false: runs in data order
  std::size_t threads = 0;      // 0: all cores
  bool input_gradient = false;  // also compute ∂E/∂x (not needed to train)
  // Learning-rate schedule (schedule.hpp), e.g. kind step, step 10, gamma
  // 0.5: before each mini-batch the optimizer's η is set to learning_rate ·
  // factor(epoch). Constant (the default): η stays learning_rate.
  Schedule schedule;
  double clip_norm = 0;   // > 0: rescale Δθ to at most this global norm (regularize.hpp)
  double clip_value = 0;  // > 0: clamp each Δθ_k to [-clip_value, clip_value]
  // Inverted dropout, seeded by `seed`: rate for every hidden unit, or per
  // compiled unit id in unit_dropout (non-empty: [num_units], replaces
  // `dropout`; inputs and outputs must be 0). In [0, 1); off in evaluate/predict.
  double dropout = 0;
  std::vector<double> unit_dropout;

  // The first option out of range, if any.
  std::optional<OptionProblem> problem() const;
  // Throws invalid_argument "TrainOptions: <field>: <what>" for problem().
  void check() const;
};

struct EpochReport {
  std::size_t epoch = 0;       // 1-based
  double loss = 0;             // mean E per run over the epoch
  double accuracy = 0;         // NaN unless the loss classifies
  double validation_loss = 0;  // NaN without a validation set
  double validation_accuracy = 0;
  double seconds = 0;
  std::size_t runs = 0;
};

struct BatchReport {
  std::size_t epoch = 0, batch = 0, batches = 0;  // epoch 1-based, batch 0-based
  double loss = 0;                                // mean E per run of this batch
  std::size_t runs = 0;
};

// Where training stands; with the network and the optimizer's state it is all
// a checkpoint needs to resume bit-identically.
struct TrainerState {
  std::size_t epoch = 0;        // epochs completed
  std::size_t batch = 0;        // mini-batches completed in the current epoch
  std::uint64_t epoch_rng = 0;  // generator state before this epoch's shuffle
  double loss_sum = 0;          // sum of E over the current epoch so far
  std::size_t correct = 0, runs = 0;
  double seconds = 0;
};

template <class T>
class Trainer {
 public:
  // `optimizer` null means plain SGD (Algorithm 5); either way the optimizer's
  // η is set to options.learning_rate (OptimizerOptions holds none).
  Trainer(Network<T>& net, const TrainOptions& options,
          std::unique_ptr<Optimizer<T>> optimizer = nullptr);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Trains until options().epochs epochs are complete (continuing from state()),
  // evaluating `validation` after each epoch when given. on_epoch returning
  // false stops training. Returns the reports of the epochs it ran.
  std::vector<EpochReport> fit(const Dataset<T>& train, const Dataset<T>* validation = nullptr,
                               const std::function<bool(const EpochReport&)>& on_epoch = {});
  // One mini-batch (Algorithm 1), starting the next epoch when needed.
  // Returns the epoch's report when this batch completed it.
  // Divergence throws numeric_error naming the epoch, batch, learning rate and
  // the first unit with a non-finite x, y or p: when the loss or the summed
  // gradient is not finite, before the update (the weights are those before
  // the batch); when the update itself overflows a weight (a finite gradient
  // times too large a rate), after it (the weights are then unusable: reload
  // them from a checkpoint).
  std::optional<EpochReport> train_batch(const Dataset<T>& train);

  void on_batch(std::function<void(const BatchReport&)> f) { on_batch_ = std::move(f); }
  // Data-parallel training (reducer.hpp): from the next mini-batch on, this
  // process computes only reducer->share(chunks) of each batch and the reducer
  // combines the sums of all processes; null: every chunk here (the default).
  void reduce_with(std::shared_ptr<GradientReducer<T>> reducer) { reducer_ = std::move(reducer); }
  const TrainOptions& options() const { return options_; }
  const TrainerState& state() const { return state_; }
  void set_state(const TrainerState& s) { state_ = s; }
  Optimizer<T>& optimizer() { return *optimizer_; }
  Network<T>& network() { return net_; }

 private:
  struct Impl;
  struct Batch;  // one mini-batch's rows, chunks and sums (trainer.cpp)
  // The steps of train_batch, in the order of Algorithm 1.
  void epoch_order(std::size_t rows);
  Batch start_batch(const Dataset<T>& train);
  void back_propagate_chunks(const Dataset<T>& train, Batch& b, std::size_t wave0,
                             std::size_t slot0, std::size_t wave);
  void reduce_wave(Batch& b, std::size_t buffers_used, std::size_t k0, std::size_t k1, bool last);
  void combine(const Dataset<T>& train, Batch& b);
  void check_divergence(const Dataset<T>& train, const Batch& b);
  void update(const Batch& b);
  std::optional<EpochReport> finish_batch(const Batch& b);
  Network<T>& net_;
  TrainOptions options_;
  std::unique_ptr<Optimizer<T>> optimizer_;
  TrainerState state_;
  std::function<void(const BatchReport&)> on_batch_;
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<GradientReducer<T>> reducer_;
};

}  // namespace dagprop
