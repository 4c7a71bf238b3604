// A network no layered library can express, built unit by unit: connections
// that skip levels, a different activation per unit, two output heads sharing
// hidden units. It is trained, saved, loaded back and checked to predict the
// same outputs bit for bit (exit 1 otherwise). Writes custom_dag.dpn.
#include <cmath>
#include <cstdio>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/model.hpp"

int main() {
  using namespace dagprop;
  // The graph. Levels: inputs (1), h1 h2 (2), h3 (3), outputs (4).
  Topology t;
  const UnitId x1 = t.add_input("x1"), x2 = t.add_input("x2"), x3 = t.add_input("x3");
  const UnitId h1 = t.add_unit(Activation::tanh, Role::hidden, "h1");
  const UnitId h2 = t.add_unit(Activation::relu, Role::hidden, "h2");
  const UnitId h3 = t.add_unit(Activation::sigmoid, Role::hidden, "h3");
  const UnitId h4 = t.add_unit(Activation::tanh, Role::hidden, "h4");
  const UnitId sum = t.add_output(Activation::identity, "sum");   // head 1: regression
  const UnitId sign = t.add_output(Activation::sigmoid, "sign");  // head 2: a probability
  for (UnitId j : {x1, x2}) t.connect(j, h1);
  for (UnitId j : {x2, x3}) t.connect(j, h2);
  for (UnitId j : {x1, x2, x3}) t.connect(j, h4);
  for (UnitId j : {h1, x3, h2, h4}) t.connect(j, h3);    // x3 skips a level into h3
  for (UnitId j : {h1, h3, h4, x1}) t.connect(j, sum);   // x1 skips three levels
  for (UnitId j : {h2, h3, h4, x3}) t.connect(j, sign);  // both heads share h3 and h4
  initialize(t, InitScheme::glorot_uniform, 3);
  Network<double> net = compile<double>(t);  // validates: no cycle, every unit reached, ...
  std::printf("%zu units, %zu connections, %zu levels\n", net.num_units(), net.num_connections(),
              net.num_levels());

  // Targets: sum = x1 + 0.5 x2 x3, sign = 1 when x1 + x3 > 0 else 0 (both on sse).
  SplitMix64 rng(5);
  Dataset<double> data;
  data.num_inputs = 3;
  data.num_targets = 2;
  for (int r = 0; r < 512; ++r) {
    const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1), c = rng.uniform(-1, 1);
    data.inputs.insert(data.inputs.end(), {a, b, c});
    data.targets.insert(data.targets.end(), {a + 0.5 * b * c, a + c > 0 ? 1.0 : 0.0});
  }
  TrainOptions o;
  o.epochs = 200;
  o.batch_size = 16;
  o.learning_rate = 0.02;
  const double before = evaluate(net, data, Loss::sse).loss;
  Trainer<double> trainer(net, o);
  trainer.fit(data);
  const double after = evaluate(net, data, Loss::sse).loss;
  std::printf("loss per run: %.5f before training, %.5f after\n", before, after);

  // Save (atomically, text archive: portable), load, compare every output.
  io::save_network("custom_dag.dpn", net, io::ArchiveKind::text);
  const Network<double> loaded = io::load_network<double>("custom_dag.dpn");
  const auto y0 = predict(net, data.inputs.data(), data.size());
  const auto y1 = predict(loaded, data.inputs.data(), data.size());
  std::size_t differ = 0;
  for (std::size_t k = 0; k < y0.size(); ++k) differ += y0[k] != y1[k];
  std::printf("saved and loaded custom_dag.dpn: %zu of %zu outputs differ\n", differ, y0.size());
  if (differ != 0 || !(after < 0.5 * before)) {
    std::printf("FAILED\n");
    return 1;
  }
  return 0;
}
