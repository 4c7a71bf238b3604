// The CSV log and the SVG plot of the training curves. The SVG writer is a
// few primitives (polyline, text, line) over one scale per panel (linear, or
// log10 for a loss spanning decades) with 1-2-5 tick values. A curve of many
// epochs is thinned to at most max_points points, so that one rewrite costs
// O(epochs) in the log and O(1) in the drawing.
#include "curves.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>

namespace dagprop::cli {

namespace {

constexpr std::size_t max_points = 1000;  // per curve
constexpr std::size_t max_markers = 30;   // epochs up to which each point gets a marker

std::string field(double v) {
  if (!std::isfinite(v)) return "";
  char s[32];
  std::snprintf(s, sizeof s, "%.9g", v);
  return s;
}

std::string tick_label(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%.4g", std::fabs(v) < 1e-12 ? 0.0 : v);
  return s;
}

// The 1-2-5 step nearest to `range / n`.
double nice_step(double range, int n) {
  const double raw = range / n, decade = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * decade * 1.0000001) return m * decade;
  return 10 * decade;
}

struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  std::vector<double> ticks;
  double map(double v) const {  // 0 at lo, 1 at hi
    return log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
               : (v - lo) / (hi - lo);
  }
};

// A value axis over [lo, hi] of finite values: linear with nice ends (from 0
// for values that cannot be negative, up to at most `cap`), or log10 when
// `log` (decades as ticks).
Axis value_axis(double lo, double hi, bool non_negative, double cap, bool log) {
  Axis a;
  if (log && lo > 0) {
    a.log = true;
    a.lo = std::pow(10.0, std::floor(std::log10(lo)));
    a.hi = std::pow(10.0, std::ceil(std::log10(hi)));
    if (a.hi <= a.lo) a.hi = a.lo * 10;
    const double decades = std::log10(a.hi / a.lo);
    const double every = std::max(1.0, std::ceil(decades / 6));
    for (double e = std::log10(a.lo); e <= std::log10(a.hi) + 1e-9; e += every)
      a.ticks.push_back(std::pow(10.0, e));
    return a;
  }
  if (non_negative && lo >= 0 && lo < 0.5 * hi) lo = 0;  // a loss: from 0 unless far from it
  if (hi - lo < 1e-12 * std::max(1.0, std::fabs(hi))) lo -= 0.5, hi += 0.5;
  const double step = nice_step(hi - lo, 5);
  a.lo = std::floor(lo / step) * step;
  a.hi = std::ceil(hi / step) * step;
  if (non_negative) a.lo = std::max(a.lo, 0.0);
  a.hi = std::min(a.hi, cap);
  if (a.hi <= a.lo) a.hi = a.lo + step;
  for (double t = a.lo; t <= a.hi + step * 1e-6; t += step) a.ticks.push_back(t);
  return a;
}

// Epoch ticks: 1-2-5 steps from 0 (1 when the step is 1), and the last epoch.
std::vector<std::size_t> epoch_ticks(std::size_t n) {
  std::vector<std::size_t> t;
  if (n <= 1) return {1};
  const auto step =
      std::max<std::size_t>(1, static_cast<std::size_t>(nice_step(static_cast<double>(n), 6)));
  for (std::size_t e = step == 1 ? 1 : step; e < n; e += step)
    if (static_cast<double>(n - e) >= 0.4 * static_cast<double>(step)) t.push_back(e);
  t.push_back(n);
  return t;
}

struct Panel {
  double x0, y0, w, h;  // plot area in SVG units
  Axis y;
  std::size_t epochs;
  double px(std::size_t epoch) const {
    return epochs <= 1 ? x0 + w / 2
                       : x0 + w * static_cast<double>(epoch - 1) / static_cast<double>(epochs - 1);
  }
  double py(double v) const { return y0 + h - h * y.map(v); }
};

bool drawable(const Panel& p, double v) {
  return std::isfinite(v) && (!p.y.log || v > 0);
}

void polyline(std::ostream& out, const Panel& p, const std::vector<double>& values,
              const char* color, bool dashed) {
  const std::size_t n = values.size(), stride = (n + max_points - 1) / max_points;
  out << "<polyline fill='none' stroke='" << color << "' stroke-width='2'"
      << (dashed ? " stroke-dasharray='6,4'" : "") << " points='";
  for (std::size_t k = 0; k < n; ++k)
    if ((k % stride == 0 || k + 1 == n) && drawable(p, values[k]))
      out << field(p.px(k + 1)) << ',' << field(p.py(values[k])) << ' ';
  out << "'/>\n";
  if (n > max_markers) return;
  for (std::size_t k = 0; k < n; ++k)
    if (drawable(p, values[k]))
      out << "<circle cx='" << field(p.px(k + 1)) << "' cy='" << field(p.py(values[k]))
          << "' r='2.5' fill='" << color << "'/>\n";
}

bool any_finite(const std::vector<double>& v) {
  return std::any_of(v.begin(), v.end(), [](double d) { return std::isfinite(d); });
}

struct Curves {
  const char* title;
  std::vector<double> train, validation;
  bool non_negative;
  double cap;  // the axis never goes above it (1 for an accuracy)
  bool log_if_decades;
};

void panel(std::ostream& out, double x, const Curves& c, bool force_log) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, lowest_positive = lo;
  for (const auto* v : {&c.train, &c.validation})
    for (double d : *v)
      if (std::isfinite(d)) {
        lo = std::min(lo, d), hi = std::max(hi, d);
        if (d > 0) lowest_positive = std::min(lowest_positive, d);
      }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  const bool log = c.log_if_decades && std::isfinite(lowest_positive) &&
                   (force_log || hi / lowest_positive >= 1e3);
  Panel p{x + 75,
          40,
          320,
          260,
          value_axis(log ? lowest_positive : lo, hi, c.non_negative, c.cap, log),
          c.train.size()};
  out << "<g class='panel' data-title='" << c.title << "' data-x-min='1' data-x-max='" << p.epochs
      << "' data-y-min='" << field(p.y.lo) << "' data-y-max='" << field(p.y.hi)
      << "' data-y-scale='" << (p.y.log ? "log" : "linear") << "' data-plot='" << field(p.x0) << ','
      << field(p.y0) << ',' << field(p.w) << ',' << field(p.h) << "'>\n";
  out << "<text x='" << p.x0 + p.w / 2 << "' y='24' text-anchor='middle' font-size='15'>" << c.title
      << (p.y.log ? " (log scale)" : "") << "</text>\n";
  out << "<rect x='" << p.x0 << "' y='" << p.y0 << "' width='" << p.w << "' height='" << p.h
      << "' fill='none' stroke='#444'/>\n";
  for (double v : p.y.ticks)
    out << "<line x1='" << p.x0 - 4 << "' x2='" << p.x0 + p.w << "' y1='" << field(p.py(v))
        << "' y2='" << field(p.py(v)) << "' stroke='#ddd'/><text x='" << p.x0 - 6 << "' y='"
        << field(p.py(v) + 4) << "' text-anchor='end' font-size='11'>" << tick_label(v)
        << "</text>\n";
  for (std::size_t e : epoch_ticks(p.epochs))
    out << "<line x1='" << field(p.px(e)) << "' x2='" << field(p.px(e)) << "' y1='" << p.y0 + p.h
        << "' y2='" << p.y0 + p.h + 4 << "' stroke='#444'/><text x='" << field(p.px(e)) << "' y='"
        << p.y0 + p.h + 16 << "' text-anchor='middle' font-size='11'>" << e << "</text>\n";
  out << "<text x='" << p.x0 + p.w / 2 << "' y='" << p.y0 + p.h + 34
      << "' text-anchor='middle' font-size='12'>epoch</text>\n";
  polyline(out, p, c.train, "#1f77b4", false);
  if (any_finite(c.validation)) polyline(out, p, c.validation, "#ff7f0e", true);
  out << "</g>\n";
}

}  // namespace

void write_log_csv(std::ostream& out, const std::vector<EpochReport>& epochs) {
  out << "epoch,loss,accuracy,validation_loss,validation_accuracy,seconds\n";
  for (const EpochReport& r : epochs)
    out << r.epoch << ',' << field(r.loss) << ',' << field(r.accuracy) << ','
        << field(r.validation_loss) << ',' << field(r.validation_accuracy) << ','
        << field(r.seconds) << '\n';
}

void write_plot_svg(std::ostream& out, const std::vector<EpochReport>& epochs,
                    const PlotOptions& options) {
  Curves loss{"loss per run", {}, {}, true, HUGE_VAL, true};
  Curves acc{"accuracy", {}, {}, true, 1.0, false};
  Curves rmse{options.rmse_title.c_str(), {}, {}, true, HUGE_VAL, true};
  const auto to_rmse = [&](double e) {
    return std::sqrt(2 * e / static_cast<double>(options.outputs)) * options.rmse_scale;
  };
  for (const EpochReport& r : epochs) {
    loss.train.push_back(r.loss), loss.validation.push_back(r.validation_loss);
    acc.train.push_back(r.accuracy), acc.validation.push_back(r.validation_accuracy);
    rmse.train.push_back(to_rmse(r.loss)), rmse.validation.push_back(to_rmse(r.validation_loss));
  }
  const bool has_accuracy = any_finite(acc.train);
  const bool has_rmse = !has_accuracy && options.rmse_scale > 0;
  const bool two = has_accuracy || has_rmse;
  const bool has_validation = any_finite(loss.validation);
  out << "<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns='http://www.w3.org/2000/svg' width='"
      << (two ? 840 : 420) << "' height='390' font-family='sans-serif'>\n<rect width='100%' "
      << "height='100%' fill='white'/>\n";
  panel(out, 0, loss, options.log_loss);
  if (has_accuracy) panel(out, 420, acc, false);
  if (has_rmse) panel(out, 420, rmse, options.log_loss);
  out << "<line x1='75' x2='105' y1='372' y2='372' stroke='#1f77b4' stroke-width='2'/>"
      << "<text x='110' y='376' font-size='12'>training</text>\n";
  if (has_validation)
    out << "<line x1='190' x2='220' y1='372' y2='372' stroke='#ff7f0e' stroke-width='2' "
        << "stroke-dasharray='6,4'/><text x='225' y='376' font-size='12'>validation</text>\n";
  out << "</svg>\n";
}

}  // namespace dagprop::cli
