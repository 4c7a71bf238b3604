// `dagprop predict`: one CSV row per input row, the network's outputs (with
// max_digits10 digits, so they read back exactly) or with --class the class
// index (or its name, --class-names), to stdout or atomically to a file. Inputs
// are scaled as saved with the model.
#include <cstdio>
#include <iostream>
#include <limits>

#include "cli.hpp"
#include "dagprop/evaluate.hpp"

namespace dagprop::cli {

namespace {

template <class T>
void predict_as(const Network<double>& net64, const Dataset<double>& data64, bool classes,
                const std::vector<std::string>& names, std::size_t threads,
                const std::string& source, std::ostream& out) {
  const Network<T> net = net64.cast<T>();
  const Dataset<T> data = convert<T>(data64);
  const std::size_t K = net.num_outputs();
  const std::vector<T> y = predict(net, data.inputs.data(), data.size(), threads);
  check_finite_outputs(net, y, source);
  char buf[64];
  for (std::size_t r = 0; r < data.size(); ++r) {
    const T* row = y.data() + r * K;
    if (classes) {
      std::size_t best = 0;
      for (std::size_t k = 1; k < K; ++k)
        if (row[k] > row[best]) best = k;
      const std::size_t c = K == 1 ? (row[0] > T(0.5) ? 1 : 0) : best;
      if (names.empty())
        out << c << '\n';
      else
        out << names[c] << '\n';
      continue;
    }
    for (std::size_t k = 0; k < K; ++k) {
      std::snprintf(buf, sizeof buf, "%.*g", std::numeric_limits<T>::max_digits10,
                    static_cast<double>(row[k]));
      out << (k ? "," : "") << buf;
    }
    out << '\n';
  }
}

}  // namespace

int cmd_predict(const Args& args) {
  std::string model, out, precision = "float";
  std::size_t threads = 0;
  bool classes = false;
  DataArgs d;
  po::options_description desc("dagprop predict");
  desc.add_options()("model", po::value(&model)->required(), "model file (positional)")(
      "class", po::bool_switch(&classes),
      "print the class (argmax, or output > 0.5 for one output) instead of the outputs")(
      "class-names", po::value(&d.class_names)->notifier(not_empty("--class-names")),
      "with --class: print these names of classes 0, 1, ... (comma-separated) instead of "
      "the numbers")("precision", po::value(&precision)->default_value(precision),
                     "float | double")("threads", po::value(&threads)->default_value(0),
                                       "worker threads (0: all cores)")(
      "output,o", po::value(&out), "CSV file to write (default: stdout)");
  add_data_options(desc, d, false);
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop predict MODEL --data FILE [options]")) return 0;
  if (precision != "float" && precision != "double")
    throw usage_error("--precision: expected float or double, got '" + precision + "'");
  check_threads(threads);
  const bool to_file = vm.count("output") > 0;
  if (to_file) {
    check_output_path(out, "-o");
    check_not_same(out, "-o", model, "the model file");
    check_not_same(out, "-o", d.data, "--data");
  }

  if (!d.class_names.empty() && !classes) throw usage_error("--class-names goes with --class");

  io::Scaler saved;
  const Network<double> net = load_model(model, &saved);
  const std::vector<std::string> names = d.class_names.empty()
                                             ? std::vector<std::string>{}
                                             : parse_class_names(d.class_names, net.num_outputs());
  Dataset<double> data = load_inputs(d, net.num_inputs());
  io::apply(eval_scaler(saved, d.scale, data), data);
  check_finite_inputs(data, d.data);
  auto write = [&](std::ostream& s) {
    if (precision == "float")
      predict_as<float>(net, data, classes, names, threads, d.data, s);
    else
      predict_as<double>(net, data, classes, names, threads, d.data, s);
  };
  if (!to_file)
    write(std::cout);
  else
    write_text_file(out, write);
  return 0;
}

}  // namespace dagprop::cli
