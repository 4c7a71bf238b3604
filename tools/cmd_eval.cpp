// `dagprop eval`: the mean loss per run, the accuracy and, for a classifier,
// the confusion matrix of a trained model on a labeled data set. The model's
// saved input scaling is applied first. It does not change the model.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include "cli.hpp"
#include "dagprop/evaluate.hpp"

namespace dagprop::cli {

namespace {

// Class of one run: argmax for several outputs, y > 0.5 for one.
template <class T>
std::size_t class_of(const T* y, std::size_t K) {
  if (K == 1) return y[0] > T(0.5) ? 1 : 0;
  std::size_t best = 0;
  for (std::size_t k = 1; k < K; ++k)
    if (y[k] > y[best]) best = k;
  return best;
}

template <class T>
void eval_as(const Network<double>& net64, const Dataset<double>& data64, Loss loss,
             const std::vector<std::string>& names, std::size_t threads,
             const std::string& source) {
  const Network<T> net = net64.cast<T>();
  const Dataset<T> data = convert<T>(data64);
  const Evaluation ev = evaluate(net, data, loss, threads);
  if (!std::isfinite(ev.loss)) {  // name the row and output, or at least the loss
    check_finite_outputs(net, predict(net, data.inputs.data(), data.size(), threads), source);
    throw numeric_error(source + ": the loss is " + number(ev.loss) + " with finite outputs");
  }
  std::printf("runs %zu\nloss %.9g\n", ev.runs, ev.loss);
  if (!classifies(loss)) return;
  std::printf("accuracy %.9g\n", ev.accuracy);
  const std::size_t K = net.num_outputs();
  if (loss == Loss::bce && K > 1) return;  // several independent labels: no single class
  const std::size_t C = K == 1 ? 2 : K;
  const std::vector<T> y = predict(net, data.inputs.data(), data.size(), threads);
  std::vector<std::size_t> m(C * C, 0);
  for (std::size_t r = 0; r < data.size(); ++r)
    ++m[class_of(data.target(r), K) * C + class_of(y.data() + r * K, K)];
  // Classes by number, or by the names given with --class-names.
  std::vector<std::string> label(C);
  int width = 7;
  for (std::size_t c = 0; c < C; ++c) {
    label[c] = names.empty() ? std::to_string(c) : names[c];
    width = std::max(width, static_cast<int>(label[c].size()));
  }
  std::printf("confusion matrix (rows: true class, columns: predicted class)\n%*s", width, "");
  for (std::size_t c = 0; c < C; ++c) std::printf(" %*s", width, label[c].c_str());
  std::printf("\n");
  for (std::size_t t = 0; t < C; ++t) {
    std::printf("%*s", width, label[t].c_str());
    for (std::size_t c = 0; c < C; ++c) std::printf(" %*zu", width, m[t * C + c]);
    std::printf("\n");
  }
}

}  // namespace

int cmd_eval(const Args& args) {
  std::string model, loss = "sse", precision = "float";
  std::size_t threads = 0;
  DataArgs d;
  po::options_description desc("dagprop eval");
  desc.add_options()("model", po::value(&model)->required(), "model file (positional)")(
      "loss", po::value(&loss)->default_value(loss), "sse | softmax-ce | bce")(
      "precision", po::value(&precision)->default_value(precision), "float | double")(
      "threads", po::value(&threads)->default_value(0), "worker threads (0: all cores)");
  add_data_options(desc, d, true);
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop eval MODEL --data FILE [options]")) return 0;
  const Loss l = parse_loss(loss);
  if (precision != "float" && precision != "double")
    throw usage_error("--precision: expected float or double, got '" + precision + "'");
  check_threads(threads);

  io::Scaler saved;
  const Network<double> net = load_model(model, &saved);
  check_loss(net, l);
  Dataset<double> data = load_labeled(d, net.num_inputs(), net.num_outputs());
  io::apply(eval_scaler(saved, d.scale, data), data);
  check_finite_inputs(data, d.data);
  const std::vector<std::string> names = d.class_names.empty()
                                             ? std::vector<std::string>{}
                                             : parse_class_names(d.class_names, net.num_outputs());
  if (precision == "float")
    eval_as<float>(net, data, l, names, threads, d.data);
  else
    eval_as<double>(net, data, l, names, threads, d.data);
  return 0;
}

}  // namespace dagprop::cli
