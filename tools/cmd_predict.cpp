// `dagprop predict`: one CSV row per input row, the network's outputs (with
// max_digits10 digits, so they read back exactly; de-scaled to the targets'
// units when the model was trained on scaled targets) or with --class the
// class index (or its name: --classes, --class-names or the model's), to
// stdout or atomically to a file. Inputs are scaled as saved with the model;
// target columns of a labeled file are dropped (--targets, --class-column or
// the model's setup).
#include <cstdio>
#include <iostream>
#include <limits>

#include "cli.hpp"
#include "dagprop/evaluate.hpp"

namespace dagprop::cli {

namespace {

template <class T>
void predict_as(const Network<double>& net64, const Dataset<double>& data64, bool classes,
                const std::vector<std::string>& names, const io::Scaler& target,
                std::size_t threads, std::ostream& out) {
  const Network<T> net = net64.cast<T>();
  const Dataset<T> data = convert<T>(data64);
  const std::size_t K = net.num_outputs();
  std::vector<T> y = predict(net, data.inputs.data(), data.size(), threads);
  check_finite_outputs(net, y, data);
  io::unscale_outputs(target, y.data(), data.size(), K);
  if (target.kind != io::ScaleKind::none)
    check_finite_outputs(net, y, data,
                         "once de-scaled to the targets' units; --precision double holds more");
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

// The inputs of --data: with --targets or --class-column, a labeled file whose
// target columns are dropped; else the file as inputs, or, when it has more
// columns than the network has inputs, read as the model's training read it.
Dataset<double> load_predict_inputs(DataArgs d, const io::ModelMeta& meta, std::size_t num_inputs,
                                    std::size_t num_outputs) {
  const bool labeled = !d.targets.empty() || !d.class_column.empty();
  if (!labeled) {
    try {
      return load_inputs(d, num_inputs);
    } catch (const error&) {  // more columns, or text in a class column
      if (!meta.training) throw;
    }
  }
  resolve_targets(meta, d);
  // --class-names are names to print; the file's labels are read as the
  // model's training read them (text only when it saved names).
  if (d.class_column.empty() || (meta.training && meta.training->class_names.empty()))
    d.class_names.clear();
  Dataset<double> data = load_labeled(d, num_inputs, num_outputs);
  data.targets.clear();
  data.num_targets = 0;
  return data;
}

// The flags of predict.
struct PredictArgs {
  std::string model, out, precision = "float";
  std::size_t threads = 0;
  bool classes = false, named = false, to_file = false;
  DataArgs data;
};

// Parses and checks the flags; false on --help.
bool parse_predict_args(const Args& args, PredictArgs& a) {
  DataArgs& d = a.data;
  po::options_description desc("dagprop predict");
  desc.add_options()("model", po::value(&a.model)->required(), "model file (positional)")(
      "class", po::bool_switch(&a.classes),
      "print the class (argmax, or output > 0.5 for one output) instead of the outputs")(
      "classes", po::bool_switch(&a.named),
      "print the class by name (the model's class names, or --class-names; the number "
      "when there are none)")(
      "targets", po::value(&d.targets)->notifier(not_empty("--targets")),
      "CSV target columns to leave out of the inputs (default: the model's)")(
      "class-column",
      po::value(&d.class_column)->implicit_value("last")->notifier(not_empty("--class-column")),
      "CSV class column to leave out of the inputs (default: the model's)")(
      "class-names", po::value(&d.class_names)->notifier(not_empty("--class-names")),
      "with --class: print these names of classes 0, 1, ... (comma-separated) instead of "
      "the numbers");
  add_precision_option(desc, a.precision);
  add_threads_option(desc, a.threads);
  desc.add_options()("output,o", po::value(&a.out), "CSV file to write (default: stdout)");
  add_data_options(desc, d, false);
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop predict MODEL --data FILE [options]")) return false;
  check_precision(a.precision);
  check_threads(a.threads);
  a.to_file = vm.count("output") > 0;
  if (a.to_file) {
    check_output_path(a.out, "-o");
    check_not_same(a.out, "-o", a.model, "the model file");
    check_not_same(a.out, "-o", d.data, "--data");
  }
  a.classes = a.classes || a.named;
  if (!d.class_names.empty() && !a.classes) throw usage_error("--class-names goes with --class");
  return true;
}

// The class names to print: --class-names, else with --classes the model's;
// empty (numbers) for --class alone, and for --classes on a model without
// names, which says on stderr how to name them (a first predict must work).
std::vector<std::string> printed_names(const PredictArgs& a, const io::ModelMeta& meta,
                                       std::size_t num_outputs) {
  const bool given_names = !a.data.class_names.empty();
  std::vector<std::string> names = class_names_of(meta, a.data, num_outputs);
  if (!a.named && !given_names) names.clear();  // --class alone prints numbers
  if (a.named && names.empty())
    std::cerr << "dagprop: note: the model holds no class names, so the classes are printed "
                 "as numbers 0.."
              << (num_outputs == 1 ? 1 : num_outputs - 1)
              << "; --class-names a,b,... names them (train --class-names saves them)\n";
  return names;
}

}  // namespace

int cmd_predict(const Args& args) {
  PredictArgs a;
  if (!parse_predict_args(args, a)) return 0;
  const DataArgs& d = a.data;
  io::ModelMeta meta;
  const Network<double> net = load_model(a.model, meta);
  if (a.classes && meta.training && !class_targets(meta, DataArgs{}, meta.training->loss))
    throw usage_error("--class: " + a.model + " was trained for regression (" +
                      describe(*meta.training) +
                      "), so its outputs are values, not classes; leave --class out");
  const std::vector<std::string> names = printed_names(a, meta, net.num_outputs());
  Dataset<double> data = load_predict_inputs(d, meta, net.num_inputs(), net.num_outputs());
  DataArgs named = d;  // the columns as the model's training read them
  resolve_targets(meta, named);
  warn_input_names(net, input_column_names(named, net.num_inputs(), net.num_outputs()), d.data);
  io::apply(eval_scaler(meta, d.scale, data), data);
  check_finite_inputs(data, d.data);
  auto write = [&](std::ostream& s) {
    in_precision(a.precision, [&](auto tag) {
      predict_as<decltype(tag)>(net, data, a.classes, names, meta.target, a.threads, s);
    });
  };
  if (!a.to_file)
    write(std::cout);
  else
    write_text_file(a.out, write);
  return 0;
}

}  // namespace dagprop::cli
