// `dagprop eval`: a trained model on a labeled data set: the loss (mean per
// run, as trained: on scaled targets), and in the data's own units the
// accuracy, confusion matrix and per-class precision/recall/F1 for classes,
// RMSE, MAE and R² for regression. The model's saved input and target scaling
// and training setup are used unless flags say (and agree) otherwise. It does
// not change the model.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli.hpp"
#include "dagprop/evaluate.hpp"
#include "metrics.hpp"

namespace dagprop::cli {

namespace {

struct EvalSetup {
  Loss loss = Loss::sse;
  bool classes = false;
  std::vector<std::string> names;
  std::size_t threads = 0;
};

template <class T>
void eval_as(const Network<double>& net64, const Dataset<double>& raw, const io::ModelMeta& meta,
             const EvalSetup& s, const std::string& source) {
  const Network<T> net = net64.cast<T>();
  Dataset<T> data = convert<T>(raw);
  io::apply_targets(meta.target, data);  // the loss as trained
  const Evaluation ev = evaluate(net, data, s.loss, s.threads);
  if (!std::isfinite(ev.loss)) {  // name the row and output, or at least the loss
    check_finite_outputs(net, predict(net, data.inputs.data(), data.size(), s.threads), data);
    throw numeric_error(source + ": the loss is " + number(ev.loss) + " with finite outputs");
  }
  const char* reduction = !meta.training ? ""
                          : meta.training->reduction == Reduction::mean
                              ? "; trained with --reduction mean"
                              : "; trained with --reduction sum";
  std::printf("runs %zu\nloss %.9g (%s, the mean per run%s%s)\n", ev.runs, ev.loss,
              std::string(to_string(s.loss)).c_str(),
              meta.target.kind == io::ScaleKind::none ? "" : " of the scaled targets", reduction);
  const std::size_t K = net.num_outputs();
  const std::vector<T> y = predict(net, data.inputs.data(), data.size(), s.threads);
  std::vector<double> y64(y.begin(), y.end());
  io::unscale_outputs(meta.target, y64.data(), data.size(), K);
  if (s.loss == Loss::bce && K > 1) {  // several independent labels: no single class
    std::printf("accuracy %.6f (every label right)\n", ev.accuracy);
    return;
  }
  if (s.classes)
    print_class_metrics(std::cout, class_metrics(y64.data(), raw.targets.data(), raw.size(), K),
                        s.names);
  else
    print_regression_metrics(std::cout,
                             regression_metrics(y64.data(), raw.targets.data(), raw.size(), K));
}

}  // namespace

int cmd_eval(const Args& args) {
  std::string model, loss, precision = "float";
  EvalSetup s;
  DataArgs d;
  po::options_description desc("dagprop eval");
  desc.add_options()("model", po::value(&model)->required(), "model file (positional)");
  add_loss_option(desc, loss);
  add_precision_option(desc, precision);
  add_threads_option(desc, s.threads);
  add_data_options(desc, d, true);
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop eval MODEL --data FILE [options]")) return 0;
  if (!loss.empty()) parse_loss(loss);
  check_precision(precision);
  check_threads(s.threads);

  io::ModelMeta meta;
  const Network<double> net = load_model(model, meta);
  s.loss = resolve_loss(meta, loss);
  check_loss(net, s.loss);
  resolve_targets(meta, d);
  Dataset<double> data = load_labeled(d, net.num_inputs(), net.num_outputs());
  check_targets(data, s.loss);
  warn_input_names(net, input_column_names(d, net.num_inputs(), net.num_outputs()), d.data);
  io::apply(eval_scaler(meta, d.scale, data), data);
  check_finite_inputs(data, d.data);
  s.classes = class_targets(meta, d, s.loss);
  s.names = class_names_of(meta, d, net.num_outputs());
  in_precision(precision, [&](auto tag) { eval_as<decltype(tag)>(net, data, meta, s, d.data); });
  return 0;
}

}  // namespace dagprop::cli
