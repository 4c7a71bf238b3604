// read_fann (see fann.hpp): parses a FANN_FLO_2.1 file into neurons and
// connections, checking every count and index, then builds the Topology
// neuron by neuron in fann_run's order. The writer is fann_write.cpp; the
// shared parsing of numbers and FANN's function forms is fann_common.hpp.
#include "dagprop/io/fann.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string_view>

#include "dagprop/error.hpp"
#include "dagprop/io/format.hpp"
#include "fann_common.hpp"

namespace dagprop::io {

namespace {

using fann::Cursor;

constexpr std::size_t max_fann_bytes = std::size_t{256} << 20;
constexpr const char* neurons_key =
    "neurons (num_inputs, activation_function, activation_steepness)";
constexpr const char* connections_key = "connections (connected_to_neuron, weight)";
constexpr std::array<const char*, 8> scale_keys = {
    "scale_mean_in",  "scale_deviation_in",  "scale_new_min_in",  "scale_factor_in",
    "scale_mean_out", "scale_deviation_out", "scale_new_min_out", "scale_factor_out"};

struct Field {
  std::size_t line = 0;
  std::string_view value;
};

struct Neuron {
  std::size_t num_inputs = 0, first_con = 0, layer = 0;
  unsigned function = 0;
  double steepness = 0;
};

struct Connection {
  std::size_t from = 0;
  double weight = 0;
};

// The parsed file: what fann_create_from_fd reads, checked for consistency.
struct FannFile {
  double connection_rate = 1;
  bool shortcut = false;
  std::vector<std::size_t> layer_first;  // [num_layers + 1]: first neuron of each layer
  std::vector<Neuron> neurons;           // [total neurons]
  std::vector<Connection> connections;   // [total connections]
  std::size_t neurons_line = 0, connections_line = 0;
  bool scaled = false;
  std::array<std::vector<double>, 8> scale;  // as scale_keys
  std::size_t num_inputs() const { return layer_first[1] - 1; }
  std::size_t num_layers() const { return layer_first.size() - 1; }
};

class Reader {
 public:
  Reader(const std::string& text, const std::string& source) : source_(source) { split(text); }

  FannFile parse() {
    FannFile f;
    f.connection_rate = real_field("connection_rate");
    if (!(f.connection_rate >= 0)) fail(at("connection_rate"), "connection_rate must be >= 0");
    const std::uint64_t type = unsigned_field("network_type");
    if (type > 1)
      fail(at("network_type"),
           "network_type " + std::to_string(type) + " is neither 0 (layered) nor 1 (shortcut)");
    f.shortcut = type == 1;
    parse_layers(f);
    parse_neurons(f);
    parse_connections(f);
    parse_scaling(f);
    return f;
  }

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw io_error(source_ + ": line " + std::to_string(line) + ": " + what);
  }
  const std::string& source() const { return source_; }

 private:
  void split(const std::string& text) {
    std::size_t line = 0;
    for (std::size_t pos = 0; pos < text.size();) {
      std::size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string_view s(text.data() + pos, end - pos);
      pos = end + 1;
      ++line;
      if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
      if (line == 1) {
        check_version(s);
        continue;
      }
      if (s.find_first_not_of(" \t") == std::string_view::npos) continue;
      const std::size_t eq = s.find('=');
      if (eq == std::string_view::npos)
        fail(line, "expected key=value, found \"" + fann::excerpt(s) + "\"");
      const std::string_view key = s.substr(0, eq);
      if (!fields_.emplace(key, Field{line, s.substr(eq + 1)}).second)
        fail(line, "\"" + fann::excerpt(key) + "\" given twice");
    }
    if (line == 0) throw io_error(source_ + ": empty file, not a FANN network");
  }

  void check_version(std::string_view s) const {
    if (s == "FANN_FLO_2.1" || s == "FANN_FLO_2.0") return;
    if (s.rfind("FANN_FIX_", 0) == 0)
      fail(1, "a fixed-point FANN file (" + fann::excerpt(s) +
                  "); dagprop reads the floating-point form FANN_FLO_2.1 that fann_save writes");
    fail(1, "expected FANN_FLO_2.1 (a FANN 2.2 network), found \"" + fann::excerpt(s) + "\"");
  }

  const Field& field(const std::string& key) const {
    const auto it = fields_.find(key);
    if (it == fields_.end()) throw io_error(source_ + ": no " + key + "= line");
    return it->second;
  }
  std::size_t at(const std::string& key) const { return field(key).line; }

  Cursor cursor(const std::string& key) const {
    const Field& f = field(key);
    return Cursor(f.value, f.line, key);
  }

  double real_field(const std::string& key) const {
    Cursor c = cursor(key);
    const double v = c.real(*this);
    c.end(*this);
    return v;
  }
  std::uint64_t unsigned_field(const std::string& key) const {
    Cursor c = cursor(key);
    const std::uint64_t v = c.count(*this);
    c.end(*this);
    return v;
  }

  void parse_layers(FannFile& f) const {
    const std::uint64_t num_layers = unsigned_field("num_layers");
    const std::size_t line = at("num_layers");
    if (num_layers < 2 || num_layers > fann::max_layers)
      fail(line, "num_layers " + std::to_string(num_layers) + " is not in [2, " +
                     std::to_string(fann::max_layers) + "]");
    Cursor c = cursor("layer_sizes");
    f.layer_first.push_back(0);
    while (!c.at_end()) {
      if (f.layer_first.size() > num_layers)
        fail(c.line(), "more layer sizes than num_layers=" + std::to_string(num_layers));
      const std::uint64_t size = c.count(*this);
      if (size == 0)
        fail(c.line(), "layer " + std::to_string(f.layer_first.size() - 1) + " is empty");
      if (size > fann::max_neurons - f.layer_first.back())
        fail(c.line(), "more than " + std::to_string(fann::max_neurons) + " neurons");
      f.layer_first.push_back(f.layer_first.back() + static_cast<std::size_t>(size));
    }
    if (f.layer_first.size() != num_layers + 1)
      fail(c.line(), std::to_string(f.layer_first.size() - 1) +
                         " layer sizes, num_layers=" + std::to_string(num_layers));
    if (f.layer_first[1] < 2)
      fail(c.line(), "the input layer must hold at least one input and the bias neuron");
    const std::size_t last = f.layer_first[num_layers] - f.layer_first[num_layers - 1];
    if (!f.shortcut && last < 2)
      fail(c.line(), "the output layer of a layered network holds its outputs and a bias neuron");
  }

  void parse_neurons(FannFile& f) const {
    Cursor c = cursor(neurons_key);
    f.neurons_line = c.line();
    const std::size_t total = f.layer_first.back();
    // Each neuron takes at least "(0,0,0)": the bytes present bound the count.
    if (total > c.remaining() / 7 + 1)
      fail(c.line(), std::to_string(total) + " neurons in layer_sizes, but the line is too short " +
                         "to hold them");
    f.neurons.reserve(total);
    std::size_t layer = 0, connections = 0;
    while (!c.at_end()) {
      const std::size_t n = f.neurons.size();
      if (n == total)
        fail(c.line(), "more neurons than layer_sizes counts (" + std::to_string(total) + ")");
      while (n >= f.layer_first[layer + 1]) ++layer;
      const auto t = c.tuple<3>(*this, "neuron " + std::to_string(n));
      Neuron neuron;
      neuron.num_inputs = fann::to_count(t[0], c, *this);
      neuron.function =
          static_cast<unsigned>(std::min<std::uint64_t>(fann::to_count(t[1], c, *this), 999));
      neuron.steepness = fann::to_real(t[2], c, *this);
      neuron.layer = layer;
      neuron.first_con = connections;
      if (neuron.num_inputs > fann::max_connections - connections)
        fail(c.line(), "more than " + std::to_string(fann::max_connections) + " connections");
      connections += neuron.num_inputs;
      f.neurons.push_back(neuron);
    }
    if (f.neurons.size() != total)
      fail(c.line(), std::to_string(f.neurons.size()) + " neurons, layer_sizes counts " +
                         std::to_string(total));
  }

  void parse_connections(FannFile& f) const {
    Cursor c = cursor(connections_key);
    f.connections_line = c.line();
    const std::size_t total =
        f.neurons.empty() ? 0 : f.neurons.back().first_con + f.neurons.back().num_inputs;
    if (total > c.remaining() / 5 + 1)
      fail(c.line(), std::to_string(total) + " connections in the neurons' counts, but the line " +
                         "is too short to hold them");
    f.connections.reserve(total);
    while (!c.at_end()) {
      if (f.connections.size() == total)
        fail(c.line(), "more connections than the neurons count (" + std::to_string(total) + ")");
      const auto t = c.tuple<2>(*this, "connection " + std::to_string(f.connections.size()));
      const std::uint64_t from = fann::to_count(t[0], c, *this);
      if (from >= f.neurons.size())
        fail(c.line(), "connection " + std::to_string(f.connections.size()) +
                           " comes from neuron " + std::to_string(from) + ", but there are " +
                           std::to_string(f.neurons.size()) + " neurons");
      f.connections.push_back({static_cast<std::size_t>(from), fann::to_real(t[1], c, *this)});
    }
    if (f.connections.size() != total)
      fail(c.line(), std::to_string(f.connections.size()) + " connections, the neurons count " +
                         std::to_string(total));
  }

  void parse_scaling(FannFile& f) const {
    if (fields_.find("scale_included") == fields_.end()) return;
    const std::uint64_t included = unsigned_field("scale_included");
    if (included > 1) fail(at("scale_included"), "scale_included must be 0 or 1");
    f.scaled = included == 1;
    if (!f.scaled) return;
    const std::size_t last = f.num_layers() - 1;
    const std::size_t outputs =
        f.layer_first[last + 1] - f.layer_first[last] - (f.shortcut ? 0 : 1);
    for (std::size_t k = 0; k < scale_keys.size(); ++k) {
      const std::size_t n = k < 4 ? f.num_inputs() : outputs;
      Cursor c = cursor(scale_keys[k]);
      while (!c.at_end()) {
        if (f.scale[k].size() == n)
          fail(c.line(),
               std::string(scale_keys[k]) + ": more than " + std::to_string(n) + " values");
        f.scale[k].push_back(c.real(*this));
      }
      if (f.scale[k].size() != n)
        fail(c.line(), std::string(scale_keys[k]) + ": " + std::to_string(f.scale[k].size()) +
                           " values, expected " + std::to_string(n));
    }
  }

  const std::string& source_;
  std::map<std::string_view, Field, std::less<>> fields_;
};

// ---- building the Topology ----

// What a FANN neuron's value is in the network being built: a * y_unit + e (no
// unit: the constant e), with |value| <= bound.
struct Value {
  std::optional<UnitId> unit;
  double a = 0, e = 0, bound = 0;
};

class Builder {
 public:
  Builder(const FannFile& f, const Reader& r, bool identity_outputs)
      : f_(f), r_(r), identity_outputs_(identity_outputs) {}

  FannNetwork build() {
    FannNetwork out;
    values_.resize(f_.neurons.size());
    const std::size_t ni = f_.num_inputs();
    for (std::size_t n = 0; n < f_.layer_first[1]; ++n) {
      if (f_.neurons[n].num_inputs != 0)
        fail(n, "an input-layer neuron has " + std::to_string(f_.neurons[n].num_inputs) +
                    " connections (fann_run ignores them; FANN never writes them)");
      if (n < ni)
        values_[n] = {out.topology.add_input("n" + std::to_string(n)), 1, 0, HUGE_VAL};
      else
        values_[n] = {std::nullopt, 0, 1, 1};  // the bias neuron
    }
    const std::size_t last = f_.layer_first[f_.num_layers() - 1];
    num_outputs_ = f_.neurons.size() - last - (f_.shortcut ? 0 : 1);
    for (std::size_t n = f_.layer_first[1]; n < f_.neurons.size(); ++n)
      values_[n] = neuron(out.topology, n, n >= last && n - last < num_outputs_);
    add_notes(out);
    add_scaling(out);
    try {
      out.topology.validate();
    } catch (const error& e) {
      throw io_error(r_.source() + ": the network does not validate: " + e.what());
    }
    return out;
  }

 private:
  [[noreturn]] void fail(std::size_t n, const std::string& what) const {
    r_.fail(f_.neurons_line, "neuron " + std::to_string(n) + ": " + what);
  }

  // The source neuron of connection k of neuron n, as fann_run takes it:
  // positional when connection_rate >= 1, the stored one otherwise.
  std::size_t source(std::size_t n, std::size_t k) const {
    const Neuron& neuron = f_.neurons[n];
    const std::size_t stored = f_.connections[neuron.first_con + k].from;
    if (f_.connection_rate < 1) {
      if (stored >= n)
        r_.fail(f_.connections_line, "neuron " + std::to_string(n) + ": connection " +
                                         std::to_string(k) + " comes from neuron " +
                                         std::to_string(stored) + ", not computed before it");
      return stored;
    }
    const std::size_t base = f_.shortcut ? 0 : f_.layer_first[neuron.layer - 1];
    const std::size_t end = f_.layer_first[neuron.layer];
    if (neuron.num_inputs > end - base)
      fail(n, std::to_string(neuron.num_inputs) + " connections, but a fully connected " +
                  std::string(f_.shortcut ? "shortcut" : "layered") + " network has " +
                  std::to_string(end - base) + " neurons before it");
    if (stored != base + k)
      r_.fail(f_.connections_line,
              "neuron " + std::to_string(n) + ": connection " + std::to_string(k) +
                  " names neuron " + std::to_string(stored) +
                  ", but with connection_rate 1 fann_run connects it to neuron " +
                  std::to_string(base + k));
    return base + k;
  }

  Value neuron(Topology& t, std::size_t n, bool is_output) {
    const Neuron& neuron = f_.neurons[n];
    if (neuron.num_inputs == 0) return constant(t, n, 1.0, is_output);  // a bias neuron
    fann::Sum sum;
    for (std::size_t k = 0; k < neuron.num_inputs; ++k) {
      const double w = f_.connections[neuron.first_con + k].weight;
      if (!std::isfinite(w))
        r_.fail(f_.connections_line, "neuron " + std::to_string(n) + ": connection " +
                                         std::to_string(k) + " has weight " + fann::excerpt(w));
      const Value& v = values_[source(n, k)];
      if (v.unit) sum.add(*v.unit, w * v.a);
      sum.c0 += w * v.e;
      if (w != 0) sum.bound += std::fabs(w) * v.bound;
    }
    const double s = neuron.steepness;
    if (!std::isfinite(s) || !(s > 0))
      fail(n, "steepness " + fann::excerpt(s) + " (dagprop needs a positive one: FANN's clamp of " +
                  "the sum at 150/steepness turns other values into a constant or a step)");
    const fann::Form form = form_of(n, neuron.function, s, sum.bound);
    if (sum.terms.empty()) return constant(t, n, form.value(s * sum.c0), is_output);
    const bool plain = form.A == 1 && form.E == 0 && !identity_outputs_;
    const std::string name = "n" + std::to_string(n);
    const Role role = is_output && plain ? Role::output : Role::hidden;
    UnitId u = 0;
    if (form.clamp) {  // t = M hard_tanh(s sum / M), then g(C t + D)
      const UnitId h = fann::add_unit(t, Activation::hard_tanh, Role::hidden, name + ".clamp", sum,
                                      s / form.M, 0);
      u = t.add_unit(form.g, role, name, form.D);
      t.connect(h, u, form.C * form.M);
    } else {
      u = fann::add_unit(t, form.g, role, name, sum, form.C * s, form.D);
    }
    Value v{u, form.A, form.E, form.bound(s, sum.bound)};
    if (is_output && !plain) v = {add_output(t, name, u, form.A, form.E), 1, 0, v.bound};
    return v;
  }

  fann::Form form_of(std::size_t n, unsigned code, double s, double bound) {
    if (code >= num_fann_functions)
      fail(n, "activation function " + std::to_string(code) + " is not a FANN function");
    const auto f = static_cast<FannFunction>(code);
    switch (f) {
      case FannFunction::threshold:
      case FannFunction::threshold_symmetric:
        fail(n, fann_function_name(code) + " has no derivative and cannot be trained by " +
                    "back-propagation; set a sigmoid in FANN (fann_set_activation_function) first");
      case FannFunction::gaussian_stepwise:
        fail(n, "FANN_GAUSSIAN_STEPWISE is not implemented by FANN (fann_run gives 0)");
      case FannFunction::sigmoid_stepwise:
        stepwise_.push_back(n);
        break;
      case FannFunction::sigmoid_symmetric_stepwise:
        symmetric_stepwise_.push_back(n);
        break;
      default:
        break;
    }
    return fann::form(f, s, bound);
  }

  Value constant(Topology& t, std::size_t n, double value, bool is_output) {
    if (!is_output) return {std::nullopt, 0, value, std::fabs(value)};
    // An output needs a unit, and a unit an upstream one: input 0 with weight 0.
    const std::string name = "n" + std::to_string(n);
    const UnitId u = t.add_output(Activation::identity, name, value);
    t.connect(*values_[0].unit, u, 0.0);
    return {u, 1, 0, std::fabs(value)};
  }

  static UnitId add_output(Topology& t, const std::string& name, UnitId from, double a, double e) {
    const UnitId o = t.add_output(Activation::identity, name + ".out", e);
    t.connect(from, o, a);
    return o;
  }

  void add_notes(FannNetwork& out) const {
    const auto note = [&](const std::vector<std::size_t>& ns, const char* what, const char* as,
                          double deviation) {
      if (ns.empty()) return;
      std::string list;
      for (std::size_t k = 0; k < ns.size() && k < 8; ++k)
        list += (k ? ", n" : "n") + std::to_string(ns[k]);
      if (ns.size() > 8) list += " and " + std::to_string(ns.size() - 8) + " more";
      out.notes.push_back(std::string(what) + " (neurons " + list + ") imported as " + as +
                          ", the smooth function it approximates: each neuron's value differs "
                          "from FANN's by at most " +
                          fann::excerpt(deviation));
    };
    note(stepwise_, "FANN_SIGMOID_STEPWISE", "FANN_SIGMOID", fann_stepwise_deviation);
    note(symmetric_stepwise_, "FANN_SIGMOID_SYMMETRIC_STEPWISE", "FANN_SIGMOID_SYMMETRIC",
         fann_symmetric_stepwise_deviation);
  }

  void add_scaling(FannNetwork& out) const {
    if (!f_.scaled) return;
    out.input_scaling = scaler(0, "in");
    out.output_scaling = scaler(4, "out");
  }

  // fann_scale_input: x' = ((x - mean) / deviation + 1) * factor + new_min,
  // that is (x - offset) / scale with scale = deviation / factor and offset =
  // mean - (factor + new_min) * scale. fann_descale_output is its inverse.
  Scaler scaler(std::size_t first, const char* side) const {
    Scaler s;
    s.kind = ScaleKind::affine;
    // FANN holds its scaling parameters as float, in its double build too.
    const auto value = [&](std::size_t k, std::size_t c) {
      const double v = f_.scale[first + k][c];
      return std::fabs(v) > static_cast<double>(std::numeric_limits<float>::max())
                 ? HUGE_VAL  // FANN reads it as inf: refused below
                 : static_cast<double>(static_cast<float>(v));
    };
    for (std::size_t c = 0; c < f_.scale[first].size(); ++c) {
      const double mean = value(0, c), dev = value(1, c), new_min = value(2, c);
      const double factor = value(3, c);
      const double scale = dev / factor, offset = mean - (factor + new_min) * scale;
      if (!std::isfinite(scale) || scale == 0 || !std::isfinite(offset))
        throw io_error(r_.source() + ": scaling of " + side + "put " + std::to_string(c) +
                       ": deviation " + fann::excerpt(dev) + ", factor " + fann::excerpt(factor) +
                       " (both must be finite and non-zero)");
      s.offset.push_back(offset);
      s.scale.push_back(scale);
    }
    return s;
  }

  const FannFile& f_;
  const Reader& r_;
  const bool identity_outputs_;
  std::vector<Value> values_;  // [neurons]
  std::size_t num_outputs_ = 0;
  std::vector<std::size_t> stepwise_, symmetric_stepwise_;
};

}  // namespace

std::string fann_function_name(unsigned code) {
  static const std::array<const char*, num_fann_functions> names = {
      "FANN_LINEAR",
      "FANN_THRESHOLD",
      "FANN_THRESHOLD_SYMMETRIC",
      "FANN_SIGMOID",
      "FANN_SIGMOID_STEPWISE",
      "FANN_SIGMOID_SYMMETRIC",
      "FANN_SIGMOID_SYMMETRIC_STEPWISE",
      "FANN_GAUSSIAN",
      "FANN_GAUSSIAN_SYMMETRIC",
      "FANN_GAUSSIAN_STEPWISE",
      "FANN_ELLIOT",
      "FANN_ELLIOT_SYMMETRIC",
      "FANN_LINEAR_PIECE",
      "FANN_LINEAR_PIECE_SYMMETRIC",
      "FANN_SIN_SYMMETRIC",
      "FANN_COS_SYMMETRIC",
      "FANN_SIN",
      "FANN_COS"};
  if (code >= names.size()) return "FANN function " + std::to_string(code);
  return names[code];
}

FannNetwork read_fann_text(const std::string& text, const std::string& source,
                           bool identity_outputs) {
  if (text.size() > max_fann_bytes)
    throw io_error(source + ": " + std::to_string(text.size()) + " bytes exceeds the cap of " +
                   std::to_string(max_fann_bytes) + " for a FANN network");
  Reader reader(text, source);
  const FannFile f = reader.parse();
  return Builder(f, reader, identity_outputs).build();
}

FannNetwork read_fann(const std::string& path, bool identity_outputs) {
  return read_fann_text(fann::read_text_file(path, max_fann_bytes), path, identity_outputs);
}

}  // namespace dagprop::io
