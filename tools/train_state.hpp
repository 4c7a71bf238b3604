// The train command's arguments and its checkpoints: saving a Trainer after an
// epoch and resuming one, through dagprop/io/checkpoint.hpp. Training itself
// is in cmd_train.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "cli.hpp"
#include "dagprop/optimizer.hpp"
#include "dagprop/schedule.hpp"
#include "dagprop/trainer.hpp"

namespace dagprop::cli {

struct TrainArgs {
  std::string model, out, format = "binary";
  std::string loss = "sse", reduction = "mean", precision = "float";
  std::string log, plot, checkpoint, resume;
  std::string schedule_spec;  // --schedule as given ("" when not)
  Schedule schedule;          // schedule_spec parsed, once, when the flags are checked
  std::string scale_targets;  // --scale-targets: none | standardize ("" when not given)
  bool quiet = false;         // --quiet: no epoch lines
  bool plot_log = false;      // --plot-log
  std::size_t every = 1;      // --every N: an epoch line every N epochs (and the last)
  double stop_factor = 1e6;   // --stop-on-divergence F: stop when the loss grows F-fold (0: never)
  std::size_t epochs = 10, batch = 32, threads = 0, patience = 0;
  double validation = 0, clip_norm = 0, clip_value = 0, dropout = 0;
  std::uint64_t seed = 1;
  bool no_shuffle = false;
  bool distributed = false;    // --distributed: join an MPI job (distributed.hpp)
  double learning_rate = 0.1;  // --lr: TrainOptions::learning_rate, whatever the optimizer
  OptimizerOptions optimizer;
  DataArgs data;
  std::set<std::string> given;  // the flags given on the command line (not defaulted)
};

// The epochs a run keeps a line of history for (--log, --plot, early
// stopping): far fewer than TrainOptions allows (max_epochs).
inline constexpr std::size_t max_history_epochs = std::size_t{1} << 20;

// Throws usage_error, naming the flag, when --epochs is 0 or above
// max_history_epochs, or when a flag TrainOptions::check covers (--batch,
// --threads, --lr, --clip-norm, --clip-value, --dropout) is out of range:
// before any data are read.
void check_train_flags(const TrainArgs& a);

// With --resume, the checkpoint's training options replace the flags: throws
// usage_error when a flag given explicitly asks for another value than the
// checkpoint holds (`options` with `schedule_spec`, its schedule as the file
// spells it, its optimizer's name and state scalars, whose weight decay and
// momentum --weight-decay and --momentum must match; `rows`: the training
// rows, which cap the batch), instead of ignoring it silently.
void check_resume_flags(const TrainArgs& a, const TrainOptions& options,
                        const std::string& schedule_spec, const std::string& optimizer_name,
                        const std::vector<double>& optimizer_scalars, std::size_t rows);

// The precision of the checkpoint a.resume ("float" or "double"); usage_error
// when --precision was given with the other one.
std::string resume_precision(const TrainArgs& a);

// Throws usage_error, naming --schedule `spec` (the schedule's text), when
// the learning rate η·factor(e) of `schedule` is 0 or not finite at an epoch
// e < epochs (an exp:G or step:N:G decaying to zero or growing without
// bound), which would stop training half-way.
void check_schedule(const Schedule& schedule, const std::string& spec, double learning_rate,
                    std::size_t epochs);

// The network and its metadata (scalers, training setup) stored in a checkpoint.
Network<double> checkpoint_network(const std::string& path, io::ModelMeta& meta);

// Loads the checkpoint at `path` into `net`, `options` (all but threads; the
// caller sets epochs), `schedule_spec` (options.schedule as the file spells
// it) and `state`; returns its optimizer with its state.
template <class T>
std::unique_ptr<Optimizer<T>> resume_training(const std::string& path, Network<T>& net,
                                              TrainOptions& options, std::string& schedule_spec,
                                              TrainerState& state);

// Writes the trainer's network, optimizer, state, options (its schedule
// spelled `schedule_spec`, as given to --schedule or read from the resumed
// checkpoint) and `meta` to `path` atomically.
template <class T>
void save_training(const std::string& path, Trainer<T>& trainer, const std::string& schedule_spec,
                   const io::ModelMeta& meta);

}  // namespace dagprop::cli
