// Training curves out of the train command: a CSV log with one row per epoch
// and an SVG drawing of loss and accuracy per epoch (training and validation).
// Both are written atomically (temporary file, then rename); no plotting library.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "dagprop/trainer.hpp"

namespace dagprop::cli {

// Columns: epoch,loss,accuracy,validation_loss,validation_accuracy,seconds;
// a value that does not apply (NaN) is an empty field.
void write_log_csv(std::ostream& out, const std::vector<EpochReport>& epochs);
// Two panels, loss (left) and accuracy (right, only when it applies), each with
// the training curve (solid) and the validation curve (dashed) when present.
void write_plot_svg(std::ostream& out, const std::vector<EpochReport>& epochs);

}  // namespace dagprop::cli
