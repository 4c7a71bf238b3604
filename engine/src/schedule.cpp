// Parsing and evaluating learning-rate schedules (see schedule.hpp). Pure
// functions of the epoch; nothing here holds state between calls.
#include "dagprop/schedule.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "dagprop/error.hpp"

namespace dagprop {

namespace {

constexpr double pi = 3.14159265358979323846;

[[noreturn]] void bad(const std::string& spec, const std::string& why) {
  throw invalid_argument("learning-rate schedule '" + printable(spec) + "': " + why +
                         " (expected constant, step:N:G, exp:G or "
                         "cosine:warmup=W:epochs=E[:min=M])");
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t k = 0; k <= s.size(); ++k)
    if (k == s.size() || s[k] == sep) parts.push_back(s.substr(start, k - start)), start = k + 1;
  return parts;
}

double to_double(const std::string& spec, const std::string& field) {
  const char* b = field.c_str();
  char* e = nullptr;
  const double v = std::strtod(b, &e);
  if (field.empty() || e != b + field.size() || !std::isfinite(v))
    bad(spec, "'" + field + "' is not a finite number");
  return v;
}

std::size_t to_count(const std::string& spec, const std::string& field) {
  if (field.empty() || field.size() > 9 ||
      field.find_first_not_of("0123456789") != std::string::npos)
    bad(spec, "'" + field + "' is not a whole number below 10^9");
  return static_cast<std::size_t>(std::stoul(field));
}

// The shortest text that strtod reads back as v.
std::string exact_text(double v) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  return std::string(buffer, end);
}

}  // namespace

void Schedule::check_rates(double eta0, std::size_t total_epochs) const {
  // Warm-up rises and the decays are monotone: the extremes are the first and
  // last epochs.
  for (const std::size_t e : {std::size_t{0}, total_epochs ? total_epochs - 1 : 0}) {
    const double eta = learning_rate(eta0, e);
    if (!(eta > 0) || !std::isfinite(eta)) {
      std::ostringstream m;
      m << "the learning rate " << eta0 << " becomes " << eta << " at epoch " << e + 1 << " of "
        << total_epochs << "; choose a factor closer to 1 or fewer epochs";
      throw invalid_argument(m.str());
    }
  }
}

void Schedule::check() const {
  const std::string spec = to_string();
  if (kind != Kind::constant && kind != Kind::step && kind != Kind::exponential &&
      kind != Kind::cosine)
    bad(spec, "unknown kind code " + std::to_string(static_cast<int>(kind)));
  if ((kind == Kind::step || kind == Kind::exponential) && !(gamma > 0 && std::isfinite(gamma)))
    bad(spec, "the factor must be positive and finite");
  if (kind == Kind::step && step == 0) bad(spec, "the step must be at least 1 epoch");
  // As parse_schedule reads them: every checked schedule's spec reads back.
  const std::size_t counts_below = 1000000000;
  if ((kind == Kind::step && step >= counts_below) ||
      (kind == Kind::cosine && (warmup >= counts_below || epochs >= counts_below)))
    bad(spec, "the counts of epochs must be below 10^9");
  if (kind == Kind::cosine && !(warmup < epochs)) bad(spec, "warmup must be less than epochs");
  if (kind == Kind::cosine && !(min_factor >= 0 && min_factor < 1))
    bad(spec, "min must be in [0, 1)");
}

double Schedule::factor(std::size_t e) const {
  switch (kind) {
    case Kind::constant:
      return 1;
    case Kind::step:
      return std::pow(gamma, static_cast<double>(e / step));
    case Kind::exponential:
      return std::pow(gamma, static_cast<double>(e));
    case Kind::cosine: {
      if (e < warmup) return static_cast<double>(e + 1) / static_cast<double>(warmup);
      const double span = static_cast<double>(epochs - warmup);
      const double t = static_cast<double>(std::min(e - warmup, epochs - warmup - 1)) / span;
      return min_factor + (1 - min_factor) * (1 + std::cos(pi * t)) / 2;
    }
  }
  return 1;
}

std::string Schedule::to_string() const {
  switch (kind) {
    case Kind::constant:
      return "constant";
    case Kind::step:
      return "step:" + std::to_string(step) + ":" + exact_text(gamma);
    case Kind::exponential:
      return "exp:" + exact_text(gamma);
    case Kind::cosine:
      return "cosine:warmup=" + std::to_string(warmup) + ":epochs=" + std::to_string(epochs) +
             ":min=" + exact_text(min_factor);
  }
  return "?";
}

Schedule parse_schedule(const std::string& spec) {
  const std::vector<std::string> f = split(spec, ':');
  Schedule s;
  if (spec.empty() || spec == "constant") return s;
  if (f[0] == "step") {
    if (f.size() != 3) bad(spec, "step needs two fields");
    s.kind = Schedule::Kind::step;
    s.step = to_count(spec, f[1]);
    s.gamma = to_double(spec, f[2]);
  } else if (f[0] == "exp") {
    if (f.size() != 2) bad(spec, "exp needs one field");
    s.kind = Schedule::Kind::exponential;
    s.gamma = to_double(spec, f[1]);
  } else if (f[0] == "cosine") {
    s.kind = Schedule::Kind::cosine;
    bool have_epochs = false;
    for (std::size_t k = 1; k < f.size(); ++k) {
      const std::size_t eq = f[k].find('=');
      const std::string key = f[k].substr(0, eq);
      const std::string value = eq == std::string::npos ? "" : f[k].substr(eq + 1);
      if (eq == std::string::npos) bad(spec, "'" + f[k] + "' is not key=value");
      if (key == "warmup")
        s.warmup = to_count(spec, value);
      else if (key == "epochs")
        s.epochs = to_count(spec, value), have_epochs = true;
      else if (key == "min")
        s.min_factor = to_double(spec, value);
      else
        bad(spec, "unknown key '" + key + "'");
    }
    if (!have_epochs) bad(spec, "cosine needs epochs=E");
  } else {
    bad(spec, "unknown kind '" + f[0] + "'");
  }
  s.check();
  return s;
}

}  // namespace dagprop
