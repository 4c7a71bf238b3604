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
    for (std::size_t k = 0; k < K; ++k) xo[k] = run.x[net.output(k)], yo[k] = run.y[net.output(k)];
    E += loss_gradient<double>(loss, K, xo.data(), yo.data(), d.target(r), nullptr);
  }
  return E;
}

std::string unit_label(const Network<double>& net, UnitId i) {
  return net.name(i).empty() ? "u" + std::to_string(net.topology_id(i)) : net.name(i);
}

// "weight u2 -> u5" or "bias u5" for parameter k of the [w | b] buffer.
std::string parameter_label(const Network<double>& net, std::size_t k) {
  if (k >= net.num_connections()) return "bias " + unit_label(net, k - net.num_connections());
  UnitId i = 0;
  while (net.first(i + 1) <= k) ++i;
  return "weight " + unit_label(net, net.source(k)) + " -> " + unit_label(net, i);
}

}  // namespace

int cmd_gradcheck(const Args& args) {
  std::string model, loss;
  std::size_t samples = 10, max_params = 1000;
  double h = 1e-6, tolerance = -1;
  std::uint64_t seed = 1;
  DataArgs d;
  po::options_description desc("dagprop gradcheck");
  desc.add_options()("model", po::value(&model)->required(), "model file (positional)")(
      "loss", po::value(&loss)->notifier(not_empty("--loss")),
      "sse | softmax-ce | bce (default: the model's, else sse)")(
      "samples", po::value(&samples)->default_value(samples), "data rows to use (the first ones)")(
      "params", po::value(&max_params)->default_value(max_params),
      "parameters to check at most (a seeded sample when the network has more)")(
      "step", po::value(&h)->default_value(h, "1e-6"),
      "central difference step h (times max(1, |θ|))")(
      "seed", po::value(&seed)->default_value(seed), "seed of the parameter sample")(
      "tolerance", po::value(&tolerance),
      "exit with status 1 when the largest relative error exceeds this");
  add_data_options(desc, d, true);
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop gradcheck MODEL --data FILE [options]")) return 0;
  if (!loss.empty()) parse_loss(loss);
  if (samples == 0) throw usage_error("--samples must be at least 1");
  if (max_params == 0) throw usage_error("--params must be at least 1");
  if (!(h > 0 && h < 1)) throw usage_error("--step must be in (0, 1), got " + number(h));
  if (vm.count("tolerance") && !(tolerance >= 0))
    throw usage_error("--tolerance must be at least 0, got " + number(tolerance));

  io::ModelMeta meta;
  Network<double> net = load_model(model, meta);
  const Loss l = resolve_loss(meta, loss);
  check_loss(net, l);
  resolve_targets(meta, d);
  Dataset<double> data = load_labeled(d, net.num_inputs(), net.num_outputs());
  io::apply(eval_scaler(meta.input, d.scale, data), data);
  check_finite_inputs(data, d.data);
  io::apply_targets(meta.target, data);  // the loss as trained
  const std::size_t rows = std::min(samples, data.size());

  // Back-propagation: Δθ summed over the runs (Algorithm 3 with InitGrad once).
  Gradient<double> grad(net);
  Run<double> run(net);
  double E0 = 0;
  for (std::size_t r = 0; r < rows; ++r)
    E0 += back_propagate(net, data.input(r), data.target(r), l, run, grad);
  if (!std::isfinite(E0) ||
      !std::all_of(grad.g.begin(), grad.g.end(), [](double g) { return std::isfinite(g); }))
    throw error("the loss or its gradient is not finite on the first " + std::to_string(rows) +
                " rows of " + d.data + ": nothing to check");

  // The trainable parameters: every weight and the bias of every non-input unit.
  std::vector<std::size_t> which;
  for (std::size_t k = 0; k < net.params().size(); ++k)
    if (k < net.num_connections() || net.role(k - net.num_connections()) != Role::input)
      which.push_back(k);
  const std::size_t P = which.size();
  if (P > max_params) {
    SplitMix64 rng(seed);
    shuffle(which, rng);
    which.resize(max_params);
    std::sort(which.begin(), which.end());
  }

  double worst_rel = 0, worst_abs = 0;
  std::size_t worst = 0, nonzero = 0;
  bool any = false;
  double worst_a = 0, worst_n = 0;
  for (std::size_t k : which) {
    double& theta = net.params()[k];
    const double saved_theta = theta, step = h * std::max(1.0, std::abs(theta));
    theta = saved_theta + step;
    const double e_plus = total_loss(net, data, rows, l, run);
    theta = saved_theta - step;
    const double e_minus = total_loss(net, data, rows, l, run);
    theta = saved_theta;
    const double n = (e_plus - e_minus) / (2 * step), a = grad.g[k];
    const double scale = std::max(std::abs(a), std::abs(n)), diff = std::abs(a - n);
    worst_abs =
        std::isfinite(diff) ? std::max(worst_abs, diff) : std::numeric_limits<double>::infinity();
    if (scale > 1e-7) ++nonzero;
    // A non-finite difference (the step left the loss's finite range) is the worst.
    const double rel = !std::isfinite(n) ? std::numeric_limits<double>::infinity()
                       : scale > 1e-7    ? diff / scale
                                         : 0;
    if (rel > worst_rel || !any) worst_rel = rel, worst = k, worst_a = a, worst_n = n, any = true;
  }
  std::printf("checked %zu of %zu parameters on %zu runs (loss %s, step %g)\n", which.size(), P,
              rows, std::string(to_string(l)).c_str(), h);
  std::printf(
      "largest relative error %.3e  (%s: back-propagation %.10g, central difference %.10g)\n",
      worst_rel, parameter_label(net, worst).c_str(), worst_a, worst_n);
  std::printf("largest absolute error %.3e\n", worst_abs);
  if (nonzero == 0)
    std::printf("warning: every checked gradient is zero (|g| <= 1e-7); the check says nothing\n");
  if (vm.count("tolerance") && worst_rel > tolerance) {
    char s[128];
    std::snprintf(s, sizeof s, "largest relative error %.3e exceeds --tolerance %g", worst_rel,
                  tolerance);
    throw error(s);
  }
  return 0;
}

}  // namespace dagprop::cli
