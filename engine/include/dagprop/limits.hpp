// The engine's limits, said once. The readers of files and the command line
// use these names, never the numbers; a limit of one command alone (what
// `dagprop new` builds, the epochs `dagprop train` keeps a history of) is named
// where it applies, with its reason.
#pragma once

#include <cstddef>

namespace dagprop {

// The longest unit name, in bytes, that model files, checkpoints and DOT carry.
inline constexpr std::size_t max_name_bytes = 4096;

// Units of one network: a compiled Network numbers units, and connections,
// with 32 bits (Network::sources()).
inline constexpr std::size_t max_units = 0xffffffffu;

// Worker threads of training and inference (0 means all cores).
inline constexpr std::size_t max_threads = 4096;

// TrainOptions: runs per mini-batch, runs per gradient buffer, and epochs.
inline constexpr std::size_t max_batch_size = std::size_t{1} << 24;
inline constexpr std::size_t max_chunk_size = 4096;
inline constexpr std::size_t max_epochs = std::size_t{1} << 32;

}  // namespace dagprop
