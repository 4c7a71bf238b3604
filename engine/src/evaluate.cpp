// evaluate() and predict(): propagate blocks of runs in parallel; partial sums
// are kept per block and added in block order.
#include "dagprop/evaluate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "arena.hpp"
#include "block.hpp"
#include "dagprop/error.hpp"
#include "dagprop/predictor.hpp"

namespace dagprop {

namespace {
constexpr std::size_t eval_block = predict_block;

// Calls f(ws, block_index, block) for every block of `rows` runs, in parallel.
// One thread or one block runs here, without an arena, tasks and a workspace
// per thread: their setup costs more than a small network's runs. Either way
// the blocks and their lanes are the same, hence the bits of the results.
template <class T, class F>
void for_blocks(const Network<T>& net, const T* inputs, const T* targets, std::size_t rows,
                std::size_t threads, F f) {
  // Block q reads rows [q * eval_block, ...) through offset pointers, so one
  // index of 0, 1, ..., eval_block - 1 serves every block.
  std::array<std::size_t, eval_block> index{};
  std::iota(index.begin(), index.end(), std::size_t{0});
  const std::size_t NI = net.num_inputs(), K = net.num_outputs();
  const auto run_block = [&](Workspace<T>& ws, std::size_t q) {
    const std::size_t r0 = q * eval_block;
    Block<T> block{inputs + r0 * NI, targets ? targets + r0 * K : nullptr, index.data(),
                   std::min(eval_block, rows - r0)};
    propagate(net, block, ws);
    f(ws, q, block);
  };
  // No more lanes than there are rows: a few rows through a large network
  // need not pay for a workspace of eval_block runs (x, y of every unit).
  const auto make_workspace = [&] {
    return Workspace<T>(net, std::min(eval_block, rows), WorkspaceUse::inference);
  };
  const std::size_t blocks = (rows + eval_block - 1) / eval_block;
  const int arena_threads = detail::arena_threads(threads);  // also checks `threads`
  if (blocks == 1 || arena_threads == 1) {
    Workspace<T> ws = make_workspace();
    for (std::size_t q = 0; q < blocks; ++q) run_block(ws, q);
    return;
  }
  tbb::enumerable_thread_specific<Workspace<T>> workspaces(make_workspace);
  tbb::task_arena(arena_threads).execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks), [&](const auto& range) {
      auto& ws = workspaces.local();
      for (std::size_t q = range.begin(); q != range.end(); ++q) run_block(ws, q);
    });
  });
}
}  // namespace

template <class T>
void check_data(const Network<T>& net, const Dataset<T>& data, const char* what) {
  data.check();
  if (data.num_inputs != net.num_inputs())
    throw invalid_argument(std::string(what) + ": the data have " +
                           std::to_string(data.num_inputs) + " input columns but the network has " +
                           std::to_string(net.num_inputs()) + " inputs");
  if (data.num_targets != net.num_outputs())
    throw invalid_argument(
        std::string(what) + ": the data have " + std::to_string(data.num_targets) +
        " target columns but the network has " + std::to_string(net.num_outputs()) + " outputs");
  if (data.size() == 0) throw invalid_argument(std::string(what) + ": the data set is empty");
}

template <class T>
void check_loss(const Network<T>& net, Loss loss, const char* what) {
  if (!loss_names.is_valid(loss))
    throw invalid_argument(std::string(what) + ": loss code " +
                           std::to_string(static_cast<int>(loss)) + " is not a loss");
  if (loss == Loss::softmax_ce && net.num_outputs() < 2)
    throw invalid_argument(std::string(what) +
                           ": softmax-ce needs at least two outputs, but the network has one (the "
                           "softmax of one output is always 1: nothing to learn); use bce with a "
                           "sigmoid output, or sse");
  if (loss == Loss::bce)
    for (std::size_t k = 0; k < net.num_outputs(); ++k)
      if (net.activation(net.output(k)) != Activation::sigmoid)
        throw invalid_argument(std::string(what) + ": bce needs sigmoid output units, but output " +
                               std::to_string(k) + " (unit " + net.label(net.output(k)) + ") is " +
                               std::string(to_string(net.activation(net.output(k)))));
}

template <class T>
Evaluation evaluate(const Network<T>& net, const Dataset<T>& data, Loss loss, std::size_t threads) {
  check_loss(net, loss, "evaluate");
  check_data(net, data, "evaluate");
  const std::size_t K = net.num_outputs(), rows = data.size();
  const std::size_t blocks = (rows + eval_block - 1) / eval_block;
  std::vector<double> E(blocks, 0);
  std::vector<std::size_t> right(blocks, 0);
  for_blocks(net, data.inputs.data(), data.targets.data(), rows, threads,
             [&](const Workspace<T>& ws, std::size_t q, const Block<T>& b) {
               std::vector<T> out(b.runs * K);
               read_outputs(net, ws, out.data());
               std::vector<T> xo(K);
               for (std::size_t r = 0; r < b.runs; ++r) {
                 for (std::size_t k = 0; k < K; ++k) xo[k] = ws.x(net.output(k))[r];
                 const T* t = b.targets + b.rows[r] * K;  // rows relative to the block
                 E[q] += loss_gradient<T>(loss, K, xo.data(), out.data() + r * K, t, nullptr);
                 right[q] += correct(loss, K, out.data() + r * K, t);
               }
             });
  Evaluation ev;
  ev.runs = rows;
  for (std::size_t q = 0; q < blocks; ++q) ev.loss += E[q];
  ev.loss /= static_cast<double>(rows);
  ev.accuracy =
      classifies(loss)
          ? static_cast<double>(std::accumulate(right.begin(), right.end(), std::size_t{0})) /
                static_cast<double>(rows)
          : std::nan("");
  return ev;
}

template <class T>
std::vector<T> predict(const Network<T>& net, const T* inputs, std::size_t rows,
                       std::size_t threads) {
  const std::size_t K = net.num_outputs();
  check_predict_rows(net, inputs, rows, "predict");
  std::vector<T> out(rows * K);
  if (rows == 0) return out;
  for_blocks(net, inputs, static_cast<const T*>(nullptr), rows, threads,
             [&](const Workspace<T>& ws, std::size_t q, const Block<T>&) {
               read_outputs(net, ws, out.data() + q * eval_block * K);
             });
  return out;
}

template Evaluation evaluate<float>(const Network<float>&, const Dataset<float>&, Loss,
                                    std::size_t);
template Evaluation evaluate<double>(const Network<double>&, const Dataset<double>&, Loss,
                                     std::size_t);
template std::vector<float> predict<float>(const Network<float>&, const float*, std::size_t,
                                           std::size_t);
template std::vector<double> predict<double>(const Network<double>&, const double*, std::size_t,
                                             std::size_t);
template void check_loss<float>(const Network<float>&, Loss, const char*);
template void check_loss<double>(const Network<double>&, Loss, const char*);
template void check_data<float>(const Network<float>&, const Dataset<float>&, const char*);
template void check_data<double>(const Network<double>&, const Dataset<double>&, const char*);

}  // namespace dagprop
