// Classification and regression metrics of `dagprop eval` (metrics.hpp):
// plain sums over the rows in double, printed with %g-style numbers.
#include "metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace dagprop::cli {

namespace {

std::string fixed(double v, int digits) {
  char s[32];
  std::snprintf(s, sizeof s, "%.*f", digits, v);
  return s;
}

std::string padded(const std::string& text, std::size_t width) {
  return std::string(width > text.size() ? width - text.size() : 0, ' ') + text;
}

}  // namespace

std::size_t class_of(const double* y, std::size_t K) {
  if (K == 1) return y[0] > 0.5 ? 1 : 0;
  std::size_t best = 0;
  for (std::size_t k = 1; k < K; ++k)
    if (y[k] > y[best]) best = k;
  return best;
}

ClassMetrics class_metrics(const double* y, const double* t, std::size_t rows, std::size_t K) {
  ClassMetrics m;
  const std::size_t C = K == 1 ? 2 : K;
  m.classes = C;
  m.confusion.assign(C * C, 0);
  std::size_t right = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t truth = class_of(t + r * K, K), guess = class_of(y + r * K, K);
    ++m.confusion[truth * C + guess];
    right += truth == guess;
  }
  m.accuracy = rows ? static_cast<double>(right) / static_cast<double>(rows) : 0;
  for (std::size_t c = 0; c < C; ++c) {
    std::size_t predicted = 0, actual = 0;
    for (std::size_t q = 0; q < C; ++q) {
      predicted += m.confusion[q * C + c];
      actual += m.confusion[c * C + q];
    }
    const auto hit = static_cast<double>(m.confusion[c * C + c]);
    const double p = predicted ? hit / static_cast<double>(predicted) : 0;
    const double rc = actual ? hit / static_cast<double>(actual) : 0;
    m.precision.push_back(p);
    m.recall.push_back(rc);
    m.f1.push_back(p + rc > 0 ? 2 * p * rc / (p + rc) : 0);
  }
  return m;
}

void print_class_metrics(std::ostream& out, const ClassMetrics& m,
                         const std::vector<std::string>& names) {
  const std::size_t C = m.classes;
  std::vector<std::string> label(C);
  std::size_t width = 9;  // "precision"
  for (std::size_t c = 0; c < C; ++c) {
    label[c] = names.size() == C ? names[c] : std::to_string(c);
    width = std::max(width, label[c].size());
  }
  char accuracy[32];
  std::snprintf(accuracy, sizeof accuracy, "%.9g", m.accuracy);
  out << "accuracy " << accuracy << "\n";
  out << "confusion matrix (rows: true class, columns: predicted class)\n" << padded("", width);
  for (std::size_t c = 0; c < C; ++c) out << " " << padded(label[c], width);
  out << "\n";
  for (std::size_t t = 0; t < C; ++t) {
    out << padded(label[t], width);
    for (std::size_t c = 0; c < C; ++c)
      out << " " << padded(std::to_string(m.confusion[t * C + c]), width);
    out << "\n";
  }
  out << padded("class", width) << " " << padded("precision", 9) << " " << padded("recall", 9)
      << " " << padded("f1", 9) << " " << padded("support", 9) << "\n";
  for (std::size_t c = 0; c < C; ++c) {
    std::size_t support = 0;
    for (std::size_t q = 0; q < C; ++q) support += m.confusion[c * C + q];
    out << padded(label[c], width) << " " << padded(fixed(m.precision[c], 4), 9) << " "
        << padded(fixed(m.recall[c], 4), 9) << " " << padded(fixed(m.f1[c], 4), 9) << " "
        << padded(std::to_string(support), 9) << "\n";
  }
}

RegressionMetrics regression_metrics(const double* y, const double* t, std::size_t rows,
                                     std::size_t K) {
  RegressionMetrics m;
  const auto n = static_cast<double>(rows);
  for (std::size_t k = 0; k < K; ++k) {
    double se = 0, ae = 0, mean = 0;
    for (std::size_t r = 0; r < rows; ++r) mean += t[r * K + k] / n;
    double ss = 0;
    bool constant = true;  // R² is undefined; a rounded mean would make ss tiny, not 0
    for (std::size_t r = 0; r < rows; ++r) {
      constant = constant && t[r * K + k] == t[k];
      const double e = y[r * K + k] - t[r * K + k], d = t[r * K + k] - mean;
      se += e * e;
      ae += std::fabs(e);
      ss += d * d;
    }
    m.rmse.push_back(std::sqrt(se / n));
    m.mae.push_back(ae / n);
    m.r2.push_back(ss > 0 && !constant ? 1 - se / ss : std::nan(""));
  }
  return m;
}

void print_regression_metrics(std::ostream& out, const RegressionMetrics& m) {
  const auto line = [&](const char* name, const std::vector<double>& v) {
    out << name;
    char s[32];
    for (double x : v) {
      if (std::isnan(x)) {  // R² of a target that does not vary
        out << " -";
        continue;
      }
      std::snprintf(s, sizeof s, " %.9g", x);
      out << s;
    }
    out << "\n";
  };
  line("rmse", m.rmse);
  line("mae", m.mae);
  line("r2", m.r2);
}

}  // namespace dagprop::cli
