// The CSV log and the SVG plot of the training curves. The SVG writer is a
// few primitives (polyline, text, line) over a linear scale per panel.
#include "curves.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>

namespace dagprop::cli {

namespace {

std::string field(double v) {
  if (!std::isfinite(v)) return "";
  char s[32];
  std::snprintf(s, sizeof s, "%.9g", v);
  return s;
}

struct Panel {
  double x0, y0, w, h;  // plot area in SVG units
  double lo, hi;        // value range on the vertical axis
  std::size_t epochs;
  double px(std::size_t epoch) const {
    return epochs <= 1 ? x0 + w / 2
                       : x0 + w * static_cast<double>(epoch - 1) / static_cast<double>(epochs - 1);
  }
  double py(double v) const { return y0 + h - h * (v - lo) / (hi - lo); }
};

void polyline(std::ostream& out, const Panel& p, const std::vector<double>& values,
              const char* color, bool dashed) {
  out << "<polyline fill='none' stroke='" << color << "' stroke-width='2'"
      << (dashed ? " stroke-dasharray='6,4'" : "") << " points='";
  for (std::size_t k = 0; k < values.size(); ++k)
    if (std::isfinite(values[k])) out << field(p.px(k + 1)) << ',' << field(p.py(values[k])) << ' ';
  out << "'/>\n";
  for (std::size_t k = 0; k < values.size(); ++k)
    if (std::isfinite(values[k]))
      out << "<circle cx='" << field(p.px(k + 1)) << "' cy='" << field(p.py(values[k]))
          << "' r='2.5' fill='" << color << "'/>\n";
}

void panel(std::ostream& out, double x, const char* title, const std::vector<double>& train,
           const std::vector<double>& validation) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto* v : {&train, &validation})
    for (double d : *v)
      if (std::isfinite(d)) lo = std::min(lo, d), hi = std::max(hi, d);
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi - lo < 1e-12) lo -= 0.5, hi += 0.5;
  const double pad = 0.05 * (hi - lo);
  const Panel p{x + 60, 40, 340, 260, lo - pad, hi + pad, train.size()};
  out << "<text x='" << p.x0 + p.w / 2 << "' y='24' text-anchor='middle' font-size='15'>" << title
      << "</text>\n";
  out << "<rect x='" << p.x0 << "' y='" << p.y0 << "' width='" << p.w << "' height='" << p.h
      << "' fill='none' stroke='#444'/>\n";
  for (int t = 0; t <= 4; ++t) {  // vertical axis ticks
    const double v = p.lo + (p.hi - p.lo) * t / 4;
    out << "<line x1='" << p.x0 - 4 << "' x2='" << p.x0 << "' y1='" << field(p.py(v)) << "' y2='"
        << field(p.py(v)) << "' stroke='#444'/><text x='" << p.x0 - 6 << "' y='"
        << field(p.py(v) + 4) << "' text-anchor='end' font-size='11'>"
        << field(std::round(v * 1e4) / 1e4) << "</text>\n";
  }
  const std::size_t n = train.size(), step = std::max<std::size_t>(1, n / 8);
  for (std::size_t e = 1; e <= n; e += step)  // epoch ticks
    out << "<text x='" << field(p.px(e)) << "' y='" << p.y0 + p.h + 16
        << "' text-anchor='middle' font-size='11'>" << e << "</text>\n";
  out << "<text x='" << p.x0 + p.w / 2 << "' y='" << p.y0 + p.h + 34
      << "' text-anchor='middle' font-size='12'>epoch</text>\n";
  polyline(out, p, train, "#1f77b4", false);
  polyline(out, p, validation, "#ff7f0e", true);
}

}  // namespace

void write_log_csv(std::ostream& out, const std::vector<EpochReport>& epochs) {
  out << "epoch,loss,accuracy,validation_loss,validation_accuracy,seconds\n";
  for (const EpochReport& r : epochs)
    out << r.epoch << ',' << field(r.loss) << ',' << field(r.accuracy) << ','
        << field(r.validation_loss) << ',' << field(r.validation_accuracy) << ','
        << field(r.seconds) << '\n';
}

void write_plot_svg(std::ostream& out, const std::vector<EpochReport>& epochs) {
  std::vector<double> loss, vloss, acc, vacc;
  bool has_accuracy = false;
  for (const EpochReport& r : epochs) {
    loss.push_back(r.loss), vloss.push_back(r.validation_loss);
    acc.push_back(r.accuracy), vacc.push_back(r.validation_accuracy);
    has_accuracy = has_accuracy || std::isfinite(r.accuracy);
  }
  const int width = has_accuracy ? 840 : 420;
  out << "<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns='http://www.w3.org/2000/svg' width='"
      << width << "' height='380' font-family='sans-serif'>\n<rect width='100%' height='100%' "
      << "fill='white'/>\n";
  panel(out, 0, "loss per run", loss, vloss);
  if (has_accuracy) panel(out, 420, "accuracy", acc, vacc);
  out << "<text x='70' y='372' font-size='12' fill='#1f77b4'>training (solid)</text>"
      << "<text x='200' y='372' font-size='12' fill='#ff7f0e'>validation (dashed)</text>\n</svg>\n";
}

}  // namespace dagprop::cli
