// Test helpers: the fast path (block kernels, the chunked Trainer,
// predict/evaluate) against the memo's per-run algorithm, on the structured DAGs
// of structured_dag.hpp: the losses, a seed per DAG and loss, and the checks of
// inference and training shared by test_block, test_evaluate and test_trainer.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "tolerance.hpp"

namespace dagprop::test {

inline constexpr Loss all_losses[] = {Loss::sse, Loss::softmax_ce, Loss::bce};

inline std::uint64_t dag_seed(std::uint64_t seed, Loss loss) {
  return seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(loss) + 1;
}

inline std::vector<std::size_t> iota_rows(std::size_t n) {
  std::vector<std::size_t> r(n);
  std::iota(r.begin(), r.end(), std::size_t{0});
  return r;
}

// Largest |value|, for an absolute tolerance relative to the whole vector.
template <class V>
double max_abs(const V& v) {
  double m = 0;
  for (auto x : v) m = std::max(m, std::abs(static_cast<double>(x)));
  return m;
}

// predict() and evaluate() of `net` (T) against the memo's propagate in double.
template <class T>
void check_inference(const Network<double>& ref, const Network<T>& net, const Dataset<double>& data,
                     Loss loss, double rtol, double atol,
                     const std::vector<std::size_t>& thread_counts = {1, 3}) {
  const Dataset<T> d = convert<T>(data);
  const std::size_t K = ref.num_outputs();
  Run<double> run(ref);
  std::vector<double> expected(data.size() * K);
  double E = 0;
  for (std::size_t r = 0; r < data.size(); ++r) {
    propagate(ref, data.input(r), run);
    std::vector<double> xo(K), yo(K);
    for (std::size_t k = 0; k < K; ++k)
      xo[k] = run.x[ref.output(k)], yo[k] = expected[r * K + k] = run.y[ref.output(k)];
    E += loss_gradient<double>(loss, K, xo.data(), yo.data(), data.target(r), nullptr);
  }
  for (std::size_t threads : thread_counts) {
    const std::vector<T> out = predict(net, d.inputs.data(), d.size(), threads);
    REQUIRE(out.size() == expected.size());
    std::size_t bad = 0;
    for (std::size_t k = 0; k < out.size(); ++k)
      if (!close(static_cast<double>(out[k]), expected[k], rtol, atol)) {
        if (bad++ < 5) {
          INFO("threads " << threads << ", run " << k / K << ", output " << k % K);
          CHECK(static_cast<double>(out[k]) == expected[k]);
        }
      }
    CHECK(bad == 0);
    const Evaluation ev = evaluate(net, d, loss, threads);
    CHECK(close(ev.loss, E / static_cast<double>(data.size()), rtol, atol));
  }
}

// A few mini-batches of the Trainer (shuffle off) against the memo's train_nn
// over the same rows: the change of every parameter equal within tolerance.
template <class T>
void check_training(const Network<double>& start, const Dataset<double>& data, Loss loss,
                    std::size_t batch, std::size_t chunk, double rtol,
                    Reduction reduction = Reduction::sum) {
  const bool mean = reduction == Reduction::mean;
  const auto rows = iota_rows(data.size());
  // η such that no mini-batch's step from the start moves a parameter by more
  // than 0.01: small enough that no net of the generator diverges.
  double gmax = 0;
  for (std::size_t first = 0; first < rows.size(); first += batch) {
    const std::size_t n = std::min(batch, rows.size() - first);
    Gradient<double> grad(start);
    Run<double> run(start);
    for (std::size_t r = first; r < first + n; ++r)
      back_propagate(start, data.input(rows[r]), data.target(rows[r]), loss, run, grad,
                     mean ? 1.0 / static_cast<double>(n) : 1.0);
    gmax = std::max(gmax, max_abs(grad.g));
  }
  REQUIRE(gmax > 0);
  const double eta = 0.01 / gmax;
  Network<double> memo = start;
  for (std::size_t first = 0; first < rows.size(); first += batch) {
    const std::size_t n = std::min(batch, rows.size() - first);
    if (!mean) {
      train_nn(memo, data.inputs.data(), data.targets.data(), rows.data() + first, n, loss, eta);
      continue;
    }
    // TrainNN with the mean: each run's ∂E/∂y scaled by 1/|L|.
    Gradient<double> grad(memo);
    Run<double> run(memo);
    for (std::size_t r = first; r < first + n; ++r)
      back_propagate(memo, data.input(rows[r]), data.target(rows[r]), loss, run, grad,
                     1.0 / static_cast<double>(n));
    update_nn(memo, grad, eta);
  }

  Network<T> net = start.template cast<T>();
  TrainOptions o;
  o.epochs = 1;
  o.batch_size = batch;
  o.chunk_size = chunk;
  o.learning_rate = eta;
  o.loss = loss;
  o.reduction = reduction;
  o.shuffle = false;
  o.threads = 2;
  const Dataset<T> d = convert<T>(data);
  Trainer<T>(net, o).fit(d);

  std::vector<double> change(start.params().size());
  for (std::size_t k = 0; k < change.size(); ++k) change[k] = memo.params()[k] - start.params()[k];
  const double scale = max_abs(change);
  REQUIRE(scale > 1e-6);  // training moved the weights: the comparison is not vacuous
  std::size_t bad = 0, moved = 0;
  for (std::size_t k = 0; k < change.size(); ++k) {
    const double fast = static_cast<double>(net.params()[k]) - start.params()[k];
    moved += std::abs(change[k]) > 1e-3 * scale;
    // Float carries the rounding of the weight itself, relative to |w|.
    const double atol = rtol * scale + (sizeof(T) == 4 ? 2e-7 * std::abs(start.params()[k]) : 0);
    if (!close(fast, change[k], rtol, atol) && bad++ < 5) {
      INFO("parameter " << k << " of " << change.size() << ", batch " << batch << ", chunk "
                        << chunk << ", " << (sizeof(T) == 4 ? "float" : "double") << ", "
                        << to_string(reduction));
      CHECK(fast == change[k]);
    }
  }
  CHECK(bad == 0);
  CHECK(moved > 0);
}

}  // namespace dagprop::test
