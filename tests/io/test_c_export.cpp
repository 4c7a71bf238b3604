// Export to C (io/c_export.hpp): the generated code compiled by the system's
// gcc and clang as C99 and by g++ as C++, warnings as errors, and run on 1,000
// random inputs per network; its outputs must equal predict()'s (float to
// 1e-6 relative, double to 1e-12; see worst_relative_error and check_c).
// Names, file names, scalers and the size switch are checked too.
#include <algorithm>
#include <cmath>
#include <limits>
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
  double floor = 1;        // outputs are compared relative to max(|output|, floor)
  // Float itself is not good to 1e-6 here (sums of 100 terms and more): the C
  // must then be as close as the engine's float is to its double.
  bool beyond_float = false;
};

// What the C must return: predict() on the inputs scaled as io::apply scales
// them, the outputs then de-scaled as raw y = y' scale + offset in double.
template <class T, class U = T>
std::vector<U> expected_outputs(const Case<T>& c, std::vector<T> x) {
  const std::size_t ni = c.net.num_inputs(), no = c.net.num_outputs();
  if (c.input_scaler)
    for (std::size_t r = 0; r < rows; ++r) io::apply(*c.input_scaler, x.data() + r * ni, ni);
  const std::vector<U> xu(x.begin(), x.end());
  std::vector<U> y = predict(c.net.template cast<U>(), xu.data(), rows, 1);
  if (c.output_descale)
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t k = 0; k < no; ++k) {
        U& v = y[r * no + k];
        v = static_cast<U>(static_cast<double>(v) * c.output_descale->scale[k] +
                           c.output_descale->offset[k]);
      }
  return y;
}

// The largest |c - e| / max(|e|, floor) over the values. A floor of 1 (the
// default) makes it relative for outputs of magnitude 1 and more, absolute
// below, where an output that is a sum cancelling to nearly 0 has no relative
// accuracy in either program (the engine's fused multiply-adds round
// otherwise than the C's products and sums).
template <class T>
double worst_relative_error(const T* c, const T* e, std::size_t n, double floor) {
  double worst = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double d = std::abs(static_cast<double>(c[k]) - static_cast<double>(e[k]));
    if (d > 0) worst = std::max(worst, d / std::max(std::abs(static_cast<double>(e[k])), floor));
  }
  return worst;
}

// Exports every case in `shape`, compiles them with one harness, runs it on
// `rows` random inputs per case and compares with expected_outputs().
template <class T>
void check_c(const std::vector<Case<T>>& cases, io::CShape shape, const test::CCompiler& compiler) {
  const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-12;
  const char* T_name = std::is_same_v<T, float> ? "float" : "double";
  const test::TempDir dir("cexport");
  std::vector<CNet> nets;
  std::vector<T> inputs, expected;
  std::vector<double> engine_error;  // of the engine's T outputs from its double ones
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
    const std::vector<double> y64 = expected_outputs<T, double>(c, x);
    const std::vector<T> y64t(y64.begin(), y64.end());
    engine_error.push_back(worst_relative_error(y.data(), y64t.data(), y.size(), c.floor));
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
  for (std::size_t q = 0; q < cases.size(); ++q) {
    const Case<T>& c = cases[q];
    const std::size_t n = rows * c.net.num_outputs();
    const double worst = worst_relative_error(out.data() + at, expected.data() + at, n, c.floor);
    INFO(c.name << ": largest relative error " << worst << " (the engine's " << T_name
                << " against its double: " << engine_error[q] << ")");
    CHECK(worst <= (c.beyond_float ? std::max(tol, 2 * engine_error[q]) : tol));
    at += n;
  }
}

// A random DAG (skip connections, outputs feeding other units) whose units
// take the activations in turn from `first`, its weights divided by the root
// of the unit's fan-in as initialisation and training leave them. (Left at
// up to 1.2 each, chains of sums grow until float itself is only good to
// about 1e-6: the engine's float outputs were 9.5e-7 from its double ones.)
Topology all_activations_dag(std::uint64_t seed, std::size_t first) {
  Topology t = test::random_dag(seed, Loss::sse).topology;
  for (UnitId i = 0; i < t.num_units(); ++i) {
    if (t.role(i) == Role::input) continue;
    t.set_activation(i, static_cast<Activation>(first++ % num_activations));
    const double s = 1 / std::sqrt(static_cast<double>(t.upstream(i).size()));
    t.for_each_upstream(i, [&](UnitId, double& w) { w *= s; });
  }
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

TEST_CASE("c export: clang as C99 and g++ as C++ compile it without a warning", "[cexport][slow]") {
  check_c(network_cases<float>(), io::CShape::arrays, compiler("clang"));
  check_c(network_cases<double>(), io::CShape::straight_line, compiler("clang"));
  check_c(network_cases<float>(), io::CShape::straight_line, compiler("g++"));
  check_c(network_cases<double>(), io::CShape::arrays, compiler("g++"));
}

TEST_CASE("c export: each activation alone equals the engine's f, relative, tails included",
          "[cexport]") {
  Topology t;
  const UnitId x = t.add_input("x");
  for (std::size_t k = 0; k < num_activations; ++k) {
    const auto f = static_cast<Activation>(k);
    t.connect(x, t.add_output(f, std::string(to_string(f))), 1.0);
  }
  Case<float> f{"single", compile<float>(t)};
  Case<double> d{"single", compile<double>(t)};
  f.lo = d.lo = -60, f.hi = d.hi = 60;
  f.floor = std::numeric_limits<float>::min(), d.floor = std::numeric_limits<double>::min();
  check_c(std::vector<Case<float>>{f}, io::CShape::straight_line, compiler("gcc"));
  check_c(std::vector<Case<double>>{d}, io::CShape::arrays, compiler("gcc"));
}

TEST_CASE("c export: a trained model with standardised inputs, through its file", "[cexport]") {
  // Inputs far from 0 and of very different spreads: without the saved
  // scaling inside the C, its outputs would be far off.
  Dataset<double> data;
  data.num_inputs = 3, data.num_targets = 1;
  SplitMix64 rng(5);
  for (int r = 0; r < 400; ++r) {
    const double a = rng.uniform(100, 110), b = rng.uniform(-0.01, 0.01), c = rng.uniform(0, 1e3);
    data.inputs.insert(data.inputs.end(), {a, b, c});
    data.targets.push_back(std::sin((a - 105) / 2) + 50 * b + c / 1e3);
  }
  const io::Scaler scaler = io::fit_standardize(data);
  io::apply(scaler, data);
  Topology t = make_mlp({3, 8, 1}, Activation::tanh, Activation::identity);
  initialize(t, InitScheme::glorot_uniform, 3);
  Network<double> net = compile<double>(t);
  TrainOptions opt;
  opt.epochs = 20, opt.batch_size = 16, opt.learning_rate = 0.01, opt.threads = 1;
  const std::vector<EpochReport> reports = Trainer<double>(net, opt).fit(data);
  REQUIRE(reports.back().loss < reports.front().loss / 2);  // it did train

  const test::TempDir dir("cexport-model");
  io::save_network(dir.file("m.dpn"), net, io::ArchiveKind::text, &scaler);
  io::Scaler saved;
  const Network<double> back = io::load_network<double>(dir.file("m.dpn"), &saved);
  REQUIRE(saved.kind == io::ScaleKind::standardize);
  Case<float> f{"trained", back.cast<float>(), &saved};
  Case<double> d{"trained", back, &saved};
  f.lo = d.lo = 0, f.hi = d.hi = 200;
  for (io::CShape shape : {io::CShape::straight_line, io::CShape::arrays}) {
    check_c(std::vector<Case<float>>{f}, shape, compiler("gcc"));
    check_c(std::vector<Case<double>>{d}, shape, compiler("gcc"));
  }
}

TEST_CASE("c export: outputs de-scaled as raw y = y' scale + offset", "[cexport]") {
  Topology t = make_mlp({3, 5, 2}, Activation::sigmoid, Activation::identity);
  initialize(t, InitScheme::glorot_uniform, 11);
  io::Scaler in = io::divide(3, 255), out;
  out.kind = io::ScaleKind::standardize;
  out.offset = {1000.5, -3};
  out.scale = {250, 0.125};
  Case<float> f{"descaled", compile<float>(t), &in, &out};
  Case<double> d{"descaled", compile<double>(t), &in, &out};
  f.lo = d.lo = 0, f.hi = d.hi = 255;
  check_c(std::vector<Case<float>>{f}, io::CShape::arrays, compiler("gcc"));
  check_c(std::vector<Case<double>>{d}, io::CShape::straight_line, compiler("gcc"));
  io::Scaler wrong = io::divide(2, 255);
  d.input_scaler = &wrong;
  io::CExportOptions opt;
  opt.name = "x", opt.input_scaler = &wrong;
  CHECK_THROWS_WITH(io::generate_c(d.net, opt, "x.h"),
                    Catch::Contains("input scaler does not fit"));
  opt.input_scaler = nullptr, opt.output_descale = &in;  // 3 values for 2 outputs
  CHECK_THROWS_WITH(io::generate_c(d.net, opt, "x.h"),
                    Catch::Contains("output de-scaler does not fit"));
}

TEST_CASE("c export: unit names that would break a C comment are escaped", "[cexport]") {
  Topology t;
  const std::vector<std::string> names = {"a*/b",   "/*c",     "two\nlines",
                                          "back\\", "tri?\?/", "caf\xc3\xa9"};
  std::vector<UnitId> in;
  for (const std::string& n : names) in.push_back(t.add_input(n));
  const UnitId h = t.add_unit(Activation::tanh, Role::hidden, "", 0.1);  // no name: u<id>
  const UnitId o = t.add_output(Activation::identity, "*/ int x; /*", -0.2);
  for (std::size_t k = 0; k < in.size(); ++k) {
    t.connect(in[k], h, 0.1 * static_cast<double>(k + 1));
    t.connect(in[k], o, -0.05 * static_cast<double>(k));
  }
  t.connect(h, o, 0.7);
  const Network<float> net = compile<float>(t);
  io::CExportOptions opt;
  opt.name = "names";
  const io::CSource s = io::generate_c(net, opt, "names.h");
  for (const char* escaped :
       {"in[0]  a*\\x2fb", "in[1]  /\\x2ac", "in[2]  two\\x0alines", "in[3]  back\\x5c",
        "in[4]  tri?\\x3f/", "in[5]  caf\\xc3\\xa9", "out[0]  *\\x2f int x; /\\x2a (identity)"})
    CHECK_THAT(s.header, Catch::Contains(escaped));
  CHECK_THAT(s.source, Catch::Contains("/* u" + std::to_string(h) + " */"));
  check_c(std::vector<Case<float>>{{"names", net}}, io::CShape::straight_line, compiler("gcc"));
}

TEST_CASE("c export: NAME, file names and the size switch", "[cexport]") {
  for (const char* bad : {"", "1net", "_net", "my-net", "n\xc3\xa9t", "a b"})
    CHECK_THROWS_AS(io::check_c_name(bad), invalid_argument);
  CHECK_THROWS_AS(io::check_c_name(std::string(201, 'a')), invalid_argument);
  CHECK_NOTHROW(io::check_c_name("Net_2"));
  CHECK(io::c_name_from_path("out/my-net.c") == "my_net");
  CHECK(io::c_name_from_path("3d.c") == "net_3d");
  CHECK(io::c_name_from_path("__x.c") == "x");
  CHECK(io::c_header_path("out/net.c") == "out/net.h");
  for (const char* bad : {"net", "net.cpp", "out/.c", "net.h"})
    CHECK_THROWS_WITH(io::c_header_path(bad), Catch::Contains("ending in .c"));
  const Network<float> small =
      compile<float>(make_mlp({32, 32}, Activation::relu, Activation::identity));
  const Network<float> large =
      compile<float>(make_mlp({33, 32}, Activation::relu, Activation::identity));
  REQUIRE(small.num_connections() == io::c_export_straight_max_connections);
  io::CExportOptions opt;
  opt.name = "n";
  const io::CSource s = io::generate_c(small, opt, "n.h"), l = io::generate_c(large, opt, "n.h");
  CHECK(s.shape == io::CShape::straight_line);
  CHECK(l.shape == io::CShape::arrays);
  CHECK_THAT(l.source, Catch::Contains("n_dense(y, 33, 65, n_dense_w + 0, 0, 33, n_f_identity);"));
  CHECK_THAT(s.source, !Catch::Contains("n_dense"));
  Network<double> huge = compile<double>(make_mlp({2, 1}, Activation::relu, Activation::identity));
  huge.set_weight(1, 2, 1e300);  // no float holds it
  // No float network holds it: the cast refuses, naming the weight, before any C is written.
  CHECK_THROWS_WITH(huge.cast<float>(), Catch::Contains("the weight on u1 -> u2 = 1e+300 does not "
                                                        "fit in float"));
  CHECK_NOTHROW(io::generate_c(huge, opt, "n.h"));
  for (const char* bad : {"n\".h", "dir/n.h", "n?\?.h", "n.c"})
    CHECK_THROWS_AS(io::generate_c(small, opt, bad), invalid_argument);
}

TEST_CASE("c export: every activation has a C form, and one without is an error", "[cexport]") {
  for (std::size_t k = 0; k < num_activations; ++k)
    for (bool dbl : {false, true}) {
      const auto f = static_cast<Activation>(k);
      const std::string c = io::c_activation_function(f, dbl, "n");
      CHECK_THAT(c, Catch::StartsWith(std::string("static ") + (dbl ? "double" : "float") +
                                      " n_f_" + std::string(to_string(f)) + "("));
      CHECK_THAT(c, !Catch::Contains("$") && !Catch::Contains("@"));
    }
  CHECK_THROWS_WITH(io::c_activation_function(static_cast<Activation>(num_activations), false, "n"),
                    Catch::Contains("has no C form"));
}

TEST_CASE("c export: a larger network as arrays (dense layers, sparse units of 132 sources)",
          "[cexport][slow]") {
  Topology t = make_mlp({100, 64, 32, 4}, Activation::relu, Activation::identity);
  initialize(t, InitScheme::he_uniform, 21);
  std::size_t k = 0;
  for (UnitId i = 0; i < t.num_units(); ++i)
    if (t.role(i) == Role::hidden)
      t.set_activation(i, static_cast<Activation>(k++ / 7 % num_activations));
  for (UnitId o : t.outputs())
    for (UnitId j : t.inputs()) t.connect(j, o, 0.01);
  Case<float> f{"large", compile<float>(t)};
  f.beyond_float = true;  // the engine's float outputs are 2.2e-6 from its double ones
  Case<double> d{"large", compile<double>(t)};
  REQUIRE(f.net.num_connections() > 8 * io::c_export_straight_max_connections);
  check_c(std::vector<Case<float>>{f}, io::CShape::arrays, compiler("gcc"));
  check_c(std::vector<Case<double>>{d}, io::CShape::arrays, compiler("clang"));
}
