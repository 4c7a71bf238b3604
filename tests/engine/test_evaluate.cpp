// predict() and evaluate() (evaluate.hpp) against the memo's propagate: on
// random DAGs, on a layered net with skips in float, and on the structured DAGs
// of structured_dag.hpp, in float and double, on several thread counts; the
// loss as the mean of the memo's losses, and the accuracy of softmax-ce by hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "engine/fast_path_checks.hpp"
#include "engine/mixed_net.hpp"
#include "engine/random_dag.hpp"
#include "engine/structured_dag.hpp"

using namespace dagprop;
using test::all_losses;
using test::check_inference;
using test::dag_seed;
using test::make_data;
using test::mixed_topology;

TEST_CASE("evaluate() loss is the mean of the memo's losses", "[evaluate]") {
  for (Loss loss : {Loss::sse, Loss::softmax_ce, Loss::bce}) {
    INFO(to_string(loss));
    const auto d = test::random_dag(21, loss);
    const auto net = compile<double>(d.topology);
    const auto data =
        make_data<double>(150, net.num_inputs(), net.num_outputs(), loss != Loss::sse, 5);
    Run<double> run(net);
    Gradient<double> grad(net);
    double sum = 0;
    for (std::size_t r = 0; r < data.size(); ++r)
      sum += back_propagate(net, data.input(r), data.target(r), loss, run, grad);
    for (std::size_t threads : {std::size_t{1}, std::size_t{3}}) {
      const Evaluation ev = evaluate(net, data, loss, threads);
      CHECK(ev.runs == 150);
      CHECK(ev.loss == Approx(sum / 150).margin(1e-12).epsilon(1e-12));
      if (loss == Loss::sse) CHECK(std::isnan(ev.accuracy));
    }
  }
}

TEST_CASE("evaluate() accuracy for softmax-ce on a hand-made case", "[evaluate]") {
  // Two identity outputs equal to the two inputs: the logits are the inputs.
  Topology t;
  const UnitId a = t.add_input("a"), b = t.add_input("b");
  const UnitId o0 = t.add_output(Activation::identity, "o0");
  const UnitId o1 = t.add_output(Activation::identity, "o1");
  t.connect(a, o0, 1.0);
  t.connect(b, o1, 1.0);
  const auto net = compile<double>(t);
  Dataset<double> data;
  data.num_inputs = data.num_targets = 2;
  data.inputs = {1, 0, /**/ 0, 1, /**/ 0.2, 0.9, /**/ 3, -1, /**/ -1, 2};
  data.targets = {1, 0, /**/ 1, 0, /**/ 0, 1, /**/ 0, 1, /**/ 0, 1};
  // right, wrong, right, wrong, right: 3 of 5.
  const Evaluation ev = evaluate(net, data, Loss::softmax_ce, 1);
  CHECK(ev.accuracy == Approx(0.6).margin(1e-15));
  // E = log(e^y0 + e^y1) - y_target per run.
  const auto lse = [](double u, double v) { return std::log(std::exp(u) + std::exp(v)); };
  const double E = (lse(1, 0) - 1) + (lse(0, 1) - 0) + (lse(0.2, 0.9) - 0.9) + (lse(3, -1) - (-1)) +
                   (lse(-1, 2) - 2);
  CHECK(ev.loss == Approx(E / 5).margin(1e-14).epsilon(0));
}

TEST_CASE("predict() equals the memo's propagate", "[evaluate]") {
  const auto d = test::random_dag(31, Loss::sse);
  const auto net = compile<double>(d.topology);
  const auto data = make_data<double>(150, net.num_inputs(), net.num_outputs(), false, 8);
  const std::size_t K = net.num_outputs();
  REQUIRE(K >= 1);
  Run<double> run(net);
  for (std::size_t threads : {std::size_t{1}, std::size_t{4}}) {
    const auto out = predict(net, data.inputs.data(), data.size(), threads);
    REQUIRE(out.size() == 150 * K);
    for (std::size_t r = 0; r < data.size(); ++r) {
      propagate(net, data.input(r), run);
      for (std::size_t k = 0; k < K; ++k)
        CHECK(out[r * K + k] == Approx(run.y[net.output(k)]).margin(1e-12).epsilon(0));
    }
  }
  // In float, the MLP with dense groups, to float tolerance.
  const auto f = compile<float>(mixed_topology());
  const auto fd = make_data<float>(70, 6, 3, true, 9);
  const auto out = predict(f, fd.inputs.data(), fd.size(), 2);
  Run<float> fr(f);
  for (std::size_t r = 0; r < fd.size(); ++r) {
    propagate(f, fd.input(r), fr);
    for (std::size_t k = 0; k < 3; ++k)
      CHECK(out[r * 3 + k] == Approx(fr.y[f.output(k)]).margin(1e-5).epsilon(1e-5));
  }
  CHECK(predict(f, fd.inputs.data(), 0).empty());
}

TEST_CASE("structured DAGs: predict() and evaluate() equal the memo's propagate",
          "[block][stress]") {
  for (Loss loss : all_losses)
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
      INFO("loss " << to_string(loss) << ", seed " << seed);
      const auto d = test::structured_dag(dag_seed(seed, loss), loss);
      const auto net = compile<double>(d.topology);
      const std::size_t rows = 1 + (seed * 37) % 150;  // 1 to 150: partial and several blocks
      const auto data =
          test::random_rows<double>(seed + 7, rows, net.num_inputs(), net.num_outputs(), loss);
      check_inference(net, net, data, loss, 1e-12, 1e-13);
      check_inference(net, net.cast<float>(), data, loss, 1e-5, 1e-5);
    }
}
