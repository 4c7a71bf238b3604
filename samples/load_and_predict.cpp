// Loads a model file (with the input scaling saved in it) and classifies a
// data set: a CSV file of inputs or IDX images, plus IDX labels to report the
// accuracy. Usage: load_and_predict MODEL DATA [LABELS]. It never trains.
#include <cstdio>
#include <exception>
#include <string>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/data.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/io/scaling.hpp"

int main(int argc, char** argv) {
  using namespace dagprop;
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr,
                 "usage: %s MODEL DATA [LABELS]\n  e.g. %s fashion_mnist.dpn "
                 "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz "
                 "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz\n",
                 argv[0], argv[0]);
    return 1;
  }
  try {
    io::Scaler scaler;  // how the inputs were scaled when the model was trained
    const Network<float> net = io::load_network<float>(argv[1], &scaler);
    io::DataOptions options;
    if (argc == 4) {  // labels: one-hot with one class per output
      options.idx_labels_path = argv[3];
      options.idx.num_classes = net.num_outputs();
    }
    Dataset<double> data = io::load_data(argv[2], options);
    io::apply(scaler, data);
    const Dataset<float> d = convert<float>(data);
    if (d.num_inputs != net.num_inputs())
      throw invalid_argument(std::string(argv[2]) + " has " + std::to_string(d.num_inputs) +
                             " inputs per row but the network has " +
                             std::to_string(net.num_inputs()));
    const std::vector<float> y = predict(net, d.inputs.data(), d.size());
    const std::size_t K = net.num_outputs();
    std::size_t right = 0;
    for (std::size_t r = 0; r < d.size(); ++r) {
      std::size_t best = 0;  // the class: the output with the largest value
      for (std::size_t k = 1; k < K; ++k)
        if (y[r * K + k] > y[r * K + best]) best = k;
      if (r < 10) std::printf("row %zu: class %zu\n", r, best);
      if (d.num_targets == K) right += d.target(r)[best] == 1.0f;
    }
    if (d.size() > 10) std::printf("... (%zu rows)\n", d.size());
    if (d.num_targets == K)
      std::printf("accuracy %.4f\n", static_cast<double>(right) / static_cast<double>(d.size()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "load_and_predict: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
