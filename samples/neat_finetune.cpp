// A topology evolved by NEAT, fine-tuned by gradients.
//
// NEAT evolves the topology and the weights of a network together; what it
// finds is an irregular DAG: units added one at a time, connections that skip
// levels, connections disabled by later mutations, a different activation per
// unit. A layered library cannot hold it; dagprop can, and back-propagation
// can then polish the weights NEAT found, which evolution does slowly.
//
// samples/data/neat_sign_xor.json is a genome in neat-python's JSON export
// format (neat.export.export_network_json) for "sign XOR" (the class is 1 when
// x1 x2 < 0): two `abs` units, since |x1 - x2| - |x1 + x2| has the sign of
// -x1 x2, plus what evolution leaves behind — a skip connection from an input
// to the output, a side path through a tanh unit, disabled genes.
// io::read_neat_json_file reads it; io::to_topology folds neat-python's
// steepness (its sigmoid is 1 / (1 + e^(-5z)), its tanh is tanh(2.5 z)) and
// each node's response into dagprop's weights and biases. The sample checks
// that dagprop's forward pass equals neat-python's formula evaluated here on
// the genes, fine-tunes the weights on data, writes them back into the genes
// (neat_finetune.json, in neat-python's export format) and the network
// as neat_finetune.dot. Exits 1 when a check fails.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"
#include "dagprop/io/neat_json.hpp"

namespace {

using namespace dagprop;

// neat-python's activations used by the genome (neat/activations.py).
double neat_activate(const std::string& name, double z) {
  if (name == "sigmoid") return 1 / (1 + std::exp(-std::clamp(5 * z, -60.0, 60.0)));
  if (name == "tanh") return std::tanh(std::clamp(2.5 * z, -60.0, 60.0));
  if (name == "abs") return std::abs(z);
  throw invalid_argument("the sample evaluates sigmoid, tanh and abs only, not " + name);
}

// neat-python's own evaluation of the genes for one input row (their first
// output): every node whose enabled upstream genes are all evaluated is
// evaluated next, as act(bias + response * sum(w * v)).
double neat_forward(const io::NeatNetwork& g, const double* x) {
  std::map<std::int64_t, double> value;
  for (std::size_t k = 0; k < g.input_keys.size(); ++k) value[g.input_keys[k]] = x[k];
  while (value.size() < g.input_keys.size() + g.nodes.size()) {
    for (const io::NeatNode& n : g.nodes) {
      if (value.count(n.id)) continue;
      bool ready = true;
      double s = 0;
      for (const io::NeatConnection& c : g.connections)
        if (c.enabled && c.to == n.id) {
          if (!value.count(c.from))
            ready = false;
          else
            s += c.weight * value.at(c.from);
        }
      if (ready) value[n.id] = neat_activate(n.activation, n.bias + n.response * s);
    }
  }
  return value.at(g.output_keys.at(0));
}

// Largest |dagprop - neat-python| over the rows of `data`.
double largest_difference(const Network<double>& net, const io::NeatNetwork& genes,
                          const Dataset<double>& data) {
  const auto y = predict(net, data.inputs.data(), data.size());
  double differ = 0;
  for (std::size_t r = 0; r < data.size(); ++r)
    differ = std::max(differ, std::abs(y[r] - neat_forward(genes, data.input(r))));
  return differ;
}

}  // namespace

int main() {
  const std::string path = std::string(DAGPROP_SAMPLE_DATA_DIR) + "/neat_sign_xor.json";
  io::NeatNetwork genes = io::read_neat_json_file(path);
  Network<double> net = compile<double>(io::to_topology(genes, path));
  std::printf(
      "%s: %zu node genes, %zu connection genes -> %zu units, %zu connections, %zu levels\n",
      path.c_str(), genes.nodes.size() + genes.input_keys.size(), genes.connections.size(),
      net.num_units(), net.num_connections(), net.num_levels());

  // Data: points of the square, class 1 when x1 x2 < 0.
  SplitMix64 rng(7);
  Dataset<double> data;
  data.num_inputs = 2, data.num_targets = 1;
  for (int r = 0; r < 2048; ++r) {
    const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
    data.inputs.insert(data.inputs.end(), {a, b});
    data.targets.push_back(a * b < 0 ? 1.0 : 0.0);
  }

  // dagprop's forward pass is neat-python's, to rounding.
  const double differ = largest_difference(net, genes, data);
  std::printf("largest difference from neat-python's evaluation: %.3g\n", differ);

  // Fine-tune every weight and bias by back-propagation. The output is
  // neat-python's sigmoid, σ of 5x clamped to ±60 (neat_sigmoid), not the plain
  // logistic that dagprop's cross-entropy reads from the logits: the loss is sse.
  const Evaluation before = evaluate(net, data, Loss::sse);
  TrainOptions o;
  o.epochs = 60;
  o.batch_size = 32;
  o.learning_rate = 0.02;
  o.loss = Loss::sse;
  Trainer<double> trainer(net, o);
  trainer.fit(data);
  const Evaluation after = evaluate(net, data, Loss::sse);
  std::printf("sse %.4f -> %.4f\n", before.loss, after.loss);

  // Back into the genes, so that evolution can go on from the tuned weights.
  io::update_genes(genes, net.to_topology());
  for (const io::NeatConnection& c : genes.connections)
    std::printf("  gene %3lld -> %3lld  weight %8.4f%s\n", static_cast<long long>(c.from),
                static_cast<long long>(c.to), c.weight, c.enabled ? "" : "  (disabled)");
  io::save_neat_json("neat_finetune.json", genes);
  // The tuned genes, read back and evaluated as neat-python would, are the tuned network.
  const io::NeatNetwork reread = io::read_neat_json_file("neat_finetune.json");
  const double differ_tuned = largest_difference(net, reread, data);
  std::printf("largest difference of the written genome from the tuned network: %.3g\n",
              differ_tuned);
  std::ofstream dot("neat_finetune.dot");
  io::write_dot(dot, net);

  if (!(differ < 1e-12) || !(differ_tuned < 1e-12) || !(after.loss < 0.5 * before.loss) ||
      !dot.flush()) {
    std::printf("FAILED\n");
    return 1;
  }
  std::printf("wrote neat_finetune.json and neat_finetune.dot\n");
  return 0;
}
