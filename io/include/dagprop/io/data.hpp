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

// read_csv_class_labels (csv.hpp) of a CSV file, plain or gzip; an IDX or FANN
// file is an io_error.
std::vector<std::string> read_csv_class_labels(const std::string& path, const CsvOptions& options,
                                               std::size_t max_labels, std::size_t max_label_bytes);

}  // namespace dagprop::io
