// Regression of y = sin(x1)·cos(x2) on [-π, π]² with a 2-32-32-1 tanh network
// trained by Adam on the mean squared error. Prints the test error (RMS) and
// exits nonzero if it is above 0.05. No files are written.
#include <cmath>
#include <cstdio>

#include "dagprop/dagprop.hpp"
#include "dagprop/optimizer.hpp"

namespace {

// n points drawn uniformly from [-π, π]², targets sin(x1)·cos(x2).
dagprop::Dataset<double> make_data(std::size_t n, std::uint64_t seed) {
  dagprop::SplitMix64 rng(seed);
  dagprop::Dataset<double> d;
  d.num_inputs = 2, d.num_targets = 1;
  for (std::size_t r = 0; r < n; ++r) {
    const double x1 = rng.uniform(-M_PI, M_PI), x2 = rng.uniform(-M_PI, M_PI);
    d.inputs.insert(d.inputs.end(), {x1, x2});
    d.targets.push_back(std::sin(x1) * std::cos(x2));
  }
  return d;
}

}  // namespace

int main() {
  using namespace dagprop;
  const Dataset<double> train = make_data(4000, 1), test = make_data(1000, 2);

  Topology t = make_mlp({2, 32, 32, 1}, Activation::tanh, Activation::identity);
  initialize(t, InitScheme::glorot_uniform, 1);
  Network<double> net = compile<double>(t);

  TrainOptions o;
  o.epochs = 150;
  o.batch_size = 32;
  o.loss = Loss::sse;
  o.reduction = Reduction::mean;           // Adam's step size assumes a mean gradient
  o.schedule.kind = Schedule::Kind::step;  // η: 0.01, then 0.003, then 0.0009
  o.schedule.step = 50, o.schedule.gamma = 0.3;
  OptimizerOptions opt;
  opt.name = "adam";
  o.learning_rate = 0.01;  // η, the one learning rate (the Trainer sets the optimizer's)
  Trainer<double> trainer(net, o, make_optimizer<double>(opt));
  trainer.fit(train, nullptr, [](const EpochReport& r) {
    if (r.epoch % 25 == 0) std::printf("epoch %3zu  training loss %.6f\n", r.epoch, r.loss);
    return true;
  });

  // The loss is 1/2 (y - y*)² per run, so the RMS error is sqrt(2 · loss).
  const double rms = std::sqrt(2 * evaluate(net, test, Loss::sse).loss);
  std::printf("test RMS error %.4f (targets range over [-1, 1])\n", rms);
  if (rms > 0.05) {
    std::printf("FAILED: above 0.05\n");
    return 1;
  }
  return 0;
}
