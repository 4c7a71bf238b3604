// `dagprop train`: loads a model and a data set, trains with the Trainer
// (float or double), prints one line per epoch (and a progress bar on a
// terminal), writes the trained model atomically, optionally a CSV log, an SVG
// plot and a checkpoint per epoch. It writes nothing when training diverges.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <limits>
#include <sstream>
#include <utility>

#include "cli.hpp"
#include "curves.hpp"
#include "dagprop/evaluate.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/optimizer.hpp"
#include "dagprop/random.hpp"
#include "dagprop/regularize.hpp"
#include "dagprop/schedule.hpp"
#include "dagprop/trainer.hpp"
#include "distributed.hpp"
#include "progress.hpp"
#include "rprop_flags.hpp"
#include "train_state.hpp"
#include "train_watch.hpp"

namespace dagprop::cli {

namespace {

// Splits `data` into training and validation rows: a seeded shuffle, then the
// last round(fraction * n) rows are the validation set.
void split_validation(Dataset<double>& data, double fraction, std::uint64_t seed,
                      Dataset<double>& validation) {
  const std::size_t n = data.size();
  const auto nv = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n)));
  if (nv == 0 || nv >= n)
    throw usage_error("--validation " + number(fraction) + " of " + std::to_string(n) +
                      " rows leaves " + std::to_string(nv) +
                      " validation rows; both parts need at least one row");
  std::vector<std::size_t> order(n);
  for (std::size_t r = 0; r < n; ++r) order[r] = r;
  SplitMix64 rng(seed ^ 0x76616c6964617465ull);  // "validate": a stream of its own
  shuffle(order, rng);
  validation = select_rows(data, order.data() + (n - nv), nv);
  data = select_rows(data, order.data(), n - nv);
}

// Every file written is checked before any work: its folder exists, no two
// outputs are the same file, and no output overwrites an input (but the
// trained model may replace the model it was trained from, and checkpoints
// may go on in the checkpoint resumed from).
void check_output_paths(const TrainArgs& a) {
  const std::pair<const std::string*, const char*> outputs[] = {
      {&a.out, "-o"}, {&a.log, "--log"}, {&a.plot, "--plot"}, {&a.checkpoint, "--checkpoint"}};
  const std::pair<const std::string*, const char*> inputs[] = {{&a.model, "the model file"},
                                                               {&a.data.data, "--data"},
                                                               {&a.data.labels, "--labels"},
                                                               {&a.resume, "--resume"}};
  for (std::size_t k = 0; k < std::size(outputs); ++k) {
    const auto& [path, flag] = outputs[k];
    if (k > 0 && !a.given.count(flag + 2)) continue;
    check_output_path(*path, flag);
    for (std::size_t q = 0; q < k; ++q)
      check_not_same(*path, flag, *outputs[q].first, outputs[q].second);
    for (const auto& [in, in_flag] : inputs) {
      if ((in == &a.model && path == &a.out) || (in == &a.resume && path == &a.checkpoint))
        continue;
      check_not_same(*path, flag, *in, in_flag);
    }
  }
}

// Warnings on stderr for setups that train badly or not at all.
void warn_setup(const TrainArgs& a, const Network<double>& net, const Dataset<double>& train,
                const io::ModelMeta& meta, Loss loss) {
  const auto warn = [](const std::string& text) {
    std::cerr << "dagprop: warning: " << text << std::endl;
  };
  bool sigmoid = true;
  for (UnitId o : net.outputs()) sigmoid = sigmoid && net.activation(o) == Activation::sigmoid;
  if (loss == Loss::softmax_ce && sigmoid)
    warn(
        "--loss softmax-ce on sigmoid outputs: the softmax of values in (0, 1) cannot approach "
        "one-hot targets; make the outputs identity (new --output-activation identity)");
  if (loss == Loss::sse && (!a.data.class_column.empty() || !a.data.labels.empty()))
    warn(
        "--loss sse with class targets: training reports no accuracy (eval does); "
        "--loss softmax-ce is the usual loss for classes");
  // Beyond about 10 a unit's sum saturates tanh and sigmoid at the initial
  // weights (sklearn's digits, pixels 0-16, reach accuracy 0.2 unscaled).
  constexpr double unscaled_hint_above = 10;
  if (meta.input.kind == io::ScaleKind::none) {
    double largest = 0;
    for (double x : train.inputs) largest = std::max(largest, std::fabs(x));
    if (largest > unscaled_hint_above)
      warn("input values reach " + number(largest) +
           " and the inputs are not scaled; --scale standardize (or divide:N) usually trains "
           "better");
  }
}

// --scale-targets: none, standardize (fitted on `train`), or when not given
// the target scaling of the model trained from (or of the checkpoint).
io::Scaler target_scaler(const TrainArgs& a, const io::ModelMeta& saved,
                         const Dataset<double>& train, Loss loss) {
  if (a.scale_targets.empty()) return saved.target;
  if (a.scale_targets == "none") return io::Scaler{};
  if (a.scale_targets != "standardize")
    throw usage_error("--scale-targets: expected none or standardize, got '" + a.scale_targets +
                      "'");
  if (classifies(loss) || !a.data.class_column.empty() || !a.data.labels.empty())
    throw usage_error(
        "--scale-targets standardize scales regression targets, but these are "
        "classes (--loss " +
        a.loss + (a.data.class_column.empty() ? "" : ", --class-column") + ")");
  return io::fit_standardize_targets(train);
}

// The trainer's options from the flags, for `rows` training rows.
TrainOptions train_options(const TrainArgs& a, std::size_t rows) {
  TrainOptions o;
  o.epochs = a.epochs;
  // A batch larger than the data set trains as one of the data set's size
  // (the same sums in the same order); capping it spares the trainer
  // gradient buffers for runs that do not exist.
  o.batch_size = std::min(a.batch, rows);
  o.learning_rate = a.learning_rate;
  o.loss = parse_loss(a.loss);
  o.reduction = parse_reduction(a.reduction);
  o.seed = a.seed;
  o.shuffle = !a.no_shuffle;
  o.threads = a.threads;
  o.schedule = a.schedule;
  o.clip_norm = a.clip_norm;
  o.clip_value = a.clip_value;
  o.dropout = a.dropout;
  return o;
}

// The optimizer of --optimizer, or the checkpoint's with `net`, `o`,
// `schedule_spec` (how checkpoints spell o.schedule) and `resumed` set from
// it, once the flags are checked against it.
template <class T>
std::unique_ptr<Optimizer<T>> start_or_resume(const TrainArgs& a, Network<T>& net, TrainOptions& o,
                                              std::size_t rows, std::string& schedule_spec,
                                              TrainerState& resumed) {
  std::unique_ptr<Optimizer<T>> optimizer;
  if (!a.resume.empty()) {
    optimizer = resume_training<T>(a.resume, net, o, schedule_spec, resumed);
    check_resume_rprop_flags(a, optimizer->name(), optimizer->has_learning_rate(),
                             optimizer->state().scalars);
    check_resume_flags(a, o, schedule_spec, optimizer->name(), optimizer->state().scalars, rows);
    if (a.epochs <= resumed.epoch)
      throw usage_error("--epochs " + std::to_string(a.epochs) + ": the checkpoint " + a.resume +
                        " has completed " + std::to_string(resumed.epoch) +
                        " epochs already; ask for more to go on training");
  } else {
    optimizer = make_optimizer<T>(a.optimizer);
  }
  o.epochs = a.epochs;  // a resumed run may go on for more epochs than first asked
  check_schedule(o.schedule, schedule_spec, o.learning_rate, o.epochs);
  return optimizer;
}

// The --plot chart's setup: an RMSE panel for regression, in the targets' units
// when one output's scaling can be undone.
PlotOptions plot_options(const TrainArgs& a, const io::ModelMeta& meta, std::size_t outputs,
                         Loss loss) {
  PlotOptions plot;
  plot.log_loss = a.plot_log;
  plot.outputs = outputs;
  if (loss == Loss::sse && a.data.class_column.empty() && a.data.labels.empty()) {
    const bool one_scale = meta.target.kind != io::ScaleKind::none && plot.outputs == 1;
    plot.rmse_scale = one_scale ? meta.target.scale[0] : 1;
    plot.rmse_title =
        meta.target.kind == io::ScaleKind::none || one_scale ? "RMSE" : "RMSE (scaled targets)";
  }
  return plot;
}

template <class T>
void train_as(TrainArgs& a, Network<double>& net64, const Dataset<double>& train64,
              const Dataset<double>* validation64, const io::ModelMeta& meta,
              Distributed& cluster) {
  Network<T> net = net64.cast<T>();
  const Dataset<T> train = convert<T>(train64);
  Dataset<T> validation;
  if (validation64) validation = convert<T>(*validation64);

  TrainOptions o = train_options(a, train.size());
  TrainerState resumed;
  std::string schedule_spec = a.schedule_spec;
  std::unique_ptr<Optimizer<T>> optimizer =
      start_or_resume<T>(a, net, o, train.size(), schedule_spec, resumed);
  Trainer<T> trainer(net, o, std::move(optimizer));
  if (!a.resume.empty()) trainer.set_state(resumed);
  cluster.attach(trainer, o.threads);
  ProgressBar bar(std::cerr, stderr_is_terminal() && cluster.writes());
  trainer.on_batch([&](const BatchReport& b) {
    bar.update(b.epoch, o.epochs, b.batch, b.batches, b.runs, b.loss);
  });

  std::vector<EpochReport> history;
  EarlyStopping<T> stop(a.patience > 0 ? a.patience : 1);
  RewriteSchedule rewrite;
  const PlotOptions plot = plot_options(a, meta, net.num_outputs(), o.loss);
  LossWatch watch(a.stop_factor);
  const auto write_curves = [&] {
    if (!a.log.empty()) write_text_file(a.log, [&](std::ostream& s) { write_log_csv(s, history); });
    if (!a.plot.empty())
      write_text_file(a.plot, [&](std::ostream& s) { write_plot_svg(s, history, plot); });
  };
  trainer.fit(train, validation64 ? &validation : nullptr, [&](const EpochReport& r) {
    bar.clear();
    cluster.check_same_weights(net, r.epoch);
    if (!a.quiet && (r.epoch % a.every == 0 || r.epoch == o.epochs))
      std::cout << epoch_line(r, o.epochs) << std::endl;
    history.push_back(r);
    watch.update(r, std::cerr);
    const bool writes = cluster.writes();  // in an MPI job, rank 0 alone writes files
    if (writes && rewrite.due(r.epoch, o.epochs)) write_curves();
    if (writes && !a.checkpoint.empty()) save_training(a.checkpoint, trainer, schedule_spec, meta);
    if (a.patience == 0 || stop.update(validation64 ? r.validation_loss : r.loss, net)) return true;
    std::cout << "stopping early: no better " << (validation64 ? "validation" : "training")
              << " loss in " << a.patience << " epochs; keeping epoch " << stop.best_epoch()
              << "'s weights" << std::endl;
    stop.restore(net);
    if (writes) write_curves();
    return false;
  });
  bar.clear();
  if (cluster.writes()) save_model(a.out, net, a.format, meta);
  std::cout << "wrote " << a.out << "\n";
}

// --optimizer and the flags of its hyperparameters.
void check_optimizer_args(TrainArgs& a) {
  check_rprop_flags(a);
  if (a.optimizer.weight_decay < 0)
    throw usage_error("--weight-decay: expected >= 0, got " + number(a.optimizer.weight_decay));
  if ((a.optimizer.name == "momentum" || a.optimizer.name == "nesterov") &&
      !(a.optimizer.momentum >= 0 && a.optimizer.momentum < 1))
    throw usage_error("--momentum: expected a value in [0, 1), got " +
                      number(a.optimizer.momentum));
  if (a.given.count("momentum") && a.resume.empty() && a.optimizer.name != "momentum" &&
      a.optimizer.name != "nesterov")
    throw usage_error(
        "--momentum: only the momentum and nesterov optimizers use it, but "
        "--optimizer is '" +
        a.optimizer.name + "'");
  const bool adam = a.optimizer.name == "adam" || a.optimizer.name == "adamw";
  for (const char* flag : {"beta1", "beta2", "epsilon"})  // a resume checks the checkpoint's
    if (a.given.count(flag) && a.resume.empty() && !adam &&
        !(flag[0] == 'e' && a.optimizer.name == "rmsprop"))
      throw usage_error(std::string("--") + flag + ": only " +
                        (flag[0] == 'e' ? "adam, adamw and rmsprop use" : "adam and adamw use") +
                        " it, but --optimizer is '" + a.optimizer.name + "'");
  for (const auto& [flag, beta] : {std::pair<const char*, double>{"--beta1", a.optimizer.beta1},
                                   {"--beta2", a.optimizer.beta2}})
    if (adam && !(beta >= 0 && beta < 1))
      throw usage_error(std::string(flag) + ": expected a value in [0, 1), got " + number(beta));
  if (!(a.optimizer.epsilon > 0))
    throw usage_error("--epsilon: expected a positive number, got " + number(a.optimizer.epsilon));
  a.optimizer.check();  // the name, and anything the flags above do not cover
}

// The flags of `dagprop train`, read into `a`: one table (a list of flags,
// longer than a function should be, to be read as a list).
po::options_description train_flags(TrainArgs& a) {
  po::options_description desc("dagprop train");
  desc.add_options()("model", po::value(&a.model), "model file to train (positional)")(
      "output,o", po::value(&a.out)->required(), "trained model file to write")(
      "loss", po::value(&a.loss)->default_value(a.loss),
      "sse | softmax-ce | bce (a model dagprop trained goes on with its own unless given)")(
      "reduction", po::value(&a.reduction)->default_value(a.reduction),
      "mean over a mini-batch (the command line's default) | sum (the memo's eq. 8, the "
      "library's default); a model dagprop trained goes on with its own unless given")(
      "epochs", po::value(&a.epochs)->default_value(a.epochs), "epochs to train")(
      "batch", po::value(&a.batch)->default_value(a.batch), "runs per mini-batch")(
      "lr", po::value(&a.learning_rate)->default_value(0.1, "0.1"),
      "learning rate η (0.1 suits the mean reduction; with --reduction sum divide it by "
      "--batch)")("optimizer", po::value(&a.optimizer.name)->default_value("sgd"),
                  optimizer_names())("momentum",
                                     po::value(&a.optimizer.momentum)->default_value(0.9, "0.9"),
                                     "μ of momentum and nesterov")(
      "beta1", po::value(&a.optimizer.beta1)->default_value(0.9, "0.9"),
      "β1 of adam and adamw: decay of the mean gradient")(
      "beta2", po::value(&a.optimizer.beta2)->default_value(0.999, "0.999"),
      "β2 of adam and adamw: decay of the mean squared gradient")(
      "epsilon", po::value(&a.optimizer.epsilon)->default_value(1e-8, "1e-8"),
      "ε of adam, adamw and rmsprop")("weight-decay",
                                      po::value(&a.optimizer.weight_decay)->default_value(0.0, "0"),
                                      "λ: L2 decay (decoupled for adamw)")(
      "threads", po::value(&a.threads)->default_value(0), "worker threads (0: all cores)")(
      "seed", po::value(&a.seed)->default_value(a.seed), "seed of the shuffling and the split")(
      "precision", po::value(&a.precision)->default_value(a.precision), "float | double")(
      "no-shuffle", po::bool_switch(&a.no_shuffle), "runs in data order")(
      "validation", po::value(&a.validation)->default_value(0.0, "0"),
      "fraction of the rows held out for validation")(
      "patience", po::value(&a.patience)->default_value(0),
      "stop after this many epochs without a better (validation) loss and keep the best "
      "weights; 0: never")("log", po::value(&a.log), "CSV file: one row per epoch")(
      "plot", po::value(&a.plot), "SVG file: loss and accuracy (or RMSE) curves")(
      "plot-log", po::bool_switch(&a.plot_log),
      "a log scale for the plotted loss (default: when it spans 3 decades)")(
      "checkpoint", po::value(&a.checkpoint), "checkpoint file written after every epoch")(
      "resume", po::value(&a.resume), "continue from this checkpoint")(
      "format", po::value(&a.format)->default_value(a.format), "model file format")(
      "schedule", po::value(&a.schedule_spec),
      "learning-rate schedule: constant | step:N:G | exp:G | cosine:warmup=W:epochs=E[:min=M]")(
      "clip-norm", po::value(&a.clip_norm)->default_value(0.0, "0"),
      "> 0: rescale the mini-batch gradient to at most this norm")(
      "clip-value", po::value(&a.clip_value)->default_value(0.0, "0"),
      "> 0: clamp every gradient value to [-X, X]")(
      "dropout", po::value(&a.dropout)->default_value(0.0, "0"),
      "inverted dropout rate of every hidden unit while training")(
      "quiet,q", po::bool_switch(&a.quiet), "no per-epoch lines")(
      "every", po::value(&a.every)->default_value(a.every),
      "print every N-th epoch's line (and the last)")(
      "stop-on-divergence", po::value(&a.stop_factor)->default_value(a.stop_factor, "1e6"),
      "stop with an error, writing nothing, when the epoch loss grows this many times over "
      "its lowest (0: never; a 100-fold growth is warned about)")(
      "scale-targets", po::value(&a.scale_targets)->notifier(not_empty("--scale-targets")),
      "regression target scaling: none | standardize (fitted on the training rows, saved with "
      "the model; eval and predict answer in the targets' own units)")(
      "distributed", po::bool_switch(&a.distributed),
      "train across the processes of an MPI job (implied under mpirun)");
  add_rprop_options(desc, a.optimizer);
  add_data_options(desc, a.data, true);
  return desc;
}

// The flags that need no file: refused before any data is read.
void check_train_args(TrainArgs& a) {
  if (a.model.empty() == a.resume.empty())
    throw usage_error("give either the model file to train or --resume CHECKPOINT");
  check_precision(a.precision);
  if (!(a.validation >= 0 && a.validation < 1))
    throw usage_error("--validation: expected a fraction in [0, 1), got " + number(a.validation));
  check_train_flags(a);
  if (a.every == 0) throw usage_error("--every: expected at least 1 epoch");
  if (a.stop_factor < 0 || (a.stop_factor > 0 && a.stop_factor <= 1))
    throw usage_error("--stop-on-divergence: expected 0 (never) or a factor above 1, got " +
                      number(a.stop_factor));
  parse_loss(a.loss);
  parse_reduction(a.reduction);
  a.schedule = parse_schedule(a.schedule_spec);
  io::parse_archive_kind(a.format);
  check_optimizer_args(a);
}

// What every rank of an MPI job must be given alike, as text: the options
// that decide how many steps are taken and what each computes, and the
// network's size. (The seed may differ: rank 0's shuffles for all.)
std::string agreed_setup(const TrainArgs& a, const Network<double>& net, Loss loss) {
  std::ostringstream s;
  s.precision(17);
  const OptimizerOptions& o = a.optimizer;
  s << "epochs " << a.epochs << " batch " << a.batch << " lr " << a.learning_rate << " optimizer "
    << o.name << ' ' << o.momentum << ' ' << o.beta1 << ' ' << o.beta2 << ' ' << o.alpha << ' '
    << o.epsilon << ' ' << o.weight_decay << ' ' << o.rprop_delta0 << ' ' << o.rprop_increase << ' '
    << o.rprop_decrease << ' ' << o.rprop_delta_min << ' ' << o.rprop_delta_max << " precision "
    << a.precision << " loss " << to_string(loss) << " reduction " << a.reduction << " validation "
    << a.validation << " patience " << a.patience << " schedule " << a.schedule_spec << " clip "
    << a.clip_norm << ' ' << a.clip_value << " dropout " << a.dropout << " shuffle "
    << !a.no_shuffle << " stop " << a.stop_factor << " scale " << a.data.scale << ' '
    << a.scale_targets << " resume " << !a.resume.empty() << " network " << net.num_inputs() << ' '
    << net.num_outputs() << ' ' << net.num_units() << ' ' << net.num_connections();
  return s.str();
}

// Loads, trains and writes; in an MPI job every rank reads the files itself.
int train_command(TrainArgs& a, Loss loss, Distributed& cluster) {
  if (cluster.writes()) check_output_paths(a);
  if (!a.resume.empty()) a.precision = resume_precision(a);  // and keeps its precision

  io::ModelMeta saved;  // a resumed run keeps the checkpoint's network, scaling and setup
  Network<double> net =
      a.resume.empty() ? load_model(a.model, saved) : checkpoint_network(a.resume, saved);
  if (!a.resume.empty() && (!a.data.scale.empty() || !a.scale_targets.empty()))
    throw usage_error(
        "--scale cannot change when resuming (nor --scale-targets); the checkpoint holds the "
        "scaling");
  if (a.resume.empty() && saved.training) {  // a trained model goes on as it was trained
    if (!a.given.count("loss")) a.loss = to_string(loss = saved.training->loss);
    if (!a.given.count("reduction")) a.reduction = to_string(saved.training->reduction);
  }
  if (a.resume.empty()) check_loss(net, loss);
  if (!a.resume.empty()) {  // a resumed run keeps the checkpoint's loss and targets
    if (saved.training) loss = saved.training->loss;
    resolve_targets(saved, a.data);
  }
  const auto inferred = infer_class_names(a.data, net.num_outputs());
  Dataset<double> train = load_labeled(a.data, net.num_inputs(), net.num_outputs());
  check_targets(train, loss);
  warn_input_names(net, input_column_names(a.data, net.num_inputs(), net.num_outputs()),
                   a.data.data);
  if (!inferred.empty())
    std::cerr << "dagprop: the class column holds text labels: classes 0.." << inferred.size() - 1
              << " are " << a.data.class_names
              << " (sorted; --class-names sets another order), to be saved with the model\n";
  Dataset<double> validation;
  if (a.validation > 0) split_validation(train, a.validation, a.seed, validation);
  io::ModelMeta meta;
  meta.input = a.data.scale.empty() && saved.input.kind != io::ScaleKind::none
                   ? saved.input
                   : make_scaler(a.data.scale, train);
  meta.target = target_scaler(a, saved, train, loss);
  meta.training = a.resume.empty() ? training_setup(a.data, loss, parse_reduction(a.reduction))
                                   : saved.training;
  for (Dataset<double>* d : {&train, &validation}) {
    if (d == &validation && a.validation == 0) continue;
    io::apply(meta.input, *d);
    check_finite_inputs(*d, a.data.data);
    io::apply_targets(meta.target, *d);
  }
  cluster.check_same_setup(agreed_setup(a, net, loss));
  cluster.check_same_data(train, a.data.data);
  const Dataset<double>* v = a.validation > 0 ? &validation : nullptr;
  warn_setup(a, net, train, meta, loss);
  try {
    if (a.precision == "float")
      train_as<float>(a, net, train, v, meta, cluster);
    else
      train_as<double>(a, net, train, v, meta, cluster);
  } catch (const numeric_error& e) {
    std::string what = e.what();
    if (what.find("what usually helps") != std::string::npos) throw;
    if (!what.empty() && what.back() == '.') what.pop_back();
    throw numeric_error(what + "; " + divergence_hints());
  }
  return 0;
}

}  // namespace

int cmd_train(const Args& args) {
  TrainArgs a;
  po::options_description desc = train_flags(a);
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop train MODEL --data FILE [options] -o OUT")) return 0;
  for (const auto& [key, value] : vm)
    if (!value.defaulted()) a.given.insert(key);
  check_train_args(a);
  Distributed cluster(a.distributed);
  return cluster.guard([&] { return train_command(a, parse_loss(a.loss), cluster); });
}

}  // namespace dagprop::cli
