// read_fann_data and is_fann_data_header (see fann_data.hpp): the header's
// counts are checked against caps and the bytes present before the arrays are
// reserved; then the file is read line by line. It does not scale the values.
#include "dagprop/io/fann_data.hpp"

#include <filesystem>
#include <fstream>
#include <limits>
#include <new>

#include "dagprop/error.hpp"
#include "fann_common.hpp"

namespace dagprop::io {

namespace {

constexpr std::uint64_t max_columns = std::uint64_t{1} << 16;
constexpr std::uint64_t max_values = std::uint64_t{1} << 28;  // 2 GiB of doubles
constexpr std::size_t max_line_bytes = std::size_t{1} << 24;
constexpr std::uint64_t max_data_bytes = std::uint64_t{1} << 31;

class DataReader {
 public:
  DataReader(std::istream& in, const std::string& source) : in_(in), source_(source) {}

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw io_error(source_ + ": line " + std::to_string(line) + ": " + what);
  }

  Dataset<double> read(std::uint64_t size) {
    std::string header;
    if (!next(header)) throw io_error(source_ + ": empty file, not FANN data");
    fann::Cursor c(header, line_, "header \"pairs inputs outputs\"");
    const std::uint64_t pairs = c.count(*this), ni = c.count(*this), no = c.count(*this);
    c.end(*this);
    if (ni == 0 || ni > max_columns || no > max_columns)
      fail(line_, std::to_string(ni) + " inputs and " + std::to_string(no) +
                      " outputs: expected 1 to " + std::to_string(max_columns) + " inputs and " +
                      "at most " + std::to_string(max_columns) + " outputs");
    // Every value takes at least two bytes (a digit and a blank).
    if (pairs > max_values / (ni + no) || (size != 0 && pairs * (ni + no) > size / 2))
      fail(line_, std::to_string(pairs) + " pairs of " + std::to_string(ni + no) + " values " +
                      (size != 0 ? "cannot fit in the file's " + std::to_string(size) + " bytes"
                                 : "exceed the cap of " + std::to_string(max_values) + " values"));
    Dataset<double> d;
    d.num_inputs = static_cast<std::size_t>(ni);
    d.num_targets = static_cast<std::size_t>(no);
    if (size != 0) {
      d.inputs.reserve(static_cast<std::size_t>(pairs * ni));
      d.targets.reserve(static_cast<std::size_t>(pairs * no));
    }
    d.source = source_;
    d.first_row = line_ + 1;
    d.row_step = no > 0 ? 2 : 1;  // a line of inputs, a line of outputs
    try {
      for (std::uint64_t p = 0; p < pairs; ++p) {
        row(d.inputs, d.num_inputs, p, "inputs");
        d.row_numbers.push_back(line_);
        if (no > 0) row(d.targets, d.num_targets, p, "outputs");
      }
    } catch (const std::bad_alloc&) {
      fail(line_, "out of memory reading " + std::to_string(pairs * (ni + no)) + " values (" +
                      std::to_string(pairs) + " pairs of " + std::to_string(ni + no) + ")");
    }
    // Each pair takes row_step lines at least: with no blank lines, first_row and row_step say it.
    const std::size_t n = d.row_numbers.size();
    if (n > 0 && d.row_numbers[0] == d.first_row &&
        d.row_numbers[n - 1] == d.first_row + (n - 1) * d.row_step)
      d.row_numbers.clear();
    std::string extra;
    if (next(extra))
      fail(line_, "more lines than the header's " + std::to_string(pairs) + " pairs: \"" +
                      fann::excerpt(extra) + "\"");
    return d;
  }

 private:
  // The next line that is not blank; false at the end of the input. Lines
  // end in LF, CRLF or CR (FANN's fscanf reads all three), and one longer than
  // max_line_bytes is refused before more of it is held.
  bool next(std::string& s) {
    std::streambuf& b = *in_.rdbuf();
    constexpr auto eof = std::char_traits<char>::eof();
    while (true) {
      s.clear();
      auto c = b.sbumpc();
      if (c == eof) return false;
      for (; c != eof && c != '\n' && c != '\r'; c = b.sbumpc()) {
        if (s.size() == max_line_bytes)
          fail(line_ + 1, "longer than " + std::to_string(max_line_bytes) + " bytes");
        s.push_back(static_cast<char>(c));
      }
      if (c == '\r' && b.sgetc() == '\n') b.sbumpc();
      ++line_;
      if (s.find_first_not_of(" \t") != std::string::npos) return true;
    }
  }

  void row(std::vector<double>& values, std::size_t n, std::uint64_t pair, const char* what) {
    std::string s;
    if (!next(s))
      fail(line_, "the file ends before the " + std::string(what) + " of pair " +
                      std::to_string(pair + 1) + " (0-based " + std::to_string(pair) + ")");
    fann::Cursor c(s, line_, std::string(what) + " of pair " + std::to_string(pair));
    for (std::size_t k = 0; k < n; ++k) {
      if (c.at_end())
        fail(line_, std::string(what) + " of pair " + std::to_string(pair) + ": " +
                        std::to_string(k) + " numbers, expected " + std::to_string(n));
      values.push_back(c.real(*this));
    }
    if (!c.at_end())
      fail(line_, std::string(what) + " of pair " + std::to_string(pair) + ": more than " +
                      std::to_string(n) + " numbers");
  }

  std::istream& in_;
  const std::string& source_;
  std::size_t line_ = 0;
};

bool is_count(std::string_view s) {
  return !s.empty() && s.size() <= 19 && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

bool is_fann_data_header(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
  const std::size_t a = line.find(' ');
  if (a == std::string_view::npos) return false;
  const std::size_t b = line.find(' ', a + 1);
  if (b == std::string_view::npos) return false;
  return is_count(line.substr(0, a)) && is_count(line.substr(a + 1, b - a - 1)) &&
         is_count(line.substr(b + 1));
}

Dataset<double> read_fann_data(std::istream& in, const std::string& source, std::uint64_t size) {
  return DataReader(in, source).read(size);
}

Dataset<double> read_fann_data(const std::string& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw io_error(path + ": cannot read its size: " + ec.message());
  if (size > max_data_bytes)
    throw io_error(path + ": " + std::to_string(size) + " bytes exceeds the cap of " +
                   std::to_string(max_data_bytes) + " for FANN data");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(path + ": cannot open for reading");
  return read_fann_data(in, path, size == 0 ? 1 : size);
}

}  // namespace dagprop::io
