// Early stopping (regularize.hpp): the patience logic on a constructed loss
// sequence, the best weights kept and restored, and use from Trainer::fit.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/regularize.hpp"

using namespace dagprop;

namespace {

Network<double> small_net() {
  Topology t = make_mlp({2, 3, 1}, Activation::tanh, Activation::identity);
  return compile<double>(t);
}

}  // namespace

TEST_CASE("early stopping: patience and the best weights", "[early_stopping]") {
  Network<double> net = small_net();
  EarlyStopping<double> stop(2);
  // Epoch e has every parameter equal to e, so the kept copy tells its epoch.
  const std::vector<double> losses = {1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.7, 0.6};
  std::vector<bool> go;
  for (std::size_t e = 0; e < losses.size() && (go.empty() || go.back()); ++e) {
    std::fill(net.params().begin(), net.params().end(), static_cast<double>(e + 1));
    go.push_back(stop.update(losses[e], net));
  }
  // 0.8 (epoch 2); 0.9, 0.85 are two epochs without improvement: stop after epoch 4.
  CHECK(go == std::vector<bool>{true, true, true, false});
  CHECK(stop.stopped());
  CHECK(stop.best_epoch() == 2);
  CHECK(stop.best_loss() == 0.8);
  CHECK(stop.epochs() == 4);
  CHECK(stop.bad_epochs() == 2);
  stop.restore(net);
  for (double p : net.params()) CHECK(p == 2.0);

  // Patience 3 lets 0.7 at epoch 5 through; an equal loss (0.7 at 7) is no improvement.
  EarlyStopping<double> patient(3);
  go.clear();
  for (std::size_t e = 0; e < losses.size(); ++e) {
    std::fill(net.params().begin(), net.params().end(), static_cast<double>(e + 1));
    go.push_back(patient.update(losses[e], net));
  }
  CHECK(go == std::vector<bool>{true, true, true, true, true, true, true, true});
  CHECK(patient.best_epoch() == 8);
  CHECK(patient.best_loss() == 0.6);
  CHECK(patient.bad_epochs() == 0);

  // min_delta: an improvement must exceed it; NaN never improves.
  EarlyStopping<double> strict(2, 0.15);
  CHECK(strict.update(1.0, net));
  CHECK(strict.update(0.9, net));  // 0.1 better: not enough
  CHECK(!strict.update(std::nan(""), net));
  CHECK(strict.best_epoch() == 1);
}

TEST_CASE("early stopping: errors", "[early_stopping]") {
  CHECK_THROWS_AS(EarlyStopping<float>(0), invalid_argument);
  CHECK_THROWS_AS(EarlyStopping<float>(3, -0.1), invalid_argument);
  Network<double> net = small_net();
  EarlyStopping<double> stop(1);
  CHECK_THROWS_AS(stop.restore(net), invalid_argument);  // nothing kept yet
  stop.update(std::nan(""), net);
  CHECK_THROWS_AS(stop.restore(net), invalid_argument);
}

TEST_CASE("early stopping from Trainer::fit's on_epoch", "[early_stopping]") {
  // Training on noise with validation on other noise: the validation loss
  // eventually stops improving; fit must stop within patience of the best
  // epoch, and restore() must bring back exactly the weights of that epoch.
  Topology t = make_mlp({3, 16, 1}, Activation::tanh, Activation::identity);
  initialize(t, InitScheme::glorot_uniform, 3);
  Network<double> net = compile<double>(t);
  Dataset<double> train, valid;
  train.num_inputs = valid.num_inputs = 3, train.num_targets = valid.num_targets = 1;
  SplitMix64 rng(4);
  for (Dataset<double>* d : {&train, &valid})
    for (std::size_t r = 0; r < 24; ++r) {
      for (std::size_t k = 0; k < 3; ++k) d->inputs.push_back(rng.uniform(-1, 1));
      d->targets.push_back(rng.uniform(-1, 1));
    }
  TrainOptions o;
  o.epochs = 300, o.batch_size = 4, o.learning_rate = 0.05, o.threads = 1;
  Trainer<double> trainer(net, o);
  EarlyStopping<double> stop(3);
  std::vector<std::vector<double>> params;  // after each epoch
  const auto reports = trainer.fit(train, &valid, [&](const EpochReport& r) {
    params.push_back(net.params());
    return stop.update(r.validation_loss, net);
  });
  REQUIRE(reports.size() < 300);
  CHECK(reports.size() == stop.best_epoch() + 3);
  for (std::size_t e = 0; e < reports.size(); ++e)
    if (e + 1 != stop.best_epoch()) CHECK(reports[e].validation_loss >= stop.best_loss());
  stop.restore(net);
  CHECK(net.params() == params[stop.best_epoch() - 1]);
  CHECK(net.params() != params.back());
}
