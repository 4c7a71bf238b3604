// What the train command says about a run while it goes: the epoch line (under
// 100 columns), which epochs print (--quiet, --every N), when the --log and
// --plot files are rewritten (a cost linear in epochs), and the watch on a
// growing loss (--stop-on-divergence) with what usually helps. No training here.
#pragma once

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

#include "dagprop/trainer.hpp"

namespace dagprop::cli {

// "epoch 12/100  loss 0.0123  acc 0.9733  val loss 0.0456  val acc 0.9600  0.12 s"
// (without validation: "... 0.12 s  1.2e+06 runs/s"); under 100 columns up
// to a million epochs.
std::string epoch_line(const EpochReport& r, std::size_t epochs);

// What usually helps a training that diverges or whose loss grows.
std::string divergence_hints();

// Rewrites of the --log and --plot files (each costs O(epochs so far)):
// at epochs 1, 2, 4, 8, ..., at least every `seconds`, and at the last epoch,
// so that a whole run costs O(epochs · (log epochs + run time / seconds)).
class RewriteSchedule {
 public:
  explicit RewriteSchedule(double seconds = 1.0) : seconds_(seconds) {}
  bool due(std::size_t epoch, std::size_t epochs);

 private:
  double seconds_;
  std::chrono::steady_clock::time_point last_{};
};

// Watches the epoch losses: warns once on `err` when a loss exceeds 100 times
// the lowest so far (with divergence_hints), and throws numeric_error, so that
// nothing is written, when it exceeds `stop_factor` times the lowest (0: never).
class LossWatch {
 public:
  explicit LossWatch(double stop_factor) : stop_factor_(stop_factor) {}
  void update(const EpochReport& r, std::ostream& err);

 private:
  double stop_factor_;
  double lowest_ = 0;
  std::size_t lowest_epoch_ = 0;
  bool warned_ = false;
};

}  // namespace dagprop::cli
