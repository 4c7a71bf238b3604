// Units with an empty upstream set S_i (NEAT's bias neurons and outputs no
// connection reaches): x_i = b_i, y_i = f_i(b_i), at level 1, their bias
// trained by the p_i that flows into it. Values by hand, the gradient by
// central differences, the block kernels and the Trainer against the memo.
// Model files and DOT: tests/io/test_constant_unit_files.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "engine/central_differences.hpp"

using namespace dagprop;

namespace {

// a, b -> h (tanh); c (sigmoid, constant) -> h and -> o1; o1 (identity) <- h, c;
// o2 (tanh, constant output).
Topology constant_dag() {
  Topology t;
  const UnitId a = t.add_input("a"), b = t.add_input("b");
  const UnitId c = t.add_unit(Activation::sigmoid, Role::hidden, "c", 0.3);
  const UnitId h = t.add_unit(Activation::tanh, Role::hidden, "h", -0.2);
  const UnitId o1 = t.add_output(Activation::identity, "o1", 0.1);
  t.add_output(Activation::tanh, "o2", -0.4);
  t.connect(a, h, 0.7);
  t.connect(b, h, -1.1);
  t.connect(c, h, 0.9);
  t.connect(h, o1, 1.3);
  t.connect(c, o1, -0.6);
  return t;
}

const std::vector<double> inputs = {0.5, -1.0, 1.5, 0.25, -0.75, 2.0, 0.0, 0.0};
const std::vector<double> targets = {0.2, 0.1, -0.3, 0.5, 1.0, -0.2, 0.0, 0.4};

double total_loss(const Network<double>& net) {
  Run<double> run(net);
  Gradient<double> scratch(net);
  double E = 0;
  for (std::size_t r = 0; r < 4; ++r)
    E += back_propagate(net, &inputs[r * 2], &targets[r * 2], Loss::sse, run, scratch);
  return E;
}

UnitId unit(const Network<double>& net, const std::string& name) {
  for (UnitId i = 0; i < net.num_units(); ++i)
    if (net.name(i) == name) return i;
  FAIL("no unit " << name);
  return 0;
}

// The Trainer's options that replay train_nn: batches in data order, chunks of 3 or 5.
TrainOptions in_order(std::size_t epochs, std::size_t batch, std::size_t chunk, double lr) {
  TrainOptions o;
  o.epochs = epochs;
  o.batch_size = batch;
  o.chunk_size = chunk;
  o.learning_rate = lr;
  o.shuffle = false;
  return o;
}

}  // namespace

TEST_CASE("constant units: y = f(b), computed by hand", "[constant]") {
  const Network<double> net = compile<double>(constant_dag());
  const UnitId c = unit(net, "c");
  CHECK(net.first(c) == net.first(c + 1));
  CHECK(net.level(c) == 1);
  CHECK(net.level(unit(net, "o2")) == 1);
  CHECK(net.level(unit(net, "o1")) == 3);
  const double yc = 1 / (1 + std::exp(-0.3));
  for (std::size_t r = 0; r < 4; ++r) {
    const double a = inputs[r * 2], b = inputs[r * 2 + 1];
    const double h = std::tanh(0.7 * a - 1.1 * b + 0.9 * yc - 0.2);
    const std::vector<double> y = predict(net, &inputs[r * 2], 1);
    CHECK(y[0] == Approx(1.3 * h - 0.6 * yc + 0.1).epsilon(1e-14));
    CHECK(y[1] == Approx(std::tanh(-0.4)).epsilon(1e-14));
    const float xf[2] = {static_cast<float>(a), static_cast<float>(b)};
    const std::vector<float> yf = predict(net.cast<float>(), xf, 1);
    CHECK(static_cast<double>(yf[1]) == Approx(std::tanh(-0.4)).epsilon(1e-6));
  }
}

TEST_CASE("constant units: back-propagation matches central differences", "[constant][gradcheck]") {
  Network<double> net = compile<double>(constant_dag());
  Run<double> run(net);
  Gradient<double> grad(net);
  for (std::size_t r = 0; r < 4; ++r)
    back_propagate(net, &inputs[r * 2], &targets[r * 2], Loss::sse, run, grad);
  const auto [checked, nonzero] = test::check_central_differences(
      net, grad, [](const Network<double>& n) { return total_loss(n); }, 1e-6, 1e-7, 1e-9);
  CHECK(checked == net.num_parameters());
  CHECK(nonzero == checked);
  // Δb of both constant units: p flows into c from h and o1, into o2 from the loss.
  CHECK(std::abs(grad.db()[unit(net, "c")]) > 1e-3);
  CHECK(std::abs(grad.db()[unit(net, "o2")]) > 1e-3);
}

TEST_CASE("constant units: the Trainer equals the memo's train_nn", "[constant][trainer]") {
  const Network<double> start = compile<double>(constant_dag());
  Network<double> memo = start;
  std::vector<std::size_t> rows(4);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  for (int e = 0; e < 5; ++e)
    train_nn(memo, inputs.data(), targets.data(), rows.data(), 4, Loss::sse, 0.05);
  const TrainOptions o = in_order(5, 4, 3, 0.05);
  Network<double> net = start;
  Trainer<double>(net, o).fit(Dataset<double>{2, 2, inputs, targets});
  for (std::size_t k = 0; k < net.params().size(); ++k) {
    INFO("parameter " << k);
    CHECK(net.params()[k] == Approx(memo.params()[k]).margin(1e-12).epsilon(0));
  }
  CHECK(net.bias(unit(net, "o2")) != start.bias(unit(net, "o2")));  // trained
}

TEST_CASE("constant units: a source of dense groups, Trainer against the memo",
          "[constant][trainer][block]") {
  // 8 inputs and a constant unit k -> 16 tanh units -> 4 outputs, plus a
  // constant output: k is compiled right after the inputs, so the hidden
  // units' sources are one contiguous range and run as a dense group.
  SplitMix64 rng(3);
  Topology t;
  std::vector<UnitId> in;
  for (int j = 0; j < 8; ++j) in.push_back(t.add_input());
  const UnitId k = t.add_unit(Activation::sigmoid, Role::hidden, "k", 0.4);
  in.push_back(k);
  const auto hidden = add_dense_layer(t, in, 16, Activation::tanh);
  add_dense_layer(t, hidden, 4, Activation::identity, Role::output);
  t.add_output(Activation::sigmoid, "c", -0.3);
  for (UnitId i = 0; i < t.num_units(); ++i) {
    t.for_each_upstream(i, [&](UnitId, double& w) { w = rng.uniform(-0.5, 0.5); });
    if (t.role(i) != Role::input && i != k) t.set_bias(i, rng.uniform(-0.2, 0.2));
  }
  const Network<double> start = compile<double>(t);
  bool dense_with_k = false;
  for (const Group& g : start.groups())
    dense_with_k |= g.dense && g.src_last == start.num_inputs() + 1;
  REQUIRE(dense_with_k);
  const std::size_t rows = 24;
  Dataset<double> data{8, 5, {}, {}};
  for (std::size_t r = 0; r < rows * 8; ++r) data.inputs.push_back(rng.uniform(-1, 1));
  for (std::size_t r = 0; r < rows * 5; ++r) data.targets.push_back(rng.uniform(-1, 1));
  Network<double> memo = start;
  std::vector<std::size_t> order(rows);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (int e = 0; e < 3; ++e)
    for (std::size_t first = 0; first < rows; first += 8)
      train_nn(memo, data.inputs.data(), data.targets.data(), order.data() + first, 8, Loss::sse,
               0.02);
  const TrainOptions o = in_order(3, 8, 5, 0.02);
  Network<double> net = start;
  Trainer<double>(net, o).fit(data);
  for (std::size_t p = 0; p < net.params().size(); ++p) {
    INFO("parameter " << p);
    CHECK(net.params()[p] == Approx(memo.params()[p]).margin(1e-12).epsilon(0));
  }
  const UnitId kc = unit(net, "k");
  CHECK(net.bias(kc) != start.bias(kc));  // p flowed into k's bias through the dense group
}
