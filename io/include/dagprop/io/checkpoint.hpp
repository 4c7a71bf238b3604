// Checkpoints: a network, its optimizer's state, the trainer's position and
// options (and the model's metadata: scalers, training setup), so that training resumed from disk
// ends bit-identically to one that never stopped. Same header scheme as model files (format.hpp)
// with its own magic; it does not run the trainer.
#pragma once

#include <optional>
#include <string>

#include "dagprop/io/format.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/io/scaling.hpp"
#include "dagprop/network.hpp"
#include "dagprop/optimizer.hpp"
#include "dagprop/trainer.hpp"

namespace dagprop::io {

// Resuming: Trainer<T> tr(ck.network, ck.options); tr.set_state(ck.trainer);
// tr.optimizer().set_state(ck.optimizer); (with an optimizer of ck.optimizer.name).
template <class T>
struct Checkpoint {
  Network<T> network;
  OptimizerState<T> optimizer;  // name, scalars, and any number of per-parameter buffers
  TrainerState trainer;
  TrainOptions options;
  std::optional<Scaler> scaler;           // the input scaler (ModelMeta::input)
  Scaler target_scaler;                   // ModelMeta::target (kind none: none)
  std::optional<TrainingSetup> training;  // ModelMeta::training
  // How the file spells options.schedule (parse_schedule's spec text, as a
  // user gave it: "cosine:epochs=20"). Empty: options.schedule.to_string(),
  // or "" for a constant schedule. Loading sets it to the text read.
  std::string schedule_spec{};
};

// Writes atomically; io_error when a value is not finite, when schedule_spec
// does not parse to options.schedule, or when writing fails.
template <class T>
void save_checkpoint(const std::string& path, const Checkpoint<T>& ck,
                     ArchiveKind kind = ArchiveKind::binary);

// Reads a checkpoint saved in float or double and converts it to T; io_error
// (naming the file and field) on any defect, as load_network.
template <class T>
Checkpoint<T> load_checkpoint(const std::string& path);

}  // namespace dagprop::io
