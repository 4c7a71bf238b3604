// FANN's fixed-point runtime runs what dagprop exports: a dagprop network of
// tanh, sigmoid and identity layers with shortcuts goes out with write_fann,
// FANN converts it (fann_save_to_fixed, through fann_tool) and FANN's integer
// fann_run (libfixedfann, through fann_fixed_run) computes dagprop's
// predictions within a bound derived, neuron by neuron, from the decimal
// point FANN chose and from its stepwise linear sigmoids. Skipped without FANN.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/fann.hpp"
#include "io/fann_run.hpp"
#include "temp_dir.hpp"

namespace {

using namespace dagprop;
using Rows = std::vector<std::vector<double>>;

// fann_fixed_run NET IN: FANN's fixed-point fann_run of every row (see fann_fixed_run.c).
Rows fixed_run(const std::string& net, const Rows& inputs, const std::string& scratch) {
#ifdef DAGPROP_FANN_FIXED_RUN
  {
    std::ofstream f(scratch);
    f.precision(17);
    for (const auto& row : inputs) {
      for (double v : row) f << v << ' ';
      f << '\n';
    }
  }
  const std::string cmd =
      "'" + std::string(DAGPROP_FANN_FIXED_RUN) + "' '" + net + "' '" + scratch + "'";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {};
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  return pclose(p) == 0 ? test::number_rows(out) : Rows{};
#else
  (void)net, (void)inputs, (void)scratch;
  return {};
#endif
}

// What the fixed-point runtime reads from a FANN_FIX_2.0 file: the decimal
// point, the layer sizes, each neuron's (num_inputs, function, steepness) and
// each connection's (source neuron, weight), integers in units of 2^-decimal_point.
struct FixedFile {
  unsigned decimal_point = 0;
  std::vector<std::size_t> layer_sizes;
  struct Neuron {
    std::size_t num_inputs;
    int function;
    long steepness;
  };
  std::vector<Neuron> neurons;
  std::vector<std::pair<std::size_t, long>> connections;
};

// The text after "key=" up to the end of its line.
std::string value_of(const std::string& text, const std::string& key) {
  const auto at = text.find("\n" + key + "=");
  REQUIRE(at != std::string::npos);
  const auto from = at + key.size() + 2;
  return text.substr(from, text.find('\n', from) - from);
}

FixedFile read_fixed(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  REQUIRE(text.rfind("FANN_FIX_2.0\n", 0) == 0);  // FANN 2.2 writes its fixed files as 2.0
  FixedFile f;
  f.decimal_point = static_cast<unsigned>(std::stoul(value_of(text, "decimal_point")));
  std::istringstream sizes(value_of(text, "layer_sizes"));
  for (std::size_t n; sizes >> n;) f.layer_sizes.push_back(n);
  std::istringstream neurons(value_of(text,
                                      "neurons (num_inputs, activation_function, "
                                      "activation_steepness)"));
  FixedFile::Neuron n{};
  char c1, c2, c3, c4;
  while (neurons >> c1 >> n.num_inputs >> c2 >> n.function >> c3 >> n.steepness >> c4)
    f.neurons.push_back(n);
  std::istringstream connections(value_of(text, "connections (connected_to_neuron, weight)"));
  std::size_t source;
  long weight;
  while (connections >> c1 >> source >> c2 >> weight >> c3)
    f.connections.emplace_back(source, weight);
  return f;
}

// FANN's sigmoids as functions of t = steepness * sum: mid + half tanh(t)
// (FANN_SIGMOID is 1 / (1 + e^(-2t)) = 0.5 + 0.5 tanh(t), FANN_SIGMOID_SYMMETRIC
// tanh(t)). In fixed point fann_update_stepwise (fann.c) replaces each by the
// line through the points where it takes six levels, min below the first and
// max above the last (fann_stepwise in fann_activation.h).
struct FannSigmoid {
  double mid, half;
  std::array<double, 6> levels;
  double f(double t) const { return mid + half * std::tanh(t); }
  double at_level(double r) const { return std::atanh((r - mid) / half); }
};
const FannSigmoid fann_sigmoid{0.5, 0.5, {0.005, 0.05, 0.25, 0.75, 0.95, 0.995}};
const FannSigmoid fann_sigmoid_symmetric{0, 1, {-0.99, -0.9, -0.5, 0.5, 0.9, 0.99}};

// The largest |stepwise(t) - f(t)| over all t: beyond the outer points the
// distance to min or max (largest at those points); on each segment sampled
// every h, plus h, as |f' - chord slope| <= 1 bounds how far the difference
// moves between samples.
double stepwise_error(const FannSigmoid& s) {
  const auto& r = s.levels;
  double worst = std::max(r[0] - (s.mid - s.half), s.mid + s.half - r[5]);
  const double h = 1e-5;
  for (std::size_t k = 0; k + 1 < r.size(); ++k) {
    const double t0 = s.at_level(r[k]), t1 = s.at_level(r[k + 1]);
    for (double t = t0; t < t1; t += h) {
      const double line = r[k] + (r[k + 1] - r[k]) * (t - t0) / (t1 - t0);
      worst = std::max(worst, std::fabs(line - s.f(t)));
    }
  }
  return worst + h;
}

// A bound on |FANN fixed - exact| of every neuron, for inputs in [-1, 1],
// in file order (a neuron's sources come before it). With u = 2^-decimal_point:
// an input is rounded to u/2; a stored weight is within u/2 of the float FANN
// read (fann_save_to_fixed rounds w 2^dp), which is within 2^-24 |w| of
// dagprop's; each product w v is truncated (>> dp) by less than u; so the sum
// S of neuron i is within Ex = sum(|w| e_j + (u/2 + 2^-24 |w|) Y_j + u) of the
// exact x_i (Y_j bounds |v_j|). FANN_LINEAR takes S itself and
// FANN_LINEAR_PIECE_SYMMETRIC S clamped to ±1 (the fixed runtime ignores their
// steepness: write_fann gives them 1 here). A sigmoid is A away from
// its stepwise line (stepwise_error), is Lipschitz with half * s in S, its
// breakpoints v_k = values / steepness sit within 2u of where it takes its
// levels, its levels (rounded to the grid) and the interpolation's integer
// division within 2u of the line, and the rounded steepness within u/2 moves
// it by at most half (u/2) |S|.
std::vector<double> fixed_error_bound(const FixedFile& f) {
  const double u = std::ldexp(1.0, -static_cast<int>(f.decimal_point));
  const double a_sigmoid = stepwise_error(fann_sigmoid);
  const double a_symmetric = stepwise_error(fann_sigmoid_symmetric);
  const std::size_t num_inputs = f.layer_sizes.front() - 1;
  std::vector<double> e(f.neurons.size()), Y(f.neurons.size());
  std::size_t c = 0;
  for (std::size_t i = 0; i < f.neurons.size(); ++i) {
    const FixedFile::Neuron& n = f.neurons[i];
    if (n.num_inputs == 0) {  // an input (|v| <= 1, rounded) or a bias neuron (exactly 1)
      e[i] = i < num_inputs ? u / 2 : 0;
      Y[i] = 1;
      continue;
    }
    double Ex = 0, X = 0;
    for (std::size_t k = 0; k < n.num_inputs; ++k, ++c) {
      const auto [j, stored] = f.connections.at(c);
      REQUIRE(j < i);
      const double w = std::fabs(static_cast<double>(stored)) * u;
      Ex += w * e[j] + (u / 2 + 0x1p-24 * w) * Y[j] + u;
      X += w * Y[j];
    }
    const double s = static_cast<double>(n.steepness) * u;
    if (n.function == 0) {  // FANN_LINEAR
      e[i] = Ex;
      Y[i] = X + Ex;
    } else if (n.function == 13) {  // FANN_LINEAR_PIECE_SYMMETRIC: S clamped to ±1
      e[i] = Ex;
      Y[i] = 1;
    } else if (n.function == 3 || n.function == 5) {  // FANN_SIGMOID, _SYMMETRIC
      const FannSigmoid& g = n.function == 3 ? fann_sigmoid : fann_sigmoid_symmetric;
      const double A = n.function == 3 ? a_sigmoid : a_symmetric;
      e[i] = A + g.half * s * (Ex + 2 * u) + 2 * u + g.half * (u / 2) * (X + Ex);
      Y[i] = 1;
    } else {
      FAIL("neuron " << i << " has FANN function " << n.function
                     << ", which the fixed-point runtime does not run");
    }
  }
  return e;
}

// Inputs 3, a tanh layer of 5, a layer of 4 sigmoid and hard_tanh units, 2 identity outputs; the
// outputs also read every input and two tanh units (shortcuts across levels).
Topology layers_with_shortcuts(std::uint64_t seed) {
  SplitMix64 rng(seed);
  Topology t;
  std::vector<UnitId> in, h1, h2;
  for (int k = 0; k < 3; ++k) in.push_back(t.add_input("x" + std::to_string(k)));
  const auto layer = [&](const std::vector<UnitId>& from, std::vector<UnitId>& to,
                         std::vector<Activation> f, std::size_t n, const std::string& prefix) {
    for (std::size_t k = 0; k < n; ++k) {
      const UnitId i = t.add_unit(f[k % f.size()], Role::hidden, prefix + std::to_string(k),
                                  rng.uniform(-0.3, 0.3));
      for (UnitId j : from) t.connect(j, i, rng.uniform(-0.7, 0.7));
      to.push_back(i);
    }
  };
  layer(in, h1, {Activation::tanh}, 5, "t");
  layer(h1, h2, {Activation::sigmoid, Activation::hard_tanh}, 4, "s");
  for (int k = 0; k < 2; ++k) {
    const UnitId o =
        t.add_output(Activation::identity, "y" + std::to_string(k), rng.uniform(-0.3, 0.3));
    for (UnitId j : h2) t.connect(j, o, rng.uniform(-0.7, 0.7));
    for (UnitId j : in) t.connect(j, o, rng.uniform(-0.7, 0.7));
    t.connect(h1[static_cast<std::size_t>(k)], o, rng.uniform(-0.7, 0.7));
    t.connect(h1[4], o, rng.uniform(-0.7, 0.7));
  }
  return t;
}

}  // namespace

// Exported for the fixed-point runtime: the identity outputs read inputs, so
// for FANN's float runtime they would get steepness 2^-20 (its clamp at
// 150 / steepness), which the fixed runtime ignores.
TEST_CASE("FANN's fixed-point runtime computes dagprop's predictions within the derived bound",
          "[io][fann]") {
#ifndef DAGPROP_FANN_FIXED_RUN
  return test::fann_missing();
#else
  if (!test::have_fann()) return test::fann_missing();
  const std::uint64_t seed = GENERATE(std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{3});
  CAPTURE(seed);
  const Network<double> net = compile<double>(layers_with_shortcuts(seed));
  test::TempDir dir("fann-fixed");
  const std::string flo = dir.file("net.net"), fix = dir.file("fixed.net");
  io::write_fann(flo, net, nullptr, nullptr, io::FannRuntime::fixed_point);
  const std::string printed = test::fann_tool("fixed '" + flo + "' '" + fix + "'");
  REQUIRE_FALSE(printed.empty());
  const FixedFile file = read_fixed(fix);
  CHECK(std::stoi(printed) == static_cast<int>(file.decimal_point));
  REQUIRE(file.decimal_point >= 8);  // weights below 1: about 14 bits after the point

  SplitMix64 rng(seed + 100);
  Rows inputs(300, std::vector<double>(3));
  for (auto& row : inputs)
    for (double& v : row) v = rng.uniform(-1, 1);
  const Rows fixed = fixed_run(fix, inputs, dir.file("in.txt"));
  REQUIRE(fixed.size() == inputs.size());
  const std::vector<double> bound = fixed_error_bound(file);
  const std::size_t first_output = file.neurons.size() - file.layer_sizes.back();
  double worst = 0, worst_ratio = 0;
  for (std::size_t r = 0; r < inputs.size(); ++r) {
    const std::vector<double> y = predict(net, inputs[r].data(), 1, 1);
    REQUIRE(fixed[r].size() == y.size());
    for (std::size_t k = 0; k < y.size(); ++k) {
      const double d = std::fabs(fixed[r][k] - y[k]), b = bound[first_output + k] + 1e-9;
      worst = std::max(worst, d);
      worst_ratio = std::max(worst_ratio, d / b);
    }
  }
  INFO("decimal point " << file.decimal_point << ": largest deviation " << worst
                        << ", bound on output 0 " << bound[first_output] << ", on output 1 "
                        << bound[first_output + 1]);
  CHECK(worst_ratio <= 1);
  // It is the fixed-point runtime: a float fann_run is within 1e-5 of dagprop.
  CHECK(worst > 1e-3);
#endif
}

// What the fixed-point export changes, read from the text itself: the identity
// outputs (which read inputs, so their sums are unbounded) get steepness 2^-20
// and weights 2^20 larger for FANN's float runtime, steepness 1 and their own
// weights for the fixed-point one; a unit that runtime cannot run is refused
// by name, in both the library and the command line's words.
TEST_CASE("the fixed-point FANN export keeps linear neurons at steepness 1 and refuses gaussian",
          "[io][fann]") {
  const Network<double> net = compile<double>(layers_with_shortcuts(4));
  const auto linear_steepnesses = [](const std::string& text) {
    std::vector<double> s;
    const std::string key = "activation_steepness)=";
    std::istringstream in(text.substr(text.find(key) + key.size()));
    char c1, c2, c3, c4;
    std::size_t inputs;
    int function;
    double steepness;
    while (in >> c1 >> inputs >> c2 >> function >> c3 >> steepness >> c4 && c1 == '(')
      if (inputs > 0 && function == 0) s.push_back(steepness);
    return s;
  };
  const std::vector<double> floating = linear_steepnesses(io::fann_text(net));
  const std::vector<double> fixed =
      linear_steepnesses(io::fann_text(net, nullptr, nullptr, io::FannRuntime::fixed_point));
  REQUIRE(floating.size() == 2);  // the two identity outputs
  REQUIRE(fixed.size() == 2);
  for (double s : floating) CHECK(s == std::ldexp(1.0, -20));
  for (double s : fixed) CHECK(s == 1.0);

  Topology t = layers_with_shortcuts(4);
  const UnitId g = t.add_unit(Activation::gaussian, Role::hidden, "bump", 0.1);
  t.connect(0, g, 0.5);
  t.connect(g, t.outputs()[0], 0.25);
  const Network<double> with_gaussian = compile<double>(t);
  CHECK_NOTHROW(io::fann_text(with_gaussian));  // FANN's float runtime has FANN_GAUSSIAN
  CHECK_THROWS_WITH(
      io::fann_text(with_gaussian, nullptr, nullptr, io::FannRuntime::fixed_point),
      Catch::Contains("unit 'bump' has activation gaussian, which that runtime does not run"));
}
