// iRPROP- (optimizer.hpp, IRpropMinus) against the paper's algorithm run by
// tests/engine/reference/irprop_reference.py (NumPy; PyTorch's Rprop agrees),
// full batch and mini-batches, with sign flips and Δ at Δmax and Δmin; its
// checks; state() -> set_state() resuming bit-identically; thread counts.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/optimizer.hpp"
#include "engine/irprop_case.hpp"
#include "engine/random_dag.hpp"

using namespace dagprop;

namespace {

using test::irprop_data;
using test::irprop_options;

// 12 updates: 12 epochs of one batch of 6, or 4 epochs of 3 batches of 2.
TrainOptions script_training(std::size_t batch) {
  TrainOptions o;
  o.batch_size = batch, o.epochs = 12 * batch / 6, o.chunk_size = 2, o.shuffle = false;
  o.threads = 2;
  return o;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

}  // namespace

TEST_CASE("irprop- takes the paper's twelve steps on a small DAG", "[optimizer][irprop]") {
  const Dataset<double> data = irprop_data<double>();
  for (const auto& [batch, want] : test::irprop_reference) {
    INFO("batches of " << batch);
    Network<double> net = compile<double>(test::irprop_topology());
    const std::vector<std::size_t> order = test::irprop_order(net);
    const std::vector<double> before = net.params();
    Trainer<double> trainer(net, script_training(batch), make_optimizer<double>(irprop_options()));
    CHECK(trainer.optimizer().name() == "irprop-");
    CHECK_FALSE(trainer.optimizer().has_learning_rate());
    trainer.fit(data);
    const OptimizerState<double> st = trainer.optimizer().state();
    REQUIRE(st.buffers.size() == 2);
    REQUIRE(st.buffers[0].size() == net.params().size());
    CHECK(st.scalars.back() == 12);  // updates
    const std::vector<double>* got[] = {&net.params(), &st.buffers[0], &st.buffers[1]};
    for (std::size_t q = 0; q < 3; ++q)
      for (std::size_t k = 0; k < order.size(); ++k) {
        INFO((q == 0 ? "θ" : q == 1 ? "Δ" : "g'") << " of parameter " << k);
        CHECK(std::abs((*got[q])[order[k]] - want[q][k]) <= 1e-12);
      }
    // The input units' biases have no gradient: never moved, Δ still Δ0.
    for (UnitId i = 0; i < net.num_inputs(); ++i) {
      const std::size_t k = net.num_connections() + i;
      CHECK(net.params()[k] == before[k]);
      CHECK(st.buffers[0][k] == 0.1);
      CHECK(st.buffers[1][k] == 0);
    }
  }
}

TEST_CASE("irprop- in float follows the double reference", "[optimizer][irprop]") {
  // The same full-batch case in float: the signs decide, so θ stays within
  // float rounding of the double steps.
  Network<float> net = compile<float>(test::irprop_topology());
  Trainer<float> trainer(net, script_training(6), make_optimizer<float>(irprop_options()));
  trainer.fit(irprop_data<float>());
  const std::vector<std::size_t> order = test::irprop_order(net);
  const std::vector<double>& want = test::irprop_reference.at(6)[0];
  for (std::size_t k = 0; k < want.size(); ++k) {
    INFO("parameter " << k);
    CHECK(std::abs(static_cast<double>(net.params()[order[k]]) - want[k]) <= 1e-6);
  }
}

TEST_CASE("irprop-: constants and states out of range are refused", "[optimizer][irprop]") {
  const OptimizerOptions o = irprop_options();
  auto bad = [](OptimizerOptions b, const char* what) {
    INFO(what);
    CHECK_THROWS_WITH(make_optimizer<double>(b), Catch::Contains(what));
  };
  OptimizerOptions b = o;
  b.rprop_increase = 1, bad(b, "rprop_increase");
  b = o, b.rprop_increase = std::numeric_limits<double>::infinity(), bad(b, "rprop_increase");
  b = o, b.rprop_decrease = 0, bad(b, "rprop_decrease");
  b = o, b.rprop_decrease = 1, bad(b, "rprop_decrease");
  b = o, b.rprop_decrease = std::nan(""), bad(b, "rprop_decrease");
  b = o, b.rprop_delta_min = -0.1, bad(b, "rprop_delta_min");
  b = o, b.rprop_delta_max = std::numeric_limits<double>::infinity(), bad(b, "rprop_delta_max");
  b = o, b.rprop_delta0 = 0.01, bad(b, "rprop_delta0");  // below Δmin
  b = o, b.rprop_delta0 = 0.2, bad(b, "rprop_delta0");   // above Δmax
  b = o, b.rprop_delta_min = 0, b.rprop_delta0 = 0, bad(b, "rprop_delta0");
  b = o, b.weight_decay = 0.1, bad(b, "weight_decay");
  b = o, b.rprop_delta_max = 1e300;  // finite in double, not in float
  CHECK_NOTHROW(make_optimizer<double>(b));
  CHECK_THROWS_WITH(make_optimizer<float>(b), Catch::Contains("in float"));
  CHECK(std::string(optimizer_names()).find("irprop-") != std::string::npos);

  // A state taken after a step, then damaged.
  Network<double> net = compile<double>(test::irprop_topology());
  Trainer<double> trainer(net, script_training(6), make_optimizer<double>(o));
  trainer.train_batch(irprop_data<double>());
  const OptimizerState<double> good = trainer.optimizer().state();
  auto refused = [&](OptimizerState<double> st, const char* what) {
    INFO(what);
    CHECK_THROWS_WITH(make_optimizer<double>(st), Catch::Contains(what));
    CHECK_THROWS_WITH(trainer.optimizer().set_state(st), Catch::Contains(what));
  };
  OptimizerState<double> st = good;
  st.buffers[0][3] = 0.01, refused(st, "step size 0.01 of parameter 3 is outside");
  st = good, st.buffers[0][4] = 0.2, refused(st, "step size 0.2 of parameter 4");
  st = good, st.buffers[0][0] = std::nan(""), refused(st, "of parameter 0 is outside");
  st = good, st.buffers[1][2] = std::numeric_limits<double>::infinity();
  refused(st, "remembered gradient of parameter 2 is not finite");
  st = good, st.scalars.pop_back(), refused(st, "expected 6 scalars");
  st = good, st.buffers.pop_back(), refused(st, "expected 0 or 2 buffers");
  st = good, st.buffers[1].pop_back(), refused(st, "buffers of different sizes");
  st = good, st.scalars[4] = 0.05, refused(st, "rprop_delta0");  // Δmax below Δ0
  st = good, st.buffers.clear(), refused(st, "step counter 1");
  CHECK_NOTHROW(trainer.optimizer().set_state(good));
  // A state of another network's size is refused at the next step.
  st = good;
  for (auto& buffer : st.buffers) buffer.push_back(0.1);
  trainer.optimizer().set_state(st);
  CHECK_THROWS_WITH(trainer.train_batch(irprop_data<double>()), Catch::Contains("irprop-"));

  // No learning rate: a schedule is refused.
  TrainOptions scheduled = script_training(6);
  scheduled.schedule = parse_schedule("exp:0.9");
  CHECK_THROWS_WITH(Trainer<double>(net, scheduled, make_optimizer<double>(o)),
                    Catch::Contains("irprop- has none"));
  scheduled.schedule = parse_schedule("constant");
  CHECK_NOTHROW(Trainer<double>(net, scheduled, make_optimizer<double>(o)));
}

TEMPLATE_TEST_CASE("irprop-: resumed from its state bit-identically, on any thread count",
                   "[optimizer][irprop][parallel]", float, double) {
  using T = TestType;
  // A random DAG, 40 shuffled runs in batches of 8, dropout on: the state
  // after 2 epochs (and after 1.6) continues to the weights of 5 uninterrupted.
  const Network<T> initial = compile<T>(test::random_dag(5, Loss::sse).topology);
  Dataset<T> data;
  data.num_inputs = initial.num_inputs(), data.num_targets = initial.num_outputs();
  SplitMix64 rng(8);
  for (std::size_t r = 0; r < 40 * data.num_inputs; ++r)
    data.inputs.push_back(static_cast<T>(rng.uniform(-1, 1)));
  for (std::size_t r = 0; r < 40 * data.num_targets; ++r)
    data.targets.push_back(static_cast<T>(rng.uniform(-1, 1)));
  OptimizerOptions o;
  o.name = "irprop-";
  TrainOptions to;
  to.epochs = 5, to.batch_size = 8, to.chunk_size = 3, to.threads = 2, to.dropout = 0.2;

  Network<T> whole = initial;
  Trainer<T> a(whole, to, make_optimizer<T>(o));
  a.fit(data);
  CHECK_FALSE(same_bits(whole.params(), initial.params()));

  for (std::size_t stop : {std::size_t{10}, std::size_t{8}}) {  // batches before the stop
    INFO("stopped after " << stop << " batches");
    Network<T> part = initial;
    Trainer<T> b(part, to, make_optimizer<T>(o));
    for (std::size_t q = 0; q < stop; ++q) b.train_batch(data);
    const OptimizerState<T> saved = b.optimizer().state();
    CHECK(saved.scalars.back() == static_cast<double>(stop));
    for (bool from_state : {false, true}) {
      Network<T> resumed = part;
      Trainer<T> c(resumed, to, from_state ? make_optimizer<T>(saved) : make_optimizer<T>(o));
      if (!from_state) c.optimizer().set_state(saved);
      c.set_state(b.state());
      c.fit(data);
      CHECK(same_bits(resumed.params(), whole.params()));
    }
  }
  for (std::size_t threads : {std::size_t{1}, std::size_t{3}, std::size_t{8}}) {
    INFO(threads << " threads");
    Network<T> net = initial;
    TrainOptions tt = to;
    tt.threads = threads;
    Trainer<T> t(net, tt, make_optimizer<T>(o));
    t.fit(data);
    CHECK(same_bits(net.params(), whole.params()));
  }
}
