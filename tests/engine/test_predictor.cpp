// Predictor (predictor.hpp) against predict() of evaluate.hpp, which it must
// equal bit for bit (same blocks, same lanes), and against the memo's
// propagate in double within rounding: on dense, sparse/skip and NEAT-like
// networks, float and double, batches of 1 up to several blocks, one
// Predictor reused across batch sizes, and several threads each with their
// own Predictor on one const network.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "block.hpp"  // engine/src: the block kernels, internal to the engine
#include "dagprop/dagprop.hpp"
#include "engine/random_dag.hpp"
#include "engine/structured_dag.hpp"

using namespace dagprop;

namespace {

// 1 run; 7, 15 and 17: not a multiple of the lanes (16 floats, 8 doubles);
// 64: one whole block; 100 and 130: a partial last block.
const std::size_t batches[] = {1, 7, 15, 16, 17, 64, 100, 130};

struct Case {
  std::string name;
  Topology topology;
};

// Every activation on a sparse unit of its own, each an output and read by
// later units: one run alone computes f inline (block.cpp), a batch through
// activate_array, with the same bits.
Topology every_activation() {
  Topology t;
  SplitMix64 rng(17);
  for (int k = 0; k < 4; ++k) t.add_input();
  for (std::size_t a = 0; a < num_activations; ++a) {
    const UnitId u =
        t.add_unit(static_cast<Activation>(a), Role::output, {}, rng.uniform(-0.5, 0.5));
    std::vector<UnitId> from = {UnitId{0}, u - 1, static_cast<UnitId>(rng.below(u))};
    std::sort(from.begin(), from.end());
    from.erase(std::unique(from.begin(), from.end()), from.end());
    for (UnitId j : from) t.connect(j, u, rng.uniform(-1.2, 1.2));
  }
  return t;
}

std::vector<Case> cases() {
  std::vector<Case> c;
  for (std::uint64_t seed : {3u, 11u})  // dense layers, ranges, skips (dense groups)
    c.push_back(
        {"structured " + std::to_string(seed), test::structured_dag(seed, Loss::sse).topology});
  for (std::uint64_t seed : {5u, 21u})  // small sparse DAGs with skips, ids shuffled
    c.push_back({"random " + std::to_string(seed), test::random_dag(seed, Loss::sse).topology});
  c.push_back({"neat-like", test::neat_like(40, 6, 9).topology});
  c.push_back({"every activation", every_activation()});
  // Layers only: at batch 1 every group takes the matrix-vector product, with
  // widths that leave partial blocks of rows and of columns (16 floats, 8
  // doubles), fed by inputs (their row itself) and by units (a lane apart).
  for (const auto& [sizes, hidden] :
       {std::pair{std::vector<std::size_t>{70, 37, 19, 3}, Activation::relu},
        std::pair{std::vector<std::size_t>{5, 40, 17, 2}, Activation::tanh},
        std::pair{std::vector<std::size_t>{32, 64, 16, 8}, Activation::sigmoid}}) {
    Topology t = make_mlp(sizes, hidden, Activation::identity);
    initialize(t, InitScheme::he_uniform, sizes[1]);
    c.push_back({"mlp " + std::to_string(sizes[0]) + "-" + std::to_string(sizes[1]), t});
  }
  return c;
}

template <class T>
std::vector<T> rows_for(const Network<T>& net, std::size_t rows, std::uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<T> x(rows * net.num_inputs());
  for (T& v : x) v = static_cast<T>(rng.uniform(-1.5, 1.5));
  return x;
}

// The memo's outputs (double) of the rows.
std::vector<double> memo_outputs(const Network<double>& ref, const std::vector<double>& x,
                                 std::size_t rows) {
  Run<double> run(ref);
  std::vector<double> y;
  for (std::size_t r = 0; r < rows; ++r) {
    propagate(ref, x.data() + r * ref.num_inputs(), run);
    for (std::size_t k = 0; k < ref.num_outputs(); ++k) y.push_back(run.y[ref.output(k)]);
  }
  return y;
}

}  // namespace

TEMPLATE_TEST_CASE("Predictor equals predict() bit for bit and the memo within rounding",
                   "[predictor]", float, double) {
  using T = TestType;
  const double tol = sizeof(T) == 4 ? 1e-4 : 1e-11;
  for (const Case& c : cases()) {
    INFO(c.name);
    const Network<double> ref = compile<double>(c.topology);
    const Network<T> net = ref.template cast<T>();
    Predictor<T> one(net);  // reused for every batch, in this order
    for (std::size_t rows : batches) {
      INFO("batch " << rows);
      const std::vector<T> x = rows_for(net, rows, rows);
      const std::vector<T> expected = predict(net, x.data(), rows, 1);
      CHECK(one.predict(x.data(), rows) == expected);
      CHECK(Predictor<T>(net).predict(x.data(), rows) == expected);
      CHECK(predict(net, x.data(), rows, 2) == expected);  // the threaded path, same bits
      std::vector<double> xd(x.begin(), x.end());
      const std::vector<double> memo = memo_outputs(ref, xd, rows);
      REQUIRE(memo.size() == expected.size());
      std::size_t bad = 0;
      for (std::size_t k = 0; k < memo.size(); ++k)
        bad += !(std::abs(static_cast<double>(expected[k]) - memo[k]) <=
                 tol * (1 + std::abs(memo[k])));
      CHECK(bad == 0);
    }
    // One row alone takes the scalar path of sparse units and the
    // matrix-vector product of dense groups, a few rows the narrow products
    // (block.cpp); inside a batch of 17 each row is a lane of the vector
    // tiles: the same bits either way.
    const std::vector<T> x17 = rows_for(net, 17, 5);
    const std::vector<T> in_batch = predict(net, x17.data(), 17, 1);
    std::size_t differ = 0;
    for (std::size_t few = 1; few <= 9; ++few)
      for (std::size_t r = 0; r + few <= 17; r += few) {
        const std::vector<T>& part = one.predict(x17.data() + r * net.num_inputs(), few);
        for (std::size_t k = 0; k < part.size(); ++k)
          differ += part[k] != in_batch[r * net.num_outputs() + k];
      }
    CHECK(differ == 0);
    // Back to a small batch after a large one: the larger workspace gives the same bits.
    const std::vector<T> x = rows_for(net, 1, 99);
    CHECK(one.predict(x.data(), 1) == predict(net, x.data(), 1, 1));
  }
}

TEST_CASE("Predictor writes into the caller's buffer and keeps its own", "[predictor]") {
  const Network<float> net = compile<float>(test::neat_like(30, 5, 4).topology);
  const std::size_t rows = 37, K = net.num_outputs();
  const std::vector<float> x = rows_for(net, rows, 1);
  const std::vector<float> expected = predict(net, x.data(), rows, 1);
  Predictor<float> p(net);
  std::vector<float> out(rows * K + 1, -7.0f);  // one value more than written
  p.predict(x.data(), rows, out.data());
  CHECK(std::equal(expected.begin(), expected.end(), out.begin()));
  CHECK(out.back() == -7.0f);
  // Calls of one size reuse the returned vector (no allocation of it).
  const float* first = p.predict(x.data(), rows).data();
  CHECK(p.predict(x.data(), rows).data() == first);
  CHECK(p.predict(x.data(), 0).empty());
  CHECK_THROWS_WITH(p.predict(nullptr, 3), Catch::Contains("Predictor::predict: inputs is null"));
  CHECK_THROWS_WITH(p.predict(x.data(), 3, nullptr),
                    Catch::Contains("Predictor::predict: out is null"));
  // The fewest rows whose bytes (rows x the wider of inputs and outputs x 4)
  // overflow a size_t are refused before anything is read or allocated.
  const std::size_t row_bytes = std::max(net.num_inputs(), K) * sizeof(float);
  const std::size_t too_many = std::numeric_limits<std::size_t>::max() / row_bytes + 1;
  for (std::size_t n : {too_many, std::numeric_limits<std::size_t>::max()}) {
    CHECK_THROWS_WITH(p.predict(x.data(), n), Catch::Contains("size overflow"));
    CHECK_THROWS_WITH(p.predict(x.data(), n, out.data()), Catch::Contains("size overflow"));
    CHECK_THROWS_WITH(predict(net, x.data(), n, 1), Catch::Contains("size overflow"));
  }
}

TEST_CASE("Predictor copies and moves keep predicting", "[predictor]") {
  const Network<float> net = compile<float>(test::neat_like(30, 5, 4).topology);
  const Network<float> other = compile<float>(test::structured_dag(3, Loss::sse).topology);
  const std::vector<float> x = rows_for(net, 70, 2), y = rows_for(other, 5, 3);
  const std::vector<float> expected = predict(net, x.data(), 70, 1);
  Predictor<float> p(net);
  CHECK(p.predict(x.data(), 70) == expected);
  Predictor<float> copy(p);  // a workspace of its own
  CHECK(copy.predict(x.data(), 70) == expected);
  CHECK(copy.predict(x.data(), 70).data() != p.predict(x.data(), 70).data());
  Predictor<float> moved(std::move(p));
  CHECK(&moved.network() == &net);
  CHECK(moved.predict(x.data(), 70) == expected);
  CHECK(p.predict(x.data(), 70) == expected);  // NOLINT(bugprone-use-after-move): still usable
  Predictor<float> q(other);
  q = copy;
  CHECK(&q.network() == &net);
  CHECK(q.predict(x.data(), 70) == expected);
  q = Predictor<float>(other);
  CHECK(q.predict(y.data(), 5) == predict(other, y.data(), 5, 1));
}

TEST_CASE("Predictors on several threads share one const network", "[predictor]") {
  const Network<float> net = compile<float>(test::structured_dag(7, Loss::sse).topology);
  const std::size_t threads = 4, calls = 30;
  std::vector<std::vector<float>> x(threads), expected(threads);
  for (std::size_t t = 0; t < threads; ++t) {
    x[t] = rows_for(net, 3 + 29 * t, 100 + t);  // 3, 32, 61, 90 rows
    expected[t] = predict(net, x[t].data(), 3 + 29 * t, 1);
  }
  std::vector<std::size_t> wrong(threads, 0);
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      Predictor<float> p(net);
      for (std::size_t k = 0; k < calls; ++k)
        wrong[t] += p.predict(x[t].data(), 3 + 29 * t) != expected[t];
    });
  for (std::thread& th : pool) th.join();
  for (std::size_t t = 0; t < threads; ++t) CHECK(wrong[t] == 0);
}

TEST_CASE("An inference-only workspace is refused by back_propagate", "[predictor]") {
  const Network<double> net = compile<double>(test::random_dag(2, Loss::sse).topology);
  Workspace<double> ws(net, 4, WorkspaceUse::inference);
  CHECK(ws.inference_only());
  const std::vector<double> x = rows_for(net, 4, 1), t(4 * net.num_outputs(), 0.5);
  const std::size_t rows[] = {0, 1, 2, 3};
  const Block<double> block{x.data(), t.data(), rows, 4};
  propagate(net, block, ws);  // inference works
  Gradient<double> grad(net);
  CHECK_THROWS_WITH(back_propagate(net, block, BackwardOptions{}, ws, grad),
                    Catch::Contains("inference only"));
}
