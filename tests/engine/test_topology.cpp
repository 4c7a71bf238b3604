// Topology: building in any order, the upstream/downstream sets, weights and
// biases, make_mlp's counts, and every error validate() reports, each naming
// the units involved. Compilation itself is tested in test_compile.cpp.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "dagprop/dagprop.hpp"

using namespace dagprop;
using Catch::Matchers::Contains;

namespace {

std::vector<UnitId> sorted(std::vector<UnitId> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// The message of the topology_error validate() throws ("" when it throws none).
std::string validation_error(const Topology& t) {
  try {
    t.validate();
  } catch (const topology_error& e) {
    return e.what();
  }
  return "";
}

// in -> h -> out, names given: the smallest valid network.
Topology chain() {
  Topology t;
  const UnitId in = t.add_input("in");
  const UnitId h = t.add_unit(Activation::tanh, Role::hidden, "h");
  const UnitId out = t.add_output(Activation::identity, "out");
  t.connect(in, h, 0.5);
  t.connect(h, out, -0.5);
  return t;
}

}  // namespace

TEST_CASE("units and connections can be added in any order", "[topology]") {
  Topology t;
  // Output first, then a hidden unit, the inputs last: ids are not topological.
  const UnitId out = t.add_output(Activation::sigmoid, "out", 0.25);
  const UnitId h = t.add_unit(Activation::relu, Role::hidden, "h", -0.5);
  const UnitId a = t.add_input("a");
  const UnitId b = t.add_input("b");
  t.connect(h, out, 1.5);  // connections before their sources are connected
  t.connect(b, h, -2.0);
  t.connect(a, h, 3.0);
  t.connect(a, out, 0.75);  // a skip connection across a level
  CHECK(t.num_units() == 4);
  CHECK(t.num_connections() == 4);
  CHECK(t.num_inputs() == 2);
  CHECK(t.num_outputs() == 1);
  CHECK(t.inputs() == std::vector<UnitId>{a, b});
  CHECK(t.outputs() == std::vector<UnitId>{out});
  CHECK(t.index(a) == 0);
  CHECK(t.index(b) == 1);
  CHECK(t.role(a) == Role::input);
  CHECK(t.role(h) == Role::hidden);
  CHECK(t.role(out) == Role::output);
  CHECK(t.activation(h) == Activation::relu);
  CHECK(t.bias(out) == 0.25);
  CHECK(t.bias(h) == -0.5);
  CHECK(t.name(h) == "h");
  CHECK(t.find("b") == b);
  CHECK_FALSE(t.find("nope").has_value());
  CHECK(t.label(h) == "'h'");
  CHECK_NOTHROW(t.validate());

  // S_i and D_i.
  CHECK(sorted(t.upstream(h)) == sorted({a, b}));
  CHECK(sorted(t.upstream(out)) == sorted({h, a}));
  CHECK(t.upstream(a).empty());
  CHECK(sorted(t.downstream(a)) == sorted({h, out}));
  CHECK(t.downstream(b) == std::vector<UnitId>{h});
  CHECK(t.downstream(out).empty());
  CHECK(t.connected(a, out));
  CHECK_FALSE(t.connected(out, a));
  CHECK_FALSE(t.connected(b, out));

  // Weights and biases.
  CHECK(t.weight(a, h) == 3.0);
  CHECK(t.weight(b, h) == -2.0);
  CHECK(t.weight(a, out) == 0.75);
  t.set_weight(a, out, -0.125);
  CHECK(t.weight(a, out) == -0.125);
  CHECK(t.weight(h, out) == 1.5);  // the others unchanged
  t.set_bias(h, 2.5);
  CHECK(t.bias(h) == 2.5);
  t.set_activation(h, Activation::softplus);
  CHECK(t.activation(h) == Activation::softplus);
  t.set_name(h, "hidden");
  CHECK(t.find("hidden") == h);
  double sum = 0;
  t.for_each_upstream(out, [&](UnitId, double& w) { sum += w, w *= 2; });
  CHECK(sum == 1.5 - 0.125);
  CHECK(t.weight(h, out) == 3.0);
}

TEST_CASE("several outputs and mixed activations in one level", "[topology]") {
  Topology t;
  const UnitId x = t.add_input("x");
  const UnitId h1 = t.add_unit(Activation::tanh, Role::hidden, "h1");
  const UnitId h2 = t.add_unit(Activation::relu, Role::hidden, "h2");
  const UnitId h3 = t.add_unit(Activation::sigmoid, Role::hidden, "h3");
  const UnitId o1 = t.add_output(Activation::identity, "o1");
  const UnitId o2 = t.add_output(Activation::sigmoid, "o2");
  for (UnitId h : {h1, h2, h3}) t.connect(x, h, 0.1);
  t.connect(h1, o1, 1);
  t.connect(h2, o1, 1);
  t.connect(h2, o2, 1);  // h2 is shared by both outputs
  t.connect(h3, o2, 1);
  t.connect(o1, o2, 1);  // an output that feeds another output
  CHECK_NOTHROW(t.validate());
  CHECK(t.outputs() == std::vector<UnitId>{o1, o2});
  CHECK(sorted(t.downstream(h2)) == sorted({o1, o2}));
  const auto net = compile<double>(t);
  CHECK(net.num_outputs() == 2);
  CHECK(net.activation(net.output(0)) == Activation::identity);
  CHECK(net.activation(net.output(1)) == Activation::sigmoid);
  // h1, h2, h3 form one level with three different activations.
  std::vector<Activation> level1;
  for (UnitId i = 0; i < net.num_units(); ++i)
    if (net.level(i) == 1) level1.push_back(net.activation(i));
  CHECK(level1 == std::vector<Activation>{Activation::tanh, Activation::relu, Activation::sigmoid});
}

TEST_CASE("make_mlp {784, 256, 128, 10} has the layered counts", "[topology]") {
  const Topology t = make_mlp({784, 256, 128, 10}, Activation::relu, Activation::identity);
  CHECK(t.num_inputs() == 784);
  CHECK(t.num_outputs() == 10);
  CHECK(t.num_units() == 784 + 256 + 128 + 10);
  CHECK(t.num_connections() == 784 * 256 + 256 * 128 + 128 * 10);
  CHECK_NOTHROW(t.validate());
  // Every hidden unit of the first layer sees all 784 inputs.
  const UnitId first_hidden = 784;
  CHECK(t.role(first_hidden) == Role::hidden);
  CHECK(t.upstream(first_hidden).size() == 784);
  CHECK(t.downstream(first_hidden).size() == 128);
  CHECK(t.activation(first_hidden) == Activation::relu);
  CHECK(t.activation(t.outputs()[0]) == Activation::identity);
  CHECK(t.weight(0, first_hidden) == 0.0);  // weights 0 until initialised
}

TEST_CASE("validate names the units on a cycle", "[topology][validate]") {
  Topology t;
  const UnitId in = t.add_input("in");
  const UnitId a = t.add_unit(Activation::tanh, Role::hidden, "alpha");
  const UnitId b = t.add_unit(Activation::tanh, Role::hidden, "beta");
  const UnitId c = t.add_unit(Activation::tanh, Role::hidden, "gamma");
  const UnitId d = t.add_unit(Activation::tanh, Role::hidden, "delta");  // not on the cycle
  const UnitId out = t.add_output(Activation::identity, "out");
  t.connect(in, a);
  t.connect(a, b);
  t.connect(b, c);
  t.connect(c, a);  // alpha -> beta -> gamma -> alpha
  t.connect(in, d);
  t.connect(c, out);
  t.connect(d, out);
  const std::string msg = validation_error(t);
  INFO(msg);
  CHECK_THAT(msg, Contains("cycle"));
  CHECK_THAT(msg, Contains("'alpha'"));
  CHECK_THAT(msg, Contains("'beta'"));
  CHECK_THAT(msg, Contains("'gamma'"));
  CHECK_THAT(msg, !Contains("'delta'"));
  CHECK_THAT(msg, !Contains("'in'"));
  CHECK_THROWS_AS(compile<double>(t), topology_error);
}

TEST_CASE("validate rejects malformed topologies, naming the units", "[topology][validate]") {
  SECTION("self-loop") {
    Topology t = chain();
    t.connect(*t.find("h"), *t.find("h"));
    const auto msg = validation_error(t);
    CHECK_THAT(msg, Contains("'h'") && Contains("itself"));
  }
  SECTION("duplicate connection") {
    Topology t = chain();
    t.connect(*t.find("in"), *t.find("h"), 0.25);
    const auto msg = validation_error(t);
    CHECK_THAT(msg, Contains("duplicate") && Contains("'in'") && Contains("'h'"));
  }
  SECTION("connection into an input unit") {
    Topology t = chain();
    t.connect(*t.find("h"), *t.find("in"));
    const auto msg = validation_error(t);
    CHECK_THAT(msg, Contains("input") && Contains("'in'") && Contains("'h'"));
  }
  SECTION("a unit no input reaches is a constant unit, not an error") {
    Topology t = chain();
    const UnitId orphan = t.add_unit(Activation::tanh, Role::hidden, "orphan");
    t.connect(orphan, *t.find("out"));
    t.add_output(Activation::identity, "lonely");
    CHECK(validation_error(t).empty());
    // ...but a cycle among such units is still one.
    const UnitId a = t.add_unit(Activation::tanh, Role::hidden, "a");
    t.connect(a, orphan);
    t.connect(orphan, a);
    CHECK_THAT(validation_error(t), Contains("cycle") && Contains("'a'") && Contains("'orphan'"));
  }
  SECTION("no inputs") {
    Topology t;
    t.add_output(Activation::identity, "out");
    CHECK_THAT(validation_error(t), Contains("no input"));
  }
  SECTION("no outputs") {
    Topology t;
    const UnitId in = t.add_input("in");
    const UnitId h = t.add_unit(Activation::tanh, Role::hidden, "h");
    t.connect(in, h);
    CHECK_THAT(validation_error(t), Contains("no output"));
  }
  SECTION("NaN weight") {
    Topology t = chain();
    t.set_weight(*t.find("h"), *t.find("out"), std::nan(""));
    const auto msg = validation_error(t);
    CHECK_THAT(msg, Contains("weight") && Contains("'h'") && Contains("'out'"));
  }
  SECTION("infinite bias") {
    Topology t = chain();
    t.set_bias(*t.find("h"), std::numeric_limits<double>::infinity());
    const auto msg = validation_error(t);
    CHECK_THAT(msg, Contains("bias") && Contains("'h'"));
  }
  SECTION("duplicate input number") {
    Topology t = chain();
    const UnitId in2 = t.add_input("in2");
    t.connect(in2, *t.find("h"));
    t.set_index(in2, 0);  // "in" already has number 0
    const auto msg = validation_error(t);
    CHECK_THAT(msg, Contains("input") && Contains("number 0"));
  }
  SECTION("input number out of range") {
    Topology t = chain();
    t.set_index(*t.find("in"), 3);
    const auto msg = validation_error(t);
    CHECK_THAT(msg, Contains("'in'") && Contains("out of range"));
  }
  SECTION("output number out of range") {
    Topology t = chain();
    t.set_index(*t.find("out"), 1);
    const auto msg = validation_error(t);
    CHECK_THAT(msg, Contains("'out'") && Contains("out of range"));
  }
  SECTION("unnamed units are called u<id>") {
    Topology t;
    const UnitId in = t.add_input();
    const UnitId h = t.add_unit(Activation::tanh);
    const UnitId out = t.add_output(Activation::identity);
    t.connect(in, h);
    t.connect(h, out);
    t.connect(h, h);
    CHECK_THAT(validation_error(t), Contains("u" + std::to_string(h)));
  }
  SECTION("the valid chain passes") {
    CHECK(validation_error(chain()).empty());
  }
}

TEST_CASE("validate errors are topology_error, a dagprop::error", "[topology][validate]") {
  Topology t = chain();
  t.connect(*t.find("out"), *t.find("h"));  // h -> out -> h
  CHECK_THROWS_AS(t.validate(), topology_error);
  CHECK_THROWS_AS(t.validate(), dagprop::error);
  CHECK_THAT(validation_error(t), Contains("'h'") && Contains("'out'"));
}
