// The smallest dagprop program: a 2-4-1 network learns XOR with the memo's
// plain SGD on the sum of squared errors, then prints its four outputs. It
// exits nonzero if any output is on the wrong side of 0.5. No files are written.
#include <cstdio>

#include "dagprop/dagprop.hpp"

int main() {
  using namespace dagprop;
  // 1. The graph: 2 inputs, 4 tanh hidden units, 1 sigmoid output, every
  //    layer fully connected to the next; weights drawn with a fixed seed.
  Topology t = make_mlp({2, 4, 1}, Activation::tanh, Activation::sigmoid);
  initialize(t, InitScheme::glorot_uniform, 7);
  Network<double> net = compile<double>(t);

  // 2. The data: one row per run, inputs and target side by side.
  Dataset<double> data;
  data.num_inputs = 2, data.num_targets = 1;
  data.inputs = {0, 0, 0, 1, 1, 0, 1, 1};
  data.targets = {0, 1, 1, 0};

  // 3. Algorithm 1 over the whole set: one mini-batch of 4 runs per step.
  TrainOptions o;
  o.epochs = 2000;
  o.batch_size = 4;
  o.learning_rate = 0.5;  // η
  o.loss = Loss::sse;     // E = 1/2 (y - y*)^2, eq. (3)
  Trainer<double> trainer(net, o);
  trainer.fit(data);

  // 4. Propagate each input and check it lands on the right side of 0.5.
  const std::vector<double> y = predict(net, data.inputs.data(), data.size());
  int wrong = 0;
  for (std::size_t r = 0; r < data.size(); ++r) {
    std::printf("%g xor %g -> %.4f (want %g)\n", data.input(r)[0], data.input(r)[1], y[r],
                data.targets[r]);
    wrong += (y[r] > 0.5) != (data.targets[r] > 0.5);
  }
  std::printf(wrong ? "FAILED: %d wrong\n" : "all four right\n", wrong);
  return wrong ? 1 : 0;
}
