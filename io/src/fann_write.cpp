// write_fann and fann_text (see fann.hpp): a compiled network as a layered,
// sparse FANN_FLO_2.1 network (connection_rate < 1, so that fann_run follows
// the stored connections), layers by level, every bias a connection from the
// input layer's bias neuron. It reads no FANN file (fann.cpp does).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "dagprop/error.hpp"
#include "dagprop/io/atomic_file.hpp"
#include "dagprop/io/fann.hpp"
#include "fann_common.hpp"

namespace dagprop::io {

namespace {

// The steepness of a unit whose sum may pass FANN's clamp: 2^-20 puts the
// clamp at |x| = 150 * 2^20 and scales the weights by a power of two (exact).
constexpr double wide_steepness = 1.0 / 1048576.0;

// A dagprop activation as FANN's function of t = steepness * sum: g(x) with
// x = lambda * t (FANN_SIGMOID is 1/(1 + e^(-2t)): lambda 2).
struct Export {
  FannFunction f = FannFunction::linear;
  double lambda = 1, steepness = 1;
};

Export export_of(const Network<double>& net, UnitId i, double bound_x, FannRuntime runtime) {
  const bool fixed = runtime == FannRuntime::fixed_point;
  const Activation a = net.activation(i);
  // FANN's fixed-point fann_run (fann.c) has no gaussian, elliot or sine.
  if (fixed && (a == Activation::gaussian || a == Activation::softsign || a == Activation::sin))
    throw invalid_argument("export to FANN's fixed-point runtime: unit " + net.label(i) +
                           " has activation " + std::string(to_string(a)) +
                           ", which that runtime does not run (it runs identity, sigmoid, tanh, "
                           "hard_tanh)");
  // The clamp of ±150/s cannot change a bounded, saturating function; the others
  // keep steepness 1 when |x| <= 150 is certain, else get the wide steepness.
  // The fixed-point runtime neither clamps nor reads a linear neuron's
  // steepness: there an identity unit keeps steepness 1 and its own weights.
  const double open = fixed || bound_x <= fann::clamp_limit ? 1.0 : wide_steepness;
  switch (a) {
    case Activation::identity:
      return {FannFunction::linear, 1, open};
    case Activation::sigmoid:
      return {FannFunction::sigmoid, 2, 0.5};
    case Activation::tanh:
      return {FannFunction::sigmoid_symmetric, 1, 1};
    case Activation::hard_tanh:
      return {FannFunction::linear_piece_symmetric, 1, 1};
    case Activation::gaussian:
      return {FannFunction::gaussian, 1, 1};
    case Activation::softsign:
      return {FannFunction::elliot_symmetric, 1, open};
    case Activation::sin:
      return {FannFunction::sin_symmetric, 1, open};
    default:
      break;
  }
  throw invalid_argument(
      "export to FANN: unit " + net.label(i) + " has activation " + std::string(to_string(a)) +
      ", which FANN has not (it has identity, sigmoid, tanh, hard_tanh, gaussian, softsign, sin)");
}

std::string real(double v) {
  return fann::excerpt(v);
}

std::string fixed6(double v) {
  char buffer[64];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed, 6);
  return std::string(buffer, r.ptr);
}

// One neuron after the input layer: a unit, a relay of an output, or a bias.
struct Slot {
  enum Kind { unit, relay, bias } kind = unit;
  UnitId id = 0;
};

struct FannNeuron {
  std::size_t num_inputs = 0;
  FannFunction f = FannFunction::linear;
  double steepness = 0;
};

class Writer {
 public:
  Writer(const Network<double>& net, FannRuntime runtime) : net_(net), runtime_(runtime) {}

  std::string text(const Scaler* input, const Scaler* output) {
    bounds();
    place();
    emit();
    return header() + scaling(input, output) + neurons_line() + connections_line();
  }

 private:
  // |x_i| <= bound_x[i] and |y_i| <= bound_y[i] (inputs are unbounded).
  void bounds() {
    const std::size_t n = net_.num_units();
    bound_x_.assign(n, HUGE_VAL);
    bound_y_.assign(n, HUGE_VAL);
    for (UnitId i = net_.num_inputs(); i < n; ++i) {
      double b = std::fabs(net_.bias(i));
      for (std::size_t c = net_.first(i); c < net_.first(i + 1); ++c)
        if (net_.w()[c] != 0) b += std::fabs(net_.w()[c]) * bound_y_[net_.source(c)];
      bound_x_[i] = b;
      bound_y_[i] = net_.activation(i) == Activation::identity ? b : 1.0;
    }
  }

  // Hidden layers by level (empty levels left out); the last layer holds the
  // outputs in their order, an output read by other units through a relay.
  void place() {
    const std::size_t ni = net_.num_inputs();
    std::vector<char> last(net_.num_units(), 0);
    for (UnitId o : net_.outputs())
      if (net_.is_sink(o)) last[o] = 1;
    std::map<std::size_t, std::vector<UnitId>> by_level;
    for (UnitId i = ni; i < net_.num_units(); ++i)
      if (!last[i]) by_level[net_.level(i)].push_back(i);
    index_.assign(net_.num_units(), 0);
    for (UnitId i = 0; i < ni; ++i) index_[i] = i;
    layers_.push_back(ni + 1);
    std::size_t next = ni + 1;
    for (const auto& [level, units] : by_level) {
      for (UnitId i : units) {
        index_[i] = next++;
        order_.push_back({Slot::unit, i});
      }
      order_.push_back({Slot::bias, 0});
      ++next;
      layers_.push_back(units.size() + 1);
    }
    for (UnitId o : net_.outputs()) {
      if (last[o]) index_[o] = next;
      ++next;
      order_.push_back({last[o] ? Slot::unit : Slot::relay, o});
    }
    order_.push_back({Slot::bias, 0});
    layers_.push_back(net_.num_outputs() + 1);
    if (layers_.size() > fann::max_layers || next > fann::max_neurons)
      throw invalid_argument("export to FANN: " + std::to_string(layers_.size()) + " layers and " +
                             std::to_string(next) + " neurons exceed what read_fann accepts");
  }

  void emit() {
    const std::size_t ni = net_.num_inputs();
    for (std::size_t k = 0; k <= ni; ++k) neurons_.push_back({0, FannFunction::linear, 0});
    std::size_t possible = 0, before = ni + 1, in_layer = 0;
    for (const Slot& slot : order_) {
      if (slot.kind == Slot::bias) {
        neurons_.push_back({0, FannFunction::linear, 0});
        before += in_layer + 1;
        in_layer = 0;
        continue;
      }
      ++in_layer;
      possible += before;  // the neurons of the layers before
      if (slot.kind == Slot::relay)
        relay(slot.id);
      else
        unit(slot.id);
    }
    if (connections_.size() > fann::max_connections)
      throw invalid_argument("export to FANN: " + std::to_string(connections_.size()) +
                             " connections exceed what read_fann accepts");
    // Any rate below 1 makes fann_run follow the stored connections.
    rate_ = std::min(0.999, static_cast<double>(connections_.size()) /
                                static_cast<double>(std::max<std::size_t>(possible, 1)));
  }

  void unit(UnitId i) {
    const Export e = export_of(net_, i, bound_x_[i], runtime_);
    const double scale = 1 / (e.lambda * e.steepness);  // sum = x / (lambda s)
    std::vector<std::pair<std::size_t, double>> in;
    in.emplace_back(net_.num_inputs(), net_.bias(i) * scale);  // the input layer's bias neuron
    for (std::size_t c = net_.first(i); c < net_.first(i + 1); ++c)
      in.emplace_back(index_[net_.source(c)], net_.w()[c] * scale);
    std::sort(in.begin(), in.end());
    neurons_.push_back({in.size(), e.f, e.steepness});
    connections_.insert(connections_.end(), in.begin(), in.end());
  }

  // A FANN_LINEAR neuron repeating output o, which other units also read.
  void relay(UnitId o) {
    const bool narrow = runtime_ == FannRuntime::fixed_point || bound_y_[o] <= fann::clamp_limit;
    const double s = narrow ? 1.0 : wide_steepness;
    neurons_.push_back({1, FannFunction::linear, s});
    connections_.emplace_back(index_[o], 1 / s);
  }

  std::string header() const {
    std::string s = "FANN_FLO_2.1\nnum_layers=" + std::to_string(layers_.size()) +
                    "\nlearning_rate=0.700000\nconnection_rate=" + fixed6(rate_) +
                    "\nnetwork_type=0\n";
    // FANN's defaults for its own training, in the order fann_create_from_fd reads them.
    s += "learning_momentum=0.000000\ntraining_algorithm=2\ntrain_error_function=1\n"
         "train_stop_function=0\ncascade_output_change_fraction=0.010000\n"
         "quickprop_decay=-0.000100\nquickprop_mu=1.750000\nrprop_increase_factor=1.200000\n"
         "rprop_decrease_factor=0.500000\nrprop_delta_min=0.000000\nrprop_delta_max=50.000000\n"
         "rprop_delta_zero=0.100000\ncascade_output_stagnation_epochs=12\n"
         "cascade_candidate_change_fraction=0.010000\ncascade_candidate_stagnation_epochs=12\n"
         "cascade_max_out_epochs=150\ncascade_min_out_epochs=50\ncascade_max_cand_epochs=150\n"
         "cascade_min_cand_epochs=50\ncascade_num_candidate_groups=2\nbit_fail_limit=0.35\n"
         "cascade_candidate_limit=1000\ncascade_weight_multiplier=0.4\n"
         "cascade_activation_functions_count=10\n"
         "cascade_activation_functions=3 5 7 8 10 11 14 15 16 17 \n"
         "cascade_activation_steepnesses_count=4\n"
         "cascade_activation_steepnesses=0.25 0.5 0.75 1 \nlayer_sizes=";
    for (std::size_t n : layers_) s += std::to_string(n) + " ";
    return s + "\n";
  }

  // x' = ((x - mean) / deviation + 1) * factor + new_min with factor 1 and
  // new_min -1 is (x - offset) / scale; the output side likewise.
  std::string scaling(const Scaler* input, const Scaler* output) const {
    const bool in = input && input->kind != ScaleKind::none;
    const bool out = output && output->kind != ScaleKind::none;
    if (!in && !out) return "scale_included=0\n";
    if (in) input->check(net_.num_inputs());
    if (out) output->check(net_.num_outputs());
    std::string s = "scale_included=1\n";
    const auto side = [&](const Scaler* sc, bool use, std::size_t n, const char* where) {
      std::string mean, dev, lo, factor;
      for (std::size_t c = 0; c < n; ++c) {
        if (use) check_float(sc->offset[c], sc->scale[c], where, c);
        mean += real(use ? sc->offset[c] : 0.0) + " ";
        dev += real(use ? sc->scale[c] : 1.0) + " ";
        lo += "-1 ";
        factor += "1 ";
      }
      s += std::string("scale_mean_") + where + "=" + mean + "\nscale_deviation_" + where + "=" +
           dev + "\nscale_new_min_" + where + "=" + lo + "\nscale_factor_" + where + "=" + factor +
           "\n";
    };
    side(input, in, net_.num_inputs(), "in");
    side(output, out, net_.num_outputs(), "out");
    return s;
  }

  // FANN keeps its scaling parameters in float: they must be finite there, and
  // the deviation not 0.
  static void check_float(double offset, double scale, const char* where, std::size_t c) {
    const double most = static_cast<double>(std::numeric_limits<float>::max());
    if (std::fabs(offset) > most || std::fabs(scale) > most || static_cast<float>(scale) == 0)
      throw invalid_argument(std::string("export to FANN: the scaling of ") + where + "put " +
                             std::to_string(c) + " (offset " + real(offset) + ", scale " +
                             real(scale) + ") does not fit in FANN's float parameters");
  }

  std::string neurons_line() const {
    std::string s = "neurons (num_inputs, activation_function, activation_steepness)=";
    for (const FannNeuron& n : neurons_)
      s += "(" + std::to_string(n.num_inputs) + ", " + std::to_string(static_cast<unsigned>(n.f)) +
           ", " + real(n.steepness) + ") ";
    return s + "\n";
  }

  std::string connections_line() const {
    std::string s = "connections (connected_to_neuron, weight)=";
    for (const auto& [from, w] : connections_) {
      if (!std::isfinite(w))
        throw invalid_argument("export to FANN: a weight of neuron " + std::to_string(from) +
                               "'s downstream is not finite (" + real(w) + ")");
      s += "(" + std::to_string(from) + ", " + real(w) + ") ";
    }
    return s + "\n";
  }

  const Network<double>& net_;
  const FannRuntime runtime_;
  std::vector<double> bound_x_, bound_y_;  // [num_units]
  std::vector<std::size_t> index_;         // [num_units]: FANN neuron number
  std::vector<std::size_t> layers_;        // FANN's layer sizes
  std::vector<Slot> order_;                // neurons after the input layer
  std::vector<FannNeuron> neurons_;        // [FANN neurons]
  std::vector<std::pair<std::size_t, double>> connections_;
  double rate_ = 0.5;
};

}  // namespace

std::string fann_text(const Network<double>& net, const Scaler* input, const Scaler* output,
                      FannRuntime runtime) {
  return Writer(net, runtime).text(input, output);
}

void write_fann(const std::string& path, const Network<double>& net, const Scaler* input,
                const Scaler* output, FannRuntime runtime) {
  std::string text;
  try {
    text = fann_text(net, input, output, runtime);
  } catch (const invalid_argument& e) {
    throw io_error(path + ": " + e.what());
  }
  write_file_atomically(path, text);
}

}  // namespace dagprop::io
