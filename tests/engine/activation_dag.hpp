// Test helper: a seeded DAG of the activations appended after softplus, with
// its data (test_gradcheck.cpp checks its gradient, test_trainer.cpp trains it).
#pragma once

#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "engine/activations.hpp"

namespace dagprop::test {

// A DAG of the nine new activations: inputs a, b, c; elu, selu, silu, gelu and
// gaussian fed by the inputs; sin, abs, hard_tanh and softsign fed by those and
// by input c across a level; two outputs sharing gelu, sin and softsign, with
// skips from selu and from input a. Seeded weights and biases; `runs` rows.
struct Problem {
  Topology topology;
  std::size_t runs = 0;
  std::vector<double> inputs, targets;  // [runs * 3], [runs * 2]
};

inline Problem new_activation_dag(Loss loss, std::uint64_t seed, std::size_t runs) {
  SplitMix64 rng(seed);
  Problem p;
  Topology& t = p.topology;
  const UnitId a = t.add_input("a"), b = t.add_input("b"), c = t.add_input("c");
  std::vector<UnitId> level1, level2;
  for (Activation f : {A::elu, A::selu, A::silu, A::gelu, A::gaussian}) {
    const UnitId i = t.add_unit(f, Role::hidden, std::string(to_string(f)), rng.uniform(-0.5, 0.5));
    for (UnitId j : {a, b, c}) t.connect(j, i, rng.uniform(-1.2, 1.2));
    level1.push_back(i);
  }
  for (Activation f : {A::sin, A::abs, A::hard_tanh, A::softsign}) {
    const UnitId i = t.add_unit(f, Role::hidden, std::string(to_string(f)), rng.uniform(-0.5, 0.5));
    for (UnitId j : level1) t.connect(j, i, rng.uniform(-0.8, 0.8));
    t.connect(c, i, rng.uniform(-0.8, 0.8));  // an input across a level
    level2.push_back(i);
  }
  // sse: selu outputs (another kink); softmax-ce: logits; bce: probabilities.
  const Activation out = loss == Loss::sse          ? A::selu
                         : loss == Loss::softmax_ce ? A::identity
                                                    : A::sigmoid;
  const UnitId o0 = t.add_output(out, "o0", rng.uniform(-0.5, 0.5));
  const UnitId o1 = t.add_output(out, "o1", rng.uniform(-0.5, 0.5));
  for (UnitId j : level2) t.connect(j, o0, rng.uniform(-1.2, 1.2));
  t.connect(level1[1], o0, rng.uniform(-1.2, 1.2));   // selu -> o0, across a level
  t.connect(a, o0, rng.uniform(-1.2, 1.2));           // input -> output
  for (UnitId j : {level1[3], level2[0], level2[3]})  // gelu, sin, softsign: shared
    t.connect(j, o1, rng.uniform(-1.2, 1.2));
  p.runs = runs;
  for (std::size_t k = 0; k < runs * 3; ++k) p.inputs.push_back(rng.uniform(-1.5, 1.5));
  for (std::size_t r = 0; r < runs; ++r) {  // softmax-ce: a probability vector
    const double t0 = loss == Loss::sse ? rng.uniform(-1, 1) : rng.uniform(0.1, 0.9);
    const double t1 = loss == Loss::sse          ? rng.uniform(-1, 1)
                      : loss == Loss::softmax_ce ? 1 - t0
                                                 : rng.uniform(0.1, 0.9);
    p.targets.push_back(t0);
    p.targets.push_back(t1);
  }
  return p;
}

// Whether, on some run, a unit's x is within 1e-3 of a kink (where a central
// difference would straddle it), or the hard_tanh unit is saturated on every run.
inline bool unsuitable(const Problem& p) {
  const Network<double> net = compile<double>(p.topology);
  Run<double> run(net);
  bool hard_tanh_inside = false;
  for (std::size_t r = 0; r < p.runs; ++r) {
    propagate(net, &p.inputs[r * 3], run);
    for (UnitId i = net.num_inputs(); i < net.num_units(); ++i) {
      if (near_kink(net.activation(i), run.x[i], 1e-3)) return true;
      if (net.activation(i) == A::hard_tanh && std::abs(run.x[i]) < 1) hard_tanh_inside = true;
    }
  }
  return !hard_tanh_inside;
}

inline Problem suitable_problem(Loss loss, std::size_t runs) {
  for (std::uint64_t seed = 1; seed < 100; ++seed) {
    Problem p = new_activation_dag(loss, seed, runs);
    if (!unsuitable(p)) return p;
  }
  FAIL("no seed below 100 gives a DAG clear of the kinks");
  return {};
}

inline double total_loss(const Network<double>& net, const Problem& p, Loss loss) {
  Run<double> run(net);
  Gradient<double> scratch(net);
  double E = 0;
  for (std::size_t r = 0; r < p.runs; ++r)
    E += back_propagate(net, &p.inputs[r * 3], &p.targets[r * 2], loss, run, scratch);
  return E;
}

}  // namespace dagprop::test
