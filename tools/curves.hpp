// Training curves out of the train command: a CSV log with one row per epoch
// and an SVG drawing of loss and accuracy per epoch (training and validation).
// Both are written atomically (temporary file, then rename); no plotting library.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "dagprop/trainer.hpp"

namespace dagprop::cli {

// Columns: epoch,loss,accuracy,validation_loss,validation_accuracy,seconds;
// a value that does not apply (NaN) is an empty field.
void write_log_csv(std::ostream& out, const std::vector<EpochReport>& epochs);
struct PlotOptions {
  bool log_loss = false;    // --plot-log: a log scale for the loss (else when it spans 3 decades)
  double rmse_scale = 0;    // > 0: a regression panel of RMSE = sqrt(2 E / outputs) * rmse_scale
  std::size_t outputs = 1;  // K, for the RMSE
  std::string rmse_title = "RMSE";
};
// Two panels, loss (left) and accuracy or RMSE (right, when it applies), each
// with the training curve (solid) and the validation curve (dashed) when
// present; every panel's axis ranges are data- attributes of its <g>.
void write_plot_svg(std::ostream& out, const std::vector<EpochReport>& epochs,
                    const PlotOptions& options = {});

}  // namespace dagprop::cli
