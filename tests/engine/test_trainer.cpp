// Trainer: bit-identical results on 1, 2, 3 and 8 threads, mean vs sum
// reduction, the last partial batch, early stopping, equality with the memo's
// train_nn loop (on a small DAG, on the structured DAGs of structured_dag.hpp
// with chunks up to and beyond one 256-run panel, and on a DAG of the
// activations appended after softplus, in double and float). predict() and
// evaluate() are in test_evaluate.cpp; convergence in test_xor.cpp; bad
// options in test_bad_input.cpp.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <memory>
#include <numeric>
#include <tuple>
#include <utility>
#include <vector>

#include "block.hpp"  // engine/src: the block kernels, internal to the engine
#include "dagprop/dagprop.hpp"
#include "engine/activation_dag.hpp"
#include "engine/fast_path_checks.hpp"
#include "engine/mixed_net.hpp"
#include "engine/random_dag.hpp"
#include "engine/structured_dag.hpp"
#include "tolerance.hpp"

using namespace dagprop;
using test::all_losses;
using test::check_training;
using test::close;
using test::dag_seed;
using test::make_data;
using test::mixed_topology;
using test::new_activation_dag;
using test::Problem;

namespace {

// A small DAG with skip connections and its data, in double.
struct Small {
  Network<double> net;
  Dataset<double> data;
};

Small small_problem(std::size_t rows) {
  const auto d = test::random_dag(11, Loss::sse);
  Small s{compile<double>(d.topology), {}};
  s.data = make_data<double>(rows, s.net.num_inputs(), s.net.num_outputs(), false, 99);
  return s;
}

TrainOptions options(std::size_t epochs, std::size_t batch, double lr) {
  TrainOptions o;
  o.epochs = epochs;
  o.batch_size = batch;
  o.learning_rate = lr;
  o.chunk_size = 3;
  o.threads = 2;
  return o;
}

// The memo's loop: per epoch, the rows in `order(epoch)` in batches of B, train_nn each.
template <class Order>
std::vector<double> memo_training(Network<double>& net, const Dataset<double>& data,
                                  std::size_t epochs, std::size_t B, double lr, Order order) {
  std::vector<double> epoch_loss;
  for (std::size_t e = 0; e < epochs; ++e) {
    const std::vector<std::size_t> rows = order(e);
    double E = 0;
    for (std::size_t first = 0; first < rows.size(); first += B)
      E += train_nn(net, data.inputs.data(), data.targets.data(), rows.data() + first,
                    std::min(B, rows.size() - first), Loss::sse, lr);
    epoch_loss.push_back(E / static_cast<double>(rows.size()));
  }
  return epoch_loss;
}

void check_params_close(const Network<double>& a, const Network<double>& b, double tol) {
  REQUIRE(a.params().size() == b.params().size());
  for (std::size_t k = 0; k < a.params().size(); ++k) {
    INFO("parameter " << k);
    CHECK(a.params()[k] == Approx(b.params()[k]).margin(tol).epsilon(0));
  }
}

}  // namespace

TEST_CASE("training is bit-identical on 1, 2, 3 and 8 threads", "[trainer][parallel]") {
  const auto t = mixed_topology();
  const auto data = make_data<float>(300, 6, 3, true, 3);
  const Network<float> start = compile<float>(t);
  bool dense = false, sparse = false;
  for (const Group& g : start.groups()) (g.dense ? dense : sparse) = true;
  REQUIRE(dense);  // both kernels take part
  REQUIRE(sparse);

  std::vector<float> reference;
  std::vector<double> reference_loss;
  for (std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{8}}) {
    INFO(threads << " threads");
    Network<float> net = start;
    TrainOptions o;
    o.epochs = 3;
    o.batch_size = 37;
    o.chunk_size = 8;
    o.learning_rate = 0.005;
    o.loss = Loss::softmax_ce;
    o.seed = 17;
    o.threads = threads;
    Trainer<float> trainer(net, o);
    const auto reports = trainer.fit(data);
    REQUIRE(reports.size() == 3);
    std::vector<double> losses;
    for (const auto& r : reports) {
      losses.push_back(r.loss);
      CHECK(r.runs == 300);
    }
    CHECK(losses[2] < losses[0]);  // it trained
    if (reference.empty()) {
      reference = net.params();
      reference_loss = losses;
      CHECK(reference != start.params());
      continue;
    }
    REQUIRE(net.params().size() == reference.size());
    CHECK(std::memcmp(net.params().data(), reference.data(), reference.size() * sizeof(float)) ==
          0);
    CHECK(losses == reference_loss);
  }
}

// An optimizer that keeps the reduced gradient it is given and changes nothing.
class KeepGradient : public Optimizer<float> {
 public:
  KeepGradient() : Optimizer<float>(1.0) {}
  std::string name() const override { return "keep"; }
  void begin_step(std::size_t num_params) override { g.assign(num_params, 0.0f); }
  void update(float*, const float* grad, std::size_t begin, std::size_t end) override {
    std::copy(grad + begin, grad + end, g.begin() + static_cast<std::ptrdiff_t>(begin));
  }
  std::vector<float> g;
};

// One batch an epoch: the first epoch's runs all see the starting network,
// so its loss and accuracy are evaluate()'s on it, however the batch is cut
// into chunks (of 5, 16 or 32 runs, the last one short) and shared among
// threads: each run is counted once, in its own chunk.
TEST_CASE("the first epoch's loss and accuracy are the starting network's, in any chunks",
          "[trainer]") {
  for (Loss loss : {Loss::softmax_ce, Loss::bce}) {
    const auto d = test::structured_dag(dag_seed(14, loss), loss);  // few outputs: some runs right
    const Network<float> start = compile<double>(d.topology).cast<float>();
    const auto data = convert<float>(
        test::random_rows<double>(9, 70, start.num_inputs(), start.num_outputs(), loss));
    const Evaluation e = evaluate(start, data, loss, 1);
    REQUIRE(e.accuracy > 0.05);  // enough right answers that a miscount shows
    REQUIRE(e.accuracy < 0.95);
    for (std::size_t chunk : {std::size_t{5}, std::size_t{16}, std::size_t{32}})
      for (std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
        INFO(to_string(loss) << ", chunks of " << chunk << ", " << threads << " threads");
        Network<float> net = start;
        TrainOptions o;
        o.epochs = 1;
        o.batch_size = 70;
        o.chunk_size = chunk;
        o.learning_rate = 0.01;
        o.loss = loss;
        o.threads = threads;
        const auto reports = Trainer<float>(net, o).fit(data);
        REQUIRE(reports.size() == 1);
        CHECK(reports[0].accuracy == e.accuracy);
        CHECK(close(reports[0].loss, e.loss, 1e-6, 0.0));
      }
  }
}

TEST_CASE("a batch of more chunks than buffers sums them in chunk order, bit for bit",
          "[trainer][parallel]") {
  // 150 runs in chunks of 1 and of 2 (150 and 75 chunks, more than the 64
  // buffers a Trainer holds: it runs them in waves), and of 150. Expected: each
  // chunk's gradient by the block kernels, added one after another in chunk
  // order (g_0 + g_1 + ...) -- bit for bit the gradient the optimizer is given,
  // on 1 and 2 threads.
  const auto t = mixed_topology();
  const auto data = make_data<float>(150, 6, 3, true, 5);
  Network<float> net = compile<float>(t);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{150}}) {
    Gradient<float> sum(net), g(net);
    Workspace<float> ws(net, chunk);
    BackwardOptions bo;
    bo.loss = Loss::softmax_ce;
    bo.fresh_gradient = true;
    std::vector<std::size_t> rows(150);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    for (std::size_t q = 0; q * chunk < 150; ++q) {
      const Block<float> block{data.inputs.data(), data.targets.data(), rows.data() + q * chunk,
                               chunk, nullptr};
      back_propagate(net, block, bo, ws, q == 0 ? sum : g);
      if (q > 0)
        for (std::size_t k = 0; k < sum.size(); ++k) sum.g[k] += g.g[k];
    }
    for (std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
      INFO("chunk " << chunk << ", " << threads << " threads");
      TrainOptions o;
      o.epochs = 1;
      o.batch_size = 150;
      o.chunk_size = chunk;
      o.loss = Loss::softmax_ce;
      o.shuffle = false;
      o.threads = threads;
      auto keep = std::make_unique<KeepGradient>();
      const KeepGradient& kept = *keep;
      Trainer<float> trainer(net, o, std::move(keep));  // owns the optimizer
      trainer.fit(data);
      REQUIRE(kept.g.size() == sum.size());
      CHECK(std::memcmp(kept.g.data(), sum.g.data(), sum.size() * sizeof(float)) == 0);
    }
  }
}

TEST_CASE("mean reduction equals sum reduction with lr / batch", "[trainer]") {
  const auto t = mixed_topology();
  const auto data = make_data<float>(20, 6, 3, true, 4);
  Network<float> a = compile<float>(t), b = a;
  TrainOptions o;
  o.epochs = 1;
  o.batch_size = 20;  // one full batch
  o.chunk_size = 8;
  o.loss = Loss::softmax_ce;
  o.learning_rate = 0.5;
  o.reduction = Reduction::mean;
  Trainer<float>(a, o).fit(data);
  o.reduction = Reduction::sum;
  o.learning_rate = 0.5 / 20;
  Trainer<float>(b, o).fit(data);
  const Network<float> start = compile<float>(t);
  float moved = 0;
  for (std::size_t k = 0; k < a.params().size(); ++k) {
    INFO("parameter " << k);
    CHECK(a.params()[k] == Approx(b.params()[k]).margin(1e-6).epsilon(1e-5));
    moved = std::max(moved, std::abs(a.params()[k] - start.params()[k]));
  }
  CHECK(moved > 1e-3f);
}

TEST_CASE("the last partial batch is trained", "[trainer]") {
  Small s = small_problem(10);
  Network<double> memo = s.net;
  auto o = options(1, 4, 0.05);
  o.shuffle = false;
  Trainer<double> trainer(s.net, o);
  std::vector<BatchReport> batches;
  trainer.on_batch([&](const BatchReport& b) { batches.push_back(b); });
  const auto reports = trainer.fit(s.data);
  REQUIRE(batches.size() == 3);
  CHECK(batches[0].runs == 4);
  CHECK(batches[1].runs == 4);
  CHECK(batches[2].runs == 2);
  for (std::size_t q = 0; q < 3; ++q) {
    CHECK(batches[q].batch == q);
    CHECK(batches[q].batches == 3);
    CHECK(batches[q].epoch == 1);
  }
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].runs == 10);
  // The memo's loop over the same three batches, the last of two rows.
  memo_training(memo, s.data, 1, 4, 0.05, [](std::size_t) {
    std::vector<std::size_t> r(10);
    std::iota(r.begin(), r.end(), std::size_t{0});
    return r;
  });
  check_params_close(s.net, memo, 1e-12);
  // Without the last batch the result would differ.
  Network<double> two = small_problem(10).net;
  const std::vector<std::size_t> rows = {0, 1, 2, 3, 4, 5, 6, 7};
  train_nn(two, s.data.inputs.data(), s.data.targets.data(), rows.data(), 4, Loss::sse, 0.05);
  train_nn(two, s.data.inputs.data(), s.data.targets.data(), rows.data() + 4, 4, Loss::sse, 0.05);
  CHECK(two.params() != s.net.params());
}

TEST_CASE("on_epoch returning false stops training after that epoch", "[trainer]") {
  Small s = small_problem(12);
  Trainer<double> trainer(s.net, options(10, 5, 0.01));
  std::size_t calls = 0;
  const auto reports = trainer.fit(s.data, nullptr, [&](const EpochReport& r) {
    ++calls;
    CHECK(r.epoch == calls);
    return r.epoch < 2;
  });
  CHECK(calls == 2);
  REQUIRE(reports.size() == 2);
  CHECK(reports[1].epoch == 2);
  CHECK(trainer.state().epoch == 2);
  CHECK(trainer.state().batch == 0);
}

TEST_CASE("shuffle=false trains exactly as the memo's loop over rows in order", "[trainer]") {
  Small s = small_problem(23);
  Network<double> memo = s.net;
  auto o = options(3, 5, 0.03);
  o.shuffle = false;
  Trainer<double> trainer(s.net, o);
  const auto reports = trainer.fit(s.data);
  const auto memo_loss = memo_training(memo, s.data, 3, 5, 0.03, [](std::size_t) {
    std::vector<std::size_t> r(23);
    std::iota(r.begin(), r.end(), std::size_t{0});
    return r;
  });
  check_params_close(s.net, memo, 1e-12);
  REQUIRE(reports.size() == 3);
  for (std::size_t e = 0; e < 3; ++e)
    CHECK(reports[e].loss == Approx(memo_loss[e]).margin(1e-12).epsilon(0));
  CHECK(memo_loss[2] < memo_loss[0]);
}

TEST_CASE("shuffle=true visits each epoch's rows in the seeded order", "[trainer]") {
  Small s = small_problem(23);
  Network<double> memo = s.net;
  auto o = options(2, 5, 0.03);
  o.seed = 1234;
  Trainer<double> trainer(s.net, o);
  trainer.fit(s.data);
  // The generator starts at the seed and continues from epoch to epoch.
  SplitMix64 rng(1234);
  memo_training(memo, s.data, 2, 5, 0.03, [&](std::size_t) {
    std::vector<std::size_t> r(23);
    std::iota(r.begin(), r.end(), std::size_t{0});
    shuffle(r, rng);
    return r;
  });
  check_params_close(s.net, memo, 1e-12);
  // And the order is not the identity.
  Network<double> in_order = small_problem(23).net;
  auto o2 = o;
  o2.shuffle = false;
  Trainer<double>(in_order, o2).fit(s.data);
  CHECK(in_order.params() != s.net.params());
}

TEST_CASE("SplitMix64::below is the rejection rule without modulo bias, refusals included",
          "[trainer]") {
  // The rule written out: draw r until r < 2^64 - 1 - (2^64 - 1) mod n, take r mod n.
  const auto reference = [](SplitMix64& g, std::uint64_t n) {
    const std::uint64_t top = ~std::uint64_t{0}, limit = top - top % n;
    std::uint64_t r = g.next();
    while (r >= limit) r = g.next();
    return r % n;
  };
  // Near 2^63 + 1 about half of all draws are refused; 3 * 2^62 + 1 a quarter.
  const std::uint64_t wide[] = {1,
                                2,
                                3,
                                (std::uint64_t{1} << 63) + 1,
                                (std::uint64_t{3} << 62) + 1,
                                ~std::uint64_t{0},
                                ~std::uint64_t{0} - 1};
  SplitMix64 a(7), b(7), pick(99);
  std::size_t refusals = 0;
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t n = i % 4 == 0 ? wide[pick.below(7)] : (pick.next() >> pick.below(64)) + 1;
    const std::uint64_t before = a.state();
    const std::uint64_t want = reference(a, n), got = b.below(n);
    REQUIRE(got == want);
    REQUIRE(b.state() == a.state());
    if (a.state() != before + 0x9E3779B97F4A7C15ull) ++refusals;  // drew more than once
  }
  CHECK(refusals > 5000);  // the refusing branch ran, often
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

// Chunks of 5 and of 16 (one vector of floats, two of doubles), in batches of
// 41 and 90 runs that end in a short chunk.
TEST_CASE("structured DAGs: training is bit-identical on 1, 2, 3 and 8 threads",
          "[block][stress][parallel]") {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const Loss loss = all_losses[seed % 3];
    const std::size_t chunk = seed % 2 ? 5 : 16, batch = seed % 4 == 0 ? 41 : 90;
    INFO("loss " << to_string(loss) << ", seed " << seed << ", batch " << batch << ", chunk "
                 << chunk);
    const auto d = test::structured_dag(dag_seed(seed + 100, loss), loss);
    const auto net = compile<double>(d.topology);
    const auto data =
        test::random_rows<double>(seed, 90, net.num_inputs(), net.num_outputs(), loss);
    auto run = [&](auto zero, std::size_t threads, bool input_gradient) {
      using T = decltype(zero);
      Network<T> n = net.cast<T>();
      TrainOptions o;
      o.epochs = 2;
      o.batch_size = batch;
      o.chunk_size = chunk;
      o.learning_rate = 0.002;
      o.loss = loss;
      o.seed = seed;
      o.threads = threads;
      o.input_gradient = input_gradient;
      const auto reports = Trainer<T>(n, o).fit(convert<T>(data));
      REQUIRE(reports.size() == 2);
      return std::make_tuple(n.params(), reports[1].loss, reports[1].accuracy);
    };
    const auto f1 = run(0.0f, 1, false);
    const auto d1 = run(0.0, 1, false);
    CHECK(std::get<0>(f1) != net.cast<float>().params());
    const auto same = [](const auto& a, const auto& b) {
      const auto &pa = std::get<0>(a), &pb = std::get<0>(b);
      CHECK(std::memcmp(pa.data(), pb.data(), pa.size() * sizeof(pa[0])) == 0);
      CHECK(std::get<1>(a) == std::get<1>(b));
      CHECK((std::get<2>(a) == std::get<2>(b) ||
             (std::isnan(std::get<2>(a)) && std::isnan(std::get<2>(b)))));
    };
    for (std::size_t threads : {std::size_t{2}, std::size_t{3}, std::size_t{8}}) {
      INFO(threads << " threads");
      same(run(0.0f, threads, threads == 3), f1);
      same(run(0.0, threads, threads == 8), d1);
    }
  }
}

TEST_CASE("a DAG of the new activations trains as the memo's train_nn, in double and in float",
          "[activation][trainer]") {
  const std::size_t rows = 40, batch = 8, epochs = 4;
  const double lr = 0.02;
  const Problem p = new_activation_dag(Loss::sse, 3, rows);
  const Network<double> start = compile<double>(p.topology);
  // The memo: train_nn on the batches of 8 rows in order, per epoch.
  Network<double> memo = start;
  std::vector<std::size_t> order(rows);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<double> memo_loss;
  for (std::size_t e = 0; e < epochs; ++e) {
    double E = 0;
    for (std::size_t first = 0; first < rows; first += batch)
      E += train_nn(memo, p.inputs.data(), p.targets.data(), order.data() + first, batch, Loss::sse,
                    lr);
    memo_loss.push_back(E / static_cast<double>(rows));
  }
  CHECK(memo_loss.back() < memo_loss.front());
  double moved = 0;
  for (std::size_t k = 0; k < start.params().size(); ++k)
    moved = std::max(moved, std::abs(memo.params()[k] - start.params()[k]));
  CHECK(moved > 0.05);  // far more than the float tolerance below

  TrainOptions o;
  o.epochs = epochs;
  o.batch_size = batch;
  o.learning_rate = lr;
  o.loss = Loss::sse;
  o.shuffle = false;
  o.chunk_size = 3;
  o.threads = 2;
  SECTION("Trainer<double>: the same to rounding") {
    Dataset<double> data{3, 2, p.inputs, p.targets};
    Network<double> net = start;
    const auto reports = Trainer<double>(net, o).fit(data);
    REQUIRE(reports.size() == epochs);
    for (std::size_t e = 0; e < epochs; ++e)
      CHECK(reports[e].loss == Approx(memo_loss[e]).margin(1e-12).epsilon(0));
    for (std::size_t k = 0; k < net.params().size(); ++k) {
      INFO("parameter " << k);
      CHECK(net.params()[k] == Approx(memo.params()[k]).margin(1e-12).epsilon(0));
    }
  }
  SECTION("Trainer<float>: the same to float rounding") {
    Dataset<float> data{3, 2, {}, {}};
    for (double v : p.inputs) data.inputs.push_back(static_cast<float>(v));
    for (double v : p.targets) data.targets.push_back(static_cast<float>(v));
    Network<float> net = compile<float>(p.topology);
    const auto reports = Trainer<float>(net, o).fit(data);
    REQUIRE(reports.size() == epochs);
    for (std::size_t e = 0; e < epochs; ++e)
      CHECK(reports[e].loss == Approx(memo_loss[e]).margin(1e-5).epsilon(1e-5));
    for (std::size_t k = 0; k < net.params().size(); ++k) {
      INFO("parameter " << k);
      CHECK(static_cast<double>(net.params()[k]) ==
            Approx(memo.params()[k]).margin(1e-5).epsilon(0));
    }
  }
}
