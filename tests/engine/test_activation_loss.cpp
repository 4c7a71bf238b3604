// Activations f, f' against hand values and central differences, name round
// trips; losses (sse, softmax-ce, bce) against hand values, with large logits,
// and their gradients against central differences. Whole-network gradients
// are in test_gradcheck.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "dagprop/dagprop.hpp"

using namespace dagprop;

namespace {

// Every activation, by code (the new ones are also in test_activations.cpp).
const std::vector<Activation> all_activations = [] {
  std::vector<Activation> all;
  for (std::size_t k = 0; k < num_activations; ++k) all.push_back(static_cast<Activation>(k));
  return all;
}();

double f(Activation a, double x) {
  return activate(a, x);
}
double fprime(Activation a, double x) {
  return derivative(a, x, activate(a, x));
}

const auto tight = Approx::custom().margin(1e-15).epsilon(1e-14);

}  // namespace

TEST_CASE("activations: f and f' at hand values", "[activation]") {
  using A = Activation;
  // identity
  CHECK(f(A::identity, -2.5) == -2.5);
  CHECK(fprime(A::identity, 7.0) == 1.0);
  // sigmoid: 1 / (1 + e^-x); f' = y (1 - y), eq. (16)
  CHECK(f(A::sigmoid, 0) == 0.5);
  CHECK(fprime(A::sigmoid, 0) == 0.25);
  CHECK(f(A::sigmoid, 2) == tight(0.8807970779778823));  // 1 / (1 + e^-2)
  CHECK(fprime(A::sigmoid, 2) == tight(0.8807970779778823 * (1 - 0.8807970779778823)));
  CHECK(f(A::sigmoid, -2) == tight(1 - 0.8807970779778823));
  // tanh: f' = 1 - tanh^2
  CHECK(f(A::tanh, 0) == 0.0);
  CHECK(fprime(A::tanh, 0) == 1.0);
  CHECK(f(A::tanh, 0.5) == tight(0.46211715726000974));
  CHECK(fprime(A::tanh, 0.5) == tight(1 - 0.46211715726000974 * 0.46211715726000974));
  CHECK(fprime(A::tanh, -1.5) == tight(1 - std::tanh(1.5) * std::tanh(1.5)));
  // relu: f' = 1 for x >= 0 (eq. 17), 0 below
  CHECK(f(A::relu, -3) == 0.0);
  CHECK(f(A::relu, 3) == 3.0);
  CHECK(f(A::relu, 0) == 0.0);
  CHECK(fprime(A::relu, 0) == 1.0);
  CHECK(fprime(A::relu, 2) == 1.0);
  CHECK(fprime(A::relu, -1e-9) == 0.0);
  // leaky relu: slope 0.01 below 0
  CHECK(f(A::leaky_relu, -2) == tight(-0.02));
  CHECK(f(A::leaky_relu, 2) == 2.0);
  CHECK(fprime(A::leaky_relu, -2) == tight(0.01));
  CHECK(fprime(A::leaky_relu, 0) == 1.0);
  CHECK(fprime(A::leaky_relu, 5) == 1.0);
  // softplus: log(1 + e^x); f' = sigmoid(x)
  CHECK(f(A::softplus, 0) == tight(0.6931471805599453));  // ln 2
  CHECK(fprime(A::softplus, 0) == 0.5);
  CHECK(f(A::softplus, 1) == tight(1.3132616875182228));  // ln(1 + e)
  CHECK(fprime(A::softplus, 1.7) == tight(f(A::sigmoid, 1.7)));
  CHECK(fprime(A::softplus, -3.2) == tight(f(A::sigmoid, -3.2)));
  // softplus stays finite and accurate far out
  CHECK(f(A::softplus, 800) == 800.0);
  CHECK(f(A::softplus, -800) >= 0.0);
  CHECK(std::isfinite(f(A::softplus, -800)));
  CHECK(f(A::sigmoid, -800) >= 0.0);
  CHECK(f(A::sigmoid, 800) == 1.0);
}

TEST_CASE("activations: f' matches central differences", "[activation]") {
  const double h = 1e-6;
  for (Activation a : all_activations)
    for (double x : {-2.3, -0.7, -0.05, 0.3, 1.1, 3.4}) {
      INFO(to_string(a) << " at " << x);
      const double numeric = (f(a, x + h) - f(a, x - h)) / (2 * h);
      CHECK(fprime(a, x) == Approx(numeric).margin(1e-8).epsilon(1e-7));
    }
}

TEST_CASE("activations: the array version equals the scalar one", "[activation]") {
  const std::vector<float> x = {-3.f, -0.5f, 0.f, 0.25f, 2.f};
  std::vector<float> y(x.size()), v(x.size());
  for (Activation a : all_activations) {
    activate_array(a, x.data(), y.data(), v.data(), x.size());
    for (std::size_t r = 0; r < x.size(); ++r) {
      INFO(to_string(a) << " at " << x[r]);
      // The vectorised loop may use SIMD exp/tanh, exact to a few ulp.
      CHECK(y[r] == Approx(activate(a, x[r])).epsilon(1e-6).margin(1e-6));
      CHECK(v[r] == Approx(derivative(a, x[r], activate(a, x[r]))).epsilon(1e-6).margin(1e-6));
    }
  }
}

TEST_CASE("names round trip and unknown names throw", "[activation][loss]") {
  for (Activation a : all_activations) CHECK(parse_activation(to_string(a)) == a);
  CHECK(to_string(Activation::leaky_relu) == "leaky_relu");
  CHECK_THROWS_AS(parse_activation("mish"), invalid_argument);
  CHECK_THROWS_AS(parse_activation(""), invalid_argument);
  CHECK_THROWS_AS(parse_activation("Sigmoid"), invalid_argument);
  for (Loss l : {Loss::sse, Loss::softmax_ce, Loss::bce}) CHECK(parse_loss(to_string(l)) == l);
  CHECK(to_string(Loss::softmax_ce) == "softmax-ce");
  CHECK_THROWS_AS(parse_loss("mse"), invalid_argument);
  for (Reduction r : {Reduction::sum, Reduction::mean}) CHECK(parse_reduction(to_string(r)) == r);
  CHECK_THROWS_AS(parse_reduction("max"), invalid_argument);
  for (Role r : {Role::input, Role::hidden, Role::output}) CHECK(parse_role(to_string(r)) == r);
  CHECK_THROWS_AS(parse_role("bias"), invalid_argument);
}

TEST_CASE("sse: value and gradient by hand", "[loss]") {
  // E = 1/2 ((0.5 - 1)^2 + (-2 - 0.25)^2) = 1/2 (0.25 + 5.0625) = 2.65625
  const double y[2] = {0.5, -2.0}, t[2] = {1.0, 0.25};
  double g[2];
  CHECK(loss_gradient<double>(Loss::sse, 2, y, y, t, g) == 2.65625);
  CHECK(g[0] == -0.5);  // eq. (15): y - y*
  CHECK(g[1] == -2.25);
  // Without a gradient buffer the value is the same.
  CHECK(loss_gradient<double>(Loss::sse, 2, y, y, t, nullptr) == 2.65625);
}

TEST_CASE("softmax-ce: hand values and large logits", "[loss]") {
  SECTION("small logits") {
    // y = (1, 2, 3), d = (0, 0, 1): E = log(e + e^2 + e^3) - 3
    const double y[3] = {1, 2, 3}, d[3] = {0, 0, 1};
    double g[3];
    const double E = loss_gradient<double>(Loss::softmax_ce, 3, y, y, d, g);
    CHECK(E == tight(0.40760596444438013));
    const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
    CHECK(g[0] == tight(std::exp(1.0) / z));
    CHECK(g[1] == tight(std::exp(2.0) / z));
    CHECK(g[2] == tight(std::exp(3.0) / z - 1));
  }
  SECTION("logits 1000, 1001 stay finite and match the shifted formula") {
    const double y[2] = {1000, 1001}, d[2] = {1, 0};
    double g[2];
    const double E = loss_gradient<double>(Loss::softmax_ce, 2, y, y, d, g);
    REQUIRE(std::isfinite(E));
    // E = log(1 + e^1) shifted by the largest logit, = 1.3132616875182228, up
    // to the rounding of log-sum-exp near 1001 (an ulp there is 2.3e-13).
    const auto near = Approx::custom().margin(1e-12).epsilon(0);
    CHECK(E == near(1.3132616875182228));
    CHECK(g[0] == near(1 / (1 + std::exp(1.0)) - 1));
    CHECK(g[1] == near(std::exp(1.0) / (1 + std::exp(1.0))));
    // In float too.
    const float yf[2] = {1000.f, 1001.f}, df[2] = {1.f, 0.f};
    float gf[2];
    const double Ef = loss_gradient<float>(Loss::softmax_ce, 2, yf, yf, df, gf);
    CHECK(std::isfinite(Ef));
    CHECK(Ef == Approx(1.3132616875182228).epsilon(1e-6));
    CHECK(std::isfinite(gf[0]));
    CHECK(gf[1] == Approx(0.7310585786300049).epsilon(1e-6));
  }
  SECTION("soft targets: dE/dy = softmax(y) sum(d) - d") {
    const double y[2] = {0.5, -0.5}, d[2] = {0.25, 0.5};
    double g[2];
    loss_gradient<double>(Loss::softmax_ce, 2, y, y, d, g);
    const double s0 = 1 / (1 + std::exp(-1.0));
    CHECK(g[0] == tight(s0 * 0.75 - 0.25));
    CHECK(g[1] == tight((1 - s0) * 0.75 - 0.5));
  }
}

TEST_CASE("bce: hand values and logits large in magnitude", "[loss]") {
  SECTION("moderate logit") {
    // x = 0.5, y = sigmoid(0.5), d = 1: E = -log y = log(1 + e^-0.5)
    const double x[1] = {0.5}, y[1] = {activate(Activation::sigmoid, 0.5)}, d[1] = {1};
    double g[1];
    CHECK(loss_gradient<double>(Loss::bce, 1, x, y, d, g) == tight(0.4740769841801067));
    // dE/dy = -1 / y for d = 1
    CHECK(g[0] == tight(-1 / y[0]));
  }
  SECTION("large logits stay finite") {
    for (double x0 : {-800.0, -40.0, 40.0, 800.0})
      for (double d0 : {0.0, 1.0}) {
        INFO("x " << x0 << ", d " << d0);
        const double x[1] = {x0}, y[1] = {activate(Activation::sigmoid, x0)}, d[1] = {d0};
        double g[1];
        const double E = loss_gradient<double>(Loss::bce, 1, x, y, d, g);
        REQUIRE(std::isfinite(E));
        REQUIRE(std::isfinite(g[0]));
        // E = d softplus(-x) + (1 - d) softplus(x): about |x| when wrong, ~0 when right.
        const bool wrong = (x0 > 0) != (d0 > 0.5);
        if (wrong)
          CHECK(E == Approx(std::abs(x0)).epsilon(1e-12));
        else
          CHECK(E < 1e-15 + std::exp(-std::abs(x0)) * 1.0001);
      }
  }
}

TEST_CASE("loss gradients match central differences", "[loss]") {
  const double h = 1e-6;
  struct Case {
    Loss loss;
    std::vector<double> y, d;
  };
  const std::vector<Case> cases = {
      {Loss::sse, {0.3, -1.2, 2.0}, {0.0, 0.5, 1.0}},
      {Loss::softmax_ce, {0.3, -1.2, 2.0}, {0.2, 0.3, 0.5}},
      {Loss::softmax_ce, {5.0, 4.0, -3.0, 0.1}, {0.0, 1.0, 0.0, 0.0}},
      {Loss::bce, {0.3, -1.2, 2.0}, {0.0, 0.5, 1.0}},  // y here holds the logits x
  };
  for (const auto& c : cases) {
    const std::size_t K = c.y.size();
    // For bce the loss reads x and y = sigmoid(x); differentiate with respect to y.
    auto E = [&](std::vector<double> v) {
      std::vector<double> x = v;
      if (c.loss == Loss::bce)
        for (std::size_t k = 0; k < K; ++k) x[k] = std::log(v[k] / (1 - v[k]));
      return loss_gradient<double>(c.loss, K, x.data(), v.data(), c.d.data(), nullptr);
    };
    std::vector<double> y = c.y;
    if (c.loss == Loss::bce)
      for (auto& v : y) v = activate(Activation::sigmoid, v);
    std::vector<double> x = c.loss == Loss::bce ? c.y : y;
    std::vector<double> g(K);
    loss_gradient<double>(c.loss, K, x.data(), y.data(), c.d.data(), g.data());
    bool nonzero = false;
    for (std::size_t k = 0; k < K; ++k) {
      auto up = y, down = y;
      up[k] += h;
      down[k] -= h;
      const double numeric = (E(up) - E(down)) / (2 * h);
      INFO(to_string(c.loss) << " output " << k);
      CHECK(g[k] == Approx(numeric).margin(1e-8).epsilon(1e-6));
      nonzero = nonzero || std::abs(numeric) > 1e-3;
    }
    CHECK(nonzero);
  }
}

TEST_CASE("correct(): argmax, single output and bce thresholds", "[loss]") {
  const double y3[3] = {0.1, 0.7, 0.2}, t3[3] = {0, 1, 0}, u3[3] = {1, 0, 0};
  CHECK(correct<double>(Loss::softmax_ce, 3, y3, t3));
  CHECK_FALSE(correct<double>(Loss::softmax_ce, 3, y3, u3));
  const double yb[2] = {0.6, 0.3}, tb[2] = {1, 0}, ub[2] = {1, 1};
  CHECK(correct<double>(Loss::bce, 2, yb, tb));
  CHECK_FALSE(correct<double>(Loss::bce, 2, yb, ub));
}
