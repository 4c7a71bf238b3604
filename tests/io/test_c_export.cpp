// Export to C (io/c_export.hpp): the generated code compiled by the system's
// gcc and clang as C99 and by g++ as C++, warnings as errors, and run on 1,000
// random inputs per network; its outputs must equal predict()'s (float to
// 1e-6 relative, double to 1e-12). Names, file names, scalers checked.
#include <algorithm>
#include <cmath>
#include <set>

#include <catch2/catch.hpp>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/c_export.hpp"
#include "dagprop/io/model.hpp"
#include "engine/random_dag.hpp"
#include "io/c_harness.hpp"
#include "temp_dir.hpp"

using namespace dagprop;
using dagprop::test::CNet;

namespace {

constexpr std::size_t rows = 1000;

template <class T>
struct Case {
  std::string name;
  Network<T> net;
  const io::Scaler* input_scaler = nullptr;
  const io::Scaler* output_descale = nullptr;
  double lo = -3, hi = 3;  // range of the raw inputs
};

// What the C must return: predict() on the inputs scaled as io::apply scales
// them, the outputs then de-scaled as raw y = y' scale + offset in double.
template <class T>
std::vector<T> expected_outputs(const Case<T>& c, std::vector<T> x) {
  const std::size_t ni = c.net.num_inputs(), no = c.net.num_outputs();
  if (c.input_scaler)
    for (std::size_t r = 0; r < rows; ++r) io::apply(*c.input_scaler, x.data() + r * ni, ni);
  std::vector<T> y = predict(c.net, x.data(), rows, 1);
  if (c.output_descale)
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t k = 0; k < no; ++k) {
        T& v = y[r * no + k];
        v = static_cast<T>(static_cast<double>(v) * c.output_descale->scale[k] +
                           c.output_descale->offset[k]);
      }
  return y;
}

// The largest |c - e| / max(|e|, 1) over the values: relative for outputs of
// magnitude 1 and more, absolute below, where an output that is a sum
// cancelling to nearly 0 has no relative accuracy in either program (the
// engine's fused multiply-adds round otherwise than the C's products and sums).
template <class T>
double worst_relative_error(const T* c, const T* e, std::size_t n) {
  double worst = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double d = std::abs(static_cast<double>(c[k]) - static_cast<double>(e[k]));
    worst = std::max(worst, d / std::max(std::abs(static_cast<double>(e[k])), 1.0));
  }
  return worst;
}

// Exports every case in `shape`, compiles them with one harness, runs it on
// `rows` random inputs per case and compares with expected_outputs().
template <class T>
void check_c(const std::vector<Case<T>>& cases, io::CShape shape, const test::CCompiler& compiler) {
  const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-12;
  const test::TempDir dir("cexport");
  std::vector<CNet> nets;
  std::vector<T> inputs, expected;
  SplitMix64 rng(17);
  for (const Case<T>& c : cases) {
    io::CExportOptions opt;
    opt.name = c.name;
    opt.shape = shape;
    opt.input_scaler = c.input_scaler;
    opt.output_descale = c.output_descale;
    const io::CSource s = io::generate_c(c.net, opt, c.name + ".h");
    REQUIRE(s.shape == shape);
    dir.write(c.name + ".h", s.header);
    dir.write(c.name + ".c", s.source);
    nets.push_back({c.name, rows});
    std::vector<T> x(rows * c.net.num_inputs());
    for (T& v : x) v = static_cast<T>(rng.uniform(c.lo, c.hi));
    const std::vector<T> y = expected_outputs(c, x);
    inputs.insert(inputs.end(), x.begin(), x.end());
    expected.insert(expected.end(), y.begin(), y.end());
  }
  dir.write("harness.c", test::c_harness_source<T>(nets));
  INFO(compiler.name << ", " << io::to_string(shape) << ", "
                     << (sizeof(T) == 4 ? "float" : "double"));
  const std::string log = test::compile_c(dir.path(), compiler, nets);
  INFO(log);
  REQUIRE(log.empty());
  const std::vector<T> out = test::run_c(dir.path(), inputs, expected.size());
  REQUIRE(out.size() == expected.size());
  std::size_t at = 0;
  for (const Case<T>& c : cases) {
    const std::size_t n = rows * c.net.num_outputs();
    const double worst = worst_relative_error(out.data() + at, expected.data() + at, n);
    INFO(c.name << ": largest relative error " << worst);
    CHECK(worst <= tol);
    WARN(c.name << " " << worst);
    at += n;
  }
}

// A random DAG (skip connections, outputs feeding other units) whose units
// take the activations in turn from `first`.
Topology all_activations_dag(std::uint64_t seed, std::size_t first) {
  Topology t = test::random_dag(seed, Loss::sse).topology;
  for (UnitId i = 0; i < t.num_units(); ++i)
    if (t.role(i) != Role::input)
      t.set_activation(i, static_cast<Activation>(first++ % num_activations));
  return t;
}

// Layers 6-12-10-3 (two dense groups) with pairs of units sharing an
// activation, random biases and a skip connection from an input to an output.
Topology layered(std::uint64_t seed) {
  Topology t = make_mlp({6, 12, 10, 3}, Activation::tanh, Activation::identity);
  initialize(t, InitScheme::glorot_uniform, seed);
  SplitMix64 rng(seed);
  std::size_t k = 0;
  for (UnitId i = 0; i < t.num_units(); ++i)
    if (t.role(i) != Role::input) {
      t.set_activation(i, static_cast<Activation>(k++ / 2 % num_activations));
      t.set_bias(i, rng.uniform(-0.5, 0.5));
    }
  t.connect(t.inputs()[0], t.outputs()[2], 0.3);
  return t;
}

template <class T>
std::vector<Case<T>> network_cases() {
  std::vector<Case<T>> cases;
  std::set<Activation> used;
  std::size_t outputs = 0, dense = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    Case<T> c;
    c.name = "dag" + std::to_string(seed);
    c.net = compile<T>(all_activations_dag(seed, seed * 5));
    cases.push_back(c);
  }
  cases.push_back(Case<T>{"layered", compile<T>(layered(3))});
  for (const Case<T>& c : cases) {
    for (UnitId i = c.net.num_inputs(); i < c.net.num_units(); ++i)
      used.insert(c.net.activation(i));
    outputs = std::max(outputs, c.net.num_outputs());
    for (const Group& g : c.net.groups()) dense += g.dense;
  }
  REQUIRE(used.size() == num_activations);  // every activation, several outputs, dense groups
  REQUIRE(outputs >= 3);
  REQUIRE(dense >= 2);
  return cases;
}

const test::CCompiler& compiler(const std::string& name) {
  for (const test::CCompiler& c : test::c_compilers)
    if (name == c.name) return c;
  FAIL("no compiler " << name);
  return test::c_compilers[0];
}

}  // namespace

TEST_CASE("c export: random DAGs with every activation equal predict, both shapes", "[cexport]") {
  const auto f = network_cases<float>();
  const auto d = network_cases<double>();
  for (io::CShape shape : {io::CShape::straight_line, io::CShape::arrays}) {
    check_c(f, shape, compiler("gcc"));
    check_c(d, shape, compiler("gcc"));
  }
}

TEST_CASE("c export: clang as C99 and g++ as C++ compile it without a warning", "[cexport]") {
  check_c(network_cases<float>(), io::CShape::arrays, compiler("clang"));
  check_c(network_cases<double>(), io::CShape::straight_line, compiler("clang"));
  check_c(network_cases<float>(), io::CShape::straight_line, compiler("g++"));
  check_c(network_cases<double>(), io::CShape::arrays, compiler("g++"));
}
