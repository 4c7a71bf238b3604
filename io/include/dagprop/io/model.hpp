// Model files: a Network's units, connections and values, plus what later
// commands need of its training (ModelMeta: input and target scaling, loss,
// reduction, how targets were read, class names) behind dagprop's 32-byte
// header (format.hpp), in a Boost text, binary or XML archive. Floats
// round-trip bit-exactly in all three. Training state lives in checkpoints
// (checkpoint.hpp), drawings in DOT (dot.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dagprop/io/format.hpp"
#include "dagprop/io/scaling.hpp"
#include "dagprop/loss.hpp"
#include "dagprop/network.hpp"

namespace dagprop::io {

// How a training read its targets from the data.
enum class TargetReading : std::uint32_t {
  columns,       // target columns as they are (regression): `columns` lists them, "" = the last K
  class_column,  // one integer (or named, see class_names) class column, one-hot when K > 1
  idx_labels,    // an IDX labels file, one-hot when K > 1
};
inline constexpr EnumNames<TargetReading, 3> target_reading_names{
    "target reading",
    {{TargetReading::columns, "columns"},
     {TargetReading::class_column, "class-column"},
     {TargetReading::idx_labels, "idx-labels"}}};
std::string_view to_string(TargetReading r);              // "columns", "class-column", "idx-labels"
inline constexpr std::size_t max_class_names = 1u << 16;  // caps on load
inline constexpr std::size_t max_class_name_length = 256;
inline constexpr std::size_t max_columns_text = 4096;

// What a training used, so that eval/predict/gradcheck need not be told again.
struct TrainingSetup {
  Loss loss = Loss::sse;
  Reduction reduction = Reduction::sum;
  TargetReading targets = TargetReading::columns;
  // The target columns as the user named them: --targets "3,4" or "a,b" for
  // columns, --class-column "last", "5" or "species" for class_column; "" for
  // the default (the last K columns) and for idx_labels.
  std::string columns;
  // Text labels of classes 0, 1, ... (class targets only): empty, or as many as
  // the outputs (two for one output), distinct, non-empty, at most
  // max_class_name_length bytes each.
  std::vector<std::string> class_names;

  bool operator==(const TrainingSetup& o) const {
    return loss == o.loss && reduction == o.reduction && targets == o.targets &&
           columns == o.columns && class_names == o.class_names;
  }
  bool operator!=(const TrainingSetup& o) const { return !(*this == o); }
};

// Everything a model file holds besides the network.
//  - input: x' = (x - offset[c]) / scale[c] per input column, before the network;
//  - target: per output k the network learned t'_k = (t_k - offset[k]) / scale[k],
//    so its raw output y'_k is de-scaled as y_k = y'_k * scale[k] + offset[k]
//    (apply_targets / unscale_outputs in scaling.hpp); kind none: y = y';
//  - training: the setup of the run that trained it (absent: never trained by
//    `dagprop train`, or a version-1 file).
struct ModelMeta {
  Scaler input;
  Scaler target;
  std::optional<TrainingSetup> training;

  // Throws invalid_argument naming the field unless the scalers fit
  // num_inputs / num_outputs and the training setup is valid for them.
  void check(std::size_t num_inputs, std::size_t num_outputs) const;

  bool operator==(const ModelMeta& o) const {
    return input == o.input && target == o.target && training == o.training;
  }
  bool operator!=(const ModelMeta& o) const { return !(*this == o); }
};

// Writes `net` (values in T's precision) with `meta`, atomically
// (atomic_file.hpp). Throws io_error naming the file when a weight or bias is
// not finite, the metadata do not fit the network (ModelMeta::check), or
// writing fails.
template <class T>
void save_model(const std::string& path, const Network<T>& net, const ModelMeta& meta,
                ArchiveKind kind = ArchiveKind::binary);

// load_model keeping only the input scaler: reads a model file written in float or double, in any
// archive kind, and converts it to T (double -> float rounds); `meta` (when given) receives its
// metadata (a version-1 file: its input scaler, nothing else). Every defect
// is an io_error naming the file and the field, as load_network.
template <class T>
Network<T> load_model(const std::string& path, ModelMeta* meta = nullptr);

// save_model with only an input scaler: writes `net` and `scaler` when given, atomically
// (atomic_file.hpp). Throws io_error naming the file when a weight or bias is
// not finite, the scaler does not fit the inputs, or writing fails.
template <class T>
void save_network(const std::string& path, const Network<T>& net,
                  ArchiveKind kind = ArchiveKind::binary, const Scaler* scaler = nullptr);

// load_model keeping only the input scaler: reads a model file written in float or double, in any
// archive kind, and converts it to T (double -> float rounds). When `scaler` is given it receives
// the stored scaler, or a Scaler of kind none when the file holds none. Every
// defect (damaged file, newer version, bad count, index out of range,
// non-finite value, cycle, ...) is an io_error naming the file and the field.
template <class T>
Network<T> load_network(const std::string& path, Scaler* scaler = nullptr);

// What a model or checkpoint file holds, read and checked as load_network
// does, without compiling the network.
struct ModelInfo {
  std::uint32_t format_version = 0;
  ArchiveKind kind = ArchiveKind::binary;
  bool is_checkpoint = false;
  std::string precision;  // "float" or "double"
  std::uint64_t payload_bytes = 0;
  std::size_t num_units = 0, num_connections = 0;
  std::size_t num_inputs = 0, num_outputs = 0;
  bool has_scaler = false;
  ModelMeta meta;         // checked as on load
  std::string optimizer;  // checkpoints only: the optimizer's name
  std::size_t epoch = 0;  // checkpoints only: epochs completed
  std::size_t batch = 0;  // checkpoints only: mini-batches completed in the current epoch
};
ModelInfo inspect_file(const std::string& path);

}  // namespace dagprop::io
