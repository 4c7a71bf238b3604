// The epoch progress bar: "\r" redraws of one line on stderr, erased with
// "\r\033[K". Only the train command uses it, and only on a terminal.
#include "progress.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

namespace dagprop::cli {

void ProgressBar::update(std::size_t epoch, std::size_t epochs, std::size_t batch,
                         std::size_t batches, std::size_t runs, double loss) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (first_epoch_ == 0) first_epoch_ = epoch, run_start_ = now;
  if (epoch != epoch_ || batch == 0) {
    epoch_ = epoch, runs_ = 0, loss_sum_ = 0;
    start_ = now;
    last_draw_ = {};
  }
  runs_ += runs;
  loss_sum_ += loss * static_cast<double>(runs);
  const bool last = batch + 1 == batches;
  if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double fraction = static_cast<double>(batch + 1) / static_cast<double>(batches);
  constexpr int width = 30;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(width, '.');
  // ETA: the run's elapsed time scaled by the mini-batches left over those done.
  const double done = static_cast<double>((epoch - first_epoch_) * batches + batch + 1),
               total = static_cast<double>((epochs - first_epoch_ + 1) * batches);
  const double eta =
      std::chrono::duration<double>(now - run_start_).count() * (total - done) / done;
  char left[32];
  if (eta >= 3600)
    std::snprintf(left, sizeof left, "%.0fh%02.0fm", std::floor(eta / 3600),
                  std::floor(std::fmod(eta, 3600) / 60));
  else
    std::snprintf(left, sizeof left, "%.0fm%02.0fs", std::floor(eta / 60),
                  std::floor(std::fmod(eta, 60)));
  char text[192];
  std::snprintf(text, sizeof text,
                "\repoch %zu/%zu [%s] %3.0f%%  %.3g runs/s  loss %.6g  ETA %s\033[K", epoch, epochs,
                bar.c_str(), 100 * fraction,
                seconds > 0 ? static_cast<double>(runs_) / seconds : 0.0,
                loss_sum_ / static_cast<double>(runs_), left);
  out_ << text << std::flush;
  shown_ = true;
}

void ProgressBar::clear() {
  if (!shown_) return;
  out_ << "\r\033[K" << std::flush;
  shown_ = false;
}

}  // namespace dagprop::cli
