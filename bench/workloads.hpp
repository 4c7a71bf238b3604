// The three benchmark workloads of bench/anchors/WORKLOADS.md (W1 fmnist-mlp, W2
// small-mlp, W3 sparse-dag), generated bit-identically to bench/anchors/common.py
// with splitmix64: data, the W3 graph, and the training settings. It trains and
// times nothing; dagprop_bench and micro_bench do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "dagprop/dataset.hpp"
#include "dagprop/loss.hpp"
#include "dagprop/topology.hpp"

namespace dagprop::bench {

inline constexpr const char* default_fmnist_dir = "/usr/share/datasets/fashion-mnist";

// W2: x1, x2 ~ U[-pi, pi) (drawn in that order per sample), y = sin(x1) cos(x2).
inline constexpr std::size_t w2_samples = 100000;
inline constexpr std::uint64_t w2_seed = 2;
// W3: 64 inputs, 2000 tanh hidden, 10 linear outputs, fan-in 32.
inline constexpr std::size_t w3_inputs = 64, w3_hidden = 2000, w3_outputs = 10, w3_fan_in = 32;
inline constexpr std::uint64_t w3_dag_seed = 3, w3_data_seed = 4;
inline constexpr std::size_t w3_samples = 8192;

// "neat": a small sparse DAG of the size NEAT evolves (inference benchmark only):
// 8 inputs, 48 hidden units (sigmoid, tanh, hard_tanh in turn: NEAT-python's sigmoid,
// tanh and clamped, all three also in FANN, so fann_run can run it) each reading 1-4 distinct
// earlier units, 3 identity outputs each reading 6; weights U(-1, 1), biases U(-0.5, 0.5).
inline constexpr std::size_t neat_inputs = 8, neat_hidden = 48, neat_outputs = 3;
inline constexpr std::uint64_t neat_like_seed = 5;
Topology make_neat_like(std::uint64_t seed);

// One workload ready to train: graph with initial weights, data, and settings.
struct Workload {
  std::string name;          // as torch_anchors.py prints it, e.g. "w2-small-mlp"
  Topology topology;         // initial weights and biases set
  Dataset<float> train;      // in memory, float32
  Dataset<float> test;       // W1 only; empty otherwise
  Loss loss = Loss::sse;     // always with Reduction::mean
  double learning_rate = 0;  // plain SGD, no momentum
  std::size_t batch_size = 0;
  std::size_t connections = 0;  // weights, biases not counted (for CUPS)
};

// W2 data: `n` rows of 2 inputs and 1 target, as common.make_w2.
Dataset<float> make_w2_data(std::size_t n = w2_samples, std::uint64_t seed = w2_seed);

// W3 data: x ~ U[-1, 1)^64 row-major, y_k = x_k x_{k+10}, as common.make_w3_data.
Dataset<float> make_w3_data(std::size_t n = w3_samples, std::uint64_t seed = w3_data_seed);

// W3 graph as common.make_w3_dag: entry j (unit 64 + j) lists its 32 distinct
// sources in draw order, each drawn as next() % (64 + min(j, 2000)).
std::vector<std::vector<std::size_t>> make_w3_dag(std::uint64_t seed = w3_dag_seed);

// The W3 Topology: inputs 0..63, tanh hidden 64..2063, linear outputs 2064..2073,
// connections in draw order with weights U(-1/sqrt(32), 1/sqrt(32)) drawn with
// splitmix64(weight_seed) in that order; biases 0.
Topology make_w3_topology(const std::vector<std::vector<std::size_t>>& sources,
                          std::uint64_t weight_seed);

// PyTorch-like initialisation of every non-input unit: weights and bias
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn unit by unit in Topology id order.
void init_fan_in_uniform(Topology& t, std::uint64_t seed);

// Fashion-MNIST from `dir` (IDX gz): pixels / 255 as float32, one-hot targets.
// train: the 60k training images, otherwise the 10k test images.
Dataset<float> load_fmnist(const std::string& dir, bool train);

Workload make_w1(const std::string& fmnist_dir, std::uint64_t init_seed);
Workload make_w2(std::uint64_t init_seed);
Workload make_w3(std::uint64_t init_seed);
// "w1", "w2" or "w3"; throws invalid_argument otherwise.
Workload make_workload(const std::string& which, const std::string& fmnist_dir,
                       std::uint64_t init_seed);

// Compares the generators with constants printed by bench/anchors/print_reference.py;
// writes one line per check to `out` and returns the number of mismatches.
int selftest(std::ostream& out);

}  // namespace dagprop::bench
