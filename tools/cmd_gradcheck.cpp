// `dagprop gradcheck`: compares back-propagation (memo.hpp's Algorithm 3, in
// double) with central differences of the summed loss on a few data rows and
// prints the largest relative error, so anyone can check the engine on their
// own network. It checks; it does not change the model.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include "cli.hpp"
#include "dagprop/memo.hpp"
#include "dagprop/random.hpp"

namespace dagprop::cli {

namespace {

// E summed over the runs (eq. 8), by Propagate alone.
double total_loss(const Network<double>& net, const Dataset<double>& d, std::size_t rows, Loss loss,
                  Run<double>& run) {
  const std::size_t K = net.num_outputs();
  std::vector<double> xo(K), yo(K);
  double E = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    propagate(net, d.input(r), run);
    for (std::size_t k = 0; k < K; ++k) {
      xo[k] = run.x[net.output(k)];
      yo[k] = run.y[net.output(k)];
    }
    E += loss_gradient<double>(loss, K, xo.data(), yo.data(), d.target(r), nullptr);
  }
  return E;
}

// The flags of gradcheck.
struct GradcheckArgs {
  std::string model, loss;
  std::size_t samples = 10, max_params = 1000;
  double h = 1e-6, tolerance = -1;
  bool has_tolerance = false;
  std::uint64_t seed = 1;
  DataArgs data;
};

// Parses and checks the flags; false on --help.
bool parse_gradcheck_args(const Args& args, GradcheckArgs& a) {
  po::options_description desc("dagprop gradcheck");
  desc.add_options()("model", po::value(&a.model)->required(), "model file (positional)");
  add_loss_option(desc, a.loss);
  desc.add_options()("samples", po::value(&a.samples)->default_value(a.samples),
                     "data rows to use (the first ones)")(
      "params", po::value(&a.max_params)->default_value(a.max_params),
      "parameters to check at most (a seeded sample when the network has more)")(
      "step", po::value(&a.h)->default_value(a.h, "1e-6"),
      "central difference step h (times max(1, |θ|))")(
      "seed", po::value(&a.seed)->default_value(a.seed), "seed of the parameter sample")(
      "tolerance", po::value(&a.tolerance),
      "exit with status 1 when the largest relative error exceeds this");
  add_data_options(desc, a.data, true);
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop gradcheck MODEL --data FILE [options]")) return false;
  a.has_tolerance = vm.count("tolerance") > 0;
  if (!a.loss.empty()) parse_loss(a.loss);
  if (a.samples == 0) throw usage_error("--samples must be at least 1");
  if (a.max_params == 0) throw usage_error("--params must be at least 1");
  if (!(a.h > 0 && a.h < 1)) throw usage_error("--step must be in (0, 1), got " + number(a.h));
  if (a.has_tolerance && !(a.tolerance >= 0))
    throw usage_error("--tolerance must be at least 0, got " + number(a.tolerance));
  return true;
}

// The labeled data, scaled (inputs and targets) as the model was trained.
Dataset<double> gradcheck_data(DataArgs& d, const io::ModelMeta& meta, const Network<double>& net) {
  resolve_targets(meta, d);
  Dataset<double> data = load_labeled(d, net.num_inputs(), net.num_outputs());
  io::apply(eval_scaler(meta, d.scale, data), data);
  check_finite_inputs(data, d.data);
  io::apply_targets(meta.target, data);  // the loss as trained
  return data;
}

// Back-propagation: Δθ summed over the first `rows` runs (Algorithm 3 with
// InitGrad once); an error when the loss or the gradient is not finite.
Gradient<double> backprop_gradient(const Network<double>& net, const Dataset<double>& data,
                                   std::size_t rows, Loss loss, Run<double>& run,
                                   const std::string& source) {
  Gradient<double> grad(net);
  double E0 = 0;
  for (std::size_t r = 0; r < rows; ++r)
    E0 += back_propagate(net, data.input(r), data.target(r), loss, run, grad);
  if (!std::isfinite(E0) ||
      !std::all_of(grad.g.begin(), grad.g.end(), [](double g) { return std::isfinite(g); }))
    throw error("the loss or its gradient is not finite on the first " + std::to_string(rows) +
                " rows of " + source + ": nothing to check");
  return grad;
}

// The trainable parameters: every weight and the bias of every non-input unit.
std::vector<std::size_t> trainable_parameters(const Network<double>& net) {
  std::vector<std::size_t> which;
  for (std::size_t k = 0; k < net.params().size(); ++k)
    if (k < net.num_connections() || net.role(k - net.num_connections()) != Role::input)
      which.push_back(k);
  return which;
}

// A seeded sample of max_params of them, in order, when there are more.
void sample_parameters(std::vector<std::size_t>& which, std::size_t max_params,
                       std::uint64_t seed) {
  if (which.size() <= max_params) return;
  SplitMix64 rng(seed);
  shuffle(which, rng);
  which.resize(max_params);
  std::sort(which.begin(), which.end());
}

// The largest errors of back-propagation (a) against central differences (n).
struct Comparison {
  double worst_rel = 0, worst_abs = 0, worst_a = 0, worst_n = 0;
  std::size_t worst = 0, nonzero = 0;  // the parameter of worst_rel; those with |g| > 1e-7
};

// Compares grad.g[k] with (E(θ_k + s) - E(θ_k - s)) / 2s, s = h · max(1, |θ_k|),
// for each k in `which`; θ is restored after each.
Comparison compare(Network<double>& net, const Dataset<double>& data, std::size_t rows, Loss loss,
                   Run<double>& run, const Gradient<double>& grad,
                   const std::vector<std::size_t>& which, double h) {
  Comparison c;
  bool any = false;
  for (std::size_t k : which) {
    double& theta = net.params()[k];
    const double saved_theta = theta, step = h * std::max(1.0, std::abs(theta));
    theta = saved_theta + step;
    const double e_plus = total_loss(net, data, rows, loss, run);
    theta = saved_theta - step;
    const double e_minus = total_loss(net, data, rows, loss, run);
    theta = saved_theta;
    const double n = (e_plus - e_minus) / (2 * step), a = grad.g[k];
    const double scale = std::max(std::abs(a), std::abs(n)), diff = std::abs(a - n);
    c.worst_abs =
        std::isfinite(diff) ? std::max(c.worst_abs, diff) : std::numeric_limits<double>::infinity();
    if (scale > 1e-7) ++c.nonzero;
    // A non-finite difference (the step left the loss's finite range) is the worst.
    const double rel = !std::isfinite(n) ? std::numeric_limits<double>::infinity()
                       : scale > 1e-7    ? diff / scale
                                         : 0;
    if (rel > c.worst_rel || !any) {
      c.worst_rel = rel;
      c.worst = k;
      c.worst_a = a;
      c.worst_n = n;
      any = true;
    }
  }
  return c;
}

void print_comparison(const Network<double>& net, const Comparison& c) {
  std::printf(
      "largest relative error %.3e  (%s: back-propagation %.10g, central difference %.10g)\n",
      c.worst_rel, net.parameter_label(c.worst).c_str(), c.worst_a, c.worst_n);
  std::printf("largest absolute error %.3e\n", c.worst_abs);
  if (c.nonzero == 0)
    std::printf("warning: every checked gradient is zero (|g| <= 1e-7); the check says nothing\n");
}

}  // namespace

int cmd_gradcheck(const Args& args) {
  GradcheckArgs a;
  if (!parse_gradcheck_args(args, a)) return 0;
  io::ModelMeta meta;
  Network<double> net = load_model(a.model, meta);
  const Loss loss = resolve_loss(meta, a.loss);
  check_loss(net, loss);
  const Dataset<double> data = gradcheck_data(a.data, meta, net);
  const std::size_t rows = std::min(a.samples, data.size());

  Run<double> run(net);
  const Gradient<double> grad = backprop_gradient(net, data, rows, loss, run, a.data.data);
  std::vector<std::size_t> which = trainable_parameters(net);
  const std::size_t P = which.size();
  sample_parameters(which, a.max_params, a.seed);
  const Comparison c = compare(net, data, rows, loss, run, grad, which, a.h);
  std::printf("checked %zu of %zu parameters on %zu runs (loss %s, step %g)\n", which.size(), P,
              rows, std::string(to_string(loss)).c_str(), a.h);
  print_comparison(net, c);
  if (a.has_tolerance && c.worst_rel > a.tolerance) {
    char s[128];
    std::snprintf(s, sizeof s, "largest relative error %.3e exceeds --tolerance %g", c.worst_rel,
                  a.tolerance);
    throw error(s);
  }
  return 0;
}

}  // namespace dagprop::cli
