// Model files: a Network's units, connections and values (plus an optional
// input Scaler) behind dagprop's 32-byte header (format.hpp), in a Boost text,
// binary or XML archive. Floats round-trip bit-exactly in all three. Training
// state lives in checkpoints (checkpoint.hpp), drawings in DOT (dot.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "dagprop/io/format.hpp"
#include "dagprop/io/scaling.hpp"
#include "dagprop/network.hpp"

namespace dagprop::io {

// Writes `net` (values in T's precision) and `scaler` when given, atomically
// (atomic_file.hpp). Throws io_error naming the file when a weight or bias is
// not finite, the scaler does not fit the inputs, or writing fails.
template <class T>
void save_network(const std::string& path, const Network<T>& net,
                  ArchiveKind kind = ArchiveKind::binary, const Scaler* scaler = nullptr);

// Reads a model file written in float or double, in any archive kind, and
// converts it to T (double -> float rounds). When `scaler` is given it receives
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
  std::string optimizer;  // checkpoints only: the optimizer's name
  std::size_t epoch = 0;  // checkpoints only: epochs completed
  std::size_t batch = 0;  // checkpoints only: mini-batches completed in the current epoch
};
ModelInfo inspect_file(const std::string& path);

}  // namespace dagprop::io
