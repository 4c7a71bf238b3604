// The train command's epoch lines, file rewrite schedule and loss watch
// (train_watch.hpp). It prints only the warning of LossWatch, on the stream
// given; the epoch lines are the caller's to print.
#include "train_watch.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

#include "cli.hpp"
#include "dagprop/error.hpp"

namespace dagprop::cli {

std::string epoch_line(const EpochReport& r, std::size_t epochs) {
  char s[256];
  int n = std::snprintf(s, sizeof s, "epoch %zu/%zu  loss %.6g", r.epoch, epochs, r.loss);
  auto add = [&](const char* fmt, double v) {
    if (std::isfinite(v) && n > 0 && static_cast<std::size_t>(n) < sizeof s)
      n += std::snprintf(s + n, sizeof s - static_cast<std::size_t>(n), fmt, v);
  };
  add("  acc %.4f", r.accuracy);
  add("  val loss %.6g", r.validation_loss);
  add("  val acc %.4f", r.validation_accuracy);
  add("  %.2f s", r.seconds);
  // The speed only without validation, so that the line stays under 100 columns.
  if (!std::isfinite(r.validation_loss))
    add("  %.3g runs/s", r.seconds > 0 ? static_cast<double>(r.runs) / r.seconds : std::nan(""));
  return s;
}

std::string divergence_hints() {
  return "what usually helps: --reduction mean (the default), a lower --lr, --clip-norm 1, "
         "--scale standardize for the inputs, --scale-targets standardize for large regression "
         "targets";
}

bool RewriteSchedule::due(std::size_t epoch, std::size_t epochs) {
  const auto now = std::chrono::steady_clock::now();
  const bool power_of_two = (epoch & (epoch - 1)) == 0;
  if (power_of_two || epoch == epochs ||
      std::chrono::duration<double>(now - last_).count() >= seconds_) {
    last_ = now;
    return true;
  }
  return false;
}

void LossWatch::update(const EpochReport& r, std::ostream& err) {
  if (!std::isfinite(r.loss)) return;  // the trainer reports non-finite losses itself
  if (lowest_epoch_ == 0 || r.loss < lowest_) {
    lowest_ = r.loss, lowest_epoch_ = r.epoch;
    return;
  }
  const double growth = lowest_ > 0 ? r.loss / lowest_ : HUGE_VAL;
  const std::string what = "the epoch loss grew from " + number(lowest_) + " (epoch " +
                           std::to_string(lowest_epoch_) + ") to " + number(r.loss) + " (epoch " +
                           std::to_string(r.epoch) + ")";
  if (stop_factor_ > 0 && growth > stop_factor_)
    throw numeric_error("training diverged: " + what + ", more than --stop-on-divergence " +
                        number(stop_factor_) + " times; nothing was written; " +
                        divergence_hints());
  if (growth > 100 && !warned_) {
    err << "dagprop: warning: " << what << "; " << divergence_hints() << std::endl;
    warned_ = true;
  }
}

}  // namespace dagprop::cli
