// Checkpoints of the train command through dagprop/io/checkpoint.hpp: the
// network, the optimizer's state, the trainer's position and options, and the
// model's metadata (scalers, training setup), so that a resumed run continues bit-identically.
#include "train_state.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "dagprop/io/checkpoint.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/schedule.hpp"

namespace dagprop::cli {

void check_train_flags(const TrainArgs& a) {
  if (a.epochs == 0 || a.epochs > max_history_epochs)
    throw usage_error("--epochs: expected 1 to 2^20 (" + std::to_string(max_history_epochs) +
                      "), got " + std::to_string(a.epochs));
  TrainOptions o;
  o.epochs = a.epochs;
  o.batch_size = a.batch;
  o.threads = a.threads;
  o.learning_rate = a.learning_rate;
  o.clip_norm = a.clip_norm;
  o.clip_value = a.clip_value;
  o.dropout = a.dropout;
  check_train_options(o);
}

Network<double> checkpoint_network(const std::string& path, io::ModelMeta& meta) {
  check_input_file(path);
  io::Checkpoint<double> ck = io::load_checkpoint<double>(path);
  meta.input = ck.scaler.value_or(io::Scaler{});
  meta.target = ck.target_scaler;
  meta.training = ck.training;
  return std::move(ck.network);
}

template <class T>
std::unique_ptr<Optimizer<T>> resume_training(const std::string& path, Network<T>& net,
                                              TrainOptions& options, std::string& schedule_spec,
                                              TrainerState& state) {
  io::Checkpoint<T> ck = io::load_checkpoint<T>(path);
  net = std::move(ck.network);
  const std::size_t threads = options.threads;
  options = ck.options;
  options.threads = threads;  // threads never change a result
  schedule_spec = ck.schedule_spec;
  state = ck.trainer;
  try {
    return make_optimizer<T>(ck.optimizer);
  } catch (const invalid_argument& e) {  // the file holds a state no optimizer accepts
    throw io_error(path + ": field 'optimizer': " + e.what());
  }
}

template <class T>
void save_training(const std::string& path, Trainer<T>& trainer, const std::string& schedule_spec,
                   const io::ModelMeta& meta) {
  io::Checkpoint<T> ck{trainer.network(), trainer.optimizer().state(),
                       trainer.state(),   trainer.options(),
                       std::nullopt,      meta.target,
                       meta.training,     schedule_spec};
  if (meta.input.kind != io::ScaleKind::none) ck.scaler = meta.input;
  io::save_checkpoint(path, ck);
}

std::string resume_precision(const TrainArgs& a) {
  check_input_file(a.resume);
  const std::string saved = io::inspect_file(a.resume).precision;
  if (a.given.count("precision") && a.precision != saved)
    throw usage_error("--precision " + a.precision + " differs from the checkpoint's " + saved +
                      ": a resumed run keeps the precision of its checkpoint (leave --precision "
                      "out, or convert the checkpoint's model and train that)");
  return saved;
}

namespace {

// λ of a state (see optimizer.hpp): [η, μ, λ, t] for sgd with decay,
// momentum and nesterov, [η] for plain sgd, [η, β1, β2, ε, λ, t] for adam(w),
// [η, α, ε, λ, t] for rmsprop.
double saved_weight_decay(const std::string& name, const std::vector<double>& s) {
  const std::size_t k = name == "adam" || name == "adamw" ? 4 : name == "rmsprop" ? 3 : 2;
  return k < s.size() ? s[k] : 0.0;
}

}  // namespace

void check_resume_flags(const TrainArgs& a, const TrainOptions& o, const std::string& schedule_spec,
                        const std::string& optimizer_name,
                        const std::vector<double>& optimizer_scalars, std::size_t rows) {
  auto same = [&](const char* flag, bool equal, const std::string& given,
                  const std::string& saved) {
    if (!a.given.count(flag) || equal) return;
    throw usage_error(std::string("--") + flag + " " + given + " differs from the checkpoint's " +
                      saved + ": a resumed run keeps the training options of its checkpoint " +
                      "(leave --" + flag + " out)");
  };
  auto num = [](double v) {  // the shortest text that reads back as v
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
    return std::string(buffer, end);
  };
  same("batch", std::min(a.batch, rows) == std::min(o.batch_size, rows), std::to_string(a.batch),
       std::to_string(o.batch_size));
  same("lr", a.learning_rate == o.learning_rate, num(a.learning_rate), num(o.learning_rate));
  same("loss", parse_loss(a.loss) == o.loss, a.loss, std::string(to_string(o.loss)));
  same("reduction", parse_reduction(a.reduction) == o.reduction, a.reduction,
       std::string(to_string(o.reduction)));
  same("seed", a.seed == o.seed, std::to_string(a.seed), std::to_string(o.seed));
  same("no-shuffle", a.no_shuffle == !o.shuffle, "", o.shuffle ? "shuffling" : "data order");
  same("schedule", a.schedule.to_string() == o.schedule.to_string(), a.schedule_spec,
       schedule_spec.empty() ? "constant" : schedule_spec);
  same("clip-norm", a.clip_norm == o.clip_norm, num(a.clip_norm), num(o.clip_norm));
  same("clip-value", a.clip_value == o.clip_value, num(a.clip_value), num(o.clip_value));
  same("dropout", a.dropout == o.dropout, num(a.dropout), num(o.dropout));
  same("optimizer", a.optimizer.name == optimizer_name, a.optimizer.name, optimizer_name);
  const double decay = saved_weight_decay(optimizer_name, optimizer_scalars);
  same("weight-decay", a.optimizer.weight_decay == decay, num(a.optimizer.weight_decay),
       num(decay));
  // Each optimizer's own flags, at their places in its state (see saved_weight_decay).
  const bool adam = optimizer_name == "adam" || optimizer_name == "adamw";
  const bool momentum = optimizer_name == "momentum" || optimizer_name == "nesterov";
  const struct {
    const char* flag;
    double given;
    bool used;
    std::size_t at;
    const char* users;
  } flags[] = {
      {"momentum", a.optimizer.momentum, momentum, 1, "the momentum and nesterov optimizers use"},
      {"beta1", a.optimizer.beta1, adam, 1, "adam and adamw use"},
      {"beta2", a.optimizer.beta2, adam, 2, "adam and adamw use"},
      {"epsilon", a.optimizer.epsilon, adam || optimizer_name == "rmsprop",
       optimizer_name == "rmsprop" ? std::size_t{2} : std::size_t{3},
       "adam, adamw and rmsprop use"},
  };
  for (const auto& f : flags) {
    if (!a.given.count(f.flag)) continue;
    if (!f.used)
      throw usage_error(std::string("--") + f.flag + ": only " + f.users +
                        " it, but the checkpoint's optimizer is '" + optimizer_name + "'");
    const double saved = f.at < optimizer_scalars.size() ? optimizer_scalars[f.at] : 0.0;
    same(f.flag, f.given == saved, num(f.given), num(saved));
  }
}

void check_schedule(const Schedule& schedule, const std::string& spec, double learning_rate,
                    std::size_t epochs) {
  try {
    schedule.check_rates(learning_rate, epochs);
  } catch (const invalid_argument& e) {
    throw usage_error("--schedule " + spec + ": " + e.what());
  }
}

template std::unique_ptr<Optimizer<float>> resume_training(const std::string&, Network<float>&,
                                                           TrainOptions&, std::string&,
                                                           TrainerState&);
template std::unique_ptr<Optimizer<double>> resume_training(const std::string&, Network<double>&,
                                                            TrainOptions&, std::string&,
                                                            TrainerState&);
template void save_training(const std::string&, Trainer<float>&, const std::string&,
                            const io::ModelMeta&);
template void save_training(const std::string&, Trainer<double>&, const std::string&,
                            const io::ModelMeta&);

}  // namespace dagprop::cli
