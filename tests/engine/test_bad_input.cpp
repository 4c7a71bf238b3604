// Misuse of the public API: every function taking a unit id, a size or a
// hyper-parameter throws dagprop::invalid_argument (never aborts). Topology
// validation errors (topology_error) are in test_topology.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "block.hpp"  // engine/src: the block kernels, internal to the engine
#include "dagprop/dagprop.hpp"

using namespace dagprop;
using Catch::Matchers::Contains;

namespace {

// in -> h -> out.
Topology chain() {
  Topology t;
  const UnitId in = t.add_input("in");
  const UnitId h = t.add_unit(Activation::tanh, Role::hidden, "h");
  const UnitId out = t.add_output(Activation::sigmoid, "out");
  t.connect(in, h, 0.5);
  t.connect(h, out, -0.5);
  return t;
}

Dataset<double> data(std::size_t rows, std::size_t n_in, std::size_t n_out) {
  Dataset<double> d;
  d.num_inputs = n_in;
  d.num_targets = n_out;
  d.inputs.assign(rows * n_in, 0.5);
  d.targets.assign(rows * n_out, 1.0);
  return d;
}

}  // namespace

TEST_CASE("Topology rejects unit ids out of range", "[bad_input][topology]") {
  Topology t = chain();  // units 0, 1, 2
  const UnitId bad = 3, huge = std::numeric_limits<UnitId>::max();
  CHECK_THROWS_AS(t.connect(bad, 1), invalid_argument);
  CHECK_THROWS_AS(t.connect(0, bad), invalid_argument);
  CHECK_THROWS_AS(t.connect(huge, huge), invalid_argument);
  CHECK(t.num_connections() == 2);  // nothing was added
  CHECK_THROWS_AS(t.upstream(bad), invalid_argument);
  CHECK_THROWS_AS(t.downstream(bad), invalid_argument);
  CHECK_THROWS_AS(t.connected(0, bad), invalid_argument);
  CHECK_THROWS_AS(t.weight(bad, 1), invalid_argument);
  CHECK_THROWS_AS(t.set_weight(0, bad, 1.0), invalid_argument);
  CHECK_THROWS_AS(t.bias(bad), invalid_argument);
  CHECK_THROWS_AS(t.set_bias(huge, 1.0), invalid_argument);
  CHECK_THROWS_AS(t.activation(bad), invalid_argument);
  CHECK_THROWS_AS(t.set_activation(bad, Activation::relu), invalid_argument);
  CHECK_THROWS_AS(t.role(bad), invalid_argument);
  CHECK_THROWS_AS(t.name(bad), invalid_argument);
  CHECK_THROWS_AS(t.set_name(bad, "x"), invalid_argument);
  CHECK_THROWS_AS(t.index(bad), invalid_argument);
  CHECK_THROWS_AS(t.set_index(bad, 0), invalid_argument);
  CHECK_THROWS_AS(t.for_each_upstream(bad, [](UnitId, double&) {}), invalid_argument);
  // The message says which id and how many units there are.
  CHECK_THROWS_WITH(t.upstream(bad), Contains("3") && Contains("3 units"));
  // Weights of connections that do not exist.
  CHECK_THROWS_AS(t.weight(0, 2), invalid_argument);
  CHECK_THROWS_AS(t.set_weight(2, 1, 1.0), invalid_argument);
}

TEST_CASE("Topology builders reject bad roles, activations and sizes", "[bad_input][topology]") {
  Topology t;
  CHECK_THROWS_AS(t.add_unit(Activation::relu, Role::input), invalid_argument);
  CHECK_THROWS_AS(t.add_unit(static_cast<Activation>(99)), invalid_argument);
  CHECK(t.num_units() == 0);
  CHECK_THROWS_AS(add_dense_layer(t, {}, 0, Activation::relu), invalid_argument);
  CHECK_THROWS_AS(make_mlp({}, Activation::relu, Activation::identity), invalid_argument);
  CHECK_THROWS_AS(make_mlp({4}, Activation::relu, Activation::identity), invalid_argument);
  CHECK_THROWS_AS(make_mlp({4, 0, 2}, Activation::relu, Activation::identity), invalid_argument);
  CHECK_THROWS_AS(make_mlp({0, 3}, Activation::relu, Activation::identity), invalid_argument);
  CHECK_THROWS_AS(make_mlp({3, 0}, Activation::relu, Activation::identity), invalid_argument);
  CHECK_THROWS_WITH(make_mlp({4, 0, 2}, Activation::relu, Activation::identity),
                    Contains("layer 1"));
}

TEST_CASE("Network rejects connections that do not exist", "[bad_input][network]") {
  auto net = compile<double>(chain());                  // compiled ids: in 0, h 1, out 2
  CHECK_THROWS_AS(net.weight(0, 2), invalid_argument);  // in -> out is not a connection
  CHECK_THROWS_AS(net.weight(2, 1), invalid_argument);  // backwards
  CHECK_THROWS_AS(net.weight(0, 0), invalid_argument);
  CHECK_THROWS_AS(net.weight(0, 7), invalid_argument);  // out of range
  CHECK_THROWS_AS(net.weight(7, 1), invalid_argument);
  CHECK_THROWS_AS(net.set_weight(0, 2, 1.0), invalid_argument);
  CHECK_THROWS_AS(net.connection(1, 99), invalid_argument);
  CHECK(net.weight(0, 1) == 0.5);
  // The per-unit accessors are range-checked (std::vector::at), never UB.
  CHECK_THROWS(net.role(3));
  CHECK_THROWS(net.name(3));
  CHECK_THROWS(net.output(1));
}

TEST_CASE("values beyond float's range are refused for float, naming them",
          "[bad_input][network]") {
  // issue 11: a finite double weight of 1e300 became inf in float, and the
  // outputs nan with no error
  Topology t = chain();
  t.set_weight(0, 1, 1e300);
  CHECK_THROWS_WITH(compile<float>(t), Contains("the weight on 'in' -> 'h' = 1e+300") &&
                                           Contains("does not fit in float"));
  const auto net64 = compile<double>(t);  // fits double
  CHECK(net64.weight(0, 1) == 1e300);
  CHECK_THROWS_WITH(net64.cast<float>(), Contains("the weight on 'in' -> 'h' = 1e+300"));
  t.set_weight(0, 1, 3.4e38);  // just below FLT_MAX = 3.40282347e38
  t.set_bias(2, -1e39);
  CHECK_THROWS_WITH(compile<float>(t), Contains("the bias of 'out' = -1e+39"));
  CHECK_THROWS_AS(compile<double>(t).cast<float>(), numeric_error);
  t.set_bias(2, -3.4e38);
  CHECK(compile<float>(t).weight(0, 1) == 3.4e38f);
  // a NaN input runs through float's sigmoid as NaN (UBSan: no shift of a
  // negative value or conversion of NaN to int)
  const auto net = compile<float>(chain());
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(std::isnan(predict(net, &nan, 1, 1)[0]));
}

TEST_CASE("Workspace rejects capacity 0 and blocks that do not fit", "[bad_input][block]") {
  const auto net = compile<double>(chain());
  CHECK_THROWS_AS(Workspace<double>(net, 0), invalid_argument);
  Workspace<double> ws(net, 4);
  CHECK_THROWS_AS(ws.begin_block(5), invalid_argument);
  CHECK_THROWS_AS(ws.begin_block(0), invalid_argument);
  const double in[5] = {0, 1, 2, 3, 4};
  const std::size_t rows[5] = {0, 1, 2, 3, 4};
  CHECK_THROWS_AS(propagate(net, Block<double>{in, nullptr, rows, 5}, ws), invalid_argument);
  CHECK_NOTHROW(propagate(net, Block<double>{in, nullptr, rows, 4}, ws));
}

TEST_CASE("TrainOptions rejects out-of-range hyper-parameters", "[bad_input][trainer]") {
  auto net = compile<double>(chain());
  TrainOptions ok;
  CHECK_NOTHROW(ok.check());
  auto rejects = [&](TrainOptions o, const char* what) {
    INFO(what);
    CHECK_THROWS_AS(o.check(), invalid_argument);
    CHECK_THROWS_WITH(o.check(), Contains(what));
    CHECK_THROWS_AS(Trainer<double>(net, o), invalid_argument);
  };
  TrainOptions o = ok;
  o.batch_size = 0;
  rejects(o, "batch_size");
  o = ok;
  o.chunk_size = 0;
  rejects(o, "chunk_size");
  o = ok;
  o.learning_rate = 0;
  rejects(o, "learning_rate");
  o.learning_rate = -0.1;
  rejects(o, "learning_rate");
  o.learning_rate = std::nan("");
  rejects(o, "learning_rate");
  o.learning_rate = std::numeric_limits<double>::infinity();
  rejects(o, "learning_rate");
  o = ok;
  o.threads = 1u << 20;
  rejects(o, "threads");
  // The optimizer's learning rate too.
  Sgd<double> sgd(0.1);
  CHECK_THROWS_AS(sgd.set_learning_rate(0), invalid_argument);
  CHECK_THROWS_AS(sgd.set_learning_rate(std::nan("")), invalid_argument);
  CHECK(sgd.learning_rate() == 0.1);
}

TEST_CASE("Trainer rejects data that do not fit the network", "[bad_input][trainer]") {
  auto net = compile<double>(chain());  // 1 input, 1 output
  TrainOptions o;
  o.epochs = 1;
  o.batch_size = 2;
  Trainer<double> trainer(net, o);
  const auto before = net.params();
  CHECK_THROWS_AS(trainer.fit(data(4, 2, 1)), invalid_argument);
  CHECK_THROWS_WITH(trainer.fit(data(4, 2, 1)), Contains("input"));
  CHECK_THROWS_AS(trainer.fit(data(4, 1, 3)), invalid_argument);
  CHECK_THROWS_WITH(trainer.fit(data(4, 1, 3)), Contains("target"));
  CHECK_THROWS_AS(trainer.train_batch(data(4, 2, 1)), invalid_argument);
  CHECK_THROWS_AS(trainer.fit(data(0, 1, 1)), invalid_argument);  // empty
  const auto good = data(4, 1, 1);
  const auto wrong_validation = data(4, 3, 1);
  CHECK_THROWS_AS(trainer.fit(good, &wrong_validation), invalid_argument);
  CHECK(net.params() == before);  // nothing was trained
  auto ragged = good;
  ragged.targets.pop_back();
  CHECK_THROWS_AS(trainer.fit(ragged), invalid_argument);
}

TEST_CASE("bce needs sigmoid outputs", "[bad_input][trainer]") {
  Topology t = chain();
  t.set_activation(*t.find("out"), Activation::identity);
  auto net = compile<double>(t);
  TrainOptions o;
  o.loss = Loss::bce;
  CHECK_THROWS_AS(Trainer<double>(net, o), invalid_argument);
  CHECK_THROWS_WITH(Trainer<double>(net, o), Contains("sigmoid"));
  auto ok = compile<double>(chain());
  CHECK_NOTHROW(Trainer<double>(ok, o));
}

TEST_CASE("evaluate and predict reject bad data", "[bad_input][evaluate]") {
  const auto net = compile<double>(chain());
  CHECK_THROWS_AS(evaluate(net, data(0, 1, 1), Loss::sse), invalid_argument);
  CHECK_THROWS_WITH(evaluate(net, data(0, 1, 1), Loss::sse), Contains("empty"));
  CHECK_THROWS_AS(evaluate(net, data(3, 2, 1), Loss::sse), invalid_argument);
  CHECK_THROWS_AS(evaluate(net, data(3, 1, 2), Loss::sse), invalid_argument);
  CHECK_THROWS_AS(evaluate(net, data(3, 1, 1), Loss::sse, 1u << 20), invalid_argument);
  const double in[1] = {0.5};
  CHECK_THROWS_AS(predict(net, in, 1, 1u << 20), invalid_argument);
}

TEST_CASE("parse functions reject unknown names", "[bad_input]") {
  CHECK_THROWS_AS(parse_activation("mish"), invalid_argument);
  CHECK_THROWS_WITH(parse_activation("mish"), Contains("mish") && Contains("sigmoid"));
  CHECK_THROWS_AS(parse_loss("hinge"), invalid_argument);
  CHECK_THROWS_AS(parse_reduction("median"), invalid_argument);
  CHECK_THROWS_AS(parse_role("bias"), invalid_argument);
  CHECK_THROWS_AS(parse_init("orthogonal"), invalid_argument);
  // issue 11: names from files go into messages escaped, on one line, and a
  // NUL no longer cuts the message short
  const std::string nul("ad\0am\n\x1b[31m", 11);
  CHECK_THROWS_WITH(make_optimizer<float>(OptimizerState<float>{nul, {0.1}, {}}),
                    Contains("unknown optimizer 'ad\\x00am\\n\\x1b[31m'") && Contains("expected"));
  CHECK_THROWS_WITH(parse_loss(nul), Contains("unknown loss 'ad\\x00am\\n\\x1b[31m'"));
  CHECK_THROWS_WITH(parse_activation(nul), Contains("'ad\\x00am\\n\\x1b[31m'"));
  CHECK(printable(std::string(300, 'a')).size() == 203);  // cut at 200 bytes, then "..."
  CHECK(printable("tab\there\\") == "tab\\there\\\\");
}

TEST_CASE("Dataset::check rejects inconsistent sizes", "[bad_input][dataset]") {
  Dataset<float> d;
  CHECK_THROWS_AS(d.check(), invalid_argument);  // num_inputs 0
  d.num_inputs = 3;
  d.num_targets = 2;
  d.inputs.assign(7, 0.f);  // not a multiple of 3
  d.targets.assign(4, 0.f);
  CHECK_THROWS_AS(d.check(), invalid_argument);
  CHECK_THROWS_WITH(d.check(), Contains("7") && Contains("3"));
  d.inputs.assign(6, 0.f);  // 2 rows
  d.targets.assign(5, 0.f);
  CHECK_THROWS_AS(d.check(), invalid_argument);
  d.targets.assign(4, 0.f);
  CHECK_NOTHROW(d.check());
  CHECK(d.size() == 2);
}

TEST_CASE("every error is a dagprop::error", "[bad_input]") {
  Topology t;
  CHECK_THROWS_AS(t.upstream(0), dagprop::error);
  CHECK_THROWS_AS(t.validate(), dagprop::error);
  CHECK_THROWS_AS(parse_loss("?"), dagprop::error);
}

TEST_CASE("enum codes out of range throw invalid_argument or topology_error",
          "[bad_input][topology]") {
  const auto bad_activation = static_cast<Activation>(99);
  const auto bad_role = static_cast<Role>(7);
  // to_string threw std::out_of_range (from std::array::at), not a dagprop error.
  CHECK_THROWS_AS(to_string(bad_activation), invalid_argument);
  CHECK_THROWS_WITH(to_string(bad_activation), Contains("99"));
  CHECK_THROWS_AS(to_string(bad_role), invalid_argument);
  Topology t = chain();
  CHECK_THROWS_AS(t.add_unit(Activation::relu, bad_role), invalid_argument);
  CHECK(t.num_units() == 3);
  // set_activation takes any code; compile() used to run it as the identity.
  t.set_activation(1, bad_activation);
  CHECK_THROWS_AS(compile<double>(t), topology_error);
  CHECK_THROWS_WITH(compile<double>(t), Contains("'h'") && Contains("activation code 99"));
  // An unknown scheme was silently He-normal.
  Topology u = chain();
  CHECK_THROWS_AS(initialize(u, static_cast<InitScheme>(9), 1), invalid_argument);
  CHECK(u.weight(0, 1) == 0.5);
}

TEST_CASE("add_dense_layer and make_mlp check everything before adding a unit",
          "[bad_input][topology]") {
  Topology t = chain();  // 3 units
  // An id out of range used to leave the units added before it.
  CHECK_THROWS_AS(add_dense_layer(t, {0, 17}, 3, Activation::relu), invalid_argument);
  CHECK_THROWS_WITH(add_dense_layer(t, {0, 17}, 3, Activation::relu), Contains("17"));
  CHECK(t.num_units() == 3);
  CHECK(t.num_connections() == 2);
  CHECK_THROWS_AS(add_dense_layer(t, {0}, 2, Activation::relu, Role::input), invalid_argument);
  // Huge counts: std::length_error from reserve(), or hours of add_input().
  const std::size_t huge = std::numeric_limits<std::size_t>::max();
  CHECK_THROWS_AS(add_dense_layer(t, {0}, huge, Activation::relu), invalid_argument);
  CHECK_THROWS_AS(make_mlp({std::size_t{1} << 40, 1}, Activation::relu, Activation::identity),
                  invalid_argument);
  CHECK_THROWS_AS(make_mlp({3, huge}, Activation::relu, Activation::identity), invalid_argument);
  CHECK(t.num_units() == 3);
}

TEST_CASE("predict and evaluate reject null inputs, overflowing sizes and unfit losses",
          "[bad_input][evaluate]") {
  const auto net = compile<double>(chain());
  CHECK_THROWS_AS(predict<double>(net, nullptr, 5), invalid_argument);  // was a segfault
  CHECK(predict<double>(net, nullptr, 0).empty());
  const double in[1] = {0.5};
  CHECK_THROWS_AS(predict(net, in, std::numeric_limits<std::size_t>::max()), invalid_argument);
  CHECK_THROWS_AS(evaluate(net, data(3, 1, 1), static_cast<Loss>(9)), invalid_argument);
  // bce's E is computed from x and its accuracy from y: only sigmoid outputs
  // make them agree (the Trainer already refuses other outputs).
  Topology t = chain();
  t.set_activation(*t.find("out"), Activation::identity);
  const auto identity_out = compile<double>(t);
  CHECK_THROWS_AS(evaluate(identity_out, data(3, 1, 1), Loss::bce), invalid_argument);
  CHECK_THROWS_WITH(evaluate(identity_out, data(3, 1, 1), Loss::bce), Contains("sigmoid"));
  CHECK_NOTHROW(evaluate(net, data(3, 1, 1), Loss::bce));
}

TEST_CASE("losses, reductions and schedules that cannot train are refused up front",
          "[bad_input][trainer]") {
  auto net = compile<double>(chain());  // one sigmoid output
  TrainOptions o;
  o.loss = Loss::softmax_ce;  // softmax of one output is 1: E = 0, nothing learned
  CHECK_THROWS_WITH(Trainer<double>(net, o),
                    Contains("Trainer: softmax-ce needs at least two outputs"));
  CHECK_THROWS_WITH(evaluate(net, data(3, 1, 1), Loss::softmax_ce),
                    Contains("evaluate: softmax-ce needs at least two outputs"));
  o.loss = static_cast<Loss>(9);
  CHECK_THROWS_WITH(o.check(), Contains("loss code 9"));
  o.loss = Loss::sse;
  o.reduction = static_cast<Reduction>(7);
  CHECK_THROWS_WITH(o.check(), Contains("reduction code 7"));
  o.reduction = Reduction::mean;
  // exp:1e-300 takes 0.01 to 1e-302 at epoch 2 and to 0 (underflow) at epoch 3.
  o.learning_rate = 0.01;
  o.schedule = parse_schedule("exp:1e-300");
  o.epochs = 2;
  CHECK_NOTHROW(o.check());
  o.epochs = 3;
  CHECK_THROWS_WITH(
      o.check(),
      Contains("schedule 'exp:1e-300': the learning rate 0.01 becomes 0 at epoch 3 of 3"));
}

TEST_CASE("optimizers refuse rates that are not positive and finite in their precision",
          "[bad_input][optimizer]") {
  CHECK_THROWS_AS(Sgd<float>(-1), invalid_argument);
  CHECK_THROWS_AS(Sgd<float>(0), invalid_argument);
  CHECK_THROWS_AS(Sgd<float>(std::nan("")), invalid_argument);
  CHECK_THROWS_WITH(Sgd<float>(1e300), Contains("in float, got 1e+300"));
  CHECK_THROWS_AS(Sgd<float>(1e-50), invalid_argument);  // 0 as a float
  CHECK_NOTHROW(Sgd<double>(1e300));
  CHECK_NOTHROW(Sgd<double>(1e-50));
  CHECK_NOTHROW(Sgd<float>(3e38));
  Sgd<float> sgd(0.1);
  CHECK_THROWS_AS(sgd.set_learning_rate(std::numeric_limits<double>::infinity()), invalid_argument);
  CHECK(sgd.learning_rate() == 0.1);
}

TEST_CASE("data sets: sizes that would overflow, values out of float's range",
          "[bad_input][dataset]") {
  Dataset<double> d;
  d.num_inputs = 1;
  d.inputs = {1, 2};
  d.num_targets = std::size_t{1} << 63;  // 2 rows * 2^63 wraps to 0 = targets.size()
  CHECK_THROWS_AS(d.check(), invalid_argument);
  d.num_targets = 1;
  d.targets = {0, 1e39};
  CHECK_THROWS_WITH(convert<float>(d),
                    Contains("row 2, target column 1") && Contains("out of the range"));
  d.targets = {0, 1e38};
  const Dataset<float> f = convert<float>(d);
  CHECK(f.targets[1] == 1e38f);
  CHECK(f.inputs == std::vector<float>{1, 2});
  d.inputs = {-1e300, 2};
  CHECK_THROWS_WITH(convert<float>(d), Contains("row 1, input column 1"));
}

TEST_CASE("Workspace refuses a capacity past its limit", "[bad_input][block]") {
  const auto net = compile<double>(chain());
  CHECK_THROWS_WITH(Workspace<double>(net, std::numeric_limits<std::size_t>::max()),
                    Contains("more than the limit"));
  CHECK_THROWS_AS(Workspace<double>(net, max_workspace_runs + 1), invalid_argument);
}

TEST_CASE("a Workspace made for another network is refused, not read out of bounds",
          "[bad_input][block]") {
  const auto small = compile<double>(chain());
  // 85 units and 3 inputs each; the widest dense group not fed by inputs has
  // 76 sources in `a`, 80 in `b` (its scratch would be too small for b).
  const auto a = compile<double>(make_mlp({3, 4, 76, 2}, Activation::tanh, Activation::identity));
  const auto b = compile<double>(make_mlp({3, 80, 2}, Activation::tanh, Activation::identity));
  REQUIRE(a.num_units() == b.num_units());
  const double in[3] = {0.5, -1, 2}, target[2] = {0, 1};
  const std::size_t rows[1] = {0};
  const Block<double> x{in, nullptr, rows, 1}, xt{in, target, rows, 1};
  Workspace<double> for_small(small, 4), for_a(a, 4), for_b(b, 4);
  Gradient<double> g(b);
  CHECK_THROWS_WITH(propagate(b, x, for_small), Contains("Workspace: made for a network of"));
  CHECK_THROWS_AS(back_propagate(b, xt, BackwardOptions{}, for_small, g), invalid_argument);
  CHECK_THROWS_AS(propagate(b, x, for_a), invalid_argument);
  CHECK_NOTHROW(propagate(b, x, for_b));
  CHECK_NOTHROW(propagate(a, x, for_b));  // same shape, scratch wide enough

  // Inference: v holds the rows of the widest dense group only (propagate
  // activates a dense group in one call). 45 units and 3 inputs each; c's 40
  // outputs are one dense group, d's widest has 20 units and its scratch is
  // wide enough for c, so only v's rows tell them apart.
  const auto c = compile<double>(make_mlp({3, 2, 40}, Activation::tanh, Activation::identity));
  const auto d = compile<double>(make_mlp({3, 20, 20, 2}, Activation::tanh, Activation::identity));
  REQUIRE(c.num_units() == d.num_units());
  const auto widest = [](const Network<double>& n) {
    std::size_t units = 0;
    for (const Group& grp : n.groups())
      if (grp.dense) units = std::max<std::size_t>(units, grp.last - grp.first);
    return units;
  };
  REQUIRE(widest(c) == 40);
  REQUIRE(widest(d) == 20);
  Workspace<double> infer_d(d, 4, WorkspaceUse::inference);
  CHECK_THROWS_WITH(propagate(c, x, infer_d), Contains("Workspace: made for a network of"));
  Workspace<double> train_d(d, 4);  // training keeps v of every unit: fits
  CHECK_NOTHROW(propagate(c, x, train_d));
}
