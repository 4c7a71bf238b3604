// Test helper: seeded random DAGs with *structure*, the shapes the fast path
// (dense groups, register tiles, SIMD lanes) has to get right: dense layers of
// widths around the tile sizes, ranges and overlapping ranges of other layers,
// skips, sparse and single-source units, several heads and outputs that feed
// later units, unit ids out of topological order; plus very large shapes.
// It does not compute anything: the tests compare the engine with memo.hpp.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"

namespace dagprop::test {

// The six activations that exist everywhere (the enum may grow elsewhere).
inline constexpr std::array<Activation, 6> six_activations = {
    Activation::identity, Activation::sigmoid,    Activation::tanh,
    Activation::relu,     Activation::leaky_relu, Activation::softplus};

// A width of 1..70, two times in three one next to a size the kernels tile by:
// 8 and 16 (values per vector, double and float), 6 and 12 (rows of a register
// tile), 16 and 32 (columns of a tile), 32 and 64 (runs per unit tile).
inline std::size_t tile_width(SplitMix64& rng) {
  static constexpr std::size_t edges[] = {1,  2,  3,  5,  6,  7,  8,  9,  11, 12, 13, 15, 16,
                                          17, 23, 24, 25, 31, 32, 33, 47, 48, 49, 63, 64, 65};
  if (rng.below(3) != 0) return edges[rng.below(sizeof edges / sizeof edges[0])];
  return 1 + static_cast<std::size_t>(rng.below(70));
}

// A DAG given in topological order (positions 0..n-1, inputs first) before it
// becomes a Topology with shuffled ids.
struct DagPlan {
  std::vector<Role> role;                        // [units]
  std::vector<Activation> activation;            // [units]
  std::vector<std::vector<std::size_t>> src;     // [units]: sorted earlier positions
  std::vector<std::vector<std::size_t>> blocks;  // units created together, ids consecutive
  std::vector<std::vector<std::size_t>> heads;   // output positions numbered together
};

struct StructuredDag {
  Topology topology;
  std::vector<UnitId> id;  // [plan units]: topology id of each plan position
};

// Builds the Topology of a plan: blocks (and the units of no block, one at a
// time) created in a shuffled order, inputs numbered in plan order, heads
// numbered in a shuffled order, weights of He scale, small biases.
inline StructuredDag build(const DagPlan& plan, SplitMix64& rng) {
  const std::size_t n = plan.role.size();
  std::vector<std::vector<std::size_t>> items = plan.blocks;
  std::vector<bool> in_block(n, false);
  for (const auto& b : plan.blocks)
    for (std::size_t u : b) in_block[u] = true;
  for (std::size_t u = 0; u < n; ++u)
    if (!in_block[u]) items.push_back({u});
  for (std::size_t k = items.size(); k > 1; --k) std::swap(items[k - 1], items[rng.below(k)]);
  StructuredDag d;
  d.id.assign(n, 0);
  for (const auto& item : items)
    for (std::size_t u : item)
      d.id[u] = plan.role[u] == Role::input ? d.topology.add_input()
                                            : d.topology.add_unit(plan.activation[u], plan.role[u],
                                                                  {}, rng.uniform(-0.3, 0.3));
  std::size_t k = 0;
  for (std::size_t u = 0; u < n; ++u)
    if (plan.role[u] == Role::input) d.topology.set_index(d.id[u], k++);
  auto heads = plan.heads;
  for (std::size_t q = heads.size(); q > 1; --q) std::swap(heads[q - 1], heads[rng.below(q)]);
  k = 0;
  for (auto& h : heads) {
    if (rng.below(3) == 0) std::reverse(h.begin(), h.end());
    for (std::size_t u : h) d.topology.set_index(d.id[u], k++);
  }
  for (std::size_t u = 0; u < n; ++u) {
    const double a =
        std::sqrt(6.0 / static_cast<double>(std::max<std::size_t>(1, plan.src[u].size())));
    for (std::size_t j : plan.src[u]) d.topology.connect(d.id[j], d.id[u], a * rng.uniform(-1, 1));
  }
  return d;
}

// A structured random DAG for `loss`: bce gets sigmoid outputs, softmax-ce at
// least two outputs. Up to ~600 units, fan-in up to a few hundred.
inline StructuredDag structured_dag(std::uint64_t seed, Loss loss) {
  SplitMix64 rng(seed);
  DagPlan p;
  std::vector<std::vector<std::size_t>> layers;
  auto activation = [&] { return six_activations[rng.below(six_activations.size())]; };
  auto add = [&](std::vector<std::size_t> src, Activation f) {
    std::sort(src.begin(), src.end());
    src.erase(std::unique(src.begin(), src.end()), src.end());
    p.role.push_back(src.empty() ? Role::input : Role::hidden);
    p.activation.push_back(f);
    p.src.push_back(std::move(src));
    return p.role.size() - 1;
  };
  // A contiguous run of a layer: the whole of it half the time.
  auto run_of = [&](const std::vector<std::size_t>& l) {
    std::size_t a = 0, b = l.size();
    if (rng.below(2) == 0 && l.size() > 1) {
      a = rng.below(l.size());
      b = a + 1 + rng.below(l.size() - a);
    }
    return std::vector<std::size_t>(l.begin() + static_cast<std::ptrdiff_t>(a),
                                    l.begin() + static_cast<std::ptrdiff_t>(b));
  };
  auto join = [](std::vector<std::size_t> a, const std::vector<std::size_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };

  // Inputs; one net in four has a fan-in around 256 (the product's panels of K).
  static constexpr std::size_t wide_inputs[] = {255, 256, 257, 258, 300};
  const std::size_t n_in = rng.below(4) == 0 ? wide_inputs[rng.below(5)] : tile_width(rng);
  layers.emplace_back();
  for (std::size_t k = 0; k < n_in; ++k) layers[0].push_back(add({}, Activation::identity));

  const std::size_t n_layers = 2 + rng.below(6);
  for (std::size_t l = 1; l <= n_layers; ++l) {
    const std::size_t w = tile_width(rng);
    const std::size_t a = rng.below(2) == 0 ? l - 1 : rng.below(l);  // the layer fed from
    const bool mixed = rng.below(2) == 0;  // activations per unit or one per layer
    const Activation layer_f = activation();
    const std::size_t type = rng.below(8);
    std::vector<std::size_t> layer, common;
    switch (type) {
      case 0:  // dense from a layer or a run of it
        common = run_of(layers[a]);
        break;
      case 1:  // skip: two earlier layers (or runs of them)
        common = join(run_of(layers[a]), run_of(layers[rng.below(l)]));
        break;
      case 2:  // everything so far: the widest fan-in
        for (std::size_t k = 0; k < l; ++k) common = join(common, layers[k]);
        break;
      default:
        break;
    }
    const std::vector<std::size_t> r1 = run_of(layers[a]);
    const std::size_t shift = rng.below(r1.size() + 1);
    for (std::size_t u = 0; u < w; ++u) {
      std::vector<std::size_t> src;
      switch (type) {
        case 0:
        case 1:
        case 2:
          src = common;
          break;
        case 3: {  // two overlapping runs of one layer, each for half the units
          const auto& from = layers[a];
          const std::size_t first = (r1.front() - from.front()) + (u < w / 2 ? 0 : shift);
          for (std::size_t k = 0; k < r1.size() && first + k < from.size(); ++k)
            src.push_back(from[first + k]);
          if (src.empty()) src.push_back(from.back());
          break;
        }
        case 4: {  // sparse: each earlier unit with a probability
          const double q = 0.02 + 0.3 * rng.uniform01();
          for (std::size_t j = 0; j < p.role.size(); ++j)
            if (rng.uniform01() < q) src.push_back(j);
          if (src.empty()) src.push_back(rng.below(p.role.size()));
          break;
        }
        case 5:  // one upstream unit, mostly of the layer fed from
          src.push_back(rng.below(3) == 0 ? rng.below(p.role.size())
                                          : layers[a][rng.below(layers[a].size())]);
          break;
        case 6:  // alternating between two runs: adjacent units never share sources
          src = u % 2 == 0 ? r1 : run_of(layers[rng.below(l)]);
          break;
        default:  // a run plus one extra unit of its own: nearly dense
          src = join(r1, {rng.below(p.role.size())});
          break;
      }
      layer.push_back(add(src, mixed ? activation() : layer_f));
    }
    // Dense-like layers are created as one block (consecutive ids, so one
    // stretch of the compiled order); the others unit by unit.
    if (type <= 3 || type == 7) {
      p.blocks.push_back(layer);
      if (rng.below(3) == 0) std::reverse(p.blocks.back().begin(), p.blocks.back().end());
    }
    layers.push_back(layer);
  }

  // Heads: the last layer; sometimes a second head off a middle layer; some
  // hidden units made outputs while still feeding later units.
  auto make_output = [&](std::size_t u) {
    p.role[u] = Role::output;
    if (loss == Loss::bce) p.activation[u] = Activation::sigmoid;
  };
  p.heads.push_back(layers.back());
  for (std::size_t u : layers.back()) make_output(u);
  if (rng.below(2) == 0) {
    const auto from = run_of(layers[1 + rng.below(n_layers)]);
    const std::size_t w = 1 + rng.below(12);
    std::vector<std::size_t> head;
    for (std::size_t u = 0; u < w; ++u) head.push_back(add(from, activation()));
    for (std::size_t u : head) make_output(u);
    p.blocks.push_back(head);
    p.heads.push_back(head);
  }
  if (rng.below(2) == 0)
    for (std::size_t q = 1 + rng.below(3); q > 0; --q) {
      const std::size_t u = n_in + rng.below(p.role.size() - n_in);
      if (p.role[u] == Role::output) continue;
      make_output(u);
      p.heads.push_back({u});
    }
  std::size_t outputs = 0;
  for (const auto& h : p.heads) outputs += h.size();
  if (outputs < 2) {  // softmax-ce needs two; a second output off any unit
    const std::size_t u = add({rng.below(p.role.size())}, activation());
    make_output(u);
    p.heads.push_back({u});
  }
  return build(p, rng);
}

// Rows of data for a network with these inputs and outputs, targets fit for
// the loss (a probability vector for softmax-ce, in [0, 1] for bce).
template <class T>
Dataset<T> random_rows(std::uint64_t seed, std::size_t rows, std::size_t n_in, std::size_t n_out,
                       Loss loss) {
  SplitMix64 rng(seed);
  Dataset<T> d;
  d.num_inputs = n_in;
  d.num_targets = n_out;
  d.inputs.resize(rows * n_in);
  d.targets.resize(rows * n_out);
  for (auto& x : d.inputs) x = static_cast<T>(rng.uniform(-1.5, 1.5));
  for (std::size_t r = 0; r < rows; ++r) {
    T* t = d.targets.data() + r * n_out;
    double s = 0;
    for (std::size_t k = 0; k < n_out; ++k) {
      const double v = loss == Loss::sse ? rng.uniform(-1, 1) : rng.uniform01();
      t[k] = static_cast<T>(v);
      s += v;
    }
    if (loss == Loss::softmax_ce)
      for (std::size_t k = 0; k < n_out; ++k) t[k] = static_cast<T>(static_cast<double>(t[k]) / s);
  }
  return d;
}

// ---- Large shapes ------------------------------------------------------------

// A plan of two input units, to which a large shape adds its units.
inline DagPlan two_inputs() {
  DagPlan p;
  p.role = {Role::input, Role::input};
  p.activation = {Activation::identity, Activation::identity};
  p.src = {{}, {}};
  return p;
}

// A chain input -> u_1 -> ... -> u_n of the six activations in turn (weights
// near 1, so values neither vanish nor blow up), with a few units along it
// also outputs, and one input skipping to the end.
inline StructuredDag deep_chain(std::size_t n, std::uint64_t seed) {
  SplitMix64 rng(seed);
  DagPlan p = two_inputs();
  const Activation cycle[] = {Activation::tanh,    Activation::identity, Activation::leaky_relu,
                              Activation::sigmoid, Activation::softplus, Activation::relu};
  for (std::size_t k = 0; k < n; ++k) {
    p.role.push_back(Role::hidden);
    p.activation.push_back(cycle[k % 6]);
    p.src.push_back({k == 0 ? std::size_t{0} : p.role.size() - 2});
  }
  p.src.back().push_back(1);  // input 1 skips the whole chain
  p.role.back() = Role::output;
  p.heads.push_back({p.role.size() - 1});
  for (std::size_t q = 0; q < 3; ++q) {
    const std::size_t u = 2 + (q + 1) * n / 4 - 1;
    p.role[u] = Role::output;
    p.heads.push_back({u});
  }
  StructuredDag d = build(p, rng);
  for (std::size_t u = 2; u < p.role.size(); ++u)  // weights near 1 along the chain
    d.topology.set_weight(d.id[p.src[u][0]], d.id[u], rng.uniform(0.9, 1.05));
  return d;
}

// `n` inputs all feeding two outputs (fan-in n each: a dense group of two
// rows read straight from the input rows) and a third fed by every other input.
inline StructuredDag wide_fan_in(std::size_t n, std::uint64_t seed) {
  SplitMix64 rng(seed);
  DagPlan p;
  std::vector<std::size_t> all, half;
  for (std::size_t k = 0; k < n; ++k) {
    p.role.push_back(Role::input);
    p.activation.push_back(Activation::identity);
    p.src.emplace_back();
    all.push_back(k);
    if (k % 2 == 0) half.push_back(k);
  }
  for (Activation f : {Activation::tanh, Activation::identity, Activation::sigmoid}) {
    p.role.push_back(Role::output);
    p.activation.push_back(f);
    p.src.push_back(f == Activation::sigmoid ? half : all);
  }
  p.blocks = {{n, n + 1}};
  p.heads = {{n, n + 1}, {n + 2}};
  return build(p, rng);
}

// One input feeding `n` units (a dense group of n units of one source each),
// all summed by one output; a few of the n are outputs themselves.
inline StructuredDag wide_fan_out(std::size_t n, std::uint64_t seed) {
  SplitMix64 rng(seed);
  DagPlan p = two_inputs();
  std::vector<std::size_t> layer;
  for (std::size_t k = 0; k < n; ++k) {
    p.role.push_back(Role::hidden);
    p.activation.push_back(six_activations[k % 6]);
    p.src.push_back({0});
    layer.push_back(p.role.size() - 1);
  }
  p.blocks.push_back(layer);
  auto sum = layer;
  sum.push_back(1);
  p.role.push_back(Role::output), p.activation.push_back(Activation::identity);
  p.src.push_back(sum);
  p.heads.push_back({p.role.size() - 1});
  for (std::size_t u : {layer[n / 3], layer[n / 2], layer[n - 1]}) {
    p.role[u] = Role::output;
    p.heads.push_back({u});
  }
  return build(p, rng);
}

// A NEAT-like evolved net: a backbone of `levels` units (so as many levels),
// each also fed by a few random earlier units or inputs, side nodes hanging
// off it, and outputs along the way; ids shuffled.
inline StructuredDag neat_like(std::size_t levels, std::size_t n_in, std::uint64_t seed) {
  SplitMix64 rng(seed);
  DagPlan p;
  for (std::size_t k = 0; k < n_in; ++k) {
    p.role.push_back(Role::input);
    p.activation.push_back(Activation::identity);
    p.src.emplace_back();
  }
  std::size_t prev = 0;
  for (std::size_t k = 0; k < levels; ++k) {
    std::vector<std::size_t> src = {prev};
    for (std::size_t e = rng.below(4); e > 0; --e)
      src.push_back(rng.below(3) == 0 ? rng.below(n_in) : rng.below(p.role.size()));
    std::sort(src.begin(), src.end());
    src.erase(std::unique(src.begin(), src.end()), src.end());
    p.role.push_back(Role::hidden);
    p.activation.push_back(six_activations[rng.below(6)]);
    p.src.push_back(src);
    prev = p.role.size() - 1;
    if (rng.below(4) == 0) {  // a side node off the backbone
      p.role.push_back(Role::hidden);
      p.activation.push_back(six_activations[rng.below(6)]);
      p.src.push_back({rng.below(p.role.size() - 1)});
    }
  }
  p.role[prev] = Role::output;
  p.heads.push_back({prev});
  for (std::size_t q = 0; q < 4; ++q) {
    const std::size_t u = n_in + rng.below(p.role.size() - n_in);
    if (p.role[u] == Role::output) continue;
    p.role[u] = Role::output;
    p.heads.push_back({u});
  }
  StructuredDag d = build(p, rng);
  // Small weights keep the many summed paths of a deep net bounded.
  for (std::size_t u = n_in; u < p.role.size(); ++u)
    for (std::size_t j : p.src[u]) d.topology.set_weight(d.id[j], d.id[u], rng.uniform(-0.6, 0.6));
  return d;
}

}  // namespace dagprop::test
