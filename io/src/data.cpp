// load_data and detect_format (see data.hpp): sniff the first byte, and for gzip
// the first decompressed byte, then hand the file to the CSV or IDX reader.
// Gzip CSV is decompressed here as a stream; the CSV reader's limits still apply.
#include "dagprop/io/data.hpp"

#include <boost/iostreams/filtering_stream.hpp>
#include <fstream>
#include <ios>
#include <istream>

#include "dagprop/error.hpp"
#include "dagprop/io/fann_data.hpp"
#include "dagprop/io/input_file.hpp"
#include "gzip.hpp"

namespace dagprop::io {
namespace {

constexpr int gzip_first_byte = 0x1f;

// A pipe could be read once only, and the format is sniffed before reading.
std::ifstream open(const std::string& path) {
  return open_input_file(path, "a data file");
}

// Calls read(stream) on the text of `path`, decompressed when `gzip`, with
// gzip failures turned into io_error.
template <class Read>
auto read_text(const std::string& path, bool gzip, std::uint64_t max_bytes, const Read& read) {
  std::ifstream in = open(path);
  if (!gzip) return read(static_cast<std::istream&>(in));
  detail::check_gzip_members(in, path, max_bytes);
  try {
    boost::iostreams::filtering_istream z;
    detail::push_gzip(z, in);
    return read(static_cast<std::istream&>(z));
  } catch (const std::ios_base::failure& e) {
    throw io_error(path + ": corrupt gzip data: " + detail::gzip_failure_text(e));
  }
}

// FANN data: the first line (at most 64 bytes of it) is "pairs inputs outputs".
bool starts_as_fann_data(std::istream& in) {
  std::string line;
  for (char c = 0; line.size() <= 64 && in.get(c) && c != '\n' && c != '\r';) line.push_back(c);
  return line.size() <= 64 && is_fann_data_header(line);
}

}  // namespace

DataFormatInfo detect_format(const std::string& path) {
  std::ifstream in = open(path);
  DataFormatInfo info;
  int first = in.peek();
  if (first == gzip_first_byte) {
    info.gzip = true;
    try {
      boost::iostreams::filtering_istream z;
      detail::push_gzip(z, in);
      first = z.peek();
    } catch (const std::ios_base::failure& e) {
      throw io_error(path + ": corrupt gzip data: " + detail::gzip_failure_text(e));
    }
  }
  info.format = first == 0x00 ? DataFormat::idx : DataFormat::csv;
  if (info.format == DataFormat::csv && !info.gzip && starts_as_fann_data(in))
    info.format = DataFormat::fann;
  return info;
}

std::vector<std::string> read_csv_header(const std::string& path, const CsvOptions& options) {
  const DataFormatInfo info = detect_format(path);
  if (info.format == DataFormat::idx)
    throw io_error(path + ": is an IDX file, which has no column names");
  if (info.format == DataFormat::fann)
    throw io_error(path + ": is a FANN data file, which has no column names");
  return read_text(path, info.gzip, options.max_bytes,
                   [&](std::istream& in) { return read_csv_header(in, path, options); });
}

std::vector<std::string> read_csv_class_labels(const std::string& path, const CsvOptions& options,
                                               std::size_t max_labels,
                                               std::size_t max_label_bytes) {
  const DataFormatInfo info = detect_format(path);
  if (info.format != DataFormat::csv)
    throw io_error(path + ": is not a CSV file, so it has no class labels to read");
  return read_text(path, info.gzip, options.max_bytes, [&](std::istream& in) {
    return read_csv_class_labels(in, path, options, max_labels, max_label_bytes);
  });
}

Dataset<double> load_data(const std::string& path, const DataOptions& options) {
  const DataFormatInfo info = detect_format(path);
  if (info.format == DataFormat::fann) {
    if (!options.idx_labels_path.empty())
      throw invalid_argument(path + ": is FANN data, but an IDX labels file was given (" +
                             options.idx_labels_path + ")");
    return read_fann_data(path);
  }
  if (info.format == DataFormat::idx) {
    if (options.idx_labels_path.empty())
      return make_idx_inputs(read_idx(path, options.idx.max_bytes, options.idx.max_values), path,
                             options.idx.scale);
    return read_idx_dataset(path, options.idx_labels_path, options.idx);
  }
  if (!options.idx_labels_path.empty())
    throw invalid_argument(path + ": is CSV, but an IDX labels file was given (" +
                           options.idx_labels_path + ")");
  if (!info.gzip) return read_csv(path, options.csv);
  return read_text(path, true, options.csv.max_bytes,
                   [&](std::istream& in) { return read_csv(in, path, options.csv); });
}

}  // namespace dagprop::io
