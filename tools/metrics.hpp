// Metrics of `dagprop eval` in the data's own units: for classes, the
// accuracy, the confusion matrix and per-class precision, recall and F1; for
// regression, RMSE, MAE and R² per output. Computed from outputs and targets
// already de-scaled; it runs no network and reads no file.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace dagprop::cli {

// The class of one row of K values: argmax for K > 1 (first of equals),
// value > 0.5 for K == 1 (a sigmoid's 0/1 target).
std::size_t class_of(const double* y, std::size_t K);

struct ClassMetrics {
  std::size_t classes = 0;
  std::vector<std::size_t> confusion;  // [true class * classes + predicted class]
  double accuracy = 0;
  // Per class; 0 where undefined (no predictions, no true rows), as
  // scikit-learn's zero_division=0.
  std::vector<double> precision, recall, f1;
};
// From `rows` rows of K outputs y and K targets t.
ClassMetrics class_metrics(const double* y, const double* t, std::size_t rows, std::size_t K);
// accuracy, the confusion matrix labelled by `names` (or the class numbers)
// and a table of precision, recall, F1 and support per class.
void print_class_metrics(std::ostream& out, const ClassMetrics& m,
                         const std::vector<std::string>& names);

struct RegressionMetrics {
  std::vector<double> rmse, mae, r2;  // per output; r2 is NaN for a constant target
};
RegressionMetrics regression_metrics(const double* y, const double* t, std::size_t rows,
                                     std::size_t K);
// Lines "rmse", "mae", "r2", each with one value per output ("-" for the R²
// of a target that does not vary, which is undefined).
void print_regression_metrics(std::ostream& out, const RegressionMetrics& m);

}  // namespace dagprop::cli
