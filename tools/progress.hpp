// A one-line progress bar for an epoch on a terminal (stderr): bar, percent,
// runs per second, the running loss and the time left for the whole run (ETA),
// redrawn at most ten times a second.
// It prints nothing unless enabled; epoch summaries are the caller's.
#pragma once

#include <chrono>
#include <cstddef>
#include <iosfwd>

namespace dagprop::cli {

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, bool enabled) : out_(out), enabled_(enabled) {}
  // After mini-batch `batch` (0-based) of `batches` of `epoch`, with `runs`
  // runs and a mean loss per run of `loss`.
  void update(std::size_t epoch, std::size_t epochs, std::size_t batch, std::size_t batches,
              std::size_t runs, double loss);
  // Erases the bar (before the epoch's summary line is printed).
  void clear();

 private:
  std::ostream& out_;
  bool enabled_;
  bool shown_ = false;
  std::size_t epoch_ = 0, runs_ = 0;
  double loss_sum_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::chrono::steady_clock::time_point run_start_;
  std::size_t first_epoch_ = 0;  // the first epoch seen (a resumed run starts later)
};

}  // namespace dagprop::cli
