// initialize(): seeded and repeatable, He and Glorot bounds and variances on
// a 784-wide layer (generous statistical tolerances), biases reset to zero,
// scheme names. The random generator itself is tested only through this.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "dagprop/dagprop.hpp"

using namespace dagprop;

namespace {

// All weights entering the units of [first, last), in id order.
std::vector<double> weights_into(const Topology& t, UnitId first, UnitId last) {
  std::vector<double> w;
  for (UnitId i = first; i < last; ++i)
    for (UnitId j : t.upstream(i)) w.push_back(t.weight(j, i));
  return w;
}

struct Stats {
  double mean = 0, var = 0, max_abs = 0;
};

Stats stats(const std::vector<double>& w) {
  Stats s;
  for (double v : w) s.mean += v, s.max_abs = std::max(s.max_abs, std::abs(v));
  s.mean /= static_cast<double>(w.size());
  for (double v : w) s.var += (v - s.mean) * (v - s.mean);
  s.var /= static_cast<double>(w.size() - 1);
  return s;
}

// 784 inputs, 256 hidden, 10 outputs: 784 * 256 weights into the hidden layer.
Topology mlp() {
  return make_mlp({784, 256, 10}, Activation::relu, Activation::identity);
}

}  // namespace

TEST_CASE("initialize is repeatable by seed", "[init]") {
  Topology a = mlp(), b = mlp(), c = mlp();
  initialize(a, InitScheme::he_uniform, 42);
  initialize(b, InitScheme::he_uniform, 42);
  initialize(c, InitScheme::he_uniform, 43);
  const auto wa = weights_into(a, 784, 784 + 256 + 10);
  const auto wb = weights_into(b, 784, 784 + 256 + 10);
  const auto wc = weights_into(c, 784, 784 + 256 + 10);
  REQUIRE(wa.size() == 784 * 256 + 256 * 10);
  CHECK(wa == wb);
  std::size_t same = 0;
  for (std::size_t k = 0; k < wa.size(); ++k) same += wa[k] == wc[k];
  CHECK(same < 10);  // a different seed changes (almost) every weight
  // The scheme matters too.
  Topology d = mlp();
  initialize(d, InitScheme::glorot_uniform, 42);
  CHECK(weights_into(d, 784, 785) != weights_into(a, 784, 785));
}

TEST_CASE("He initialisation: bound sqrt(6/fan_in), variance 2/fan_in", "[init]") {
  SECTION("uniform") {
    Topology t = mlp();
    initialize(t, InitScheme::he_uniform, 7);
    const auto s = stats(weights_into(t, 784, 784 + 256));
    const double bound = std::sqrt(6.0 / 784);
    CHECK(s.max_abs <= bound);
    CHECK(s.max_abs > 0.99 * bound);  // the range is used up to its ends
    CHECK(s.var == Approx(2.0 / 784).epsilon(0.05));
    CHECK(std::abs(s.mean) < 0.05 * bound);
    // The output layer has fan_in 256.
    const auto so = stats(weights_into(t, 784 + 256, 784 + 256 + 10));
    CHECK(so.max_abs <= std::sqrt(6.0 / 256));
    CHECK(so.var == Approx(2.0 / 256).epsilon(0.15));
  }
  SECTION("normal") {
    Topology t = mlp();
    initialize(t, InitScheme::he_normal, 7);
    const auto s = stats(weights_into(t, 784, 784 + 256));
    CHECK(s.var == Approx(2.0 / 784).epsilon(0.05));
    CHECK(std::abs(s.mean) < 0.01);
    CHECK(s.max_abs > std::sqrt(6.0 / 784));  // a normal exceeds the uniform bound
  }
}

TEST_CASE("Glorot initialisation: bound sqrt(6/(fan_in+fan_out))", "[init]") {
  // Into the hidden layer: fan_in 784, fan_out 256 (each input feeds 256 units).
  SECTION("uniform") {
    Topology t = mlp();
    initialize(t, InitScheme::glorot_uniform, 9);
    const auto s = stats(weights_into(t, 784, 784 + 256));
    const double bound = std::sqrt(6.0 / (784 + 256));
    CHECK(s.max_abs <= bound);
    CHECK(s.max_abs > 0.99 * bound);
    CHECK(s.var == Approx(2.0 / (784 + 256)).epsilon(0.05));
    // Into the outputs: fan_in 256, fan_out 10.
    const auto so = stats(weights_into(t, 784 + 256, 784 + 256 + 10));
    CHECK(so.max_abs <= std::sqrt(6.0 / (256 + 10)));
    CHECK(so.var == Approx(2.0 / (256 + 10)).epsilon(0.15));
  }
  SECTION("normal") {
    Topology t = mlp();
    initialize(t, InitScheme::glorot_normal, 9);
    const auto s = stats(weights_into(t, 784, 784 + 256));
    CHECK(s.var == Approx(2.0 / (784 + 256)).epsilon(0.05));
    CHECK(std::abs(s.mean) < 0.01);
  }
}

TEST_CASE("initialize sets biases to zero and leaves the graph alone", "[init]") {
  Topology t = make_mlp({3, 4, 2}, Activation::tanh, Activation::sigmoid);
  for (UnitId i = 3; i < t.num_units(); ++i) t.set_bias(i, 1.5);
  const auto before = t.num_connections();
  initialize(t, InitScheme::glorot_uniform, 1);
  for (UnitId i = 3; i < t.num_units(); ++i) CHECK(t.bias(i) == 0.0);
  CHECK(t.num_connections() == before);
  for (double w : weights_into(t, 3, t.num_units())) CHECK(w != 0.0);
}

TEST_CASE("initialisation scheme names", "[init]") {
  for (InitScheme s : {InitScheme::glorot_uniform, InitScheme::glorot_normal,
                       InitScheme::he_uniform, InitScheme::he_normal})
    CHECK(parse_init(to_string(s)) == s);
  CHECK(parse_init("he") == InitScheme::he_uniform);
  CHECK(parse_init("glorot") == InitScheme::glorot_uniform);
  CHECK_THROWS_AS(parse_init("xavier"), invalid_argument);
}
