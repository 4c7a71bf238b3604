// Central-difference gradient checks, in double, of BackPropagate (memo.hpp
// and the block kernels) on random DAGs with skip connections and mixed
// activations, for every loss: every w_ij, b_i and input.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "block.hpp"  // engine/src: the block kernels, internal to the engine
#include "engine/central_differences.hpp"
#include "engine/random_dag.hpp"

using namespace dagprop;

namespace {

double loss_of(const Network<double>& net, const std::vector<double>& input,
               const std::vector<double>& target, Loss loss) {
  Run<double> run(net);
  propagate(net, input.data(), run);
  std::vector<double> xo(net.num_outputs()), yo(net.num_outputs());
  for (std::size_t k = 0; k < net.num_outputs(); ++k)
    xo[k] = run.x[net.output(k)], yo[k] = run.y[net.output(k)];
  return loss_gradient<double>(loss, net.num_outputs(), xo.data(), yo.data(), target.data(),
                               nullptr);
}

// |a - n| <= atol + rtol max(|a|, |n|), the tests' tolerance.
bool close(double a, double n, double rtol, double atol) {
  return std::abs(a - n) <= atol + rtol * std::max(std::abs(a), std::abs(n));
}

// Whether some ReLU-like unit sits so close to its kink that a finite
// difference would straddle it.
bool near_kink(const Network<double>& net, const std::vector<double>& input) {
  Run<double> run(net);
  propagate(net, input.data(), run);
  for (UnitId i = 0; i < net.num_units(); ++i) {
    const auto f = net.activation(i);
    if ((f == Activation::relu || f == Activation::leaky_relu) && std::abs(run.x[i]) < 1e-3)
      return true;
  }
  return false;
}

}  // namespace

TEST_CASE("back-propagation matches central differences on 60 random DAGs per loss",
          "[gradcheck]") {
  const double h = 1e-5, rtol = 1e-6, atol = 1e-9;
  for (Loss loss : {Loss::sse, Loss::softmax_ce, Loss::bce}) {
    std::size_t checked = 0, nonzero = 0, dags = 0;
    for (std::uint64_t seed = 1; dags < 60; ++seed) {
      auto d = test::random_dag(seed * 7919 + static_cast<std::uint64_t>(loss), loss);
      Network<double> net = compile<double>(d.topology);
      if (near_kink(net, d.input)) continue;
      ++dags;
      INFO("loss " << to_string(loss) << ", seed " << seed);
      // Analytic: the memo's BackPropagate, one run.
      Run<double> run(net);
      Gradient<double> grad(net);
      back_propagate(net, d.input.data(), d.target.data(), loss, run, grad);
      // Numeric: perturb each parameter.
      const auto params = test::check_central_differences(
          net, grad, [&](const Network<double>& n) { return loss_of(n, d.input, d.target, loss); },
          h, rtol, atol);
      checked += params.checked;
      nonzero += params.nonzero;
      // The inputs: p of an input unit is ∂E/∂x.
      for (std::size_t k = 0; k < net.num_inputs(); ++k) {
        auto in = d.input;
        in[k] += h;
        const double up = loss_of(net, in, d.target, loss);
        in[k] -= 2 * h;
        const double down = loss_of(net, in, d.target, loss);
        const double numeric = (up - down) / (2 * h);
        INFO("input " << k);
        CHECK(close(run.p[k], numeric, rtol, atol));
        ++checked;
        nonzero += std::abs(numeric) > 1e-6;
      }
    }
    INFO("loss " << to_string(loss));
    CHECK(checked > 1000);
    CHECK(nonzero > checked / 2);  // the check cannot pass on all-zero gradients
  }
}

TEST_CASE("block kernels equal the memo's per-run algorithm", "[gradcheck][block]") {
  for (Loss loss : {Loss::sse, Loss::softmax_ce, Loss::bce}) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      auto d = test::random_dag(seed * 104729 + static_cast<std::uint64_t>(loss), loss);
      Network<double> net = compile<double>(d.topology);
      // 37 runs: the input varied per run, the target the same.
      const std::size_t runs = 37, NI = net.num_inputs(), K = net.num_outputs();
      std::vector<double> inputs(runs * NI), targets(runs * K);
      SplitMix64 rng(seed);
      for (auto& x : inputs) x = rng.uniform(-1.5, 1.5);
      for (std::size_t r = 0; r < runs; ++r)
        std::copy(d.target.begin(), d.target.end(), targets.begin() + static_cast<long>(r * K));
      std::vector<std::size_t> rows(runs);
      for (std::size_t r = 0; r < runs; ++r) rows[r] = (r * 11) % runs;

      Gradient<double> ref(net), fast(net);
      Run<double> run(net);
      double E_ref = 0;
      std::vector<double> p_in(runs * NI);
      for (std::size_t r = 0; r < runs; ++r) {
        E_ref += back_propagate(net, &inputs[rows[r] * NI], &targets[rows[r] * K], loss, run, ref);
        for (std::size_t k = 0; k < NI; ++k) p_in[r * NI + k] = run.p[k];
      }
      Workspace<double> ws(net, 40);
      BackwardOptions opt;
      opt.loss = loss;
      opt.input_gradient = true;
      const double E = back_propagate(
          net, Block<double>{inputs.data(), targets.data(), rows.data(), runs}, opt, ws, fast);
      INFO("loss " << to_string(loss) << ", seed " << seed);
      CHECK(E == Approx(E_ref).epsilon(1e-12));
      for (std::size_t k = 0; k < ref.size(); ++k)
        CHECK(fast.g[k] == Approx(ref.g[k]).epsilon(1e-10).margin(1e-12));
      for (std::size_t r = 0; r < runs; ++r)
        for (std::size_t k = 0; k < NI; ++k)
          CHECK(ws.p(k)[r] == Approx(p_in[r * NI + k]).epsilon(1e-10).margin(1e-12));
    }
  }
}

TEST_CASE("dense groups (a layered net with a skip layer) equal the memo", "[gradcheck][block]") {
  // 12 inputs -> 20 tanh -> 16 relu (also fed by the inputs) -> 3 identity.
  Topology t;
  std::vector<UnitId> in;
  for (int k = 0; k < 12; ++k) in.push_back(t.add_input());
  auto h1 = add_dense_layer(t, in, 20, Activation::tanh);
  auto both = in;
  both.insert(both.end(), h1.begin(), h1.end());
  auto h2 = add_dense_layer(t, both, 16, Activation::leaky_relu);
  add_dense_layer(t, h2, 3, Activation::identity, Role::output);
  initialize(t, InitScheme::glorot_uniform, 5);
  for (UnitId i = 0; i < t.num_units(); ++i)
    if (t.role(i) != Role::input) t.set_bias(i, 0.01 * static_cast<double>(i % 7) - 0.03);
  Network<double> net = compile<double>(t);
  std::size_t dense = 0;
  for (const auto& g : net.groups()) dense += g.dense;
  REQUIRE(dense == 2);  // the 16 x 3 output layer is too small to be worth a product
  const std::size_t runs = 21, K = 3;
  std::vector<double> inputs(runs * 12), targets(runs * K);
  SplitMix64 rng(9);
  for (auto& x : inputs) x = rng.uniform(-1, 1);
  for (auto& x : targets) x = rng.uniform(-1, 1);
  std::vector<std::size_t> rows(runs);
  for (std::size_t r = 0; r < runs; ++r) rows[r] = r;
  Gradient<double> ref(net), fast(net);
  Run<double> run(net);
  for (std::size_t r = 0; r < runs; ++r)
    back_propagate(net, &inputs[r * 12], &targets[r * K], Loss::sse, run, ref);
  Workspace<double> ws(net, runs);
  back_propagate(net, Block<double>{inputs.data(), targets.data(), rows.data(), runs},
                 BackwardOptions{}, ws, fast);
  std::size_t nonzero = 0;
  for (std::size_t k = 0; k < ref.size(); ++k) {
    CHECK(fast.g[k] == Approx(ref.g[k]).epsilon(1e-10).margin(1e-12));
    nonzero += ref.g[k] != 0;
  }
  CHECK(nonzero > ref.size() / 2);

  // fresh_gradient: the same bits as InitGrad followed by accumulation, from garbage.
  Gradient<double> fresh(net);
  std::fill(fresh.g.begin(), fresh.g.end(), std::nan(""));
  BackwardOptions opt;
  opt.fresh_gradient = true;
  back_propagate(net, Block<double>{inputs.data(), targets.data(), rows.data(), runs}, opt, ws,
                 fresh);
  CHECK(std::memcmp(fresh.g.data(), fast.g.data(), fast.g.size() * sizeof(double)) == 0);
}

TEMPLATE_TEST_CASE("a saturated, wrong sigmoid output still learns under bce", "[gradcheck][block]",
                   float, double) {
  // One input, weight 20, a sigmoid output: x = 20 a + 0.5. Far out, σ(x)
  // rounds to 0 or 1 and y (1 - y) to 0; ∂E/∂x = σ(x) - d must not (about ±1
  // when wrong), and Δb = ∂E/∂x, Δw = ∂E/∂x · a, by hand.
  Topology t;
  const UnitId a = t.add_input("a");
  t.connect(a, t.add_output(Activation::sigmoid, "o", 0.5), 20.0);
  const Network<TestType> net = compile<TestType>(t);
  REQUIRE(net.is_sink(net.output(0)));  // no unit reads it: p = ∂E/∂x directly
  CHECK_FALSE(net.is_sink(0));          // the input
  CHECK_THROWS_AS(fused_output_delta(Loss::sse, TestType(1), TestType(0)), invalid_argument);
  const auto sigma = [](double x) { return 1 / (1 + std::exp(-x)); };
  for (const double in : {-0.05, -0.5, -0.8, -1.0, -2.0, -4.0, -40.0, 0.05, 0.5, 1.0, 4.0, 40.0})
    for (const double target : {0.0, 1.0}) {
      const double x = 20 * in + 0.5, want = sigma(x) - target;
      const TestType input[1] = {static_cast<TestType>(in)};
      const TestType d[1] = {static_cast<TestType>(target)};
      INFO("input " << in << ", target " << target << ": x " << x << ", ∂E/∂x " << want);
      Gradient<TestType> memo(net), fast(net);
      Run<TestType> run(net);
      const double E = back_propagate(net, input, d, Loss::bce, run, memo);
      // E = softplus(-x) for d = 1, softplus(x) for d = 0: finite however wrong
      const double z = target > 0.5 ? -x : x;
      CHECK(E == Approx(std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z)))).epsilon(1e-5));
      const std::size_t rows[1] = {0};
      Workspace<TestType> ws(net, 1);
      BackwardOptions opt;
      opt.loss = Loss::bce;
      back_propagate(net, Block<TestType>{input, d, rows, 1}, opt, ws, fast);
      for (const Gradient<TestType>* g : {&memo, &fast}) {
        CHECK(static_cast<double>(g->db()[net.output(0)]) ==
              Approx(want).epsilon(1e-5).margin(1e-7));
        CHECK(static_cast<double>(g->dw()[0]) == Approx(want * in).epsilon(1e-5).margin(1e-7));
      }
    }
}
