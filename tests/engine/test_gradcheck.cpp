// Gradient checks, in double, of BackPropagate (memo.hpp and the block
// kernels) against central differences: on random DAGs with skip connections
// and mixed activations, for every loss (every w_ij, b_i and input); on a DAG
// of the activations appended after softplus, with the SGD step; and the
// block's input gradient on the structured DAGs of structured_dag.hpp. A
// saturated, wrong sigmoid output under bce against the gradient by hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

#include "block.hpp"  // engine/src: the block kernels, internal to the engine
#include "engine/activation_dag.hpp"
#include "engine/central_differences.hpp"
#include "engine/fast_path_checks.hpp"
#include "engine/random_dag.hpp"
#include "engine/structured_dag.hpp"
#include "tolerance.hpp"

using namespace dagprop;
using test::all_losses;
using test::close;
using test::dag_seed;
using test::iota_rows;
using test::Problem;
using test::suitable_problem;
using test::total_loss;

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

TEST_CASE("a DAG of the new activations: back-propagation matches central differences",
          "[activation][gradcheck]") {
  const double h = 1e-5, rtol = 1e-6, atol = 1e-9;
  for (Loss loss : {Loss::sse, Loss::softmax_ce, Loss::bce}) {
    INFO("loss " << to_string(loss));
    const Problem p = suitable_problem(loss, 6);
    Network<double> net = compile<double>(p.topology);
    Run<double> run(net);
    Gradient<double> grad(net);
    for (std::size_t r = 0; r < p.runs; ++r)
      back_propagate(net, &p.inputs[r * 3], &p.targets[r * 2], loss, run, grad);
    const auto [checked, nonzero] = test::check_central_differences(
        net, grad, [&](const Network<double>& n) { return total_loss(n, p, loss); }, h, rtol, atol);
    CHECK(checked == net.num_connections() + net.num_units() - net.num_inputs());
    CHECK(nonzero > checked * 3 / 4);  // cannot pass on zero gradients
    // Each activation's f' takes part: every unit's ∂E/∂b_i is nonzero.
    for (UnitId i = net.num_inputs(); i < net.num_units(); ++i) {
      INFO("unit " << net.name(i));
      CHECK(std::abs(grad.db()[i]) > 1e-7);
    }
    // The SGD step (Algorithm 1, UpdateNN) moves each parameter by exactly -η Δθ.
    const double eta = 0.05;
    Network<double> stepped = net;
    std::vector<std::size_t> rows(p.runs);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    train_nn(stepped, p.inputs.data(), p.targets.data(), rows.data(), p.runs, loss, eta);
    for (std::size_t k = 0; k < net.params().size(); ++k) {
      INFO("parameter " << k);
      CHECK(stepped.params()[k] == net.params()[k] - eta * grad.g[k]);
    }
  }
}

TEST_CASE("structured DAGs: the block's input gradient matches central differences",
          "[block][stress][gradcheck]") {
  const double h = 1e-5;
  std::size_t checked = 0, nonzero = 0;
  for (Loss loss : all_losses)
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      INFO("loss " << to_string(loss) << ", seed " << seed);
      const auto d = test::structured_dag(dag_seed(seed + 500, loss), loss);
      const auto net = compile<double>(d.topology);
      const std::size_t NI = net.num_inputs(), K = net.num_outputs(), runs = 3;
      const auto data = test::random_rows<double>(seed, runs, NI, K, loss);
      const auto rows = iota_rows(runs);
      Workspace<double> ws(net, runs);
      Gradient<double> grad(net);
      BackwardOptions opt;
      opt.loss = loss;
      opt.input_gradient = true;
      back_propagate(net, Block<double>{data.inputs.data(), data.targets.data(), rows.data(), runs},
                     opt, ws, grad);
      auto E = [&](const std::vector<double>& x, std::size_t r) {
        Run<double> run(net);
        propagate(net, x.data(), run);
        std::vector<double> xo(K), yo(K);
        for (std::size_t k = 0; k < K; ++k)
          xo[k] = run.x[net.output(k)], yo[k] = run.y[net.output(k)];
        return loss_gradient<double>(loss, K, xo.data(), yo.data(), data.target(r), nullptr);
      };
      auto near_kink = [&](const std::vector<double>& x) {
        Run<double> run(net);
        propagate(net, x.data(), run);
        for (UnitId i = 0; i < net.num_units(); ++i)
          if ((net.activation(i) == Activation::relu ||
               net.activation(i) == Activation::leaky_relu) &&
              std::abs(run.x[i]) < 1e-3)
            return true;
        return false;
      };
      for (std::size_t r = 0; r < runs; ++r) {
        const std::vector<double> x(data.input(r), data.input(r) + NI);
        if (near_kink(x)) continue;
        for (std::size_t k = 0; k < NI; k += 1 + NI / 24) {  // up to ~24 inputs per run
          auto up = x, down = x;
          up[k] += h, down[k] -= h;
          const double numeric = (E(up, r) - E(down, r)) / (2 * h);
          INFO("run " << r << ", input " << k);
          CHECK(close(ws.p(k)[r], numeric, 1e-5, 1e-8));
          ++checked;
          nonzero += std::abs(numeric) > 1e-6;
        }
      }
    }
  CHECK(checked > 300);
  CHECK(nonzero > checked / 2);  // the check cannot pass on all-zero gradients
}
