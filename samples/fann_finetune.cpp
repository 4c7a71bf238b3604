// A FANN network fine-tuned by dagprop and handed back to FANN.
//
// FANN (Debian's libfann-dev) creates a shortcut network 2-5-3-1 with symmetric
// sigmoid, elliot and gaussian units at several steepnesses, trains it briefly
// with its own RPROP on y = sin(x1) cos(x2), and saves fann_finetune.net. The
// sample imports that file (read_fann: the steepness and FANN's clamp of the sum
// folded into weights, biases and a few hard_tanh units), checks that dagprop
// computes what fann_run computes, fine-tunes the network with Adam, writes it
// back as fann_finetune_tuned.net and checks with FANN's own fann_run that FANN
// now computes dagprop's predictions. Without FANN it says so and exits 0.
// Exits 1 when a check fails.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/fann.hpp"
#include "dagprop/optimizer.hpp"

#ifdef DAGPROP_HAVE_FANN
#include <floatfann.h>
#endif

namespace {

using namespace dagprop;

// n points drawn uniformly from [-2, 2]², targets sin(x1) cos(x2); floats, as FANN reads them.
Dataset<double> make_data(std::size_t n, std::uint64_t seed) {
  SplitMix64 rng(seed);
  Dataset<double> d;
  d.num_inputs = 2, d.num_targets = 1;
  for (std::size_t r = 0; r < n; ++r) {
    const double x1 = static_cast<float>(rng.uniform(-2, 2));
    const double x2 = static_cast<float>(rng.uniform(-2, 2));
    d.inputs.insert(d.inputs.end(), {x1, x2});
    d.targets.push_back(std::sin(x1) * std::cos(x2));
  }
  return d;
}

#ifdef DAGPROP_HAVE_FANN
// The largest |fann_run - dagprop| over the inputs of `data`.
double fann_deviation(const char* path, const Network<double>& net, const Dataset<double>& data) {
  struct fann* ann = fann_create_from_file(path);
  if (!ann) return HUGE_VAL;
  double worst = 0;
  for (std::size_t r = 0; r < data.size(); ++r) {
    fann_type x[2] = {static_cast<fann_type>(data.input(r)[0]),
                      static_cast<fann_type>(data.input(r)[1])};
    const double theirs = static_cast<double>(fann_run(ann, x)[0]);
    const double ours = predict(net, data.input(r), 1, 1)[0];
    worst = std::max(worst, std::fabs(theirs - ours));
  }
  fann_destroy(ann);
  return worst;
}

// The network FANN makes and trains, saved to `path`.
bool make_fann_network(const char* path, const Dataset<double>& data) {
  struct fann* ann = fann_create_shortcut(4, 2, 5, 3, 1);
  std::srand(3);  // fann_create_* seeds rand() from the clock: seeded weights after it
  fann_randomize_weights(ann, -0.1f, 0.1f);
  fann_set_activation_function_layer(ann, FANN_SIGMOID_SYMMETRIC, 1);
  fann_set_activation_steepness_layer(ann, 0.7f, 1);
  fann_set_activation_function_layer(ann, FANN_ELLIOT_SYMMETRIC, 2);
  fann_set_activation_function(ann, FANN_GAUSSIAN, 2, 0);
  fann_set_activation_steepness_layer(ann, 1.3f, 2);
  fann_set_activation_function_output(ann, FANN_LINEAR);
  struct fann_train_data* train = fann_create_train(static_cast<unsigned>(data.size()), 2, 1);
  for (std::size_t r = 0; r < data.size(); ++r) {
    train->input[r][0] = static_cast<fann_type>(data.input(r)[0]);
    train->input[r][1] = static_cast<fann_type>(data.input(r)[1]);
    train->output[r][0] = static_cast<fann_type>(data.target(r)[0]);
  }
  fann_train_on_data(ann, train, 10, 0, 0.0f);  // 10 epochs of RPROP, quietly
  const bool ok = fann_save(ann, path) == 0;
  fann_destroy_train(train);
  fann_destroy(ann);
  return ok;
}
#endif

}  // namespace

int main() {
#ifndef DAGPROP_HAVE_FANN
  std::printf("fann_finetune: FANN (libfann-dev) was not found when building: nothing to do\n");
  return 0;
#else
  const Dataset<double> train = make_data(2000, 1), test = make_data(500, 2);
  if (!make_fann_network("fann_finetune.net", train)) {
    std::printf("FAIL: FANN could not create and save its network\n");
    return 1;
  }
  const io::FannNetwork imported = io::read_fann("fann_finetune.net");
  Network<double> net = compile<double>(imported.topology);
  const double imported_dev = fann_deviation("fann_finetune.net", net, test);
  std::printf(
      "imported fann_finetune.net: %zu units (%zu more than FANN's neurons: clamps and "
      "output forms), |dagprop - fann_run| <= %.2g\n",
      net.num_units(), net.num_units() - (2 + 5 + 3 + 1), imported_dev);

  const double before = evaluate(net, test, Loss::sse, 1).loss;
  OptimizerOptions adam;
  adam.name = "adam";
  TrainOptions options;
  options.learning_rate = 0.001;  // η, whatever the optimizer
  options.epochs = 60;
  options.batch_size = 16;
  options.loss = Loss::sse;
  options.reduction = Reduction::mean;
  Trainer<double> trainer(net, options, make_optimizer<double>(adam));
  trainer.fit(train);
  const double after = evaluate(net, test, Loss::sse, 1).loss;
  std::printf(
      "test loss (mean 1/2 squared error) after FANN's training %.5f, after fine-tuning with Adam "
      "%.5f\n",
      before, after);

  io::write_fann("fann_finetune_tuned.net", net);
  const double exported_dev = fann_deviation("fann_finetune_tuned.net", net, test);
  std::printf("wrote fann_finetune_tuned.net: |fann_run - dagprop| <= %.2g\n", exported_dev);

  if (imported_dev > 1e-5 || exported_dev > 1e-5) {
    std::printf("FAIL: dagprop and fann_run disagree\n");
    return 1;
  }
  if (!(after < 0.7 * before)) {
    std::printf("FAIL: fine-tuning did not lower the loss by 30%%\n");
    return 1;
  }
  return 0;
#endif
}
