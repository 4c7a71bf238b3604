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

// CsvOptions::separator value: choose ',', ';' or a tab from the file's first line.
inline constexpr char detect_separator = '\0';
// CsvOptions::separator value: fields separated by runs of spaces and tabs
// (leading and trailing ones ignored), as scikit-learn's diabetes raw file.
inline constexpr char whitespace_separator = ' ';

enum class CsvHeader {
  detect,   // the first line is a header iff none of its fields is a number and
            // one is a name (a class_column field naming one of class_names counts
            // as data); a first line of numbers and malformed numbers is an error
  present,  // the first line is a header (its fields are not checked)
  absent,   // the first line is data
};

// Targets are, in this order: target_columns as listed (or the last_targets
// columns of the file, in file order), then num_classes one-hot columns made
// from class_column. Every other column is an input, in file order. No target
// options at all give a data set with num_targets == 0 (prediction input).
// Rows and columns in messages are 1-based; column indices here are 0-based.
struct CsvOptions {
  // detect_separator: the first non-blank line decides, outside double quotes:
  // ';' if it holds one (files written where ',' is the decimal mark), else a
  // tab if one separates fields (not just pads them around commas), else ','.
  char separator = detect_separator;
  // Lines skipped at the start of the file before anything is read (a
  // metadata line such as scikit-learn's "150,4,setosa,..."); rows in
  // messages still count them.
  std::size_t skip_rows = 0;
  CsvHeader header = CsvHeader::detect;
  std::vector<std::size_t> target_columns;  // 0-based; last_column allowed
  std::size_t last_targets = 0;             // or: the last K columns are targets
  std::optional<std::size_t> class_column;  // 0-based; last_column allowed
  // One-hot width; > 0 with class_column unless class_names are given. The class
  // column then holds integers 0 .. num_classes-1 (1.0 is 1; 1.5, -1 are errors).
  std::size_t num_classes = 0;
  // The names of the classes ("setosa", "1st"): label k of the class column is
  // class_names[k], compared exactly after trimming and unquoting. A column of
  // integer classes 0 .. K-1 reads as well (the names then only label them):
  // the file's first label decides which, and every other label must agree.
  // num_classes is then 0 or class_names.size().
  std::vector<std::string> class_names;

  // Limits against hostile files (io_error when exceeded).
  std::size_t max_line_bytes = std::size_t{1} << 24;  // 16 MiB per line
  std::size_t max_columns = std::size_t{1} << 16;     // 65536 columns
  std::uint64_t max_bytes = std::uint64_t{1} << 31;   // 2 GiB of text in all
  std::uint64_t max_values = default_max_values;      // inputs and targets in all (dataset.hpp)
};

// Reads the file at `path`. Text is ASCII or UTF-8; a UTF-8 byte-order mark is
// skipped, UTF-16 text and NUL bytes are errors. Lines end in LF, CRLF or CR; the
// last may lack its line break. Blank lines (nothing but spaces, tabs and
// separators) before the first row and after the last are skipped; one between
// rows is an error. A field may be double-quoted ("" inside stands for ") and
// may not span lines; spaces and tabs around a field are ignored. Numbers are
// decimal as std::from_chars reads them, whatever the locale: an optional sign
// ('+' too), digits with an optional '.', an optional exponent ("1e-3", "-.5",
// "+2", "1."); a value too small for a double reads as 0. Errors naming file, row
// and column: anything else in a number ("0x10", "1.2.3", "12abc", "1,5"),
// nan, inf, an empty field (missing values are not supported), a value too large
// for a double, a row with more or fewer fields than the first line, an empty file
// and a file without data rows.
Dataset<double> read_csv(const std::string& path, const CsvOptions& options = {});

// The same from a stream; `source` names it in messages (a file name or "<stdin>").
Dataset<double> read_csv(std::istream& in, const std::string& source,
                         const CsvOptions& options = {});

// The fields of the first non-blank line, split as read_csv splits it (the
// separator detected, the byte-order mark skipped, quotes removed, spaces
// trimmed): the column names of a file with a header line. Reads no further.
// Throws io_error as read_csv does, and for a file without a non-blank line.
// (data.hpp's read_csv_header(path) also reads gzip files.)
std::vector<std::string> read_csv_header(std::istream& in, const std::string& source,
                                         const CsvOptions& options = {});

// The distinct labels of options.class_column, sorted (byte order), as
// read_csv would compare them (trimmed, unquoted): the class names of a file
// whose classes are text ("setosa"). The rows are read and checked as
// read_csv splits them (not as numbers). io_error as read_csv, and when the
// column holds more than `max_labels` distinct labels or a label over
// `max_label_bytes` bytes.
std::vector<std::string> read_csv_class_labels(std::istream& in, const std::string& source,
                                               const CsvOptions& options, std::size_t max_labels,
                                               std::size_t max_label_bytes);

}  // namespace dagprop::io
