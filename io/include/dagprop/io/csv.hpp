// Reads a numeric CSV file into a Dataset<double>: which columns are inputs,
// which are targets and which integer column is one-hot encoded is the caller's
// choice. Untrusted input: every defect is an io_error naming file, row, column.
// It does not write CSV, decompress (see data.hpp) or scale (see scaling.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "dagprop/dataset.hpp"

namespace dagprop::io {

// A column index that means "the last column of the file".
inline constexpr std::size_t last_column = std::numeric_limits<std::size_t>::max();

enum class CsvHeader {
  detect,   // the first line is a header iff one of its fields is not a number
  present,  // the first line is a header (its fields are not checked)
  absent,   // the first line is data
};

// Targets are, in this order: target_columns as listed (or the last_targets
// columns of the file, in file order), then num_classes one-hot columns made
// from class_column. Every other column is an input, in file order. No target
// options at all give a data set with num_targets == 0 (prediction input).
// Rows and columns in messages are 1-based; column indices here are 0-based.
struct CsvOptions {
  char separator = ',';
  CsvHeader header = CsvHeader::detect;
  std::vector<std::size_t> target_columns;  // 0-based; last_column allowed
  std::size_t last_targets = 0;             // or: the last K columns are targets
  std::optional<std::size_t> class_column;  // 0-based; last_column allowed
  std::size_t num_classes = 0;              // one-hot width; > 0 with class_column

  // Limits against hostile files (io_error when exceeded).
  std::size_t max_line_bytes = std::size_t{1} << 20;  // 1 MiB per line
  std::size_t max_columns = std::size_t{1} << 16;     // 65536 columns
  std::uint64_t max_bytes = std::uint64_t{1} << 31;   // 2 GiB of text in all
};

// Reads the file at `path`. Fields are numbers as std::from_chars reads them
// (locale-independent, an optional leading '+', surrounding spaces ignored, a
// field may be double-quoted); nan, inf, empty fields, ragged rows, an empty file
// and a file without data rows are errors. CRLF and blank trailing lines are fine.
Dataset<double> read_csv(const std::string& path, const CsvOptions& options = {});

// The same from a stream; `source` names it in messages (a file name or "<stdin>").
Dataset<double> read_csv(std::istream& in, const std::string& source,
                         const CsvOptions& options = {});

}  // namespace dagprop::io
