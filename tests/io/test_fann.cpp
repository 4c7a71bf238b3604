// FANN networks in and out, checked against FANN 2.2 itself (fann_tool, built
// against libfloatfann): networks FANN creates compute in dagprop what fann_run
// computes, and networks dagprop exports compute in fann_run what dagprop
// predicts. Skipped when FANN is absent. Damaged files need no FANN.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/fann.hpp"
#include "dagprop/io/model.hpp"
#include "engine/random_dag.hpp"
#include "io/fann_run.hpp"
#include "io/require_io_error.hpp"
#include "temp_dir.hpp"

namespace {

using namespace dagprop;
using Rows = std::vector<std::vector<double>>;

// Inputs FANN reads exactly: floats, written with 9 digits.
Rows random_inputs(std::size_t rows, std::size_t columns, double range, std::uint64_t seed) {
  SplitMix64 rng(seed);
  Rows r(rows, std::vector<double>(columns));
  for (auto& row : r)
    for (double& v : row) v = static_cast<float>(rng.uniform(-range, range));
  return r;
}

// dagprop's prediction for raw inputs: input scaling, the network, output descaling.
Rows dagprop_run(const Network<double>& net, const io::Scaler& in, const io::Scaler& out,
                 const Rows& inputs) {
  Rows result;
  for (auto row : inputs) {
    io::apply(in, row.data(), row.size());
    std::vector<double> y = predict(net, row.data(), 1, 1);
    if (out.kind != io::ScaleKind::none)
      for (std::size_t k = 0; k < y.size(); ++k) y[k] = y[k] * out.scale[k] + out.offset[k];
    result.push_back(y);
  }
  return result;
}

// Requires dagprop's outputs `ours` to be FANN's on `inputs`: within float_tol
// of fann_run in float (libfloatfann, what FANN users run) and within 1e-9 of
// the same fann_run in double (libdoublefann), where float's rounding is gone
// (but for the scaling parameters, which FANN keeps in float in both builds).
void require_fann_outputs(const Rows& ours, const std::string& net, const Rows& inputs,
                          const test::TempDir& dir, double float_tol = 1e-5,
                          double double_tol = 1e-9) {
  CHECK(test::deviation(ours, test::fann_run(net, inputs, dir.file("in.txt"))) <= float_tol);
  if (test::have_double_fann())
    CHECK(test::deviation(ours, test::fann_run(net, inputs, dir.file("in.txt"), true)) <=
          double_tol);
}

struct Case {
  const char* type;
  const char* layers;
  const char* functions;  // FANN codes given to the neurons in turn
  const char* steepness;
  int scaled;
  double range;             // inputs uniform in [-range, range]
  double float_tol = 1e-5;  // sums of hundreds lose more than 1e-5 in float
};

// Creates the FANN network of `c` with FANN; its path.
std::string create(const test::TempDir& dir, const Case& c, int seed) {
  const std::string path = dir.file("net" + std::to_string(seed) + ".net");
  const std::string args = "create '" + path + "' " + c.type + " " + c.layers + " " + c.functions +
                           " " + c.steepness + " " + std::to_string(seed) + " " +
                           std::to_string(c.scaled);
  REQUIRE(test::fann_tool(args).empty());  // it prints nothing and succeeds
  REQUIRE(std::ifstream(path).good());
  return path;
}

// Every exact FANN function: linear, sigmoid, symmetric sigmoid, gaussian,
// symmetric gaussian, elliot, symmetric elliot, linear piece, symmetric linear
// piece, symmetric sin and cos, sin, cos.
const char* const all_exact = "0,3,5,7,8,10,11,12,13,14,15,16,17";

}  // namespace

TEST_CASE("FANN networks import computing what fann_run computes", "[io][fann]") {
  if (!test::have_fann()) return test::fann_missing();
  const Case c =
      GENERATE(Case{"standard", "3,5,2", "3", "0.5", 0, 3},
               Case{"standard", "4,6,5,3", all_exact, "0.7", 0, 3},
               Case{"shortcut", "4,6,5,3", all_exact, "1.3", 0, 3},
               Case{"sparse", "4,7,6,3", all_exact, "0.3,0.7,1.3,2.1", 0, 3},
               Case{"standard", "3,6,2", all_exact, "0.6,1.7", 1, 40},
               Case{"shortcut", "3,5,4,2", all_exact, "0.9,1.4", 1, 40},
               Case{"sparse", "3,6,5,2", all_exact, "0.8", 1, 40},
               // FANN's clamp of the sum at ±150/steepness changes these values:
               Case{"standard", "3,4,2", "3,5", "60,100", 0, 3},     // sigmoids at 1.5 and 2.5
               Case{"shortcut", "3,4,2", "0", "1,2", 0, 300, 1e-4},  // linear beyond ±150
               Case{"standard", "3,4,2", "10,11,14,15", "5", 0, 200, 1e-4},  // elliot, sin, cos
               Case{"standard", "3,4,2", "12,13", "200", 0, 2});             // linear pieces, M < 1
  const int seed = GENERATE(1, 2);
  CAPTURE(c.type, c.layers, c.functions, c.steepness, c.scaled, seed);
  test::TempDir dir("fann");
  const std::string path = create(dir, c, seed);
  const io::FannNetwork f = io::read_fann(path);
  REQUIRE(f.notes.empty());
  REQUIRE((f.input_scaling.kind == io::ScaleKind::affine) == (c.scaled == 1));
  const Network<double> net = compile<double>(f.topology);
  const Rows inputs =
      random_inputs(25, net.num_inputs(), c.range, 7u + static_cast<unsigned>(seed));
  require_fann_outputs(dagprop_run(net, f.input_scaling, f.output_scaling, inputs), path, inputs,
                       dir, c.float_tol);
}

TEST_CASE("FANN's clamp is applied only where it changes a value", "[io][fann]") {
  if (!test::have_fann()) return test::fann_missing();
  test::TempDir dir("fann");
  // Sigmoid hidden units (|y| <= 1) feed a linear output: its sum is bounded
  // well below 150, so no clamp unit; the first layer's elliot units read
  // unbounded inputs and need one each.
  const std::string plain = create(dir, {"standard", "2,3,1", "3,3,3,0", "0.5", 0, 3}, 1);
  const io::FannNetwork a = io::read_fann(plain);
  REQUIRE(a.topology.num_units() == 2 + 3 + 1);
  const std::string elliot = create(dir, {"standard", "2,3,1", "10,10,10,3", "1", 0, 3}, 2);
  const io::FannNetwork b = io::read_fann(elliot);
  REQUIRE(b.topology.num_units() == 2 + 3 * 2 + 1);
  REQUIRE(b.topology.find("n3.clamp"));
}

TEST_CASE("FANN's stepwise sigmoids import as the smooth ones within the stated bound",
          "[io][fann]") {
  if (!test::have_fann()) return test::fann_missing();
  const auto [code, bound] = GENERATE(table<const char*, double>(
      {{"4", io::fann_stepwise_deviation}, {"6", io::fann_symmetric_stepwise_deviation}}));
  test::TempDir dir("fann");
  // One stepwise output neuron after linear hidden neurons (which are exact).
  const std::string path =
      create(dir, {"standard", "2,3,1", (std::string("0,0,0,") + code).c_str(), "1", 0, 2}, 3);
  const io::FannNetwork f = io::read_fann(path);
  REQUIRE(f.notes.size() == 1);
  CHECK_THAT(f.notes[0], Catch::Contains("STEPWISE") && Catch::Contains("n7"));
  const Network<double> net = compile<double>(f.topology);
  const Rows inputs = random_inputs(400, 2, 2, 5);
  const double d = test::deviation(dagprop_run(net, f.input_scaling, f.output_scaling, inputs),
                                   test::fann_run(path, inputs, dir.file("in.txt")));
  CHECK(d <= bound);
  CHECK(d > bound / 10);  // FANN really computed the steps
}

TEST_CASE("FANN thresholds are refused naming the neuron", "[io][fann]") {
  if (!test::have_fann()) return test::fann_missing();
  const auto [code, name] =
      GENERATE(table<const char*, const char*>({{"1", "FANN_THRESHOLD"},
                                                {"2", "FANN_THRESHOLD_SYMMETRIC"},
                                                {"9", "FANN_GAUSSIAN_STEPWISE"}}));
  test::TempDir dir("fann");
  const std::string path =
      create(dir, {"standard", "2,2,1", (std::string("3,") + code).c_str(), "1", 0, 1}, 1);
  test::require_io_error([&] { io::read_fann(path); }, {path.c_str(), name, "neuron 4"});
}

TEST_CASE("An imported FANN network trains, reloads and goes back to FANN", "[io][fann]") {
  if (!test::have_fann()) return test::fann_missing();
  test::TempDir dir("fann");
  const std::string path = create(dir, {"shortcut", "3,5,4,2", all_exact, "0.8,1.2", 1, 30}, 4);
  io::FannNetwork f = io::read_fann(path);
  Network<double> net = compile<double>(f.topology);
  // Targets in the network's (scaled) output space: a smooth function of x'.
  Dataset<double> data;
  data.num_inputs = 3;
  data.num_targets = 2;
  for (const auto& row : random_inputs(200, 3, 30, 11)) {
    auto x = row;
    io::apply(f.input_scaling, x.data(), 3);
    data.inputs.insert(data.inputs.end(), x.begin(), x.end());
    data.targets.push_back(0.5 * std::sin(x[0]) + 0.2 * x[1]);
    data.targets.push_back(0.3 * x[2] - 0.1);
  }
  const double before = evaluate(net, data, Loss::sse, 1).loss;
  TrainOptions options;  // 10 epochs of Adam on the mean squared error
  options.epochs = 10;
  options.reduction = Reduction::mean;
  options.threads = 1;
  Trainer<double>(net, options, make_optimizer<double>(OptimizerOptions{"adam", 0.003})).fit(data);
  const double after = evaluate(net, data, Loss::sse, 1).loss;
  CHECK(after < before);

  const std::string model = dir.file("tuned.dpn");
  io::save_network(model, net, io::ArchiveKind::text, &f.input_scaling);
  io::Scaler in;
  const Network<double> reloaded = io::load_network<double>(model, &in);
  REQUIRE(in == f.input_scaling);
  REQUIRE(reloaded.params() == net.params());

  const std::string out = dir.file("tuned.net");
  io::write_fann(out, reloaded, &in, &f.output_scaling);
  const Rows inputs = random_inputs(30, 3, 30, 12);
  const Rows ours = dagprop_run(reloaded, in, f.output_scaling, inputs);
  // The scaling written goes through FANN's float parameters, in double too.
  require_fann_outputs(ours, out, inputs, dir, 1e-5, 1e-5);
  // ... and the exported file imports again to the same function.
  const io::FannNetwork back = io::read_fann(out);
  REQUIRE(test::deviation(dagprop_run(compile<double>(back.topology), back.input_scaling,
                                      back.output_scaling, inputs),
                          ours) <= 1e-5);
}

TEST_CASE("Any DAG of FANN's functions exports to what fann_run computes", "[io][fann]") {
  if (!test::have_fann()) return test::fann_missing();
  const std::uint64_t seed = GENERATE(range(std::uint64_t{1}, std::uint64_t{9}));
  CAPTURE(seed);
  test::RandomDag d = test::random_dag(seed, Loss::sse);
  const Activation fann_has[] = {Activation::identity,  Activation::sigmoid,  Activation::tanh,
                                 Activation::hard_tanh, Activation::gaussian, Activation::softsign,
                                 Activation::sin};
  SplitMix64 rng(seed);
  for (UnitId i = 0; i < d.topology.num_units(); ++i)
    if (d.topology.role(i) != Role::input) d.topology.set_activation(i, fann_has[rng.below(7)]);
  const Network<double> net = compile<double>(d.topology);
  test::TempDir dir("fann");
  const std::string out = dir.file("dag.net");
  io::write_fann(out, net);
  const Rows inputs = random_inputs(20, net.num_inputs(), 200, seed);
  const io::Scaler none;
  require_fann_outputs(dagprop_run(net, none, none, inputs), out, inputs, dir, 1e-4);
}

TEST_CASE("Export refuses activations FANN has not, by name", "[io][fann]") {
  Topology t;
  const UnitId x = t.add_input("x");
  const UnitId h = t.add_unit(Activation::relu, Role::hidden, "h");
  const UnitId y = t.add_output(Activation::identity, "y");
  t.connect(x, h, 1);
  t.connect(h, y, 1);
  const Network<double> net = compile<double>(t);
  REQUIRE_THROWS_WITH(io::fann_text(net), Catch::Contains("unit 'h'") && Catch::Contains("relu") &&
                                              Catch::Contains("FANN has not"));
  test::TempDir dir("fann");
  test::require_io_error([&] { io::write_fann(dir.file("x.net"), net); }, {"x.net", "relu"});
  REQUIRE_FALSE(std::ifstream(dir.file("x.net")).good());
  // neat-python's clamped sigmoid and gauss are not FANN's sigmoid and gaussian.
  for (Activation f : {Activation::neat_sigmoid, Activation::neat_gauss}) {
    Topology n = t;
    n.set_activation(h, f);
    REQUIRE_THROWS_WITH(io::fann_text(compile<double>(n)),
                        Catch::Contains("unit 'h'") && Catch::Contains(std::string(to_string(f))) &&
                            Catch::Contains("FANN has not"));
  }
}

namespace {

// A small layered FANN file as FANN writes it: 2 inputs, 1 sigmoid output.
std::string small_net(const std::string& neurons, const std::string& connections,
                      const std::string& layers = "3 2 ", const std::string& extra = "") {
  return "FANN_FLO_2.1\nnum_layers=2\nlearning_rate=0.700000\nconnection_rate=1.000000\n"
         "network_type=0\nlearning_momentum=0.000000\nlayer_sizes=" +
         layers + "\n" + extra +
         "scale_included=0\nneurons (num_inputs, activation_function, activation_steepness)=" +
         neurons + "\nconnections (connected_to_neuron, weight)=" + connections + "\n";
}
const std::string good_neurons = "(0, 0, 0) (0, 0, 0) (0, 0, 0) (3, 3, 0.5) (0, 0, 0) ";
const std::string good_connections = "(0, 0.5) (1, -0.25) (2, 0.125) ";

}  // namespace

TEST_CASE("A FANN file computes by hand what FANN's formulas say", "[io][fann]") {
  // y = 1 / (1 + e^(-2 s sum)), s = 0.5, sum = 0.5 x0 - 0.25 x1 + 0.125.
  const io::FannNetwork f = io::read_fann_text(small_net(good_neurons, good_connections), "t.net");
  const Network<double> net = compile<double>(f.topology);
  const double x[2] = {0.8, -1.2};
  const double sum = 0.5 * 0.8 - 0.25 * -1.2 + 0.125;
  REQUIRE(predict(net, x, 1, 1)[0] == Approx(1 / (1 + std::exp(-sum))).epsilon(1e-15));
  REQUIRE(f.input_scaling.kind == io::ScaleKind::none);
}

TEST_CASE("Damaged FANN files are refused naming the line and the neuron", "[io][fann]") {
  struct Bad {
    std::string text;
    std::vector<const char*> parts;
  };
  const std::vector<Bad> bad = {
      {"", {"empty file"}},
      {"FANN_FIX_2.1\n", {"line 1", "fixed-point"}},
      {"hello\n", {"line 1", "expected FANN_FLO_2.1"}},
      {small_net(good_neurons, good_connections, "3 2 7 "), {"line 7", "more layer sizes"}},
      {small_net(good_neurons, good_connections, "3 "), {"line 7", "1 layer sizes"}},
      {small_net(good_neurons, good_connections, "3 0 "), {"layer 1 is empty"}},
      {small_net(good_neurons, good_connections, "3 99999999999 "), {"more than"}},
      {small_net(good_neurons, good_connections, "3 1000000 "), {"too short"}},
      {small_net("(0, 0, 0) (0, 0, 0) (0, 0, 0) (3, 3, 0.5) ", good_connections),
       {"line 9", "4 neurons, layer_sizes counts 5"}},
      {small_net("(0, 0, 0) (0, 0, 0) (0, 0, 0) (3, 3, x) (0, 0, 0) ", good_connections),
       {"line 9", "neuron 3", "\"x\" is not a finite number"}},
      {small_net("(0, 0, 0) (0, 0, 0) (0, 0, 0) (3, 3, inf) (0, 0, 0) ", good_connections),
       {"neuron 3", "not a finite number"}},
      {small_net("(0, 0, 0) (0, 0, 0) (0, 0, 0) (3, 3 0.5) (0, 0, 0) ", good_connections),
       {"neuron 3", "expected 3 numbers"}},
      {small_net("(0, 0, 0) (0, 0, 0) (0, 0, 0) (3, 3, -0.5) (0, 0, 0) ", good_connections),
       {"neuron 3", "steepness -0.5"}},
      {small_net("(0, 0, 0) (0, 0, 0) (0, 0, 0) (3, 42, 0.5) (0, 0, 0) ", good_connections),
       {"neuron 3", "42 is not a FANN function"}},
      {small_net("(0, 0, 0) (0, 0, 0) (0, 0, 0) (4, 3, 0.5) (0, 0, 0) ",
                 good_connections + "(3, 1) "),
       {"neuron 3", "4 connections", "3 neurons before it"}},
      {small_net("(1, 0, 0) (0, 0, 0) (0, 0, 0) (3, 3, 0.5) (0, 0, 0) ",
                 good_connections + "(3, 1) "),
       {"neuron 0", "input-layer neuron"}},
      {small_net(good_neurons, "(0, 0.5) (1, -0.25) "), {"line 10", "2 connections", "count 3"}},
      {small_net(good_neurons, good_connections + "(1, 1) "), {"more connections"}},
      {small_net(good_neurons, "(0, 0.5) (2, -0.25) (2, 0.125) "),
       {"neuron 3", "connection 1 names neuron 2", "connects it to neuron 1"}},
      {small_net(good_neurons, "(0, 0.5) (1, -0.25) (9, 0.125) "),
       {"comes from neuron 9", "5 neurons"}},
      {small_net(good_neurons, "(0, 0.5) (1, nan) (2, 0.125) "), {"not a finite number"}},
      {small_net(good_neurons, "(0, 0.5) (1, 1e999) (2, 0.125) "), {"not a finite number"}},
      {small_net(good_neurons, good_connections, "3 2 ", "network_type=7\n"), {"given twice"}},
      {small_net(good_neurons, good_connections, "3 2 ", "garbage\n"),
       {"line 8", "expected key=value"}},
      {"FANN_FLO_2.1\nnum_layers=2\n", {"no connection_rate= line"}},
  };
  for (const Bad& b : bad) {
    CAPTURE(b.text);
    test::require_io_error([&] { io::read_fann_text(b.text, "bad.net"); }, {"bad.net"});
    for (const char* part : b.parts)
      test::require_io_error([&] { io::read_fann_text(b.text, "bad.net"); }, {part});
  }
}

TEST_CASE("Sparse FANN files may only read neurons computed before", "[io][fann]") {
  // connection_rate < 1: the stored sources count; neuron 3 may not read itself.
  std::string text = small_net(good_neurons, "(0, 0.5) (1, -0.25) (3, 0.125) ");
  text.replace(text.find("connection_rate=1.000000"), 24, "connection_rate=0.500000");
  test::require_io_error([&] { io::read_fann_text(text, "s.net"); },
                         {"s.net", "neuron 3", "comes from neuron 3", "not computed before"});
}

TEST_CASE("FANN scaling with a zero deviation is refused naming the column", "[io][fann]") {
  const std::string scale =
      "scale_included=1\nscale_mean_in=0 0 \nscale_deviation_in=1 0 \nscale_new_min_in=-1 -1 \n"
      "scale_factor_in=1 1 \nscale_mean_out=0 \nscale_deviation_out=1 \nscale_new_min_out=-1 \n"
      "scale_factor_out=1 \n";
  std::string text = small_net(good_neurons, good_connections);
  text.replace(text.find("scale_included=0\n"), 17, scale);
  test::require_io_error([&] { io::read_fann_text(text, "z.net"); },
                         {"z.net", "scaling of input 1", "deviation 0"});
}
