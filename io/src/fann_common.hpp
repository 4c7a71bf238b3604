// Pieces shared by the FANN readers and writer (fann.cpp, fann_write.cpp,
// fann_data.cpp): a cursor over one line's numbers, file reading under a cap,
// and FANN's activation functions as a*g(C*t + D) + E of a dagprop activation
// g. Internal to io/src; not installed.
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <system_error>

#include "dagprop/activation.hpp"
#include "dagprop/error.hpp"
#include "dagprop/io/fann.hpp"
#include "dagprop/topology.hpp"

namespace dagprop::io::fann {

inline constexpr std::size_t max_neurons = std::size_t{1} << 24;
inline constexpr std::size_t max_connections = std::size_t{1} << 28;
inline constexpr std::size_t max_layers = std::size_t{1} << 20;
// fann_run limits the steepened sum to ±150 / steepness, for every function.
inline constexpr double clamp_limit = 150.0;

// At most 40 characters of `s`, for a one-line message: control bytes (a NUL,
// which would end the message) escaped.
inline std::string excerpt(std::string_view s) {
  return printable(s, 40);
}
// The shortest text that reads back to v.
inline std::string excerpt(double v) {
  char buffer[32];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, r.ptr);
}

// The whole of a regular file of at most `cap` bytes (checked before reading).
inline std::string read_text_file(const std::string& path, std::size_t cap) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw io_error(path + ": is a directory");
  if (!std::filesystem::exists(path, ec)) throw io_error(path + ": cannot open for reading");
  if (!std::filesystem::is_regular_file(path, ec))
    throw io_error(path + ": is a pipe or a device, not a regular file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw io_error(path + ": cannot read its size: " + ec.message());
  if (size > cap)
    throw io_error(path + ": " + std::to_string(size) + " bytes exceeds the cap of " +
                   std::to_string(cap));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(path + ": cannot open for reading");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size)
    throw io_error(path + ": read " + std::to_string(in.gcount()) + " of " + std::to_string(size) +
                   " bytes");
  return text;
}

// Numbers separated by blanks (and, in tuples, commas) on one line. Errors go
// through r.fail(line, what), r being the reader that owns the line.
class Cursor {
 public:
  Cursor(std::string_view text, std::size_t line, std::string what)
      : s_(text), line_(line), what_(std::move(what)) {}

  std::size_t line() const { return line_; }
  std::size_t remaining() const { return s_.size() - pos_; }
  bool at_end() {
    skip_blanks();
    return pos_ == s_.size();
  }
  template <class R>
  void end(const R& r) {
    if (!at_end()) r.fail(line_, what_ + ": unexpected \"" + excerpt(s_.substr(pos_)) + "\"");
  }
  template <class R>
  double real(const R& r) {
    return parse_real(word(r), r);
  }
  template <class R>
  std::uint64_t count(const R& r) {
    return parse_count(word(r), r);
  }
  // "(a, b, ...)" with N fields, returned as text.
  template <std::size_t N, class R>
  std::array<std::string_view, N> tuple(const R& r, const std::string& item) {
    skip_blanks();
    if (pos_ == s_.size() || s_[pos_] != '(') bad(r, item + ": expected '('");
    const std::size_t close = s_.find(')', pos_);
    if (close == std::string_view::npos) bad(r, item + ": no closing ')'");
    std::string_view inside = s_.substr(pos_ + 1, close - pos_ - 1);
    std::array<std::string_view, N> fields;
    for (std::size_t k = 0; k < N; ++k) {
      const std::size_t comma = k + 1 < N ? inside.find(',') : inside.size();
      if (comma == std::string_view::npos || (k + 1 == N && inside.find(',') != inside.npos))
        bad(r, item + ": expected " + std::to_string(N) + " numbers in parentheses");
      fields[k] = trim(inside.substr(0, comma));
      inside.remove_prefix(std::min(comma + 1, inside.size()));
    }
    pos_ = close + 1;
    item_ = item;
    return fields;
  }
  template <class R>
  double parse_real(std::string_view t, const R& r) const {
    double v = 0;
    const auto res = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || res.ec != std::errc() || res.ptr != t.data() + t.size() || !std::isfinite(v))
      r.fail(line_, context() + ": \"" + excerpt(t) + "\" is not a finite number");
    return v;
  }
  template <class R>
  std::uint64_t parse_count(std::string_view t, const R& r) const {
    std::uint64_t v = 0;
    const auto res = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || res.ec != std::errc() || res.ptr != t.data() + t.size())
      r.fail(line_, context() + ": \"" + excerpt(t) + "\" is not a count (0, 1, 2, ...)");
    return v;
  }

 private:
  static bool blank(char c) { return c == ' ' || c == '\t'; }
  void skip_blanks() {
    while (pos_ < s_.size() && blank(s_[pos_])) ++pos_;
  }
  static std::string_view trim(std::string_view t) {
    while (!t.empty() && blank(t.front())) t.remove_prefix(1);
    while (!t.empty() && blank(t.back())) t.remove_suffix(1);
    return t;
  }
  template <class R>
  std::string_view word(const R& r) {
    skip_blanks();
    const std::size_t start = pos_;
    while (pos_ < s_.size() && !blank(s_[pos_])) ++pos_;
    if (start == pos_) r.fail(line_, what_ + ": a number is missing");
    item_.clear();
    return s_.substr(start, pos_ - start);
  }
  template <class R>
  [[noreturn]] void bad(const R& r, const std::string& what) const {
    r.fail(line_, what_ + ": " + what + " at \"" + excerpt(s_.substr(pos_)) + "\"");
  }
  std::string context() const { return item_.empty() ? what_ : what_ + ": " + item_; }

  std::string_view s_;
  std::size_t pos_ = 0, line_;
  std::string what_, item_;
};

template <class R>
std::uint64_t to_count(std::string_view t, const Cursor& c, const R& r) {
  return c.parse_count(t, r);
}
template <class R>
double to_real(std::string_view t, const Cursor& c, const R& r) {
  return c.parse_real(t, r);
}

// sum = c0 + Σ terms[u] y_u (over units of the network being built); |sum| <= bound.
struct Sum {
  std::map<UnitId, double> terms;
  double c0 = 0, bound = 0;
  void add(UnitId u, double w) { terms[u] += w; }
};

// A unit g(scale * sum + shift).
inline UnitId add_unit(Topology& t, Activation g, Role role, const std::string& name,
                       const Sum& sum, double scale, double shift) {
  const UnitId u = t.add_unit(g, role, name, scale * sum.c0 + shift);
  for (const auto& [j, w] : sum.terms) t.connect(j, u, scale * w);
  return u;
}

// A FANN function of t = clamp(steepness * sum, ±M), M = 150 / steepness, as
// A * g(C * t + D) + E. `clamp`: an explicit hard_tanh unit must apply FANN's
// clamp (else it is part of g's form, or cannot change the value).
struct Form {
  Activation g = Activation::identity;
  double C = 1, D = 0, A = 1, E = 0, M = 0;
  bool clamp = false;

  // FANN's value for a steepened sum st (its clamp included), in double.
  double value(double st) const {
    const double t = std::fmax(-M, std::fmin(M, st));
    return A * activate(g, C * t + D) + E;
  }
  // A bound on |value| when |sum| <= sum_bound.
  double bound(double steepness, double sum_bound) const {
    return g == Activation::identity ? steepness * sum_bound : std::fabs(A) + std::fabs(E);
  }
};

// clamp(t, lo, hi) = A hard_tanh(C t + D) + E.
inline Form clamp_form(double lo, double hi, double M) {
  Form f;
  f.g = Activation::hard_tanh;
  f.C = 2 / (hi - lo);
  f.D = -(hi + lo) / (hi - lo);
  f.A = (hi - lo) / 2;
  f.E = (hi + lo) / 2;
  f.M = M;
  return f;
}

// FANN's function f (not a threshold) at steepness s, for a sum with |sum| <= bound.
inline Form form(FannFunction f, double s, double bound) {
  const double M = clamp_limit / s;
  const bool reaches_clamp = !(s * bound <= M);
  const double one = std::fmin(1.0, M);
  auto smooth = [&](Activation g, double C, double D, double A, double E, bool saturates) {
    Form r{g, C, D, A, E, M, false};
    // A saturating g at C*M >= 14 is within 1e-12 of its limit: the clamp
    // cannot change the value there.
    r.clamp = reaches_clamp && !(saturates && M >= 14);
    return r;
  };
  constexpr double half_pi = 1.57079632679489661923;
  switch (f) {
    case FannFunction::linear:
      return reaches_clamp ? clamp_form(-M, M, M)
                           : Form{Activation::identity, 1, 0, 1, 0, M, false};
    case FannFunction::linear_piece:
      return clamp_form(0, one, M);
    case FannFunction::linear_piece_symmetric:
      return clamp_form(-one, one, M);
    case FannFunction::sigmoid:
    case FannFunction::sigmoid_stepwise:  // 1 / (1 + e^(-2t))
      return smooth(Activation::sigmoid, 2, 0, 1, 0, true);
    case FannFunction::sigmoid_symmetric:
    case FannFunction::sigmoid_symmetric_stepwise:  // 2 / (1 + e^(-2t)) - 1 = tanh(t)
      return smooth(Activation::tanh, 1, 0, 1, 0, true);
    case FannFunction::gaussian:
      return smooth(Activation::gaussian, 1, 0, 1, 0, true);
    case FannFunction::gaussian_symmetric:  // 2 e^(-t^2) - 1
      return smooth(Activation::gaussian, 1, 0, 2, -1, true);
    case FannFunction::elliot:  // (t / 2) / (1 + |t|) + 1/2
      return smooth(Activation::softsign, 1, 0, 0.5, 0.5, false);
    case FannFunction::elliot_symmetric:
      return smooth(Activation::softsign, 1, 0, 1, 0, false);
    case FannFunction::sin_symmetric:
      return smooth(Activation::sin, 1, 0, 1, 0, false);
    case FannFunction::cos_symmetric:  // cos t = sin(t + π/2)
      return smooth(Activation::sin, 1, half_pi, 1, 0, false);
    case FannFunction::sin:
      return smooth(Activation::sin, 1, 0, 0.5, 0.5, false);
    case FannFunction::cos:
      return smooth(Activation::sin, 1, half_pi, 0.5, 0.5, false);
    default:
      break;
  }
  throw invalid_argument("fann::form: " + fann_function_name(static_cast<unsigned>(f)) +
                         " has no dagprop form");
}

}  // namespace dagprop::io::fann
