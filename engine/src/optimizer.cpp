// The Optimizer base (the learning rate, the state of plain SGD), then
// momentum/Nesterov SGD, Adam, AdamW, RMSprop and iRPROP- (see optimizer.hpp
// for the formulas). Hyper-parameters are checked when built and when a state
// is restored; update() runs on disjoint ranges in parallel.
#include "dagprop/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "dagprop/error.hpp"

namespace dagprop {

namespace {

void check_unit_interval(const char* who, const char* what, double v) {
  if (!(v >= 0 && v < 1))
    throw invalid_argument(std::string(who) + ": " + what + " must be in [0, 1), got " +
                           number_text(v));
}
void check_positive(const char* who, const char* what, double v) {
  if (!(v > 0) || !std::isfinite(v))
    throw invalid_argument(std::string(who) + ": " + what + " must be positive and finite, got " +
                           number_text(v));
}
void check_decay(const char* who, double v) {
  if (!(v >= 0) || !std::isfinite(v))
    throw invalid_argument(std::string(who) + ": weight_decay must be >= 0 and finite, got " +
                           number_text(v));
}

// The shape every state shares: its name, `scalars` values, and either no
// buffers (before the first step) or `buffers` buffers of one size.
template <class T>
void check_shape(const OptimizerState<T>& s, const std::string& name, std::size_t scalars,
                 std::size_t buffers) {
  if (s.name != name)
    throw invalid_argument("optimizer state is for '" + printable(s.name) + "', not '" + name +
                           "'");
  if (s.scalars.size() != scalars)
    throw invalid_argument("optimizer state of '" + name + "': expected " +
                           std::to_string(scalars) + " scalars, found " +
                           std::to_string(s.scalars.size()));
  if (!s.buffers.empty() && s.buffers.size() != buffers)
    throw invalid_argument("optimizer state of '" + name + "': expected 0 or " +
                           std::to_string(buffers) + " buffers, found " +
                           std::to_string(s.buffers.size()));
  for (const auto& b : s.buffers)
    if (b.size() != s.buffers[0].size())
      throw invalid_argument("optimizer state of '" + name + "': buffers of different sizes");
  const double t = s.scalars.back();
  if (!(t >= 0) || !std::isfinite(t) || t != std::floor(t) || (t > 0) != !s.buffers.empty())
    throw invalid_argument("optimizer state of '" + name + "': step counter " + number_text(t) +
                           " does not match its " + std::to_string(s.buffers.size()) + " buffers");
}

// Sizes a state buffer on the first step (zeros), and checks it afterwards.
template <class T>
void size_buffer(std::vector<T>& b, std::size_t n, const char* who) {
  if (b.empty()) b.assign(n, T(0));
  if (b.size() != n)
    throw invalid_argument(std::string(who) + ": state holds " + std::to_string(b.size()) +
                           " parameters, the network " + std::to_string(n));
}

// iRPROP-'s constants: η+ > 1, η- in (0, 1), 0 <= Δmin <= Δ0 <= Δmax, Δ0 > 0,
// all finite, Δmax finite in T (checked in double, in this order, so the cast
// to T only sees values in its range) and Δ0 not rounded to 0 in T.
template <class T>
void check_rprop(const char* who, double delta0, double increase, double decrease, double delta_min,
                 double delta_max) {
  const std::string w = std::string(who) + ": ";
  if (!(increase > 1) || !std::isfinite(increase))
    throw invalid_argument(w + "rprop_increase (η+) must be > 1 and finite, got " +
                           number_text(increase));
  if (!(decrease > 0 && decrease < 1))
    throw invalid_argument(w + "rprop_decrease (η-) must be in (0, 1), got " +
                           number_text(decrease));
  if (!(delta_min >= 0) || !(delta_max <= static_cast<double>(std::numeric_limits<T>::max())))
    throw invalid_argument(w + "rprop_delta_min and rprop_delta_max must be >= 0 and finite" +
                           (sizeof(T) == 4 ? " in float" : "") + ", got " + number_text(delta_min) +
                           " and " + number_text(delta_max));
  if (!(delta_min <= delta0 && delta0 <= delta_max) || !(static_cast<T>(delta0) > 0))
    throw invalid_argument(w + "rprop_delta0 (Δ0) must be > 0 and within [Δmin, Δmax] = [" +
                           number_text(delta_min) + ", " + number_text(delta_max) + "], got " +
                           number_text(delta0));
}

int sign(double v) {
  return (v > 0) - (v < 0);
}

}  // namespace

template <class T>
void Optimizer<T>::set_learning_rate(double eta) {
  // In this order, the cast to T only sees values in T's range.
  if (!(eta > 0) || !(eta <= static_cast<double>(std::numeric_limits<T>::max())) ||
      !(static_cast<T>(eta) > 0)) {
    std::ostringstream s;
    s << "learning rate must be positive and finite" << (sizeof(T) == 4 ? " in float" : "")
      << ", got " << eta;
    throw invalid_argument(s.str());
  }
  learning_rate_ = eta;
}

template <class T>
void Optimizer<T>::set_state(const OptimizerState<T>& s) {
  if (s.name != name())
    throw invalid_argument("optimizer state is for '" + s.name + "', not '" + name() + "'");
  if (s.scalars.size() != 1 || !s.buffers.empty())
    throw invalid_argument("optimizer state of '" + name() + "' has the wrong shape");
  set_learning_rate(s.scalars[0]);
}

template class Optimizer<float>;
template class Optimizer<double>;

void OptimizerOptions::check() const {
  const char* who = "OptimizerOptions";
  if (name != "sgd" && name != "momentum" && name != "nesterov" && name != "adam" &&
      name != "adamw" && name != "rmsprop" && name != "irprop-")
    throw invalid_argument("unknown optimizer '" + printable(name) + "' (expected " +
                           optimizer_names() + ")");
  if (name == "irprop-") {
    if (weight_decay != 0)
      throw invalid_argument("OptimizerOptions: irprop- takes no weight_decay, got " +
                             number_text(weight_decay));
    check_rprop<double>(who, rprop_delta0, rprop_increase, rprop_decrease, rprop_delta_min,
                        rprop_delta_max);
    return;  // and no learning rate
  }
  check_decay(who, weight_decay);
  if (name == "momentum" || name == "nesterov") check_unit_interval(who, "momentum", momentum);
  if (name == "nesterov" && !(momentum > 0))
    throw invalid_argument("OptimizerOptions: nesterov needs momentum > 0, got " +
                           number_text(momentum));
  if (name == "adam" || name == "adamw") {
    check_unit_interval(who, "beta1", beta1);
    check_unit_interval(who, "beta2", beta2);
  }
  if (name == "rmsprop") check_unit_interval(who, "alpha", alpha);
  if (name == "adam" || name == "adamw" || name == "rmsprop")
    check_positive(who, "epsilon", epsilon);
}

const char* optimizer_names() {
  return "sgd, momentum, nesterov, adam, adamw, rmsprop or irprop-";
}

// ---- momentum / nesterov SGD ---------------------------------------------

template <class T>
MomentumSgd<T>::MomentumSgd(double learning_rate, double momentum, bool nesterov,
                            double weight_decay)
    : Optimizer<T>(learning_rate),
      momentum_(momentum),
      weight_decay_(weight_decay),
      nesterov_(nesterov) {
  this->set_learning_rate(learning_rate);
  check_unit_interval("MomentumSgd", "momentum", momentum);
  check_decay("MomentumSgd", weight_decay);
  if (nesterov && !(momentum > 0))
    throw invalid_argument("MomentumSgd: nesterov needs momentum > 0, got " +
                           number_text(momentum));
}

template <class T>
std::string MomentumSgd<T>::name() const {
  return nesterov_ ? "nesterov" : momentum_ > 0 ? "momentum" : "sgd";
}

template <class T>
void MomentumSgd<T>::begin_step(std::size_t num_params) {
  if (momentum_ > 0) size_buffer(m_, num_params, "momentum");
  step_ += 1;
}

template <class T>
void MomentumSgd<T>::update(T* theta, const T* g, std::size_t begin, std::size_t end) {
  const T eta = static_cast<T>(this->learning_rate_), mu = static_cast<T>(momentum_),
          lambda = static_cast<T>(weight_decay_);
  for (std::size_t k = begin; k < end; ++k) {
    const T gk = weight_decay_ > 0 ? g[k] + lambda * theta[k] : g[k];  // g + λθ
    if (momentum_ == 0) {
      theta[k] -= eta * gk;
      continue;
    }
    m_[k] = mu * m_[k] + gk;  // m <- μ m + g
    theta[k] -= eta * (nesterov_ ? gk + mu * m_[k] : m_[k]);
  }
}

template <class T>
OptimizerState<T> MomentumSgd<T>::state() const {
  OptimizerState<T> s{name(), {this->learning_rate_, momentum_, weight_decay_, step_}, {}};
  if (!m_.empty()) s.buffers.push_back(m_);
  return s;
}

template <class T>
void MomentumSgd<T>::set_state(const OptimizerState<T>& s) {
  check_shape(s, name(), 4, momentum_ > 0 ? 1 : 0);
  MomentumSgd check(s.scalars[0], s.scalars[1], nesterov_, s.scalars[2]);
  if (check.name() != name())
    throw invalid_argument("optimizer state of '" + name() + "' has momentum " +
                           number_text(s.scalars[1]));
  this->learning_rate_ = s.scalars[0];
  momentum_ = s.scalars[1];
  weight_decay_ = s.scalars[2];
  step_ = s.scalars[3];
  m_ = s.buffers.empty() ? std::vector<T>{} : s.buffers[0];
}

// ---- Adam / AdamW ----------------------------------------------------------

template <class T>
Adam<T>::Adam(double learning_rate, double beta1, double beta2, double epsilon, double weight_decay,
              bool decoupled)
    : Optimizer<T>(learning_rate),
      beta1_(beta1),
      beta2_(beta2),
      epsilon_(epsilon),
      weight_decay_(weight_decay),
      decoupled_(decoupled) {
  this->set_learning_rate(learning_rate);
  check_unit_interval("Adam", "beta1", beta1);
  check_unit_interval("Adam", "beta2", beta2);
  check_positive("Adam", "epsilon", epsilon);
  check_decay("Adam", weight_decay);
}

template <class T>
void Adam<T>::begin_step(std::size_t num_params) {
  size_buffer(m_, num_params, "adam");
  size_buffer(v_, num_params, "adam");
  step_ += 1;
  step_size_ = this->learning_rate_ / (1 - std::pow(beta1_, step_));  // η / (1-β1^t)
  bc2_sqrt_ = std::sqrt(1 - std::pow(beta2_, step_));                 // sqrt(1-β2^t)
}

template <class T>
void Adam<T>::update(T* theta, const T* g, std::size_t begin, std::size_t end) {
  const T b1 = static_cast<T>(beta1_), c1 = static_cast<T>(1 - beta1_);
  const T b2 = static_cast<T>(beta2_), c2 = static_cast<T>(1 - beta2_);
  const T eps = static_cast<T>(epsilon_), lambda = static_cast<T>(weight_decay_);
  const T shrink = static_cast<T>(1 - this->learning_rate_ * weight_decay_);
  const T step_size = static_cast<T>(step_size_), bc2_sqrt = static_cast<T>(bc2_sqrt_);
  const bool decay = weight_decay_ > 0;
  for (std::size_t k = begin; k < end; ++k) {
    T gk = g[k];
    if (decay && decoupled_) theta[k] *= shrink;  // θ <- θ (1 - ηλ)
    if (decay && !decoupled_) gk += lambda * theta[k];
    m_[k] = b1 * m_[k] + c1 * gk;       // m <- β1 m + (1-β1) g
    v_[k] = b2 * v_[k] + c2 * gk * gk;  // v <- β2 v + (1-β2) g²
    const T denom = std::sqrt(v_[k]) / bc2_sqrt + eps;
    theta[k] -= step_size * (m_[k] / denom);
  }
}

template <class T>
OptimizerState<T> Adam<T>::state() const {
  OptimizerState<T> s{
      name(), {this->learning_rate_, beta1_, beta2_, epsilon_, weight_decay_, step_}, {}};
  if (!m_.empty()) s.buffers = {m_, v_};
  return s;
}

template <class T>
void Adam<T>::set_state(const OptimizerState<T>& s) {
  check_shape(s, name(), 6, 2);
  const auto& a = s.scalars;
  Adam check(a[0], a[1], a[2], a[3], a[4], decoupled_);
  this->learning_rate_ = a[0];
  beta1_ = a[1], beta2_ = a[2], epsilon_ = a[3], weight_decay_ = a[4], step_ = a[5];
  m_ = s.buffers.empty() ? std::vector<T>{} : s.buffers[0];
  v_ = s.buffers.empty() ? std::vector<T>{} : s.buffers[1];
}

// ---- RMSprop -----------------------------------------------------------------

template <class T>
RmsProp<T>::RmsProp(double learning_rate, double alpha, double epsilon, double weight_decay)
    : Optimizer<T>(learning_rate), alpha_(alpha), epsilon_(epsilon), weight_decay_(weight_decay) {
  this->set_learning_rate(learning_rate);
  check_unit_interval("RmsProp", "alpha", alpha);
  check_positive("RmsProp", "epsilon", epsilon);
  check_decay("RmsProp", weight_decay);
}

template <class T>
void RmsProp<T>::begin_step(std::size_t num_params) {
  size_buffer(v_, num_params, "rmsprop");
  step_ += 1;
}

template <class T>
void RmsProp<T>::update(T* theta, const T* g, std::size_t begin, std::size_t end) {
  const T eta = static_cast<T>(this->learning_rate_), a = static_cast<T>(alpha_),
          c = static_cast<T>(1 - alpha_), eps = static_cast<T>(epsilon_),
          lambda = static_cast<T>(weight_decay_);
  for (std::size_t k = begin; k < end; ++k) {
    const T gk = weight_decay_ > 0 ? g[k] + lambda * theta[k] : g[k];
    v_[k] = a * v_[k] + c * gk * gk;                    // v <- α v + (1-α) g²
    theta[k] -= eta * (gk / (std::sqrt(v_[k]) + eps));  // ε outside the root
  }
}

template <class T>
OptimizerState<T> RmsProp<T>::state() const {
  OptimizerState<T> s{name(), {this->learning_rate_, alpha_, epsilon_, weight_decay_, step_}, {}};
  if (!v_.empty()) s.buffers = {v_};
  return s;
}

template <class T>
void RmsProp<T>::set_state(const OptimizerState<T>& s) {
  check_shape(s, name(), 5, 1);
  const auto& a = s.scalars;
  RmsProp check(a[0], a[1], a[2], a[3]);
  this->learning_rate_ = a[0];
  alpha_ = a[1], epsilon_ = a[2], weight_decay_ = a[3], step_ = a[4];
  v_ = s.buffers.empty() ? std::vector<T>{} : s.buffers[0];
}

// ---- iRPROP- -------------------------------------------------------------------

template <class T>
IRpropMinus<T>::IRpropMinus(double delta0, double increase, double decrease, double delta_min,
                            double delta_max)
    : Optimizer<T>(1.0),
      delta0_(delta0),
      increase_(increase),
      decrease_(decrease),
      delta_min_(delta_min),
      delta_max_(delta_max) {
  check_rprop<T>("IRpropMinus", delta0, increase, decrease, delta_min, delta_max);
}

template <class T>
void IRpropMinus<T>::begin_step(std::size_t num_params) {
  if (delta_.empty()) delta_.assign(num_params, static_cast<T>(delta0_));
  size_buffer(delta_, num_params, "irprop-");
  size_buffer(g_prev_, num_params, "irprop-");
  step_ += 1;
}

template <class T>
void IRpropMinus<T>::update(T* theta, const T* g, std::size_t begin, std::size_t end) {
  const T up = static_cast<T>(increase_), down = static_cast<T>(decrease_);
  const T lo = static_cast<T>(delta_min_), hi = static_cast<T>(delta_max_);
  for (std::size_t k = begin; k < end; ++k) {
    T gk = g[k];
    // The sign of g g' from the signs, so that tiny gradients cannot underflow to "no sign".
    const int same = sign(static_cast<double>(gk)) * sign(static_cast<double>(g_prev_[k]));
    if (same > 0) {
      delta_[k] = std::min(delta_[k] * up, hi);  // Δ <- min(Δ η+, Δmax)
    } else if (same < 0) {
      delta_[k] = std::max(delta_[k] * down, lo);  // Δ <- max(Δ η-, Δmin)
      gk = 0;                                      // iRPROP-: forget g, do not move
    }
    if (gk > 0) theta[k] -= delta_[k];  // θ <- θ - sign(g) Δ
    if (gk < 0) theta[k] += delta_[k];
    g_prev_[k] = gk;
  }
}

template <class T>
OptimizerState<T> IRpropMinus<T>::state() const {
  OptimizerState<T> s{name(), {delta0_, increase_, decrease_, delta_min_, delta_max_, step_}, {}};
  if (!delta_.empty()) s.buffers = {delta_, g_prev_};
  return s;
}

template <class T>
void IRpropMinus<T>::set_state(const OptimizerState<T>& s) {
  check_shape(s, name(), 6, 2);
  const auto& a = s.scalars;
  IRpropMinus check(a[0], a[1], a[2], a[3], a[4]);
  const std::string where = "optimizer state of 'irprop-': ";
  if (!s.buffers.empty()) {
    const T lo = static_cast<T>(a[3]), hi = static_cast<T>(a[4]);
    for (std::size_t k = 0; k < s.buffers[0].size(); ++k) {
      const T d = s.buffers[0][k], gp = s.buffers[1][k];
      if (!(d >= lo && d <= hi))
        throw invalid_argument(where + "step size " + number_text(static_cast<double>(d)) +
                               " of parameter " + std::to_string(k) +
                               " is outside [Δmin, Δmax] = [" + number_text(a[3]) + ", " +
                               number_text(a[4]) + "]");
      if (!std::isfinite(gp))
        throw invalid_argument(where + "remembered gradient of parameter " + std::to_string(k) +
                               " is not finite");
    }
  }
  delta0_ = a[0], increase_ = a[1], decrease_ = a[2], delta_min_ = a[3], delta_max_ = a[4];
  step_ = a[5];
  delta_ = s.buffers.empty() ? std::vector<T>{} : s.buffers[0];
  g_prev_ = s.buffers.empty() ? std::vector<T>{} : s.buffers[1];
}

// ---- factories -----------------------------------------------------------------

template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerOptions& o) {
  o.check();
  const std::string& n = o.name;
  if (n == "sgd" && o.weight_decay == 0) {
    return std::make_unique<Sgd<T>>(default_learning_rate);
  }
  if (n == "sgd")
    return std::make_unique<MomentumSgd<T>>(default_learning_rate, 0, false, o.weight_decay);
  if (n == "momentum" || n == "nesterov")
    return std::make_unique<MomentumSgd<T>>(default_learning_rate, o.momentum, n == "nesterov",
                                            o.weight_decay);
  if (n == "adam" || n == "adamw")
    return std::make_unique<Adam<T>>(default_learning_rate, o.beta1, o.beta2, o.epsilon,
                                     o.weight_decay, n == "adamw");
  if (n == "irprop-")
    return std::make_unique<IRpropMinus<T>>(o.rprop_delta0, o.rprop_increase, o.rprop_decrease,
                                            o.rprop_delta_min, o.rprop_delta_max);
  return std::make_unique<RmsProp<T>>(default_learning_rate, o.alpha, o.epsilon, o.weight_decay);
}

template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerState<T>& s) {
  const auto& a = s.scalars;
  auto need = [&](std::size_t k) {
    if (a.size() != k)
      throw invalid_argument("optimizer state of '" + printable(s.name) + "': expected " +
                             std::to_string(k) + " scalars, found " + std::to_string(a.size()));
  };
  std::unique_ptr<Optimizer<T>> opt;
  if (s.name == "sgd" && a.size() == 1) {
    opt = std::make_unique<Sgd<T>>(1.0);
  } else if (s.name == "sgd" || s.name == "momentum" || s.name == "nesterov") {
    need(4);
    opt = std::make_unique<MomentumSgd<T>>(a[0], a[1], s.name == "nesterov", a[2]);
  } else if (s.name == "adam" || s.name == "adamw") {
    need(6);
    opt = std::make_unique<Adam<T>>(a[0], a[1], a[2], a[3], a[4], s.name == "adamw");
  } else if (s.name == "rmsprop") {
    need(5);
    opt = std::make_unique<RmsProp<T>>(a[0], a[1], a[2], a[3]);
  } else if (s.name == "irprop-") {
    need(6);
    opt = std::make_unique<IRpropMinus<T>>(a[0], a[1], a[2], a[3], a[4]);
  } else {
    throw invalid_argument("optimizer state names unknown optimizer '" + printable(s.name) +
                           "' (expected " + optimizer_names() + ")");
  }
  opt->set_state(s);
  return opt;
}

template class MomentumSgd<float>;
template class MomentumSgd<double>;
template class Adam<float>;
template class Adam<double>;
template class RmsProp<float>;
template class RmsProp<double>;
template class IRpropMinus<float>;
template class IRpropMinus<double>;
template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const OptimizerOptions&);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const OptimizerOptions&);
template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const OptimizerState<float>&);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const OptimizerState<double>&);

}  // namespace dagprop
