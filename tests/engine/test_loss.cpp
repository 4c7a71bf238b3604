// Losses (loss.hpp): sse, softmax-ce and bce against hand values, with logits
// large in magnitude, their gradients against central differences, and
// correct(). Whole-network gradients are in test_gradcheck.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "tolerance.hpp"

using namespace dagprop;
using test::tight;

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
