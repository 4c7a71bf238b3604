// Training that diverges stops with numeric_error naming epoch, batch and unit
// and leaves the weights of the last good batch; gradient clipping (by global
// norm and by value, regularize.hpp) checked by hand and inside the trainer.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include <tbb/info.h>
#include <tbb/task_arena.h>

#include "dagprop/dagprop.hpp"
#include "dagprop/regularize.hpp"

using namespace dagprop;

namespace {

Dataset<double> regression_data() {
  Dataset<double> d;
  d.num_inputs = 2, d.num_targets = 1;
  SplitMix64 rng(21);
  for (std::size_t r = 0; r < 20; ++r) {
    const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
    d.inputs.push_back(a), d.inputs.push_back(b), d.targets.push_back(2 * a - b);
  }
  return d;
}

Network<double> linear_net() {
  Topology t = make_mlp({2, 3, 1}, Activation::identity, Activation::identity);
  initialize(t, InitScheme::glorot_uniform, 5);
  return compile<double>(t);
}

// x -> o (identity), w = 1, b = 0, in float: units u0 and u1.
Network<float> one_weight_net() {
  Topology t;
  const UnitId x = t.add_input("x");
  const UnitId o = t.add_output(Activation::identity, "o");
  t.connect(x, o, 1.0);
  return compile<float>(t);
}

}  // namespace

TEST_CASE("learning rate 1e6 diverges with a message and the last good weights", "[divergence]") {
  Network<double> net = linear_net();
  TrainOptions o;
  o.epochs = 1000, o.batch_size = 5, o.learning_rate = 1e6, o.threads = 2;
  Trainer<double> trainer(net, o);
  std::vector<double> last_good = net.params();
  std::size_t good_batches = 0;
  trainer.on_batch([&](const BatchReport&) {
    last_good = net.params();
    ++good_batches;
  });
  std::string message;
  try {
    trainer.fit(regression_data());
  } catch (const numeric_error& e) {
    message = e.what();
  }
  INFO(message);
  REQUIRE(!message.empty());
  CHECK(good_batches > 0);
  CHECK(message.find("epoch ") != std::string::npos);
  CHECK(message.find("batch ") != std::string::npos);
  CHECK(message.find("the loss overflowed on row ") !=
        std::string::npos);  // y finite, (y - t)² not
  CHECK(net.params() == last_good);
  // The state still points at the failed batch: training did not move on.
  CHECK(trainer.state().epoch * 4 + trainer.state().batch == good_batches);
  // The epoch, the batch and the rate in one parenthesis, then what went wrong.
  const std::string head = "training diverged at epoch " + std::to_string(good_batches / 4 + 1) +
                           ", batch " + std::to_string(good_batches % 4 + 1) +
                           " of 4 (learning rate 1e+06): the ";
  CHECK(message.rfind(head, 0) == 0);
  CHECK(message.find("))") == std::string::npos);
}

TEST_CASE("an overflowing gradient with a finite loss is caught", "[divergence]") {
  // float: y = 1e30 gives E = 5e59 (finite, E is summed in double) but
  // Δw = p·y = 1e60 overflows.
  Network<float> net = one_weight_net();
  Dataset<float> d;
  d.num_inputs = 1, d.num_targets = 1;
  d.inputs = {1e30f, 0.5f};
  d.targets = {0.0f, 0.0f};
  TrainOptions opt;
  opt.epochs = 1, opt.batch_size = 2, opt.threads = 1;
  const std::vector<float> before = net.params();
  Trainer<float> trainer(net, opt);
  CHECK_THROWS_MATCHES(trainer.fit(d), numeric_error,
                       Catch::Matchers::Predicate<numeric_error>([](const numeric_error& e) {
                         const std::string m = e.what();
                         return m.find("the gradient is not finite") != std::string::npos &&
                                m.find("epoch 1, batch 1") != std::string::npos;
                       }));
  CHECK(net.params() == before);
}

TEST_CASE("gradient clipping by hand", "[divergence][clip]") {
  std::vector<double> g = {3, 0, -4};
  CHECK(global_norm(g.data(), 3) == 5);
  CHECK(clip_by_norm(g.data(), 3, 10.0) == 5);  // under the limit: unchanged
  CHECK(g == std::vector<double>{3, 0, -4});
  CHECK(clip_by_norm(g.data(), 3, 1.0) == 5);
  CHECK(g[0] == Approx(0.6).epsilon(1e-15));
  CHECK(g[1] == 0);
  CHECK(g[2] == Approx(-0.8).epsilon(1e-15));
  std::vector<float> v = {-2.0f, 0.3f, 1.0f, 0.5f};
  CHECK(clip_by_value(v.data(), 4, 0.5) == 2);
  CHECK(v == std::vector<float>{-0.5f, 0.3f, 0.5f, 0.5f});
  CHECK_THROWS_AS(clip_by_norm(g.data(), 3, 0.0), invalid_argument);
  CHECK_THROWS_AS(clip_by_value(g.data(), 3, -1.0), invalid_argument);
}

TEST_CASE("the global norm does not depend on the thread count", "[divergence][clip][parallel]") {
  std::vector<float> g(100003);
  SplitMix64 rng(1);
  for (float& x : g) x = static_cast<float>(rng.normal());
  double naive = 0;
  for (float x : g) naive += static_cast<double>(x) * static_cast<double>(x);
  double one = 0, many = 0;
  tbb::task_arena(1).execute([&] { one = global_norm(g.data(), g.size()); });
  const int cores = tbb::info::default_concurrency();  // more would make oneTBB warn
  tbb::task_arena(std::max(cores, 2)).execute([&] { many = global_norm(g.data(), g.size()); });
  CHECK(one == many);
  CHECK(one == Approx(std::sqrt(naive)).epsilon(1e-13));
}

TEST_CASE("the trainer clips the summed gradient before the update", "[divergence][clip]") {
  const Dataset<double> data = regression_data();
  std::vector<std::size_t> rows(data.size());
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  const Network<double> start = linear_net();
  // The summed gradient of the whole set, run by run with the memo.
  Gradient<double> grad(start);
  Run<double> run(start);
  for (std::size_t r : rows)
    back_propagate(start, data.input(r), data.target(r), Loss::sse, run, grad);
  double norm = 0;
  for (double x : grad.g) norm += x * x;
  norm = std::sqrt(norm);
  REQUIRE(norm > 1);
  TrainOptions o;
  o.epochs = 1, o.batch_size = data.size(), o.chunk_size = 6, o.shuffle = false;
  o.learning_rate = 0.1, o.threads = 2;
  SECTION("by norm") {
    Network<double> net = start;
    o.clip_norm = 0.5;
    Trainer<double>(net, o).fit(data);
    for (std::size_t k = 0; k < net.params().size(); ++k)
      CHECK(net.params()[k] ==
            Approx(start.params()[k] - 0.1 * grad.g[k] * 0.5 / norm).epsilon(1e-12).margin(1e-14));
  }
  SECTION("by value") {
    Network<double> net = start;
    o.clip_value = 0.25;
    Trainer<double>(net, o).fit(data);
    std::size_t clipped = 0;
    for (std::size_t k = 0; k < net.params().size(); ++k) {
      const double c = std::min(std::max(grad.g[k], -0.25), 0.25);
      clipped += c != grad.g[k];
      CHECK(net.params()[k] == Approx(start.params()[k] - 0.1 * c).epsilon(1e-12).margin(1e-14));
    }
    CHECK(clipped > 0);
  }
  SECTION("options out of range") {
    o.clip_norm = -1;
    CHECK_THROWS_AS(o.check(), invalid_argument);
    o.clip_norm = 0, o.clip_value = std::nan("");
    CHECK_THROWS_AS(o.check(), invalid_argument);
  }
}

TEST_CASE("an update that overflows a weight is caught after it, naming the weight",
          "[divergence]") {
  // x = 2, target 0, w = 1, b = 0, SSE: y = 2, p = 2, Δw = p x = 4, Δb = 2.
  // With η = 1e38 in float: w = 1 - 4e38 overflows to -inf; b = -2e38 is finite.
  Network<float> net = one_weight_net();
  Dataset<float> d;
  d.num_inputs = 1, d.num_targets = 1;
  d.inputs = {2.0f};
  d.targets = {0.0f};
  TrainOptions opt;
  opt.epochs = 1, opt.batch_size = 1, opt.threads = 1, opt.learning_rate = 1e38;
  Trainer<float> trainer(net, opt);
  CHECK_THROWS_MATCHES(trainer.fit(d), numeric_error,
                       Catch::Matchers::Predicate<numeric_error>([](const numeric_error& e) {
                         const std::string m = e.what();
                         return m.find("epoch 1, batch 1 of 1") != std::string::npos &&
                                m.find("the weight 'x' -> 'o' non-finite") != std::string::npos &&
                                m.find("learning rate 1e+38") != std::string::npos;
                       }));
  CHECK(std::isinf(net.weight(0, 1)));
  CHECK(net.bias(1) == Approx(-2e38f).epsilon(1e-6));
}
