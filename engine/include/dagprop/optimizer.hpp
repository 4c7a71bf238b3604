// How Δw, Δb become a change of w, b. Plain SGD is the memo's Algorithm 5
// and the default; others keep state per parameter (same layout [w | b]).
// update() is called on disjoint ranges of parameters in parallel. Beyond
// plain SGD: momentum and Nesterov SGD, Adam, AdamW, RMSprop, each with
// per-parameter state in the [w | b] layout, and iRPROP-, which has no
// learning rate. The formulas are PyTorch's (torch.optim,
// foreach=False), iRPROP-'s Igel and Hüsken's (2000); this file does not
// schedule learning rates (schedule.hpp).
//
// An OptimizerOptions names the optimizer and holds its hyper-parameters
// (μ, β1, β2, ε, λ, ... below); make_optimizer builds it:
//   dagprop::OptimizerOptions o;            // defaults below
//   o.name = "adamw";                       // sgd|momentum|nesterov|adam|adamw|rmsprop|irprop-
//   o.weight_decay = 1e-2;                  // λ
//   train_options.learning_rate = 1e-3;     // η: set once, in TrainOptions (trainer.hpp)
//   auto opt = dagprop::make_optimizer<float>(o);  // throws invalid_argument
//   dagprop::Trainer<float> trainer(net, train_options, std::move(opt));
// Resuming: make_optimizer<T>(o) then opt->set_state(saved), or build it
// straight from the saved state with make_optimizer<T>(saved).
// η and the rest of training are TrainOptions fields (trainer.hpp, checked by
// check()); the Trainer gives η to its optimizer, and a schedule scales it:
//   train_options.schedule    a Schedule (schedule.hpp); constant by default
//   train_options.clip_norm   > 0: rescale Δθ to at most this global norm; 0: off
//   train_options.clip_value  > 0: clamp each Δθ_k to [-clip_value, clip_value]; 0: off
//   train_options.dropout     rate of every hidden unit, [0, 1)
// Early stopping is dagprop::EarlyStopping<T> (regularize.hpp). The command
// line's flags for all of these are mapped in tools/.
//
// The updates, per parameter θ with reduced gradient g, step t = 1, 2, ...:
//   L2 decay (all but adamw):  g <- g + λθ
//   sgd:       θ <- θ - η g                  (λ = 0: exactly class Sgd)
//   momentum:  m <- μ m + g (m = g at t=1);  θ <- θ - η m
//   nesterov:  m as momentum;                θ <- θ - η (g + μ m)
//   adam:      m <- β1 m + (1-β1) g;  v <- β2 v + (1-β2) g²
//              θ <- θ - (η / (1-β1^t)) m / (sqrt(v) / sqrt(1-β2^t) + ε)
//   adamw:     θ <- θ (1 - ηλ), then adam with λ = 0 (decoupled decay)
//   rmsprop:   v <- α v + (1-α) g²;  θ <- θ - η g / (sqrt(v) + ε)
//              (ε outside the square root, as PyTorch; no momentum, not centred)
//   irprop-:   per-parameter step Δ (Δ = Δ0 at t=1) and remembered gradient g'
//              (0 at t=1); no η, no λ:
//              g g' > 0:  Δ <- min(Δ η+, Δmax)
//              g g' < 0:  Δ <- max(Δ η-, Δmin);  g <- 0 (θ does not move)
//              θ <- θ - sign(g) Δ;  g' <- g
//              Full-batch (batch >= rows) as Igel and Hüsken and FANN train
//              it, or per mini-batch; only the signs of g and g' matter.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace dagprop {

// Everything an optimizer needs to continue bit-identically after a checkpoint.
template <class T>
struct OptimizerState {
  std::string name;
  std::vector<double> scalars;          // hyper-parameters and counters
  std::vector<std::vector<T>> buffers;  // per-parameter state, each [num_params]
};

// η where none is given: TrainOptions' default, and that of make_optimizer.
inline constexpr double default_learning_rate = 0.01;

template <class T>
class Optimizer {
 public:
  // Throws invalid_argument unless the rate is positive and finite in T.
  explicit Optimizer(double learning_rate) { set_learning_rate(learning_rate); }
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  virtual std::string name() const = 0;
  // False for an optimizer whose update reads no η (irprop-): a schedule, or
  // a learning rate in a message, means nothing to it.
  virtual bool has_learning_rate() const { return true; }
  // Once per mini-batch, before update() runs on the ranges.
  virtual void begin_step(std::size_t num_params) { (void)num_params; }
  // θ[k] for k in [begin, end) from the reduced gradient g[k].
  virtual void update(T* theta, const T* g, std::size_t begin, std::size_t end) = 0;
  virtual OptimizerState<T> state() const { return {name(), {learning_rate_}, {}}; }
  virtual void set_state(const OptimizerState<T>& s);

  double learning_rate() const { return learning_rate_; }
  void set_learning_rate(double eta);

 protected:
  double learning_rate_ = 0;
};

// Algorithm 5, UpdateNN: θ <- θ - η Δθ.
template <class T>
class Sgd : public Optimizer<T> {
 public:
  explicit Sgd(double learning_rate) : Optimizer<T>(learning_rate) {}
  std::string name() const override { return "sgd"; }
  void update(T* theta, const T* g, std::size_t begin, std::size_t end) override {
    const T eta = static_cast<T>(this->learning_rate_);
    for (std::size_t k = begin; k < end; ++k) theta[k] -= eta * g[k];
  }
};

struct OptimizerOptions {
  std::string name = "sgd";  // sgd | momentum | nesterov | adam | adamw | rmsprop | irprop-
  double momentum = 0.9;     // μ, momentum and nesterov only; in [0, 1)
  double beta1 = 0.9;        // adam, adamw; in [0, 1)
  double beta2 = 0.999;      // adam, adamw; in [0, 1)
  double alpha = 0.99;       // rmsprop's smoothing constant; in [0, 1)
  double epsilon = 1e-8;     // ε > 0: adam, adamw, rmsprop
  double weight_decay = 0;   // λ >= 0: L2 (added to g) or decoupled for adamw; not irprop-
  // irprop- only (FANN's defaults): 0 <= Δmin <= Δ0 <= Δmax, Δ0 > 0, finite
  double rprop_delta0 = 0.1;    // Δ0, every parameter's first step
  double rprop_increase = 1.2;  // η+ > 1
  double rprop_decrease = 0.5;  // η- in (0, 1)
  double rprop_delta_min = 0;   // Δmin
  double rprop_delta_max = 50;  // Δmax

  // Throws invalid_argument naming the first option out of range.
  void check() const;
};

// The list of names make_optimizer understands, for messages and --help.
const char* optimizer_names();

// Builds the optimizer `o.name`; throws invalid_argument for an unknown name or
// a hyper-parameter out of range. "sgd" with weight_decay 0 is class Sgd. Its
// η is default_learning_rate until set: a Trainer sets it to
// TrainOptions::learning_rate; used on its own, call set_learning_rate.
template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerOptions& o);

// Builds the optimizer a state() came from, with that state (hyper-parameters,
// step counter, buffers). Throws invalid_argument when the state is malformed.
template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerState<T>& s);

// SGD with L2 decay and optional (Nesterov) momentum; name() is "sgd",
// "momentum" or "nesterov". State: scalars [η, μ, λ, t], buffers [m] (none
// before the first step or when μ = 0).
template <class T>
class MomentumSgd : public Optimizer<T> {
 public:
  MomentumSgd(double learning_rate, double momentum, bool nesterov, double weight_decay);
  std::string name() const override;
  void begin_step(std::size_t num_params) override;
  void update(T* theta, const T* g, std::size_t begin, std::size_t end) override;
  OptimizerState<T> state() const override;
  void set_state(const OptimizerState<T>& s) override;

 private:
  double momentum_, weight_decay_;
  bool nesterov_;
  double step_ = 0;
  std::vector<T> m_;  // [num_params]
};

// Adam with L2 decay, or AdamW with decoupled decay. State: scalars
// [η, β1, β2, ε, λ, t], buffers [m, v] (none before the first step).
template <class T>
class Adam : public Optimizer<T> {
 public:
  Adam(double learning_rate, double beta1, double beta2, double epsilon, double weight_decay,
       bool decoupled);
  std::string name() const override { return decoupled_ ? "adamw" : "adam"; }
  void begin_step(std::size_t num_params) override;
  void update(T* theta, const T* g, std::size_t begin, std::size_t end) override;
  OptimizerState<T> state() const override;
  void set_state(const OptimizerState<T>& s) override;

 private:
  double beta1_, beta2_, epsilon_, weight_decay_;
  bool decoupled_;
  double step_ = 0;
  double step_size_ = 0, bc2_sqrt_ = 1;  // of the current step
  std::vector<T> m_, v_;                 // [num_params] each
};

// RMSprop with L2 decay. State: scalars [η, α, ε, λ, t], buffers [v].
template <class T>
class RmsProp : public Optimizer<T> {
 public:
  RmsProp(double learning_rate, double alpha, double epsilon, double weight_decay);
  std::string name() const override { return "rmsprop"; }
  void begin_step(std::size_t num_params) override;
  void update(T* theta, const T* g, std::size_t begin, std::size_t end) override;
  OptimizerState<T> state() const override;
  void set_state(const OptimizerState<T>& s) override;

 private:
  double alpha_, epsilon_, weight_decay_;
  double step_ = 0;
  std::vector<T> v_;  // [num_params]
};

// iRPROP- (Igel and Hüsken, "Improving the Rprop learning algorithm", 2000).
// State: scalars [Δ0, η+, η-, Δmin, Δmax, t], buffers [Δ, g'] (none before
// the first step); set_state checks every Δ within [Δmin, Δmax] and g' finite.
// learning_rate() is a placeholder 1 that no update reads.
template <class T>
class IRpropMinus : public Optimizer<T> {
 public:
  IRpropMinus(double delta0, double increase, double decrease, double delta_min, double delta_max);
  std::string name() const override { return "irprop-"; }
  bool has_learning_rate() const override { return false; }
  void begin_step(std::size_t num_params) override;
  void update(T* theta, const T* g, std::size_t begin, std::size_t end) override;
  OptimizerState<T> state() const override;
  void set_state(const OptimizerState<T>& s) override;

 private:
  double delta0_, increase_, decrease_, delta_min_, delta_max_;
  double step_ = 0;
  std::vector<T> delta_, g_prev_;  // [num_params] each: Δ and g'
};

}  // namespace dagprop
