// A convenience over the data-set readers: load_data() looks at a file's first
// bytes to tell CSV from IDX (either of them plain or gzip) and calls the right
// reader. It adds no format of its own and does not scale (see scaling.hpp).
#pragma once

#include <cstdint>
#include <exception>
#include <istream>
#include <string>
#include <vector>

#include "dagprop/dataset.hpp"
#include "dagprop/io/csv.hpp"
#include "dagprop/io/idx.hpp"

namespace dagprop::io {

enum class DataFormat { csv, idx, fann };

struct DataFormatInfo {
  DataFormat format = DataFormat::csv;
  bool gzip = false;
};

// By content, not by name: 0x1f 0x8b is gzip (looked into for the rest); a first
// byte 0x00 is IDX (whose magic is 0x00 0x00 type ndims); a plain file whose
// first line is three counts separated by spaces is FANN data (fann_data.hpp);
// anything else is CSV.
// Throws io_error if the file cannot be opened or its gzip header is corrupt.
DataFormatInfo detect_format(const std::string& path);

struct DataOptions {
  CsvOptions csv;               // used when the file is CSV
  IdxOptions idx;               // used when the file is IDX
  std::string idx_labels_path;  // IDX only: the labels file; empty: inputs only
};

// Reads `path` as detect_format() says. An IDX file without idx_labels_path
// gives a data set with num_targets == 0; idx_labels_path with a CSV file is
// an invalid_argument.
Dataset<double> load_data(const std::string& path, const DataOptions& options = {});

// The column names of a CSV file, plain or gzip (see read_csv_header in csv.hpp).
// An IDX file is an io_error.
std::vector<std::string> read_csv_header(const std::string& path, const CsvOptions& options = {});

namespace detail {
// What went wrong in a gzip stream, in words (for the readers' messages).
std::string gzip_failure_text(const std::exception& e);
// Inflates the gzip file `raw` from its position once, member by member, and
// throws io_error naming `source` when a member's CRC-32 or length (ISIZE)
// field does not match, the file ends inside a member, or bytes that are not
// a gzip member follow one; then rewinds `raw`. A stream that cannot seek is
// left to Boost's checks, and the check stops past `max_bytes` inflated (the
// reader's own cap, which then refuses the file), so it costs no more than the read.
void check_gzip_members(std::istream& raw, const std::string& source, std::uint64_t max_bytes);
}  // namespace detail

}  // namespace dagprop::io
