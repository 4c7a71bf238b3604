// The README's C++ tour, compiled and run by ctest (sample:tour; the test
// readme_tour checks that the README shows this very code): a DAG with a skip
// connection trained on XOR by Adam. Exits 1 when a prediction is wrong.
#include <cstdio>
#include <dagprop/dagprop.hpp>

int main() {
  using namespace dagprop;
  Topology t;
  UnitId x1 = t.add_input("x1"), x2 = t.add_input("x2");
  UnitId h = t.add_unit(Activation::tanh, Role::hidden, "h");
  UnitId g = t.add_unit(Activation::tanh, Role::hidden, "g");
  UnitId y = t.add_output(Activation::sigmoid, "y");
  t.connect(x1, h);
  t.connect(x2, h);
  t.connect(h, g);
  t.connect(x1, g);  // a unit fed by units of two levels
  t.connect(g, y);
  t.connect(x2, y);  // a skip connection from an input to the output
  t.connect(x1, y);
  t.connect(h, y);
  initialize(t, InitScheme::glorot_uniform, /*seed=*/1);

  Network<float> net = compile<float>(t);  // validates: cycles, duplicates, ...

  Dataset<float> xor_data;
  xor_data.num_inputs = 2;
  xor_data.num_targets = 1;
  xor_data.inputs = {0, 0, 0, 1, 1, 0, 1, 1};
  xor_data.targets = {0, 1, 1, 0};

  TrainOptions opt;
  opt.epochs = 1000;
  opt.learning_rate = 0.05;  // η, the one learning rate, whatever the optimizer
  opt.batch_size = 4;
  opt.loss = Loss::bce;             // on the sigmoid output
  opt.reduction = Reduction::mean;  // Adam's step size assumes a mean gradient
  OptimizerOptions adam;
  adam.name = "adam";
  Trainer<float> trainer(net, opt, make_optimizer<float>(adam));
  trainer.fit(xor_data);

  int wrong = 0;
  const std::vector<float> out = predict(net, xor_data.inputs.data(), 4);
  for (std::size_t r = 0; r < 4; ++r) {
    const double o = out[r];
    std::printf("row %zu: %.3f\n", r, o);
    wrong += (out[r] > 0.5f) != (xor_data.targets[r] > 0.5f);
  }
  return wrong == 0 ? 0 : 1;
}
