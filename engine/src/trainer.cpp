// The training loop of Algorithm 1 with oneTBB. Per mini-batch: the runs are
// split into chunks of options.chunk_size (a number that depends on the batch,
// never on the threads); each chunk runs BackPropagate into its own gradient
// buffer; the buffers are summed in chunk order, in parallel over the
// parameters; the sum is checked finite; then the optimizer updates. With a
// reducer (reducer.hpp) the process computes its share of the chunks and the
// reducer combines the processes' sums before the check.
#include "dagprop/trainer.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <numeric>
#include <sstream>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "arena.hpp"
#include "block.hpp"
#include "dagprop/error.hpp"
#include "dagprop/memo.hpp"
#include "dagprop/random.hpp"
#include "dagprop/regularize.hpp"
#include "dagprop/schedule.hpp"
#include "simd.hpp"

namespace dagprop {

namespace {

// "2^24" for a large power of two, else the number: as the limits are said.
std::string limit_text(std::size_t n) {
  if (n < 65536 || (n & (n - 1)) != 0) return std::to_string(n);
  int k = 0;
  while ((std::size_t{1} << k) != n) ++k;
  return "2^" + std::to_string(k);
}

// "expected 1 to <max> <unit>, got n" unless 1 <= n <= max.
std::optional<std::string> count_problem(std::size_t n, std::size_t max, const char* unit) {
  if (n >= 1 && n <= max) return std::nullopt;
  return "expected 1 to " + limit_text(max) + unit + ", got " + std::to_string(n);
}

std::optional<std::string> rate_problem(double rate) {
  if (rate >= 0 && rate < 1) return std::nullopt;
  return "expected a rate in [0, 1), got " + number_text(rate);
}

std::optional<std::string> clip_problem(double limit) {
  if (limit >= 0 && std::isfinite(limit)) return std::nullopt;
  return "expected >= 0 and finite (0: off), got " + number_text(limit);
}

}  // namespace

std::optional<OptionProblem> TrainOptions::problem() const {
  std::optional<std::string> what;
  const auto bad = [&](const std::string& field) { return OptionProblem{field, *what}; };
  if ((what = count_problem(batch_size, max_batch_size, " runs"))) return bad("batch_size");
  if ((what = count_problem(chunk_size, max_chunk_size, " runs"))) return bad("chunk_size");
  if (!(learning_rate > 0) || !std::isfinite(learning_rate))
    return OptionProblem{"learning_rate",
                         std::string("expected a ") +
                             (std::isfinite(learning_rate) ? "positive" : "finite") +
                             " number, got " + number_text(learning_rate)};
  if (threads > max_threads)
    return OptionProblem{"threads", "expected 0 (all cores) to " + limit_text(max_threads) +
                                        ", got " + std::to_string(threads)};
  if (epochs > max_epochs)
    return OptionProblem{
        "epochs", "expected at most " + limit_text(max_epochs) + ", got " + std::to_string(epochs)};
  if (!loss_names.is_valid(loss))
    return OptionProblem{"loss", "unknown loss code " + std::to_string(loss_names.number(loss))};
  if (!reduction_names.is_valid(reduction))
    return OptionProblem{
        "reduction", "unknown reduction code " + std::to_string(reduction_names.number(reduction))};
  try {
    schedule.check();
    schedule.check_rates(learning_rate, epochs);
  } catch (const invalid_argument& e) {
    return OptionProblem{"schedule '" + schedule.to_string() + "'", e.what()};
  }
  if ((what = clip_problem(clip_norm))) return bad("clip_norm");
  if ((what = clip_problem(clip_value))) return bad("clip_value");
  if ((what = rate_problem(dropout))) return bad("dropout");
  for (std::size_t i = 0; i < unit_dropout.size(); ++i)
    if ((what = rate_problem(unit_dropout[i])))
      return bad("unit_dropout[" + std::to_string(i) + "]");
  return std::nullopt;
}

void TrainOptions::check() const {
  if (const std::optional<OptionProblem> p = problem())
    throw invalid_argument("TrainOptions: " + p->field + ": " + p->what);
}

namespace {
// Parameters per task when summing the chunk buffers: fixed, so the work split
// never changes a result (each parameter is summed by itself anyway).
constexpr std::size_t param_grain = 4096;
// The most gradient buffers a Trainer holds. A mini-batch of more chunks runs
// in waves: the first fills every buffer, each later one all but the first,
// which holds the sum so far; every wave is added in chunk order, so the sum
// is the same left fold g_0 + g_1 + ... as with one buffer per chunk, and
// memory stays bounded (a batch of 60,000 runs in chunks of 32 would take
// 1,875 copies of the parameters). A constant, never the thread count.
constexpr std::size_t max_gradient_buffers = 64;
static_assert(max_gradient_buffers >= 2, "a later wave needs a buffer beside the sum");
// Runs f(begin, end) over [0, n) in tasks of at most `grain`: in the calling
// thread when there is a single task (small networks pay no scheduling),
// otherwise with oneTBB in `arena`. Results never depend on which.
template <class F>
void for_tasks(tbb::task_arena& arena, std::size_t n, std::size_t grain, const F& f) {
  if (n <= grain) return f(std::size_t{0}, n);
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                      [&](const tbb::blocked_range<std::size_t>& r) { f(r.begin(), r.end()); });
  });
}

}  // namespace

template <class T>
struct Trainer<T>::Impl {
  tbb::task_arena arena;
  std::vector<Gradient<T>> grads;  // one per chunk of a wave (reserve_chunks)
  std::vector<double> chunk_loss;  // [chunks]
  std::vector<std::size_t> chunk_correct;
  std::vector<std::vector<T>> outputs;  // [buffers][num_outputs]: y of one run
  tbb::enumerable_thread_specific<Workspace<T>> workspaces;
  std::vector<std::size_t> order;  // the epoch's order of the runs
  std::size_t order_epoch = ~std::size_t{0};
  std::uint64_t next_epoch_rng = 0;
  std::chrono::steady_clock::time_point epoch_start;
  double eta0 = 0;                // η the schedule scales
  std::vector<double> drop_rate;  // [num_units]; empty: no dropout

  Impl(const Network<T>& net, const TrainOptions& o)
      : arena(detail::arena_threads(o.threads)),
        workspaces([&net, &o] { return Workspace<T>(net, std::min(o.chunk_size, o.batch_size)); }) {
  }

  // Buffers for mini-batches of up to n runs: made before the first batch (a
  // data set smaller than the batch size needs fewer), never in the loop after.
  void reserve_chunks(const Network<T>& net, std::size_t n, std::size_t chunk_size) {
    const std::size_t chunks = (n + chunk_size - 1) / chunk_size;
    if (chunk_loss.size() >= chunks) return;
    grads.resize(std::min(chunks, max_gradient_buffers), Gradient<T>(net));
    chunk_loss.resize(chunks);
    chunk_correct.resize(chunks);
    outputs.resize(grads.size(), std::vector<T>(net.num_outputs()));
  }
};

template <class T>
Trainer<T>::Trainer(Network<T>& net, const TrainOptions& options,
                    std::unique_ptr<Optimizer<T>> optimizer)
    : net_(net), options_(options), optimizer_(std::move(optimizer)) {
  options_.check();
  // One learning rate: options.learning_rate, whatever the optimizer was made with.
  if (!optimizer_)
    optimizer_ = std::make_unique<Sgd<T>>(options_.learning_rate);
  else
    optimizer_->set_learning_rate(options_.learning_rate);
  check_loss(net, options_.loss, "Trainer");
  state_.epoch_rng = options_.seed;
  impl_ = std::make_unique<Impl>(net, options_);
  impl_->eta0 = options_.learning_rate;
  if (options_.schedule.kind != Schedule::Kind::constant && !optimizer_->has_learning_rate())
    throw invalid_argument("Trainer: schedule '" + options_.schedule.to_string() +
                           "' scales a learning rate, but " + optimizer_->name() + " has none");
  const std::size_t U = net.num_units();
  if (!options_.unit_dropout.empty()) {
    if (options_.unit_dropout.size() != U)
      throw invalid_argument("Trainer: unit_dropout has " +
                             std::to_string(options_.unit_dropout.size()) + " rates, the network " +
                             std::to_string(U) + " units");
    for (UnitId i = 0; i < U; ++i)
      if (net.role(i) != Role::hidden && options_.unit_dropout[i] != 0)
        throw invalid_argument("Trainer: unit_dropout of unit u" + std::to_string(i) +
                               " must be 0: only hidden units can be dropped");
    impl_->drop_rate = options_.unit_dropout;
  } else if (options_.dropout > 0) {
    impl_->drop_rate.assign(U, 0.0);
    for (UnitId i = 0; i < U; ++i)
      if (net.role(i) == Role::hidden) impl_->drop_rate[i] = options_.dropout;
  }
}

template <class T>
Trainer<T>::~Trainer() = default;

namespace {

// The first unit of the first run whose x, y or p is not finite, found by
// replaying the batch run by run with the memo's algorithm.
template <class T>
std::string locate_non_finite(const Network<T>& net, const Dataset<T>& data,
                              const std::size_t* rows, std::size_t n, Loss loss) {
  Run<T> run(net);
  Gradient<T> scratch(net);
  for (std::size_t r = 0; r < n; ++r) {
    const double E =
        back_propagate(net, data.input(rows[r]), data.target(rows[r]), loss, run, scratch);
    // Inputs are the data, checked finite when it was read: the first
    // non-input unit is where the overflow began.
    for (const char* which : {"x", "y", "p"})
      for (UnitId i = net.num_inputs(); i < net.num_units(); ++i) {
        const T value = which[0] == 'x' ? run.x[i] : which[0] == 'y' ? run.y[i] : run.p[i];
        if (!std::isfinite(value)) {
          std::ostringstream s;
          s << "first non-finite value: " << which << " = " << value << " of unit " << net.label(i)
            << " on " << data.where(rows[r]);
          return s.str();
        }
      }
    if (!std::isfinite(E))
      return "the loss overflowed on " + data.where(rows[r]) + " (every x, y and p is finite)";
  }
  return "every x, y and p is finite; the gradient (a product p_i y_j, or the sum over the "
         "batch) overflowed";
}

// The first non-finite parameter, as Network::parameter_label names it.
template <class T>
std::string first_non_finite_parameter(const Network<T>& net) {
  const auto& theta = net.params();
  for (std::size_t k = 0; k < theta.size(); ++k)
    if (!std::isfinite(theta[k])) return net.parameter_label(k);
  return "a parameter";
}

// before + η + after for a message, or "" for an optimizer without a learning rate.
template <class T>
std::string rate_note(const Optimizer<T>& opt, const char* before, const char* after) {
  if (!opt.has_learning_rate()) return "";
  std::ostringstream s;
  s << before << opt.learning_rate() << after;
  return s.str();
}

}  // namespace

template <class T>
struct Trainer<T>::Batch {
  std::size_t batches = 0, n = 0, chunks = 0;
  const std::size_t* rows = nullptr;  // [n]: the data row of each run, in the epoch's order
  ChunkShare share;                   // the chunks this process computes
  BackwardOptions bo;
  Dropout dropout;
  bool dropping = false;
  double loss = 0;  // E summed over the batch in chunk order
  std::size_t correct = 0;
  bool finite = true;  // the summed gradient
  std::chrono::steady_clock::time_point start;
};

// One mini-batch, as Algorithm 1: the epoch's order of the runs, InitGrad and
// BackPropagate of the chunks (lines 1-4) summed in chunk order, the divergence
// check, then UpdateNN (line 5).
template <class T>
std::optional<EpochReport> Trainer<T>::train_batch(const Dataset<T>& train) {
  check_data(net_, train, "train");
  epoch_order(train.size());
  Batch b = start_batch(train);
  combine(train, b);
  check_divergence(train, b);
  update(b);
  return finish_batch(b);
}

// The epoch's order of the runs: a seeded shuffle continuing the epoch's stream.
template <class T>
void Trainer<T>::epoch_order(std::size_t rows) {
  Impl& m = *impl_;
  if (m.order_epoch == state_.epoch && m.order.size() == rows) return;
  m.order.resize(rows);
  std::iota(m.order.begin(), m.order.end(), std::size_t{0});
  SplitMix64 rng(state_.epoch_rng);
  if (options_.shuffle) shuffle(m.order, rng);
  m.order_epoch = state_.epoch;
  m.next_epoch_rng = rng.state();  // the next epoch continues the stream
}

// The rows, chunks, share and options of the next mini-batch; sets its η.
template <class T>
typename Trainer<T>::Batch Trainer<T>::start_batch(const Dataset<T>& train) {
  Impl& m = *impl_;
  Batch b;
  const std::size_t N = train.size(), B = options_.batch_size;
  b.batches = (N + B - 1) / B;
  if (state_.batch == 0) m.epoch_start = std::chrono::steady_clock::now();
  b.start = std::chrono::steady_clock::now();
  if (state_.batch >= b.batches)
    throw invalid_argument("Trainer: state says batch " + std::to_string(state_.batch) +
                           " of an epoch of " + std::to_string(b.batches) + " batches");
  // A pure function of the epoch: resumes exactly.
  if (options_.schedule.kind != Schedule::Kind::constant)
    optimizer_->set_learning_rate(options_.schedule.learning_rate(m.eta0, state_.epoch));

  const std::size_t first = state_.batch * B, C = options_.chunk_size;
  b.n = std::min(B, N - first);
  b.rows = m.order.data() + first;
  b.chunks = (b.n + C - 1) / C;
  b.share = reducer_ ? reducer_->share(b.chunks) : ChunkShare{0, b.chunks};
  if (b.share.first > b.share.last || b.share.last > b.chunks ||
      (b.share.first == 0 && b.share.empty()))
    throw invalid_argument("Trainer: the reducer's share [" + std::to_string(b.share.first) + ", " +
                           std::to_string(b.share.last) + ") of a batch of " +
                           std::to_string(b.chunks) +
                           " chunks is not a range of them (one starting at 0 must not be empty)");
  m.reserve_chunks(net_, std::min(B, N), C);
  b.bo.loss = options_.loss;
  b.bo.scale = options_.reduction == Reduction::mean ? 1.0 / static_cast<double>(b.n) : 1.0;
  b.bo.input_gradient = options_.input_gradient;
  b.bo.fresh_gradient = true;
  b.dropout = Dropout{m.drop_rate.data(), options_.seed, state_.epoch};
  b.dropping = !m.drop_rate.empty();
  return b;
}

// Algorithm 1, lines 1-4, over this process's share: InitGrad, then
// BackPropagate for every run, in waves of chunks when there are more chunks
// than buffers (max_gradient_buffers). Chunk 0 starts the sum in buffer 0;
// a share starting later continues it from the reducer's prefix; each wave is
// added to buffer 0 in chunk order, in segments of parameters between which
// the reducer receives the prefix (first wave) and sends the sum on (last).
template <class T>
void Trainer<T>::combine(const Dataset<T>& train, Batch& b) {
  Impl& m = *impl_;
  const std::size_t buffers = m.grads.size(), P = net_.params().size();
  const std::size_t segment = reducer_ && reducer_->segment() > 0 ? reducer_->segment() : P;
  T* sum = m.grads[0].g.data();
  for (std::size_t wave0 = b.share.first; wave0 < b.share.last;) {
    // Chunk wave0 + a goes to buffer slot0 + a; buffer 0 keeps the sum after chunk 0's wave.
    const std::size_t slot0 = wave0 == 0 ? 0 : 1;
    const std::size_t wave = std::min(b.share.last - wave0, buffers - slot0);
    back_propagate_chunks(train, b, wave0, slot0, wave);
    const bool prefix = reducer_ && wave0 == b.share.first && wave0 > 0;
    const bool last = wave0 + wave == b.share.last;
    for (std::size_t k0 = 0; k0 < P; k0 += segment) {
      const std::size_t k1 = std::min(P, k0 + segment);
      if (prefix) reducer_->receive(sum, k0, k1, b.chunks);
      reduce_wave(b, slot0 + wave, k0, k1, last && !reducer_);
      if (reducer_ && last) reducer_->send(sum, k0, k1, b.chunks);
    }
    wave0 += wave;
  }
  if (reducer_) {
    reducer_->complete(sum, P, m.chunk_loss.data(), m.chunk_correct.data(), b.chunks);
    std::atomic<bool> finite{true};
    for_tasks(m.arena, P, param_grain, [&](std::size_t k0, std::size_t k1) {
      if (!detail::all_finite(sum + k0, k1 - k0)) finite = false;
    });
    b.finite = finite;
  }
  for (std::size_t q = 0; q < b.chunks; ++q)
    b.loss += m.chunk_loss[q], b.correct += m.chunk_correct[q];
}

// BackPropagate of the chunks [wave0, wave0 + wave) into the buffers from slot0 on.
template <class T>
void Trainer<T>::back_propagate_chunks(const Dataset<T>& train, Batch& b, std::size_t wave0,
                                       std::size_t slot0, std::size_t wave) {
  Impl& m = *impl_;
  const std::size_t C = options_.chunk_size, K = net_.num_outputs();
  const bool count = classifies(options_.loss);
  const Dropout* drop = b.dropping ? &b.dropout : nullptr;
  for_tasks(m.arena, wave, 1, [&](std::size_t a0, std::size_t a1) {
    Workspace<T>& ws = m.workspaces.local();
    for (std::size_t a = a0; a != a1; ++a) {
      const std::size_t q = wave0 + a;
      Gradient<T>& g = m.grads[slot0 + a];  // InitGrad: back_propagate starts it from zero
      const Block<T> block{train.inputs.data(), train.targets.data(), b.rows + q * C,
                           std::min(C, b.n - q * C), drop};
      m.chunk_loss[q] = back_propagate(net_, block, b.bo, ws, g);
      std::size_t right = 0;
      if (count) {
        T* y = m.outputs[slot0 + a].data();
        for (std::size_t r = 0; r < block.runs; ++r) {
          for (std::size_t k = 0; k < K; ++k) y[k] = ws.y(net_.output(k))[r];
          right += correct(options_.loss, K, y, train.target(block.rows[r]));
        }
      }
      m.chunk_correct[q] = right;
    }
  });
}

// Adds buffers 1 .. used - 1 to buffer 0 in chunk order over the parameters
// [k0, k1), in parallel; `last`: also checks the sum finite there.
template <class T>
void Trainer<T>::reduce_wave(Batch& b, std::size_t used, std::size_t k0, std::size_t k1,
                             bool last) {
  Impl& m = *impl_;
  std::atomic<bool> finite{true};
  for_tasks(m.arena, k1 - k0, param_grain, [&](std::size_t j0, std::size_t j1) {
    T* g0 = m.grads[0].g.data() + k0;
    for (std::size_t s = 1; s < used; ++s) {
      const T* gs = m.grads[s].g.data() + k0;
      for (std::size_t k = j0; k != j1; ++k) g0[k] += gs[k];
    }
    if (last && !detail::all_finite(g0 + j0, j1 - j0)) finite = false;
  });
  if (!finite) b.finite = false;
}

// Divergence before the update: the loss or the summed gradient not finite.
template <class T>
void Trainer<T>::check_divergence(const Dataset<T>& train, const Batch& b) {
  if (b.finite && std::isfinite(b.loss)) return;
  std::ostringstream s;
  s << "training diverged at epoch " << state_.epoch + 1 << ", batch " << state_.batch + 1 << " of "
    << b.batches << rate_note(*optimizer_, " (learning rate ", ")") << ": "
    << (std::isfinite(b.loss) ? "the gradient" : "the loss") << " is not finite; "
    << locate_non_finite(net_, train, b.rows, b.n, options_.loss)
    << ". The weights are those before this batch.";
  throw numeric_error(s.str());
}

// Algorithm 1, line 5: UpdateNN (or the chosen optimizer), after clipping;
// an update overflowing a weight is divergence after it.
template <class T>
void Trainer<T>::update(const Batch& b) {
  Impl& m = *impl_;
  const std::size_t P = net_.params().size();
  T* g = m.grads[0].g.data();
  optimizer_->begin_step(P);
  if (options_.clip_norm > 0 || options_.clip_value > 0)
    m.arena.execute([&] {
      if (options_.clip_norm > 0) clip_by_norm(g, P, options_.clip_norm);
      if (options_.clip_value > 0) clip_by_value(g, P, options_.clip_value);
    });
  std::atomic<bool> updated_finite{true};
  for_tasks(m.arena, P, param_grain, [&](std::size_t k0, std::size_t k1) {
    T* theta = net_.params().data();
    optimizer_->update(theta, g, k0, k1);
    if (!detail::all_finite(theta + k0, k1 - k0)) updated_finite = false;
  });
  if (updated_finite) return;
  std::ostringstream s;
  s << "training diverged at epoch " << state_.epoch + 1 << ", batch " << state_.batch + 1 << " of "
    << b.batches << ": the gradient was finite but the " << optimizer_->name() << " update"
    << rate_note(*optimizer_, " with learning rate ", "") << " made "
    << first_non_finite_parameter(net_)
    << " non-finite; the weights are unusable now (reload them from a checkpoint)";
  throw numeric_error(s.str());
}

// Adds the batch to the epoch's sums; returns the epoch's report after its last batch.
template <class T>
std::optional<EpochReport> Trainer<T>::finish_batch(const Batch& b) {
  const bool count = classifies(options_.loss);
  state_.loss_sum += b.loss;
  state_.correct += b.correct;
  state_.runs += b.n;
  ++state_.batch;
  const auto now = std::chrono::steady_clock::now();
  state_.seconds += std::chrono::duration<double>(now - b.start).count();
  if (on_batch_)
    on_batch_(BatchReport{state_.epoch + 1, state_.batch - 1, b.batches,
                          b.loss / static_cast<double>(b.n), b.n});
  if (state_.batch < b.batches) return std::nullopt;

  EpochReport report;
  report.epoch = state_.epoch + 1;
  report.runs = state_.runs;
  report.loss = state_.loss_sum / static_cast<double>(state_.runs);
  report.accuracy =
      count ? static_cast<double>(state_.correct) / static_cast<double>(state_.runs) : std::nan("");
  report.validation_loss = report.validation_accuracy = std::nan("");
  report.seconds = state_.seconds;
  state_ = TrainerState{state_.epoch + 1, 0, impl_->next_epoch_rng, 0, 0, 0, 0};
  return report;
}

template <class T>
std::vector<EpochReport> Trainer<T>::fit(const Dataset<T>& train, const Dataset<T>* validation,
                                         const std::function<bool(const EpochReport&)>& on_epoch) {
  check_data(net_, train, "train");
  if (validation) check_data(net_, *validation, "validation");
  std::vector<EpochReport> reports;
  while (state_.epoch < options_.epochs) {
    auto report = train_batch(train);
    if (!report) continue;
    if (validation) {
      const Evaluation ev = evaluate(net_, *validation, options_.loss, options_.threads);
      report->validation_loss = ev.loss;
      report->validation_accuracy = ev.accuracy;
    }
    reports.push_back(*report);
    if (on_epoch && !on_epoch(*report)) break;
  }
  return reports;
}

template class Trainer<float>;
template class Trainer<double>;

}  // namespace dagprop
