// Inverted dropout (block.hpp, TrainOptions::dropout): the same weights on any
// thread count, evaluation equal to the memo's plain forward pass, the rate of
// dropped units, the 1/(1-rate) scale, and the gradient of the masked network
// against central differences of that same network; the block kernels with
// dropout against the memo's algorithm with the same masks, on the structured
// DAGs of structured_dag.hpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "block.hpp"  // engine/src: the block kernels, internal to the engine
#include "dagprop/dagprop.hpp"
#include "engine/fast_path_checks.hpp"
#include "engine/structured_dag.hpp"
#include "tolerance.hpp"

using namespace dagprop;
using test::all_losses;
using test::close;
using test::dag_seed;
using test::iota_rows;
using test::max_abs;

namespace {

Dataset<double> make_data(std::size_t rows, std::size_t in, std::size_t out, std::uint64_t seed) {
  Dataset<double> d;
  d.num_inputs = in, d.num_targets = out;
  SplitMix64 rng(seed);
  for (std::size_t r = 0; r < rows * in; ++r) d.inputs.push_back(rng.uniform(-1, 1));
  for (std::size_t r = 0; r < rows * out; ++r) d.targets.push_back(rng.uniform(-1, 1));
  return d;
}

Network<double> mlp(const std::vector<std::size_t>& sizes, Activation f, std::uint64_t seed) {
  Topology t = make_mlp(sizes, f, Activation::identity);
  initialize(t, InitScheme::glorot_uniform, seed);
  return compile<double>(t);
}

// E of one row through the block kernels, with or without a dropout mask.
double block_loss(const Network<double>& net, const Dataset<double>& d, std::size_t row,
                  const Dropout* drop) {
  Workspace<double> ws(net, 1);
  const Block<double> block{d.inputs.data(), d.targets.data(), &row, 1, drop};
  propagate(net, block, ws);
  const std::size_t K = net.num_outputs();
  std::vector<double> x(K), y(K);
  for (std::size_t k = 0; k < K; ++k) x[k] = ws.x(net.output(k))[0], y[k] = ws.y(net.output(k))[0];
  return loss_gradient<double>(Loss::sse, K, x.data(), y.data(), d.target(row), nullptr);
}

// The memo's BackPropagate with inverted dropout written into it: after
// y_i = f_i(x_i), v_i = f'_i(x_i), both are multiplied by the unit's mask m_i
// (0 when dropped, 1/(1-rate) when kept), as block.hpp specifies.
double masked_back_propagate(const Network<double>& net, const Dropout& drop, std::size_t row,
                             const double* input, const double* target, Loss loss, Run<double>& run,
                             Gradient<double>& grad) {
  for (UnitId i = 0; i < net.num_units(); ++i) {
    run.p[i] = 0;
    if (net.role(i) == Role::input) {
      run.x[i] = run.y[i] = input[i];
      continue;
    }
    double x = net.b()[i];
    for (std::size_t c = net.first(i); c < net.first(i + 1); ++c)
      x += net.w()[c] * run.y[net.source(c)];
    run.x[i] = x;
    run.y[i] = activate(net.activation(i), x);
    run.v[i] = derivative(net.activation(i), x, run.y[i]);
    const double rate = drop.rate[i];
    if (rate > 0) {
      const double m = dropout_uniform(drop.seed, drop.epoch, row, i) < rate ? 0 : 1 / (1 - rate);
      run.y[i] *= m, run.v[i] *= m;
    }
  }
  const std::size_t K = net.num_outputs();
  std::vector<double> xo(K), yo(K), dEdy(K);
  for (std::size_t k = 0; k < K; ++k) xo[k] = run.x[net.output(k)], yo[k] = run.y[net.output(k)];
  const double E = loss_gradient(loss, K, xo.data(), yo.data(), target, dEdy.data());
  for (std::size_t k = 0; k < K; ++k) run.p[net.output(k)] = dEdy[k];
  for (UnitId i = net.num_units(); i-- > net.num_inputs();) {
    run.p[i] *= run.v[i];
    for (std::size_t c = net.first(i); c < net.first(i + 1); ++c) {
      run.p[net.source(c)] += run.p[i] * net.w()[c];
      grad.dw()[c] += run.p[i] * run.y[net.source(c)];
    }
    grad.db()[i] += run.p[i];
  }
  return E;
}

}  // namespace

TEST_CASE("dropout training is bit-identical on 1, 2 and 3 threads", "[dropout][parallel]") {
  const Dataset<double> data = make_data(50, 4, 2, 5);
  const Network<double> start = mlp({4, 16, 8, 2}, Activation::tanh, 9);
  TrainOptions o;
  o.epochs = 3, o.batch_size = 10, o.chunk_size = 3, o.dropout = 0.3, o.seed = 42;
  std::vector<std::vector<double>> results;
  for (std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
    Network<double> net = start;
    o.threads = threads;
    Trainer<double>(net, o).fit(data);
    results.push_back(net.params());
  }
  CHECK(results[0] == results[1]);
  CHECK(results[0] == results[2]);
  Network<double> plain = start;
  o.dropout = 0;
  Trainer<double>(plain, o).fit(data);
  CHECK(plain.params() != results[0]);  // the dropout did something
  Network<double> other = start;
  o.dropout = 0.3, o.seed = 43;
  Trainer<double>(other, o).fit(data);
  CHECK(other.params() != results[0]);  // and its mask follows the seed
}

TEST_CASE("evaluation after dropout training is the memo's forward pass", "[dropout]") {
  const Dataset<double> data = make_data(30, 3, 2, 6);
  Network<double> net = mlp({3, 12, 2}, Activation::sigmoid, 4);
  TrainOptions o;
  o.epochs = 2, o.batch_size = 8, o.dropout = 0.5, o.threads = 2;
  Trainer<double>(net, o).fit(data);
  const std::vector<double> out = predict(net, data.inputs.data(), data.size(), 2);
  Run<double> run(net);
  double E = 0;
  for (std::size_t r = 0; r < data.size(); ++r) {
    propagate(net, data.input(r), run);
    for (std::size_t k = 0; k < 2; ++k) {
      const double y = run.y[net.output(k)], e = y - data.target(r)[k];
      CHECK(out[r * 2 + k] == Approx(y).epsilon(1e-12).margin(1e-14));
      E += 0.5 * e * e;
    }
  }
  CHECK(evaluate(net, data, Loss::sse, 2).loss == Approx(E / 30).epsilon(1e-12));
}

TEST_CASE("dropout drops about `rate` of the units and scales the rest", "[dropout]") {
  const std::size_t rows = 2000;
  const Dataset<double> data = make_data(rows, 3, 1, 8);
  const Network<double> net = mlp({3, 10, 1}, Activation::sigmoid, 2);  // y > 0 when kept
  const double rate = 0.3;
  std::vector<double> rates(net.num_units(), 0.0);
  for (UnitId i = 0; i < net.num_units(); ++i)
    if (net.role(i) == Role::hidden) rates[i] = rate;
  const Dropout drop{rates.data(), 1234, 3};
  std::vector<std::size_t> order(rows);
  for (std::size_t r = 0; r < rows; ++r) order[r] = r;
  Workspace<double> a(net, 100), b(net, 100);
  std::size_t dropped = 0, kept = 0;
  for (std::size_t r0 = 0; r0 < rows; r0 += 100) {
    propagate(net, Block<double>{data.inputs.data(), nullptr, order.data() + r0, 100, &drop}, a);
    propagate(net, Block<double>{data.inputs.data(), nullptr, order.data() + r0, 100}, b);
    for (UnitId i = 0; i < net.num_units(); ++i) {
      if (net.role(i) != Role::hidden) continue;
      for (std::size_t r = 0; r < 100; ++r) {
        const double expect_keep = dropout_uniform(1234, 3, r0 + r, i) >= rate;
        if (a.y(i)[r] == 0) {
          ++dropped;
          CHECK(!expect_keep);
          CHECK(a.v(i)[r] == 0);
        } else {
          ++kept;
          CHECK(expect_keep);
          CHECK(a.y(i)[r] == Approx(b.y(i)[r] / (1 - rate)).epsilon(1e-15));
        }
      }
    }
  }
  const double fraction = static_cast<double>(dropped) / static_cast<double>(dropped + kept);
  CHECK(dropped + kept == 20000);
  CHECK(std::abs(fraction - rate) < 0.015);  // 20000 draws: σ ≈ 0.0032
}

TEST_CASE("the gradient of a masked network matches its central differences",
          "[dropout][gradcheck]") {
  const Dataset<double> data = make_data(4, 3, 2, 10);
  Network<double> net = mlp({3, 7, 6, 2}, Activation::tanh, 12);
  std::vector<double> rates(net.num_units(), 0.0);
  for (UnitId i = 0; i < net.num_units(); ++i)
    if (net.role(i) == Role::hidden) rates[i] = 0.4;
  const Dropout drop{rates.data(), 77, 1};
  std::size_t checked = 0, nonzero = 0, zero_rows = 0;
  for (std::size_t row = 0; row < data.size(); ++row) {
    Workspace<double> ws(net, 1);
    Gradient<double> grad(net);
    BackwardOptions bo;
    const Block<double> block{data.inputs.data(), data.targets.data(), &row, 1, &drop};
    back_propagate(net, block, bo, ws, grad);
    const double h = 1e-6;
    for (std::size_t k = 0; k < net.params().size(); ++k) {
      if (k >= net.num_connections() && net.role(k - net.num_connections()) == Role::input)
        continue;
      const double saved = net.params()[k];
      net.params()[k] = saved + h;
      const double up = block_loss(net, data, row, &drop);
      net.params()[k] = saved - h;
      const double down = block_loss(net, data, row, &drop);
      net.params()[k] = saved;
      const double numeric = (up - down) / (2 * h);
      INFO("row " << row << ", parameter " << k);
      CHECK(std::abs(grad.g[k] - numeric) <= 1e-9 + 1e-6 * std::abs(numeric));
      ++checked;
      nonzero += std::abs(numeric) > 1e-6;
      zero_rows += grad.g[k] == 0;
    }
  }
  CHECK(checked > 100);
  CHECK(nonzero > checked / 3);
  CHECK(zero_rows > 10);  // dropped units: their weights get no gradient
}

TEST_CASE("structured DAGs: block dropout equals the memo's algorithm with the same masks",
          "[block][stress][dropout]") {
  std::size_t dropped = 0, kept = 0;
  for (Loss loss : all_losses)
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      INFO("loss " << to_string(loss) << ", seed " << seed);
      const auto d = test::structured_dag(dag_seed(seed + 300, loss), loss);
      const auto net = compile<double>(d.topology);
      const std::size_t runs = 1 + seed * 7 % 40;
      const auto data =
          test::random_rows<double>(seed, runs, net.num_inputs(), net.num_outputs(), loss);
      SplitMix64 rng(seed);
      std::vector<double> rate(net.num_units(), 0.0);
      for (UnitId i = 0; i < net.num_units(); ++i)
        if (net.role(i) == Role::hidden) rate[i] = 0.1 * static_cast<double>(rng.below(6));
      const Dropout drop{rate.data(), seed, seed % 3};
      const auto rows = iota_rows(runs);
      Gradient<double> ref(net), fast(net);
      Run<double> run(net);
      double E_ref = 0;
      for (std::size_t r = 0; r < runs; ++r) {
        E_ref += masked_back_propagate(net, drop, r, data.input(r), data.target(r), loss, run, ref);
        for (UnitId i = 0; i < net.num_units(); ++i)
          if (rate[i] > 0) (run.y[i] == 0 && run.x[i] != 0 ? dropped : kept) += 1;  // or ReLU
      }
      Workspace<double> ws(net, runs);
      BackwardOptions opt;
      opt.loss = loss;
      opt.fresh_gradient = true;
      const double E = back_propagate(
          net, Block<double>{data.inputs.data(), data.targets.data(), rows.data(), runs, &drop},
          opt, ws, fast);
      CHECK(close(E, E_ref, 1e-12, 1e-14));
      const double gmax = max_abs(ref.g);
      std::size_t bad = 0;
      for (std::size_t k = 0; k < ref.size(); ++k)
        if (!close(fast.g[k], ref.g[k], 1e-10, 1e-12 * gmax) && bad++ < 5) {
          INFO("parameter " << k << " of " << ref.size());
          CHECK(fast.g[k] == ref.g[k]);
        }
      CHECK(bad == 0);
    }
  CHECK(dropped > 1000);  // the masks took part
  CHECK(kept > dropped);
}
