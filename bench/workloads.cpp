// Generators of the benchmark workloads (see workloads.hpp), written to repeat
// bench/anchors/common.py operation for operation: values computed in double in
// the same order, then rounded to float32 once. It does not train or time.
#include "workloads.hpp"

#include <cmath>
#include <numeric>
#include <set>

#include "dagprop/error.hpp"
#include "dagprop/io/idx.hpp"
#include "dagprop/random.hpp"

namespace dagprop::bench {

namespace {
constexpr double pi = 3.141592653589793;  // math.pi
}  // namespace

Dataset<float> make_w2_data(std::size_t n, std::uint64_t seed) {
  SplitMix64 r(seed);
  Dataset<float> d;
  d.num_inputs = 2;
  d.num_targets = 1;
  d.inputs.resize(2 * n);
  d.targets.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double x1 = -pi + 2 * pi * r.uniform01();
    const double x2 = -pi + 2 * pi * r.uniform01();
    d.inputs[2 * i] = static_cast<float>(x1);
    d.inputs[2 * i + 1] = static_cast<float>(x2);
    d.targets[i] = static_cast<float>(std::sin(x1) * std::cos(x2));
  }
  return d;
}

Dataset<float> make_w3_data(std::size_t n, std::uint64_t seed) {
  SplitMix64 r(seed);
  std::vector<double> x(n * w3_inputs);  // [n * 64], drawn row-major
  for (double& v : x) v = 2.0 * r.uniform01() - 1.0;
  Dataset<float> d;
  d.num_inputs = w3_inputs;
  d.num_targets = w3_outputs;
  d.inputs.assign(x.begin(), x.end());
  d.targets.resize(n * w3_outputs);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < w3_outputs; ++k)  // y_k = x_k x_{k+10}
      d.targets[i * w3_outputs + k] =
          static_cast<float>(x[i * w3_inputs + k] * x[i * w3_inputs + k + 10]);
  return d;
}

std::vector<std::vector<std::size_t>> make_w3_dag(std::uint64_t seed) {
  SplitMix64 r(seed);
  std::vector<std::vector<std::size_t>> sources(w3_hidden + w3_outputs);
  for (std::size_t j = 0; j < sources.size(); ++j) {
    const std::uint64_t n_prev = w3_inputs + std::min(j, w3_hidden);
    std::set<std::size_t> seen;
    while (sources[j].size() < w3_fan_in) {
      const auto v = static_cast<std::size_t>(r.next() % n_prev);  // modulo, as common.py
      if (seen.insert(v).second) sources[j].push_back(v);
    }
  }
  return sources;
}

Topology make_w3_topology(const std::vector<std::vector<std::size_t>>& sources,
                          std::uint64_t weight_seed) {
  if (sources.size() != w3_hidden + w3_outputs)
    throw invalid_argument("make_w3_topology: expected " + std::to_string(w3_hidden + w3_outputs) +
                           " source lists, found " + std::to_string(sources.size()));
  Topology t;
  for (std::size_t k = 0; k < w3_inputs; ++k) t.add_input();
  for (std::size_t k = 0; k < w3_hidden; ++k) t.add_unit(Activation::tanh);
  for (std::size_t k = 0; k < w3_outputs; ++k) t.add_output(Activation::identity);
  SplitMix64 r(weight_seed);
  const double bound = 1.0 / std::sqrt(static_cast<double>(w3_fan_in));
  for (std::size_t j = 0; j < sources.size(); ++j)
    for (std::size_t s : sources[j]) t.connect(s, w3_inputs + j, r.uniform(-bound, bound));
  return t;
}

Topology make_neat_like(std::uint64_t seed) {
  Topology t;
  SplitMix64 r(seed);
  for (std::size_t k = 0; k < neat_inputs; ++k) t.add_input();
  const Activation cycle[] = {Activation::sigmoid, Activation::tanh, Activation::hard_tanh};
  // Unit u reads `fan_in` distinct units drawn from the u units before it.
  const auto add = [&](Activation f, Role role, std::size_t fan_in) {
    const UnitId u = t.add_unit(f, role, {}, r.uniform(-0.5, 0.5));
    std::vector<UnitId> earlier(u);
    std::iota(earlier.begin(), earlier.end(), UnitId{0});
    for (std::size_t k = 0; k < fan_in; ++k) {
      std::swap(earlier[k], earlier[k + r.below(earlier.size() - k)]);
      t.connect(earlier[k], u, r.uniform(-1, 1));
    }
  };
  for (std::size_t k = 0; k < neat_hidden; ++k) add(cycle[k % 3], Role::hidden, 1 + r.below(4));
  for (std::size_t k = 0; k < neat_outputs; ++k) add(Activation::identity, Role::output, 6);
  return t;
}

void init_fan_in_uniform(Topology& t, std::uint64_t seed) {
  SplitMix64 r(seed);
  for (UnitId i = 0; i < t.num_units(); ++i) {
    if (t.role(i) == Role::input) continue;
    const double fan_in = static_cast<double>(t.upstream(i).size());
    const double bound = fan_in > 0 ? 1.0 / std::sqrt(fan_in) : 0.0;
    t.for_each_upstream(i, [&](UnitId, double& w) { w = r.uniform(-bound, bound); });
    t.set_bias(i, r.uniform(-bound, bound));
  }
}

Dataset<float> load_fmnist(const std::string& dir, bool train) {
  const std::string prefix = dir + "/" + (train ? "train" : "t10k");
  const std::string images_path = prefix + "-images-idx3-ubyte.gz";
  const std::string labels_path = prefix + "-labels-idx1-ubyte.gz";
  const io::IdxArray images = io::read_idx(images_path);
  const io::IdxArray labels = io::read_idx(labels_path);
  if (images.type != io::IdxType::u8 || images.dims.size() != 3 || images.dims[1] != 28 ||
      images.dims[2] != 28)
    throw io_error(images_path + ": expected u8 images of 28 x 28, found type " +
                   io::to_string(images.type) + " with " + std::to_string(images.dims.size()) +
                   " dims");
  const std::size_t n = images.dims[0];
  if (labels.type != io::IdxType::u8 || labels.dims.size() != 1 || labels.dims[0] != n)
    throw io_error(labels_path + ": expected " + std::to_string(n) + " u8 labels, found type " +
                   io::to_string(labels.type) + " with " + std::to_string(labels.size()) +
                   " values");
  Dataset<float> d;
  d.num_inputs = 784;
  d.num_targets = 10;
  d.inputs.resize(n * 784);
  d.targets.assign(n * 10, 0.0f);
  // float32(pixel) / 255 in float32, as numpy's astype(float32) / 255.0
  for (std::size_t k = 0; k < n * 784; ++k)
    d.inputs[k] = static_cast<float>(images.bytes[k]) / 255.0f;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t label = labels.bytes[i];
    if (label >= 10)
      throw io_error(labels_path + ": label " + std::to_string(label) + " of row " +
                     std::to_string(i) + " is not in 0..9");
    d.targets[i * 10 + label] = 1.0f;
  }
  return d;
}

Workload make_w1(const std::string& fmnist_dir, std::uint64_t init_seed) {
  Workload w;
  w.name = "w1-fmnist-mlp";
  w.topology = make_mlp({784, 256, 128, 10}, Activation::relu, Activation::identity);
  init_fan_in_uniform(w.topology, init_seed);
  w.train = load_fmnist(fmnist_dir, true);
  w.test = load_fmnist(fmnist_dir, false);
  w.loss = Loss::softmax_ce;
  w.learning_rate = 0.05;
  w.batch_size = 64;
  w.connections = 784 * 256 + 256 * 128 + 128 * 10;
  return w;
}

Workload make_w2(std::uint64_t init_seed) {
  Workload w;
  w.name = "w2-small-mlp";
  w.topology = make_mlp({2, 32, 32, 1}, Activation::tanh, Activation::identity);
  init_fan_in_uniform(w.topology, init_seed);
  w.train = make_w2_data();
  w.loss = Loss::sse;
  w.learning_rate = 0.01;
  w.batch_size = 32;
  w.connections = 2 * 32 + 32 * 32 + 32 * 1;
  return w;
}

Workload make_w3(std::uint64_t init_seed) {
  Workload w;
  w.name = "w3-sparse-dag";
  w.topology = make_w3_topology(make_w3_dag(), init_seed);
  w.train = make_w3_data();
  w.loss = Loss::sse;
  w.learning_rate = 0.01;
  w.batch_size = 64;
  w.connections = (w3_hidden + w3_outputs) * w3_fan_in;
  return w;
}

Workload make_workload(const std::string& which, const std::string& fmnist_dir,
                       std::uint64_t init_seed) {
  if (which == "w1") return make_w1(fmnist_dir, init_seed);
  if (which == "w2") return make_w2(init_seed);
  if (which == "w3") return make_w3(init_seed);
  throw invalid_argument("workload: expected w1, w2 or w3, found '" + which + "'");
}

}  // namespace dagprop::bench
