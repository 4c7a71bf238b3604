// The fast path (block kernels, dense groups as register-tiled products, the
// chunked Trainer, predict/evaluate, dropout) against the memo's per-run
// algorithm on structured random DAGs (structured_dag.hpp) and on very large
// shapes: deep, wide fan-in, wide fan-out, NEAT-like. Tight in double, loose in
// float, bit-identical across thread counts. The memo itself is checked by
// central differences in test_gradcheck.cpp, not here.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

#include "block.hpp"  // engine/src: the block kernels, internal to the engine
#include "dagprop/dagprop.hpp"
#include "engine/structured_dag.hpp"

using namespace dagprop;

namespace {

const Loss all_losses[] = {Loss::sse, Loss::softmax_ce, Loss::bce};

// |a - r| <= atol + rtol max(|a|, |r|), the tests' tolerance.
bool close(double a, double r, double rtol, double atol) {
  return std::abs(a - r) <= atol + rtol * std::max(std::abs(a), std::abs(r));
}

std::uint64_t dag_seed(std::uint64_t seed, Loss loss) {
  return seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(loss) + 1;
}

std::vector<std::size_t> iota_rows(std::size_t n) {
  std::vector<std::size_t> r(n);
  std::iota(r.begin(), r.end(), std::size_t{0});
  return r;
}

// The memo's gradient summed over `rows`, and ∂E/∂x of every run's inputs.
struct MemoGradient {
  Gradient<double> grad;
  std::vector<double> p_in;  // [runs * num_inputs]
  double E = 0;
};

MemoGradient memo_gradient(const Network<double>& net, const Dataset<double>& data,
                           const std::vector<std::size_t>& rows, Loss loss) {
  MemoGradient m{Gradient<double>(net), std::vector<double>(rows.size() * net.num_inputs()), 0};
  Run<double> run(net);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    m.E += back_propagate(net, data.input(rows[r]), data.target(rows[r]), loss, run, m.grad);
    std::copy_n(run.p.data(), net.num_inputs(), m.p_in.data() + r * net.num_inputs());
  }
  return m;
}

// Largest |value|, for an absolute tolerance relative to the whole vector.
template <class V>
double max_abs(const V& v) {
  double m = 0;
  for (auto x : v) m = std::max(m, std::abs(static_cast<double>(x)));
  return m;
}

// Shapes of the dense groups seen, so that the generator cannot quietly stop
// producing what the kernels tile by.
struct Coverage {
  std::size_t dense = 0, narrow = 0, wide = 0, edge_rows = 0, mixed_sources = 0, long_k = 0;
  std::size_t sparse_units = 0;
  void add(const Network<double>& net) {
    for (const Group& g : net.groups()) {
      if (!g.dense) {
        sparse_units += g.last - g.first;
        continue;
      }
      const std::size_t ni = g.last - g.first, nj = g.src_last - g.src_first;
      ++dense;
      narrow += nj < 8;
      wide += nj >= 33;
      edge_rows += ni % 6 != 0;
      mixed_sources += g.src_first < net.num_inputs() && g.src_last > net.num_inputs();
      long_k += nj > 256;
    }
  }
};

// Every dense group's units have exactly the sources [src_first, src_last).
void check_groups(const Network<double>& net) {
  UnitId next = net.num_inputs();
  for (const Group& g : net.groups()) {
    REQUIRE(g.first == next);
    REQUIRE(g.last > g.first);
    next = g.last;
    if (!g.dense) continue;
    REQUIRE(g.src_last <= g.first);
    for (UnitId i = g.first; i < g.last; ++i) {
      REQUIRE(net.first(i + 1) - net.first(i) == g.src_last - g.src_first);
      for (std::size_t c = net.first(i); c < net.first(i + 1); ++c)
        REQUIRE(net.source(c) == g.src_first + (c - net.first(i)));
    }
  }
  REQUIRE(next == net.num_units());
}

// predict() and evaluate() of `net` (T) against the memo's propagate in double.
template <class T>
void check_inference(const Network<double>& ref, const Network<T>& net, const Dataset<double>& data,
                     Loss loss, double rtol, double atol,
                     const std::vector<std::size_t>& thread_counts = {1, 3}) {
  const Dataset<T> d = convert<T>(data);
  const std::size_t K = ref.num_outputs();
  Run<double> run(ref);
  std::vector<double> expected(data.size() * K);
  double E = 0;
  for (std::size_t r = 0; r < data.size(); ++r) {
    propagate(ref, data.input(r), run);
    std::vector<double> xo(K), yo(K);
    for (std::size_t k = 0; k < K; ++k)
      xo[k] = run.x[ref.output(k)], yo[k] = expected[r * K + k] = run.y[ref.output(k)];
    E += loss_gradient<double>(loss, K, xo.data(), yo.data(), data.target(r), nullptr);
  }
  for (std::size_t threads : thread_counts) {
    const std::vector<T> out = predict(net, d.inputs.data(), d.size(), threads);
    REQUIRE(out.size() == expected.size());
    std::size_t bad = 0;
    for (std::size_t k = 0; k < out.size(); ++k)
      if (!close(static_cast<double>(out[k]), expected[k], rtol, atol)) {
        if (bad++ < 5) {
          INFO("threads " << threads << ", run " << k / K << ", output " << k % K);
          CHECK(static_cast<double>(out[k]) == expected[k]);
        }
      }
    CHECK(bad == 0);
    const Evaluation ev = evaluate(net, d, loss, threads);
    CHECK(close(ev.loss, E / static_cast<double>(data.size()), rtol, atol));
  }
}

// A few mini-batches of the Trainer (shuffle off) against the memo's train_nn
// over the same rows: the change of every parameter equal within tolerance.
template <class T>
void check_training(const Network<double>& start, const Dataset<double>& data, Loss loss,
                    std::size_t batch, std::size_t chunk, double rtol,
                    Reduction reduction = Reduction::sum) {
  const bool mean = reduction == Reduction::mean;
  const auto rows = iota_rows(data.size());
  // η such that no mini-batch's step from the start moves a parameter by more
  // than 0.01: small enough that no net of the generator diverges.
  double gmax = 0;
  for (std::size_t first = 0; first < rows.size(); first += batch) {
    const std::size_t n = std::min(batch, rows.size() - first);
    Gradient<double> grad(start);
    Run<double> run(start);
    for (std::size_t r = first; r < first + n; ++r)
      back_propagate(start, data.input(rows[r]), data.target(rows[r]), loss, run, grad,
                     mean ? 1.0 / static_cast<double>(n) : 1.0);
    gmax = std::max(gmax, max_abs(grad.g));
  }
  REQUIRE(gmax > 0);
  const double eta = 0.01 / gmax;
  Network<double> memo = start;
  for (std::size_t first = 0; first < rows.size(); first += batch) {
    const std::size_t n = std::min(batch, rows.size() - first);
    if (!mean) {
      train_nn(memo, data.inputs.data(), data.targets.data(), rows.data() + first, n, loss, eta);
      continue;
    }
    // TrainNN with the mean: each run's ∂E/∂y scaled by 1/|L|.
    Gradient<double> grad(memo);
    Run<double> run(memo);
    for (std::size_t r = first; r < first + n; ++r)
      back_propagate(memo, data.input(rows[r]), data.target(rows[r]), loss, run, grad,
                     1.0 / static_cast<double>(n));
    update_nn(memo, grad, eta);
  }

  Network<T> net = start.template cast<T>();
  TrainOptions o;
  o.epochs = 1;
  o.batch_size = batch;
  o.chunk_size = chunk;
  o.learning_rate = eta;
  o.loss = loss;
  o.reduction = reduction;
  o.shuffle = false;
  o.threads = 2;
  const Dataset<T> d = convert<T>(data);
  Trainer<T>(net, o).fit(d);

  std::vector<double> change(start.params().size());
  for (std::size_t k = 0; k < change.size(); ++k) change[k] = memo.params()[k] - start.params()[k];
  const double scale = max_abs(change);
  REQUIRE(scale > 1e-6);  // training moved the weights: the comparison is not vacuous
  std::size_t bad = 0, moved = 0;
  for (std::size_t k = 0; k < change.size(); ++k) {
    const double fast = static_cast<double>(net.params()[k]) - start.params()[k];
    moved += std::abs(change[k]) > 1e-3 * scale;
    // Float carries the rounding of the weight itself, relative to |w|.
    const double atol = rtol * scale + (sizeof(T) == 4 ? 2e-7 * std::abs(start.params()[k]) : 0);
    if (!close(fast, change[k], rtol, atol) && bad++ < 5) {
      INFO("parameter " << k << " of " << change.size() << ", batch " << batch << ", chunk "
                        << chunk << ", " << (sizeof(T) == 4 ? "float" : "double") << ", "
                        << to_string(reduction));
      CHECK(fast == change[k]);
    }
  }
  CHECK(bad == 0);
  CHECK(moved > 0);
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

TEST_CASE("structured DAGs: dense groups are well formed and cover the tile edges",
          "[block][stress]") {
  Coverage cov;
  for (Loss loss : all_losses)
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      INFO("loss " << to_string(loss) << ", seed " << seed);
      const auto d = test::structured_dag(dag_seed(seed, loss), loss);
      const auto net = compile<double>(d.topology);
      check_groups(net);
      cov.add(net);
      check_loss(net, loss, "stress");
      // Column k of the data is input (output) number k of the Topology.
      for (std::size_t k = 0; k < net.num_inputs(); ++k)
        CHECK(d.topology.index(net.topology_id(k)) == k);
      for (std::size_t k = 0; k < net.num_outputs(); ++k) {
        CHECK(d.topology.role(net.topology_id(net.output(k))) == Role::output);
        CHECK(d.topology.index(net.topology_id(net.output(k))) == k);
      }
      // The round trip through to_topology() compiles to the same network.
      const auto again = compile<double>(net.to_topology());
      CHECK(again.params() == net.params());
      CHECK(again.groups().size() == net.groups().size());
    }
  INFO("dense " << cov.dense << ", narrow " << cov.narrow << ", wide " << cov.wide << ", edge rows "
                << cov.edge_rows << ", mixed " << cov.mixed_sources << ", long K " << cov.long_k);
  CHECK(cov.dense >= 100);
  CHECK(cov.narrow >= 10);  // fewer sources than a vector: the dot-product path
  CHECK(cov.wide >= 20);
  CHECK(cov.edge_rows >= 30);  // rows left over after the 6- and 12-row tiles
  CHECK(cov.mixed_sources >= 3);
  CHECK(cov.long_k >= 3);  // more than one 256-deep panel
  CHECK(cov.sparse_units >= 1000);
}

TEST_CASE("structured DAGs: block BackPropagate equals the memo's", "[block][stress]") {
  const std::size_t block_runs[] = {1, 7, 17, 40, 300};
  for (Loss loss : all_losses)
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      INFO("loss " << to_string(loss) << ", seed " << seed);
      const auto d = test::structured_dag(dag_seed(seed, loss), loss);
      const auto net = compile<double>(d.topology);
      const std::size_t runs = block_runs[seed % 5], NI = net.num_inputs();
      INFO(runs << " runs, " << net.num_units() << " units, " << net.num_connections()
                << " connections");
      const auto data = test::random_rows<double>(seed, runs + 3, NI, net.num_outputs(), loss);
      std::vector<std::size_t> rows(runs);
      for (std::size_t r = 0; r < runs; ++r) rows[r] = (r * 5 + 2) % (runs + 3);
      const MemoGradient ref = memo_gradient(net, data, rows, loss);
      const double gmax = max_abs(ref.grad.g);
      REQUIRE(gmax > 0);

      // Double: accumulating onto a gradient that already holds one copy.
      Workspace<double> ws(net, runs + seed % 3);
      Gradient<double> fast(net);
      fast.g = ref.grad.g;
      BackwardOptions opt;
      opt.loss = loss;
      opt.input_gradient = true;
      const Block<double> block{data.inputs.data(), data.targets.data(), rows.data(), runs};
      const double E = back_propagate(net, block, opt, ws, fast);
      CHECK(close(E, ref.E, 1e-12, 1e-14));
      std::size_t bad = 0;
      for (std::size_t k = 0; k < ref.grad.size(); ++k)
        if (!close(fast.g[k], 2 * ref.grad.g[k], 1e-10, 1e-12 * gmax) && bad++ < 5) {
          INFO("parameter " << k << " of " << ref.grad.size());
          CHECK(fast.g[k] == 2 * ref.grad.g[k]);
        }
      CHECK(bad == 0);
      const double pmax = max_abs(ref.p_in);
      for (std::size_t r = 0; r < runs; ++r)
        for (std::size_t k = 0; k < NI; ++k)
          if (!close(ws.p(k)[r], ref.p_in[r * NI + k], 1e-10, 1e-12 * pmax) && bad++ < 5) {
            INFO("run " << r << ", input " << k);
            CHECK(ws.p(k)[r] == ref.p_in[r * NI + k]);
          }
      CHECK(bad == 0);

      // fresh_gradient from garbage: the same bits as InitGrad and accumulating.
      Gradient<double> zero(net), fresh(net);
      opt.input_gradient = false;
      back_propagate(net, block, opt, ws, zero);
      std::fill(fresh.g.begin(), fresh.g.end(), std::nan(""));
      opt.fresh_gradient = true;
      back_propagate(net, block, opt, ws, fresh);
      CHECK(std::memcmp(fresh.g.data(), zero.g.data(), zero.g.size() * sizeof(double)) == 0);

      // Float against the memo in double.
      const Network<float> fnet = net.cast<float>();
      const Dataset<float> fdata = convert<float>(data);
      Workspace<float> fws(fnet, runs);
      Gradient<float> fgrad(fnet);
      opt.input_gradient = true;
      back_propagate(fnet,
                     Block<float>{fdata.inputs.data(), fdata.targets.data(), rows.data(), runs},
                     opt, fws, fgrad);
      for (std::size_t k = 0; k < ref.grad.size(); ++k)
        if (!close(fgrad.g[k], ref.grad.g[k], 1e-4, 1e-5 * gmax) && bad++ < 5) {
          INFO("float parameter " << k << " of " << ref.grad.size());
          CHECK(static_cast<double>(fgrad.g[k]) == ref.grad.g[k]);
        }
      for (std::size_t r = 0; r < runs; ++r)
        for (std::size_t k = 0; k < NI; ++k)
          if (!close(fws.p(k)[r], ref.p_in[r * NI + k], 1e-4, 1e-5 * pmax) && bad++ < 5) {
            INFO("float run " << r << ", input " << k);
            CHECK(static_cast<double>(fws.p(k)[r]) == ref.p_in[r * NI + k]);
          }
      CHECK(bad == 0);
    }
}

TEST_CASE("structured DAGs: predict() and evaluate() equal the memo's propagate",
          "[block][stress]") {
  for (Loss loss : all_losses)
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
      INFO("loss " << to_string(loss) << ", seed " << seed);
      const auto d = test::structured_dag(dag_seed(seed, loss), loss);
      const auto net = compile<double>(d.topology);
      const std::size_t rows = 1 + (seed * 37) % 150;  // 1 to 150: partial and several blocks
      const auto data =
          test::random_rows<double>(seed + 7, rows, net.num_inputs(), net.num_outputs(), loss);
      check_inference(net, net, data, loss, 1e-12, 1e-13);
      check_inference(net, net.cast<float>(), data, loss, 1e-5, 1e-5);
    }
}

TEST_CASE("structured DAGs: Trainer equals the memo's train_nn", "[block][stress][trainer]") {
  const std::size_t batches[] = {1, 7, 33, 100}, chunks[] = {1, 5, 16, 64};
  for (Loss loss : all_losses)
    for (std::uint64_t seed = 1; seed <= 24; ++seed) {
      const std::size_t batch = batches[seed % 4], chunk = chunks[(seed / 4) % 4];
      const Reduction reduction = seed % 3 == 0 ? Reduction::mean : Reduction::sum;
      INFO("loss " << to_string(loss) << ", seed " << seed << ", batch " << batch << ", chunk "
                   << chunk << ", " << to_string(reduction));
      const auto d = test::structured_dag(dag_seed(seed, loss), loss);
      const auto net = compile<double>(d.topology);
      // Two full mini-batches and a partial one (at most ~110 rows).
      const std::size_t rows = std::min<std::size_t>(2 * batch + 1 + seed % 5, 110);
      const auto data =
          test::random_rows<double>(seed + 3, rows, net.num_inputs(), net.num_outputs(), loss);
      check_training<double>(net, data, loss, batch, chunk, 1e-10, reduction);
      check_training<float>(net, data, loss, batch, chunk, 1e-4, reduction);
    }
}

TEST_CASE("structured DAGs: Trainer chunks longer than one 256-run panel equal the memo",
          "[block][stress][trainer]") {
  // A chunk of more than 256 runs: the products ΔW += P Yᵀ run over K = runs
  // in panels, the first overwriting (fresh gradient), the next adding.
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Loss loss = all_losses[seed % 3];
    INFO("loss " << to_string(loss) << ", seed " << seed);
    const auto d = test::structured_dag(dag_seed(seed + 900, loss), loss);
    const auto net = compile<double>(d.topology);
    const auto data =
        test::random_rows<double>(seed, 600, net.num_inputs(), net.num_outputs(), loss);
    check_training<double>(net, data, loss, 300, 300, 1e-10, Reduction::mean);
    check_training<float>(net, data, loss, 550, 270, 1e-4);
  }
}

TEST_CASE("structured DAGs: training is bit-identical on 1, 2, 3 and 8 threads",
          "[block][stress][parallel]") {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const Loss loss = all_losses[seed % 3];
    INFO("loss " << to_string(loss) << ", seed " << seed);
    const auto d = test::structured_dag(dag_seed(seed + 100, loss), loss);
    const auto net = compile<double>(d.topology);
    const auto data =
        test::random_rows<double>(seed, 90, net.num_inputs(), net.num_outputs(), loss);
    auto run = [&](auto zero, std::size_t threads, bool input_gradient) {
      using T = decltype(zero);
      Network<T> n = net.cast<T>();
      TrainOptions o;
      o.epochs = 2;
      o.batch_size = 41;
      o.chunk_size = 5;
      o.learning_rate = 0.002;
      o.loss = loss;
      o.seed = seed;
      o.threads = threads;
      o.input_gradient = input_gradient;
      const auto reports = Trainer<T>(n, o).fit(convert<T>(data));
      REQUIRE(reports.size() == 2);
      return std::make_pair(n.params(), reports[1].loss);
    };
    const auto f1 = run(0.0f, 1, false);
    const auto d1 = run(0.0, 1, false);
    CHECK(f1.first != net.cast<float>().params());
    for (std::size_t threads : {std::size_t{2}, std::size_t{3}, std::size_t{8}}) {
      INFO(threads << " threads");
      const auto f = run(0.0f, threads, threads == 3);
      const auto dd = run(0.0, threads, threads == 8);
      CHECK(std::memcmp(f.first.data(), f1.first.data(), f1.first.size() * sizeof(float)) == 0);
      CHECK(std::memcmp(dd.first.data(), d1.first.data(), d1.first.size() * sizeof(double)) == 0);
      CHECK(f.second == f1.second);
      CHECK(dd.second == d1.second);
    }
  }
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

// ---- Large shapes: compile, predict and one training batch against the memo -

namespace {

void check_large(const Network<double>& net, Loss loss, std::size_t rows) {
  const auto data = test::random_rows<double>(3, rows, net.num_inputs(), net.num_outputs(), loss);
  check_inference(net, net, data, loss, 1e-9, 1e-11, {2});
  check_training<double>(net, data, loss, rows, 2, 1e-9);
}

}  // namespace

TEST_CASE("a chain of 100,000 units", "[block][stress]") {
  const auto d = test::deep_chain(100000, 1);
  const auto net = compile<double>(d.topology);
  CHECK(net.num_levels() == 100001);
  check_large(net, Loss::sse, 3);
}

TEST_CASE("units with fan-in 200,000", "[block][stress]") {
  const auto d = test::wide_fan_in(200000, 2);
  const auto net = compile<double>(d.topology);
  std::size_t dense = 0;  // two rows of 200,000 weights as one product
  for (const Group& g : net.groups()) dense += g.dense && g.src_last - g.src_first == 200000;
  CHECK(dense == 1);
  check_large(net, Loss::sse, 3);
}

TEST_CASE("one input feeding 50,000 units", "[block][stress]") {
  const auto d = test::wide_fan_out(50000, 3);
  const auto net = compile<double>(d.topology);
  std::size_t dense = 0;
  for (const Group& g : net.groups()) dense += g.dense && g.last - g.first > 1000;
  CHECK(dense >= 1);  // the 50,000 single-source units run as a product
  check_large(net, Loss::sse, 5);
}

TEST_CASE("a NEAT-like sparse net of 10,000 levels", "[block][stress]") {
  const auto d = test::neat_like(10000, 9, 4);
  const auto net = compile<double>(d.topology);
  CHECK(net.num_levels() >= 10001);
  check_large(net, Loss::softmax_ce, 4);
}
