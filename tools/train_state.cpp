// Checkpoints of the train command through dagprop/io/checkpoint.hpp: the
// network, the optimizer's state, the trainer's position and options, and the
// input scaler, so that a resumed run continues bit-identically.
#include "train_state.hpp"

#include "dagprop/io/checkpoint.hpp"

namespace dagprop::cli {

Network<double> checkpoint_network(const std::string& path, io::Scaler* scaler) {
  io::Checkpoint<double> ck = io::load_checkpoint<double>(path);
  if (scaler) *scaler = ck.scaler.value_or(io::Scaler{});
  return std::move(ck.network);
}

template <class T>
std::unique_ptr<Optimizer<T>> resume_training(const std::string& path, Network<T>& net,
                                              TrainOptions& options, TrainerState& state) {
  io::Checkpoint<T> ck = io::load_checkpoint<T>(path);
  net = std::move(ck.network);
  const std::size_t threads = options.threads;
  options = ck.options;
  options.threads = threads;  // threads never change a result
  state = ck.trainer;
  return make_optimizer<T>(ck.optimizer);
}

template <class T>
void save_training(const std::string& path, Trainer<T>& trainer, const io::Scaler& scaler) {
  io::Checkpoint<T> ck{trainer.network(), trainer.optimizer().state(), trainer.state(),
                       trainer.options(), std::nullopt};
  if (scaler.kind != io::ScaleKind::none) ck.scaler = scaler;
  io::save_checkpoint(path, ck);
}

template std::unique_ptr<Optimizer<float>> resume_training(const std::string&, Network<float>&,
                                                           TrainOptions&, TrainerState&);
template std::unique_ptr<Optimizer<double>> resume_training(const std::string&, Network<double>&,
                                                            TrainOptions&, TrainerState&);
template void save_training(const std::string&, Trainer<float>&, const io::Scaler&);
template void save_training(const std::string&, Trainer<double>&, const io::Scaler&);

}  // namespace dagprop::cli
