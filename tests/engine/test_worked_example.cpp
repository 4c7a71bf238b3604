// The memo's algorithms on a 2-2-1 sigmoid network worked by hand: every x, y,
// v, p, Δw, Δb of one run and the weights after one SGD step (η = 0.5), through
// memo.hpp and through the Trainer. The numbers come from the Python script at
// the end of this file; this file does not test other losses or activations.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "dagprop/dagprop.hpp"

using namespace dagprop;

namespace {

// Inputs i1, i2; hidden h1, h2; output o; all sigmoid.
//   h1 <- i1 (0.15), i2 (-0.25), b = 0.1
//   h2 <- i1 (0.4),  i2 (0.3),   b = -0.2
//   o  <- h1 (0.7),  h2 (-0.45), b = 0.05
// One run: input (0.8, -0.3), target 0.2.
Topology worked_topology() {
  Topology t;
  // Added out of topological order on purpose: ids are not the compiled order.
  const UnitId o = t.add_output(Activation::sigmoid, "o", 0.05);
  const UnitId h2 = t.add_unit(Activation::sigmoid, Role::hidden, "h2", -0.2);
  const UnitId i1 = t.add_input("i1");
  const UnitId h1 = t.add_unit(Activation::sigmoid, Role::hidden, "h1", 0.1);
  const UnitId i2 = t.add_input("i2");
  t.connect(i1, h1, 0.15);
  t.connect(i2, h1, -0.25);
  t.connect(i1, h2, 0.4);
  t.connect(i2, h2, 0.3);
  t.connect(h2, o, -0.45);
  t.connect(h1, o, 0.7);
  return t;
}

// The compiled id of the unit named `name`.
template <class T>
UnitId by_name(const Network<T>& net, const std::string& name) {
  for (UnitId i = 0; i < net.num_units(); ++i)
    if (net.name(i) == name) return i;
  FAIL("no unit named " << name);
  return 0;
}

constexpr double eta = 0.5;
const double input[2] = {0.8, -0.3};
const double target[1] = {0.2};

// The weights and biases after one step of Algorithm 5, w <- w - η Δw:
void check_updated(const Network<double>& net) {
  const UnitId i1 = 0, i2 = 1, h1 = by_name(net, "h1"), h2 = by_name(net, "h2"),
               o = by_name(net, "o");
  const auto m = Approx::custom().margin(1e-12).epsilon(0);
  CHECK(net.weight(i1, h1) == m(0.1439873085665319));    // 0.15 - 0.5 * 0.012025382866936149
  CHECK(net.weight(i2, h1) == m(-0.24774524071244947));  // -0.25 - 0.5 * -0.004509518575101055
  CHECK(net.b()[h1] == m(0.09248413570816491));          // 0.1 - 0.5 * 0.015031728583670185
  CHECK(net.weight(i1, h2) == m(0.40394911911801923));   // 0.4 - 0.5 * -0.007898238236038429
  CHECK(net.weight(i2, h2) == m(0.29851908033074276));   // 0.3 - 0.5 * 0.0029618393385144105
  CHECK(net.b()[h2] == m(-0.195063601102476));           // -0.2 - 0.5 * -0.009872797795048035
  CHECK(net.weight(h1, o) == m(0.6748419718135603));     // 0.7 - 0.5 * 0.05031605637287936
  CHECK(net.weight(h2, o) == m(-0.4722736300508462));    // -0.45 - 0.5 * 0.04454726010169237
  CHECK(net.b()[o] == m(0.006111025150398304));          // 0.05 - 0.5 * 0.0877779496992034
}

}  // namespace

TEST_CASE("worked example: x, y, v, p, Δw, Δb and one SGD step of a 2-2-1 sigmoid net",
          "[memo][worked]") {
  Network<double> net = compile<double>(worked_topology());
  REQUIRE(net.num_units() == 5);
  REQUIRE(net.num_connections() == 6);
  REQUIRE(net.name(0) == "i1");  // inputs first, in input order
  REQUIRE(net.name(1) == "i2");
  const UnitId i1 = 0, i2 = 1, h1 = by_name(net, "h1"), h2 = by_name(net, "h2"),
               o = by_name(net, "o");
  REQUIRE(net.output(0) == o);
  CHECK(net.weight(i2, h1) == -0.25);
  CHECK(net.weight(h2, o) == -0.45);
  const auto m = Approx::custom().margin(1e-12).epsilon(0);

  Run<double> run(net);
  Gradient<double> grad(net);
  init_grad(grad);  // Algorithm 2
  const double E = back_propagate(net, input, target, Loss::sse, run, grad);

  // eq. (1)-(2): x_i = sum_j w_ij y_j + b_i, y_i = 1 / (1 + e^-x_i).
  CHECK(run.x[i1] == 0.8);  // inputs: y = x = the given value
  CHECK(run.y[i2] == -0.3);
  CHECK(run.x[h1] == m(0.29500000000000004));  // 0.15*0.8 - 0.25*(-0.3) + 0.1
  CHECK(run.y[h1] == m(0.5732197726798349));
  CHECK(run.x[h2] == m(0.030000000000000054));  // 0.4*0.8 + 0.3*(-0.3) - 0.2
  CHECK(run.y[h2] == m(0.5074994375506203));
  CHECK(run.x[o] == m(0.2228790939781053));  // 0.7*y_h1 - 0.45*y_h2 + 0.05
  CHECK(run.y[o] == m(0.5554902564888773));
  // eq. (3): E = 1/2 (y_o - 0.2)^2.
  CHECK(E == m(0.06318666122926388));

  // eq. (16): v = f'(x) = y (1 - y).
  CHECK(run.v[h1] == m(0.2446388648887133));
  CHECK(run.v[h2] == m(0.24994375843642436));
  CHECK(run.v[o] == m(0.24692083143479862));

  // eq. (15) then Alg. 3's p_i <- p_i v_i: p_o = (y_o - y*) v_o.
  CHECK(run.p[o] == m(0.0877779496992034));
  // eq. (14): p_j = v_j sum_{i in D_j} p_i w_ij.
  CHECK(run.p[h1] == m(0.015031728583670185));   // p_o * 0.7 * v_h1
  CHECK(run.p[h2] == m(-0.009872797795048035));  // p_o * (-0.45) * v_h2
  // Inputs: p = ∂E/∂x (v = 1), sum over both hidden units.
  CHECK(run.p[i1] == m(-0.0016943598304686868));  // p_h1 * 0.15 + p_h2 * 0.4
  CHECK(run.p[i2] == m(-0.006719771484431957));   // p_h1 * (-0.25) + p_h2 * 0.3

  // eq. (11)-(12): Δw_ij = p_i y_j, Δb_i = p_i.
  const auto dw = [&](UnitId j, UnitId i) { return grad.dw()[net.connection(j, i)]; };
  CHECK(dw(h1, o) == m(0.05031605637287936));     // p_o y_h1
  CHECK(dw(h2, o) == m(0.04454726010169237));     // p_o y_h2
  CHECK(grad.db()[o] == m(0.0877779496992034));   // p_o
  CHECK(dw(i1, h1) == m(0.012025382866936149));   // p_h1 * 0.8
  CHECK(dw(i2, h1) == m(-0.004509518575101055));  // p_h1 * (-0.3)
  CHECK(grad.db()[h1] == m(0.015031728583670185));
  CHECK(dw(i1, h2) == m(-0.007898238236038429));  // p_h2 * 0.8
  CHECK(dw(i2, h2) == m(0.0029618393385144105));  // p_h2 * (-0.3)
  CHECK(grad.db()[h2] == m(-0.009872797795048035));
  CHECK(grad.db()[i1] == 0.0);  // inputs have no bias
  CHECK(grad.db()[i2] == 0.0);

  // Algorithm 5, UpdateNN.
  update_nn(net, grad, eta);
  check_updated(net);
}

TEST_CASE("worked example: memo train_nn and the Trainer give the same step", "[memo][worked]") {
  SECTION("memo train_nn") {
    Network<double> net = compile<double>(worked_topology());
    const std::size_t rows[1] = {0};
    const double E = train_nn(net, input, target, rows, 1, Loss::sse, eta);
    CHECK(E == Approx(0.06318666122926388).margin(1e-12).epsilon(0));
    check_updated(net);
  }
  SECTION("Trainer, batch 1, sum") {
    Network<double> net = compile<double>(worked_topology());
    Dataset<double> data;
    data.num_inputs = 2;
    data.num_targets = 1;
    data.inputs = {input[0], input[1]};
    data.targets = {target[0]};
    TrainOptions o;
    o.epochs = 1;
    o.batch_size = 1;
    o.shuffle = false;
    o.learning_rate = eta;
    o.reduction = Reduction::sum;
    o.threads = 1;
    Trainer<double> trainer(net, o);
    const auto reports = trainer.fit(data);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].loss == Approx(0.06318666122926388).margin(1e-12).epsilon(0));
    CHECK(reports[0].runs == 1);
    check_updated(net);
  }
}

/* The generator of the numbers above (run with /usr/bin/python3):

import math
s = lambda z: 1.0 / (1.0 + math.exp(-z))
x1, x2, t = 0.8, -0.3, 0.2
w31, w32, b3 = 0.15, -0.25, 0.1    # h1 <- i1, i2
w41, w42, b4 = 0.4, 0.3, -0.2      # h2 <- i1, i2
w53, w54, b5 = 0.7, -0.45, 0.05    # o <- h1, h2
eta = 0.5
X3 = w31 * x1 + w32 * x2 + b3; Y3 = s(X3)   # eq. (1)-(2)
X4 = w41 * x1 + w42 * x2 + b4; Y4 = s(X4)
X5 = w53 * Y3 + w54 * Y4 + b5; Y5 = s(X5)
E = 0.5 * (Y5 - t) ** 2                      # eq. (3)
V3, V4, V5 = Y3 * (1 - Y3), Y4 * (1 - Y4), Y5 * (1 - Y5)  # eq. (16)
P5 = (Y5 - t) * V5                           # eq. (15), times v
P3 = P5 * w53 * V3                           # eq. (14)
P4 = P5 * w54 * V4
P1 = P3 * w31 + P4 * w41
P2 = P3 * w32 + P4 * w42
dw53, dw54, db5 = P5 * Y3, P5 * Y4, P5       # eq. (11)-(12)
dw31, dw32, db3 = P3 * x1, P3 * x2, P3
dw41, dw42, db4 = P4 * x1, P4 * x2, P4
names = "X3 Y3 X4 Y4 X5 Y5 E V3 V4 V5 P5 P3 P4 P1 P2 dw53 dw54 db5 dw31 dw32 db3 dw41 dw42 db4"
for n in names.split(): print(f"{n} = {globals()[n]!r}")
for w in "w31 w32 b3 w41 w42 b4 w53 w54 b5".split():   # Alg. 5
    print(f"new {w} = {globals()[w] - eta * globals()['d' + w]!r}")
*/
