// Checkpoints: Checkpoint<T> <-> CheckpointData (serialize.hpp) <-> file, with
// the network handled as in model.cpp. It checks values (finite, in range)
// but leaves the optimizer to check that its state fits it (set_state).
#include "dagprop/io/checkpoint.hpp"

#include <cmath>
#include <string>

#include "dagprop/error.hpp"
#include "dagprop/io/atomic_file.hpp"
#include "dagprop/schedule.hpp"
#include "serialize.hpp"

namespace dagprop::io {

namespace {

// The spec a checkpoint file holds for ck.options.schedule (checkpoint.hpp).
template <class T>
std::string schedule_text(const Checkpoint<T>& ck, const std::string& path) {
  const Schedule& s = ck.options.schedule;
  if (ck.schedule_spec.empty()) return s.kind == Schedule::Kind::constant ? "" : s.to_string();
  std::string reads_as;
  try {
    reads_as = parse_schedule(ck.schedule_spec).to_string();
  } catch (const invalid_argument& e) {
    throw io_error(path + ": cannot save schedule_spec: " + e.what());
  }
  if (reads_as != s.to_string())
    throw io_error(path + ": cannot save schedule_spec '" + printable(ck.schedule_spec) +
                   "' for the schedule " + s.to_string() + ": it reads as " + reads_as);
  return ck.schedule_spec;
}

}  // namespace

template <class T>
void save_checkpoint(const std::string& path, const Checkpoint<T>& ck, ArchiveKind kind) {
  detail::CheckpointData d;
  const ModelMeta meta{ck.scaler.value_or(Scaler{}), ck.target_scaler, ck.training};
  d.model = detail::to_model_data(ck.network, meta, path);
  d.optimizer_name = ck.optimizer.name;
  d.optimizer_scalars = ck.optimizer.scalars;
  for (const auto& b : ck.optimizer.buffers) d.optimizer_buffers.emplace_back(b.begin(), b.end());
  const auto check = [&](const std::vector<double>& v, const std::string& what) {
    for (std::size_t k = 0; k < v.size(); ++k)
      if (!std::isfinite(v[k]))
        throw io_error(path + ": cannot save a non-finite " + what + " value at " +
                       std::to_string(k));
  };
  check(d.optimizer_scalars, "optimizer scalar");
  for (std::size_t q = 0; q < d.optimizer_buffers.size(); ++q)
    check(d.optimizer_buffers[q], "optimizer buffer " + std::to_string(q));
  if (!std::isfinite(ck.trainer.loss_sum))
    throw io_error(path + ": cannot save a non-finite trainer loss_sum");
  if (!(ck.trainer.seconds >= 0) || !std::isfinite(ck.trainer.seconds))
    throw io_error(path + ": cannot save trainer seconds that are negative or not finite");
  if (ck.trainer.correct > ck.trainer.runs)
    throw io_error(path + ": cannot save a trainer state with more runs right than runs");
  d.trainer = ck.trainer;
  d.options = ck.options;
  d.schedule = schedule_text(ck, path);
  const std::string payload = detail::write_payload(d, kind, "checkpoint");
  write_file_atomically(path, encode_file(FileContent::checkpoint, kind, sizeof(T), payload));
}

template <class T>
Checkpoint<T> load_checkpoint(const std::string& path) {
  const FileContent expected = FileContent::checkpoint;
  const Container c = decode_file(read_file_bytes(path), path, &expected);
  detail::CheckpointData d;
  detail::read_payload(c.payload, c.header.kind, d, "checkpoint", path);
  if (d.model.precision != c.header.precision_bytes)
    throw io_error(path + ": field 'precision': payload says " + std::to_string(d.model.precision) +
                   " bytes, header says " + std::to_string(c.header.precision_bytes));
  Checkpoint<T> ck;
  ModelMeta meta;
  ck.network = detail::from_model_data<T>(d.model, &meta, path);
  if (d.model.scaler.present) ck.scaler = std::move(meta.input);
  ck.target_scaler = std::move(meta.target);
  ck.training = std::move(meta.training);
  ck.optimizer.name = d.optimizer_name;
  ck.optimizer.scalars = d.optimizer_scalars;
  for (const auto& b : d.optimizer_buffers) ck.optimizer.buffers.emplace_back(b.begin(), b.end());
  ck.trainer = d.trainer;
  ck.options = d.options;
  ck.schedule_spec = d.schedule;
  try {
    ck.options.schedule = parse_schedule(d.schedule);
  } catch (const invalid_argument& e) {
    throw io_error(path + ": field 'options': TrainOptions: schedule '" + d.schedule +
                   "': " + e.what());
  }
  try {
    ck.options.check();
  } catch (const error& e) {
    throw io_error(path + ": field 'options': " + e.what());
  }
  return ck;
}

template void save_checkpoint(const std::string&, const Checkpoint<float>&, ArchiveKind);
template void save_checkpoint(const std::string&, const Checkpoint<double>&, ArchiveKind);
template Checkpoint<float> load_checkpoint(const std::string&);
template Checkpoint<double> load_checkpoint(const std::string&);

}  // namespace dagprop::io
