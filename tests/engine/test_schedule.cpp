// Learning-rate schedules (schedule.hpp): factors at chosen epochs worked out
// by hand, parse errors, and the Trainer applying a schedule compared with the
// memo's TrainNN run with the scheduled η by hand.
#include <catch2/catch.hpp>
#include <cmath>

#include "dagprop/dagprop.hpp"
#include "dagprop/schedule.hpp"

using namespace dagprop;

TEST_CASE("schedule factors by hand", "[schedule]") {
  CHECK(parse_schedule("").factor(7) == 1);
  CHECK(parse_schedule("constant").factor(0) == 1);

  const Schedule step = parse_schedule("step:10:0.5");
  CHECK(step.factor(0) == 1);
  CHECK(step.factor(9) == 1);
  CHECK(step.factor(10) == 0.5);
  CHECK(step.factor(25) == 0.25);
  CHECK(step.learning_rate(0.2, 30) == Approx(0.025).epsilon(1e-15));

  const Schedule ex = parse_schedule("exp:0.95");
  CHECK(ex.factor(0) == 1);
  CHECK(ex.factor(1) == Approx(0.95).epsilon(1e-15));
  CHECK(ex.factor(2) == Approx(0.9025).epsilon(1e-15));

  // warm-up 2 of 10 epochs: 1/2, 1, then cosine over 8 epochs.
  const Schedule cos = parse_schedule("cosine:warmup=2:epochs=10");
  CHECK(cos.factor(0) == Approx(0.5).epsilon(1e-15));
  CHECK(cos.factor(1) == Approx(1.0).epsilon(1e-15));
  CHECK(cos.factor(2) == Approx(1.0).epsilon(1e-15));
  CHECK(cos.factor(4) == Approx((1 + std::sqrt(0.5)) / 2).epsilon(1e-14));  // cos(π/4)
  CHECK(cos.factor(6) == Approx(0.5).epsilon(1e-14));                       // cos(π/2)
  CHECK(cos.factor(9) == Approx(0.038060233744356621).epsilon(1e-12));      // (1+cos(7π/8))/2
  CHECK(cos.factor(50) == cos.factor(9));                                   // held past the end
  const Schedule floor = parse_schedule("cosine:epochs=4:min=0.1");
  CHECK(floor.factor(0) == Approx(1.0));
  CHECK(floor.factor(2) == Approx(0.1 + 0.9 * 0.5).epsilon(1e-14));  // cos(π/2)
  // The spec round-trips through to_string.
  for (const char* spec : {"step:3:0.25", "exp:0.9", "cosine:warmup=1:epochs=5:min=0.2"}) {
    const Schedule s = parse_schedule(spec);
    const Schedule back = parse_schedule(s.to_string());
    for (std::size_t e = 0; e < 8; ++e) CHECK(back.factor(e) == s.factor(e));
  }
}

TEST_CASE("schedule specs that do not parse", "[schedule]") {
  for (const char* bad : {"step", "step:0:0.5", "step:2", "step:2:x", "step:2:0", "step:-1:0.5",
                          "exp", "exp:", "exp:-0.5", "exp:inf", "cosine", "cosine:warmup=2",
                          "cosine:epochs=3:warmup=3", "cosine:epochs=5:min=1",
                          "cosine:epochs=5:foo=1", "cosine:epochs", "linear:3", "Step:1:0.5"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_schedule(bad), invalid_argument);
  }
  CHECK_THROWS_WITH(parse_schedule("linear:3"), Catch::Contains("linear:3"));
  CHECK_THROWS_AS(parse_schedule("exp:oops"), invalid_argument);
  // A schedule set field by field is checked by TrainOptions::check().
  TrainOptions o;
  o.schedule.kind = Schedule::Kind::exponential;
  o.schedule.gamma = -0.5;
  CHECK_THROWS_AS(o.check(), invalid_argument);
  o.schedule.gamma = 0.5;
  CHECK_NOTHROW(o.check());
  o.schedule.kind = static_cast<Schedule::Kind>(9);
  CHECK_THROWS_WITH(o.check(), Catch::Contains("unknown kind code 9"));
  // Every schedule check() passes has a spec that reads back: counts below 10^9.
  o.schedule = parse_schedule("cosine:epochs=999999999");
  CHECK_NOTHROW(o.check());
  o.schedule.epochs = 1000000000;
  CHECK_THROWS_WITH(o.check(), Catch::Contains("below 10^9"));
}

TEST_CASE("a schedule's spec is its numbers' shortest exact text", "[schedule]") {
  CHECK(parse_schedule("exp:0.90").to_string() == "exp:0.9");
  CHECK(parse_schedule("step:10:0.5").to_string() == "step:10:0.5");
  CHECK(parse_schedule("exp:1e-300").to_string() == "exp:1e-300");
  CHECK(parse_schedule("cosine:epochs=20").to_string() == "cosine:warmup=0:epochs=20:min=0");
  CHECK(parse_schedule("").to_string() == "constant");
  const Schedule third = parse_schedule("exp:0.3333333333333333");
  CHECK(parse_schedule(third.to_string()).gamma == third.gamma);
}

TEST_CASE("the trainer applies the schedule per epoch", "[schedule]") {
  // 2-3-1 sigmoid network, 6 runs, full batch, no shuffle: epoch e is one
  // TrainNN step with η = 0.5 · 0.5^e (step:1:0.5); replay it with the memo.
  Topology t = make_mlp({2, 3, 1}, Activation::sigmoid, Activation::identity);
  initialize(t, InitScheme::glorot_uniform, 11);
  Dataset<double> d;
  d.num_inputs = 2, d.num_targets = 1;
  d.inputs = {0.1, 0.9, -0.4, 0.3, 0.8, -0.7, 0.2, 0.2, -0.9, -0.1, 0.5, 0.6};
  d.targets = {0.5, -0.2, 0.9, 0.1, -0.6, 0.3};
  Network<double> net = compile<double>(t), memo = net;
  TrainOptions o;
  o.epochs = 3, o.batch_size = 6, o.shuffle = false, o.learning_rate = 0.5, o.threads = 1;
  o.schedule = parse_schedule("step:1:0.5");
  Trainer<double> trainer(net, o);
  std::vector<double> rates;
  trainer.fit(d, nullptr, [&](const EpochReport&) {
    rates.push_back(trainer.optimizer().learning_rate());
    return true;
  });
  CHECK(rates == std::vector<double>{0.5, 0.25, 0.125});
  const std::size_t rows[] = {0, 1, 2, 3, 4, 5};
  for (double eta : {0.5, 0.25, 0.125})
    train_nn(memo, d.inputs.data(), d.targets.data(), rows, 6, Loss::sse, eta);
  for (std::size_t k = 0; k < net.params().size(); ++k)
    CHECK(net.params()[k] == Approx(memo.params()[k]).epsilon(1e-12).margin(1e-14));
  CHECK(net.params() != compile<double>(t).params());
}
