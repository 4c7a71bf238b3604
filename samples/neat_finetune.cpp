// A topology evolved by NEAT, fine-tuned by gradients.
//
// NEAT evolves the topology and the weights of a network together; what it
// finds is an irregular DAG: units added one at a time, connections that skip
// levels, connections disabled by later mutations, a different activation per
// unit. A layered library cannot hold it; dagprop can, and back-propagation
// can then polish the weights NEAT found, which evolution does slowly.
//
// The genome below is written in NEAT's own representation, numbered the way
// neat-python numbers it (inputs -1, -2, ...; outputs 0, 1, ...; hidden units
// any other key): node genes with an activation, a bias and a response, and
// connection genes (in, out) with a weight and an `enabled` flag. It was
// written for this sample in the shape NEAT finds for "sign XOR" (the class
// is 1 when x1 x2 < 0): two `abs` units, since |x1 - x2| - |x1 + x2| has the
// sign of -x1 x2, plus what evolution leaves behind — a skip connection from
// an input to the output, a side path through a tanh unit, disabled genes.
//
// neat-python computes a unit as act(bias + response * sum(w * y)) with
// steepened activations: its sigmoid is 1 / (1 + e^(-5z)), its tanh is
// tanh(2.5 z), its abs is |z|. With the steepness k of the activation, that is
// dagprop's unit with bias k * bias and weights k * response * w (eq. 1-2),
// exactly (neat-python also clamps 5z to [-60, 60], where its sigmoid is
// already 0 or 1 in double). The sample checks that dagprop's forward pass
// equals NEAT's own evaluation of the genome, fine-tunes the weights on data,
// writes them back into the genome's genes, and saves neat_finetune.dot.
// Exits 1 when a check fails.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"

namespace {

using namespace dagprop;

enum class Kind { input, hidden, output };

struct NodeGene {
  int key;
  Kind kind;
  const char* activation;  // neat-python's name: "sigmoid", "tanh", "abs"
  double bias, response;
};

struct ConnectionGene {
  int in, out;
  double weight;
  bool enabled;
};

// The genome: 2 inputs, 1 output, 3 hidden units (keys as NEAT numbered them).
std::vector<NodeGene> nodes = {
    {-1, Kind::input, "", 0, 1},           {-2, Kind::input, "", 0, 1},
    {0, Kind::output, "sigmoid", 0.05, 1}, {5, Kind::hidden, "abs", 0.1, 1},
    {9, Kind::hidden, "abs", -0.05, 1.0},  {14, Kind::hidden, "tanh", 0.3, 0.8},
};
std::vector<ConnectionGene> connections = {
    {-1, 5, 0.9, true},  {-2, 5, 1.1, true},   // |x1 + x2|, roughly
    {-1, 9, 1.2, true},  {-2, 9, -0.8, true},  // |x1 - x2|, roughly
    {5, 0, -0.35, true}, {9, 0, 0.4, true},    // the output compares them
    {-1, 0, 0.1, true},                        // a skip connection from an input
    {-2, 0, 0.3, false},                       // disabled by an add-node mutation...
    {-2, 14, 0.7, true}, {14, 0, 0.2, true},   // ...that put unit 14 on its path
    {9, 14, -0.6, true}, {5, 9, 0.25, false},  // another disabled gene
};

// neat-python's activations (its steepness included) and dagprop's equivalent.
double steepness(const NodeGene& n) {
  const std::string a = n.activation;
  return a == "sigmoid" ? 5.0 : a == "tanh" ? 2.5 : 1.0;
}
Activation activation_of(const NodeGene& n) {
  const std::string a = n.activation;
  return a == "sigmoid" ? Activation::sigmoid : a == "tanh" ? Activation::tanh : Activation::abs;
}
double neat_activate(const NodeGene& n, double z) {
  const std::string a = n.activation;
  if (a == "sigmoid") return 1 / (1 + std::exp(-std::clamp(5 * z, -60.0, 60.0)));
  if (a == "tanh") return std::tanh(std::clamp(2.5 * z, -60.0, 60.0));
  return std::abs(z);
}

// NEAT's own evaluation of the genome for one input pair: every unit whose
// enabled upstream genes are all evaluated is evaluated next.
double neat_forward(double x1, double x2) {
  std::map<int, double> value = {{-1, x1}, {-2, x2}};
  while (value.size() < nodes.size()) {
    for (const NodeGene& n : nodes) {
      if (value.count(n.key)) continue;
      bool ready = true;
      double s = 0;
      for (const ConnectionGene& c : connections)
        if (c.enabled && c.out == n.key) {
          if (!value.count(c.in))
            ready = false;
          else
            s += c.weight * value.at(c.in);
        }
      if (ready) value[n.key] = neat_activate(n, n.bias + n.response * s);
    }
  }
  return value.at(0);
}

}  // namespace

int main() {
  // Genome -> Topology: one unit per node gene, one connection per enabled gene.
  Topology t;
  std::map<int, UnitId> unit;
  std::map<int, const NodeGene*> gene;
  for (const NodeGene& n : nodes) {
    const std::string name = std::to_string(n.key);
    gene[n.key] = &n;
    unit[n.key] =
        n.kind == Kind::input
            ? t.add_input(name)
            : t.add_unit(activation_of(n), n.kind == Kind::output ? Role::output : Role::hidden,
                         name, steepness(n) * n.bias);
  }
  for (const ConnectionGene& c : connections) {
    if (!c.enabled) continue;
    const NodeGene& n = *gene.at(c.out);
    t.connect(unit.at(c.in), unit.at(c.out), steepness(n) * n.response * c.weight);
  }
  Network<double> net = compile<double>(t);  // validates: acyclic, every unit reached
  std::printf(
      "genome: %zu node genes, %zu connection genes -> %zu units, %zu connections, "
      "%zu levels\n",
      nodes.size(), connections.size(), net.num_units(), net.num_connections(), net.num_levels());

  // Data: points of the square, class 1 when x1 x2 < 0.
  SplitMix64 rng(7);
  Dataset<double> data;
  data.num_inputs = 2, data.num_targets = 1;
  for (int r = 0; r < 2048; ++r) {
    const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
    data.inputs.insert(data.inputs.end(), {a, b});
    data.targets.push_back(a * b < 0 ? 1.0 : 0.0);
  }

  // dagprop's forward pass is NEAT's, to rounding.
  double differ = 0;
  const auto y = predict(net, data.inputs.data(), data.size());
  for (std::size_t r = 0; r < data.size(); ++r)
    differ = std::max(differ, std::abs(y[r] - neat_forward(data.input(r)[0], data.input(r)[1])));
  std::printf("largest difference from NEAT's own evaluation: %.3g\n", differ);

  // Fine-tune every weight and bias by back-propagation.
  const Evaluation before = evaluate(net, data, Loss::bce);
  TrainOptions o;
  o.epochs = 60;
  o.batch_size = 32;
  o.learning_rate = 0.02;
  o.loss = Loss::bce;
  Trainer<double> trainer(net, o);
  trainer.fit(data);
  const Evaluation after = evaluate(net, data, Loss::bce);
  std::printf("cross-entropy %.4f -> %.4f, accuracy %.3f -> %.3f\n", before.loss, after.loss,
              before.accuracy, after.accuracy);

  // Back into the genome, so that evolution can go on from the tuned weights.
  const Topology tuned = net.to_topology();
  const auto tuned_unit = [&](int key) { return *tuned.find(std::to_string(key)); };
  for (NodeGene& n : nodes)
    if (n.kind != Kind::input) n.bias = tuned.bias(tuned_unit(n.key)) / steepness(n);
  for (ConnectionGene& c : connections) {
    if (!c.enabled) continue;
    const NodeGene& n = *gene.at(c.out);
    c.weight = tuned.weight(tuned_unit(c.in), tuned_unit(c.out)) / (steepness(n) * n.response);
  }
  for (const ConnectionGene& c : connections)
    std::printf("  gene %3d -> %3d  weight %8.4f%s\n", c.in, c.out, c.weight,
                c.enabled ? "" : "  (disabled)");
  // The tuned genome, evaluated by NEAT, is the tuned network.
  double differ_tuned = 0;
  const auto y_tuned = predict(net, data.inputs.data(), data.size());
  for (std::size_t r = 0; r < data.size(); ++r)
    differ_tuned = std::max(
        differ_tuned, std::abs(y_tuned[r] - neat_forward(data.input(r)[0], data.input(r)[1])));
  std::printf("largest difference of the tuned genome from the tuned network: %.3g\n",
              differ_tuned);
  std::ofstream dot("neat_finetune.dot");
  io::write_dot(dot, net);

  if (!(differ < 1e-12) || !(differ_tuned < 1e-12) || !(after.loss < 0.5 * before.loss) ||
      !(after.accuracy > 0.97) || !dot.flush()) {
    std::printf("FAILED\n");
    return 1;
  }
  return 0;
}
