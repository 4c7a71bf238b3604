// Trainer, evaluate() and predict(): bit-identical results on 1, 2, 3 and 8
// threads, mean vs sum reduction, the last partial batch, early stopping,
// equality with the memo's train_nn loop, and inference against memo.hpp.
// Convergence is in test_xor.cpp; bad options in test_bad_input.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

#include "block.hpp"  // engine/src: the block kernels, internal to the engine
#include "dagprop/dagprop.hpp"
#include "engine/random_dag.hpp"

using namespace dagprop;

namespace {

// A layered net (dense groups) with extra skip connections (sparse units),
// initialised after the skips are added.
Topology mixed_topology() {
  // inputs 0..5, layer 1: 6..85, layer 2: 86..125, outputs 126..128
  Topology t = make_mlp({6, 80, 40, 3}, Activation::tanh, Activation::identity);
  t.connect(0, 127);   // input -> output
  t.connect(10, 126);  // layer 1 -> output, across a level
  t.connect(2, 100);   // input -> layer 2
  initialize(t, InitScheme::he_uniform, 5);
  return t;
}

template <class T>
Dataset<T> make_data(std::size_t rows, std::size_t n_in, std::size_t n_out, bool one_hot,
                     std::uint64_t seed) {
  SplitMix64 rng(seed);
  Dataset<T> d;
  d.num_inputs = n_in;
  d.num_targets = n_out;
  for (std::size_t r = 0; r < rows * n_in; ++r)
    d.inputs.push_back(static_cast<T>(rng.uniform(-1, 1)));
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t hot = rng.below(n_out);
    for (std::size_t k = 0; k < n_out; ++k)
      d.targets.push_back(one_hot ? T(k == hot ? 1 : 0) : static_cast<T>(rng.uniform(-1, 1)));
  }
  return d;
}

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

TEST_CASE("evaluate() loss is the mean of the memo's losses", "[evaluate]") {
  for (Loss loss : {Loss::sse, Loss::softmax_ce, Loss::bce}) {
    INFO(to_string(loss));
    const auto d = test::random_dag(21, loss);
    const auto net = compile<double>(d.topology);
    const auto data =
        make_data<double>(150, net.num_inputs(), net.num_outputs(), loss != Loss::sse, 5);
    Run<double> run(net);
    Gradient<double> grad(net);
    double sum = 0;
    for (std::size_t r = 0; r < data.size(); ++r)
      sum += back_propagate(net, data.input(r), data.target(r), loss, run, grad);
    for (std::size_t threads : {std::size_t{1}, std::size_t{3}}) {
      const Evaluation ev = evaluate(net, data, loss, threads);
      CHECK(ev.runs == 150);
      CHECK(ev.loss == Approx(sum / 150).margin(1e-12).epsilon(1e-12));
      if (loss == Loss::sse) CHECK(std::isnan(ev.accuracy));
    }
  }
}

TEST_CASE("evaluate() accuracy for softmax-ce on a hand-made case", "[evaluate]") {
  // Two identity outputs equal to the two inputs: the logits are the inputs.
  Topology t;
  const UnitId a = t.add_input("a"), b = t.add_input("b");
  const UnitId o0 = t.add_output(Activation::identity, "o0");
  const UnitId o1 = t.add_output(Activation::identity, "o1");
  t.connect(a, o0, 1.0);
  t.connect(b, o1, 1.0);
  const auto net = compile<double>(t);
  Dataset<double> data;
  data.num_inputs = data.num_targets = 2;
  data.inputs = {1, 0, /**/ 0, 1, /**/ 0.2, 0.9, /**/ 3, -1, /**/ -1, 2};
  data.targets = {1, 0, /**/ 1, 0, /**/ 0, 1, /**/ 0, 1, /**/ 0, 1};
  // right, wrong, right, wrong, right: 3 of 5.
  const Evaluation ev = evaluate(net, data, Loss::softmax_ce, 1);
  CHECK(ev.accuracy == Approx(0.6).margin(1e-15));
  // E = log(e^y0 + e^y1) - y_target per run.
  const auto lse = [](double u, double v) { return std::log(std::exp(u) + std::exp(v)); };
  const double E = (lse(1, 0) - 1) + (lse(0, 1) - 0) + (lse(0.2, 0.9) - 0.9) + (lse(3, -1) - (-1)) +
                   (lse(-1, 2) - 2);
  CHECK(ev.loss == Approx(E / 5).margin(1e-14).epsilon(0));
}

TEST_CASE("predict() equals the memo's propagate", "[evaluate]") {
  const auto d = test::random_dag(31, Loss::sse);
  const auto net = compile<double>(d.topology);
  const auto data = make_data<double>(150, net.num_inputs(), net.num_outputs(), false, 8);
  const std::size_t K = net.num_outputs();
  REQUIRE(K >= 1);
  Run<double> run(net);
  for (std::size_t threads : {std::size_t{1}, std::size_t{4}}) {
    const auto out = predict(net, data.inputs.data(), data.size(), threads);
    REQUIRE(out.size() == 150 * K);
    for (std::size_t r = 0; r < data.size(); ++r) {
      propagate(net, data.input(r), run);
      for (std::size_t k = 0; k < K; ++k)
        CHECK(out[r * K + k] == Approx(run.y[net.output(k)]).margin(1e-12).epsilon(0));
    }
  }
  // In float, the MLP with dense groups, to float tolerance.
  const auto f = compile<float>(mixed_topology());
  const auto fd = make_data<float>(70, 6, 3, true, 9);
  const auto out = predict(f, fd.inputs.data(), fd.size(), 2);
  Run<float> fr(f);
  for (std::size_t r = 0; r < fd.size(); ++r) {
    propagate(f, fd.input(r), fr);
    for (std::size_t k = 0; k < 3; ++k)
      CHECK(out[r * 3 + k] == Approx(fr.y[f.output(k)]).margin(1e-5).epsilon(1e-5));
  }
  CHECK(predict(f, fd.inputs.data(), 0).empty());
}
