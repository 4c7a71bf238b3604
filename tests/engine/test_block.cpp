// The block kernels (BackPropagate over a block of runs, dense groups as
// register-tiled products) against the memo's per-run algorithm: on random
// DAGs, on a layered net with a skip layer, on the structured DAGs of
// structured_dag.hpp (whose dense groups must be well formed and cover the tile
// edges) and on very large shapes: deep, wide fan-in, wide fan-out, NEAT-like.
// Tight in double, loose in float. The memo itself is checked by central
// differences in test_gradcheck.cpp; the chunked Trainer in test_trainer.cpp,
// predict/evaluate in test_evaluate.cpp, dropout in test_dropout.cpp.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "block.hpp"  // engine/src: the block kernels, internal to the engine
#include "dagprop/dagprop.hpp"
#include "engine/fast_path_checks.hpp"
#include "engine/random_dag.hpp"
#include "engine/structured_dag.hpp"
#include "tolerance.hpp"

using namespace dagprop;
using test::all_losses;
using test::check_inference;
using test::check_training;
using test::close;
using test::dag_seed;
using test::max_abs;

namespace {

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

// Shapes of the dense groups seen, so that the generator cannot quietly stop
// producing what the kernels tile by.
struct Coverage {
  std::size_t dense = 0, narrow = 0, wide = 0, edge_rows = 0, mixed_sources = 0, long_k = 0;
  std::size_t sparse_units = 0, sparse_wide = 0;
  void add(const Network<double>& net) {
    for (const Group& g : net.groups()) {
      if (!g.dense) {
        sparse_units += g.last - g.first;
        // Δw summed 16 (float) or 8 (double) connections at a time, then the rest one by one.
        for (UnitId i = g.first; i < g.last; ++i) {
          const std::size_t fan_in = net.first(i + 1) - net.first(i);
          sparse_wide += fan_in > 16 && fan_in % 8 != 0;
        }
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

}  // namespace

TEST_CASE("workspace rows and gradient buffers start on 128-byte boundaries", "[block]") {
  // Rows of 16 lanes are whole cache lines only from an aligned start (malloc
  // gives 16 bytes past one); every size, every precision, both uses.
  const auto at128 = [](const void* p) { return reinterpret_cast<std::uintptr_t>(p) % 128 == 0; };
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto net = compile<double>(test::structured_dag(seed, Loss::sse).topology);
    const auto fnet = net.cast<float>();
    for (std::size_t runs : {std::size_t{1}, std::size_t{17}, std::size_t{300}}) {
      Workspace<double> ws(net, runs);
      Workspace<float> fws(fnet, runs, WorkspaceUse::inference);
      CHECK(at128(ws.x(0)));
      CHECK(at128(ws.y(0)));
      CHECK(at128(ws.v(0)));
      CHECK(at128(ws.p(0)));
      CHECK(at128(ws.input_rows()));
      CHECK(at128(fws.y(0)));
      CHECK(at128(fws.v(0)));
    }
    CHECK(at128(Gradient<double>(net).g.data()));
    CHECK(at128(Gradient<float>(fnet).g.data()));
  }
}

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
  CHECK(cov.sparse_wide >= 100);
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
