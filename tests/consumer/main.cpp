// The consumer project's program: builds a small DAG with a skip connection
// through the installed headers and library, trains it a few epochs, and
// exits nonzero unless the loss went down. It is a link test, not a unit test.
#include <dagprop/dagprop.hpp>

#include <cstdio>
#include <exception>

int main() {
  try {
    using namespace dagprop;
    // x1, x2 -> h1, h2 (tanh) -> y (identity), plus x1 -> y.
    Topology t;
    const UnitId x1 = t.add_input("x1"), x2 = t.add_input("x2");
    const UnitId h1 = t.add_unit(Activation::tanh, Role::hidden, "h1");
    const UnitId h2 = t.add_unit(Activation::tanh, Role::hidden, "h2");
    const UnitId y = t.add_output(Activation::identity, "y");
    for (UnitId h : {h1, h2}) {
      t.connect(x1, h);
      t.connect(x2, h);
      t.connect(h, y);
    }
    t.connect(x1, y);
    initialize(t, InitScheme::glorot_uniform, 3);
    Network<float> net = compile<float>(t);

    // y* = x1 - 0.5 x2 on a small grid.
    Dataset<float> data;
    data.num_inputs = 2;
    data.num_targets = 1;
    for (int a = -2; a <= 2; ++a)
      for (int b = -2; b <= 2; ++b) {
        const float u = static_cast<float>(a) / 2, v = static_cast<float>(b) / 2;
        data.inputs.push_back(u);
        data.inputs.push_back(v);
        data.targets.push_back(u - 0.5f * v);
      }

    const double before = evaluate(net, data, Loss::sse).loss;
    TrainOptions o;
    o.epochs = 30;
    o.batch_size = 5;
    o.learning_rate = 0.05;
    Trainer<float> trainer(net, o);
    trainer.fit(data);
    const double after = evaluate(net, data, Loss::sse).loss;
    std::printf("consumer: mean loss %g -> %g\n", before, after);
    if (!(after < 0.5 * before)) {
      std::fprintf(stderr, "consumer: the loss did not decrease enough\n");
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 2;
  }
}
