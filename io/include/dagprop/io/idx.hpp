// Reads IDX files (the format of MNIST and Fashion-MNIST), plain or gzip-compressed,
// and pairs an images file with a labels file into a Dataset<double>. Untrusted
// input: sizes are checked against a cap and the file before allocating, and every
// defect is an io_error naming the file. It does not write IDX files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "dagprop/dataset.hpp"
#include "dagprop/enum_names.hpp"

namespace dagprop::io {

// The element type byte of an IDX header; all values big-endian in the file.
enum class IdxType : std::uint8_t {
  u8 = 0x08,   // unsigned byte
  i8 = 0x09,   // signed byte
  i16 = 0x0B,  // short
  i32 = 0x0C,  // int
  f32 = 0x0D,  // float
  f64 = 0x0E,  // double
};
inline constexpr EnumNames<IdxType, 6> idx_type_names{"IDX element type",
                                                      {{IdxType::u8, "u8"},
                                                       {IdxType::i8, "i8"},
                                                       {IdxType::i16, "i16"},
                                                       {IdxType::i32, "i32"},
                                                       {IdxType::f32, "f32"},
                                                       {IdxType::f64, "f64"}}};

std::size_t element_size(IdxType type);  // bytes per element
std::string to_string(IdxType type);     // "u8", "i8", "i16", "i32", "f32", "f64"

// An IDX array as stored: dims and the raw payload, still big-endian.
struct IdxArray {
  IdxType type = IdxType::u8;
  std::vector<std::size_t> dims;    // [ndims], ndims >= 1
  std::vector<std::uint8_t> bytes;  // [size() * element_size(type)], as in the file

  std::size_t size() const;            // number of elements: the product of dims
  double value(std::size_t i) const;   // element i < size(), row-major, as double
  std::vector<double> values() const;  // [size()], every element as double
};

// Default cap on an array's payload: 2 GiB, above any MNIST-like file.
inline constexpr std::uint64_t idx_default_max_bytes = std::uint64_t{1} << 31;

// Reads the file at `path` (gzip if it starts with 0x1f 0x8b). Errors: bad magic
// or type, zero dims, element count overflow or above `max_bytes`, a payload
// shorter (truncated) or longer (trailing bytes) than the dims say, corrupt gzip.
// More than `max_values` elements (default_max_values in dataset.hpp) are
// refused from the header, before the payload is read.
IdxArray read_idx(const std::string& path, std::uint64_t max_bytes = idx_default_max_bytes,
                  std::uint64_t max_values = default_max_values);

// The same from a stream; `source` names it in messages. A plain stream that can
// seek is checked against its size before any allocation; otherwise the payload
// grows only as bytes actually arrive.
IdxArray read_idx(std::istream& in, const std::string& source,
                  std::uint64_t max_bytes = idx_default_max_bytes,
                  std::uint64_t max_values = default_max_values);

struct IdxOptions {
  double scale = 1.0;   // inputs = stored value * scale (e.g. 1/255.0)
  bool one_hot = true;  // targets: num_classes one-hot columns, or the label itself
  std::size_t num_classes = 10;
  std::uint64_t max_bytes = idx_default_max_bytes;  // per file
  std::uint64_t max_values = default_max_values;    // per file
};

// Images (dims n x d1 x ... ) and labels (dims n, an integer type) to a data set
// of n rows of d1*...*dk inputs. Errors: counts differ, a label outside
// [0, num_classes), no rows, a non-finite input.
Dataset<double> read_idx_dataset(const std::string& images_path, const std::string& labels_path,
                                 const IdxOptions& options = {});

Dataset<double> read_idx_dataset(std::istream& images, const std::string& images_source,
                                 std::istream& labels, const std::string& labels_source,
                                 const IdxOptions& options = {});

// The pairing step alone, for arrays already read; sources name them in messages.
Dataset<double> make_idx_dataset(const IdxArray& images, const std::string& images_source,
                                 const IdxArray& labels, const std::string& labels_source,
                                 const IdxOptions& options = {});

// Images only, for prediction input: num_targets == 0.
Dataset<double> make_idx_inputs(const IdxArray& images, const std::string& source,
                                double scale = 1.0);

}  // namespace dagprop::io
