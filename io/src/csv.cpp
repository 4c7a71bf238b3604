// Numeric CSV reader (see csv.hpp): a bounded line reader, a field splitter
// that understands double quotes, std::from_chars for numbers, and a column
// layout that sends each column to the inputs, the targets or the one-hot block.
// It never prints and never trusts a count it has not bounded.
#include "dagprop/io/csv.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <istream>
#include <string_view>
#include <system_error>

#include "dagprop/error.hpp"

namespace dagprop::io {
namespace {

// A field's text for a message: quoted, escaped, at most 40 characters.
std::string show(std::string_view text) {
  constexpr std::size_t max_shown = 40;
  std::string out = "\"";
  for (std::size_t k = 0; k < text.size() && k < max_shown; ++k) {
    const auto c = static_cast<unsigned char>(text[k]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  if (text.size() > max_shown) out += "...";
  return out + "\"";
}

// Splits a byte stream into lines, refusing lines and totals above the limits.
class LineReader {
 public:
  LineReader(std::istream& in, const std::string& source, const CsvOptions& options)
      : in_(in), source_(source), options_(options), buffer_(std::size_t{1} << 16) {}

  // The next line without its '\n' (nor a '\r' before it); false at the end.
  bool next(std::string& line) {
    line.clear();
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !fill()) break;
      any = true;
      const char* begin = buffer_.data() + pos_;
      const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', end_ - pos_));
      const std::size_t n = newline ? static_cast<std::size_t>(newline - begin) : end_ - pos_;
      if (line.size() + n > options_.max_line_bytes)
        throw io_error(source_ + ": row " + std::to_string(line_no_ + 1) + ": line longer than " +
                       std::to_string(options_.max_line_bytes) + " bytes");
      line.append(begin, n);
      pos_ += n + (newline ? 1 : 0);
      if (newline) break;
    }
    if (!any) return false;
    ++line_no_;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }

  std::size_t line_no() const { return line_no_; }

 private:
  bool fill() {
    if (eof_) return false;
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (in_.bad()) throw io_error(source_ + ": read error after row " + std::to_string(line_no_));
    const auto n = static_cast<std::size_t>(in_.gcount());
    if (n < buffer_.size()) eof_ = true;
    total_ += n;
    if (total_ > options_.max_bytes)
      throw io_error(source_ + ": larger than the limit of " + std::to_string(options_.max_bytes) +
                     " bytes (CsvOptions::max_bytes)");
    pos_ = 0;
    end_ = n;
    return n > 0;
  }

  std::istream& in_;
  const std::string& source_;
  const CsvOptions& options_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t total_ = 0;
  std::size_t line_no_ = 0;
  bool eof_ = false;
};

bool is_blank(char c, char separator) {
  return (c == ' ' || c == '\t') && c != separator;
}

std::string_view trim(std::string_view s, char separator) {
  while (!s.empty() && is_blank(s.front(), separator)) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back(), separator)) s.remove_suffix(1);
  return s;
}

bool is_blank_line(std::string_view line, char separator) {
  return trim(line, separator).empty();
}

enum class NumberStatus { ok, empty, not_a_number, out_of_range, non_finite };

NumberStatus parse_number(std::string_view text, double& value) {
  if (text.empty()) return NumberStatus::empty;
  const char* first = text.data();
  const char* last = first + text.size();
  if (*first == '+' && last - first > 1 && first[1] != '-') ++first;  // from_chars refuses '+'
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ptr != last || ec == std::errc::invalid_argument) return NumberStatus::not_a_number;
  if (ec == std::errc::result_out_of_range) return NumberStatus::out_of_range;
  if (!std::isfinite(value)) return NumberStatus::non_finite;
  return NumberStatus::ok;
}

// What a column of the file becomes.
struct Role {
  enum Kind { input, target, class_label } kind = input;
  std::size_t index = 0;  // position among the inputs or the targets
};

struct Layout {
  std::vector<Role> roles;  // [num_columns]
  std::size_t num_inputs = 0;
  std::size_t num_target_columns = 0;  // before the one-hot block
  std::size_t num_targets = 0;         // num_target_columns + num_classes
};

void check_options(const CsvOptions& o) {
  if (o.separator == '"' || o.separator == '\n' || o.separator == '\r')
    throw invalid_argument("CsvOptions: separator may not be a quote or a line break");
  if (!o.target_columns.empty() && o.last_targets > 0)
    throw invalid_argument("CsvOptions: give target_columns or last_targets, not both");
  if (o.class_column && o.num_classes == 0)
    throw invalid_argument("CsvOptions: class_column needs num_classes > 0");
  if (!o.class_column && o.num_classes > 0)
    throw invalid_argument("CsvOptions: num_classes without a class_column");
  if (o.num_classes > o.max_columns)
    throw invalid_argument("CsvOptions: num_classes " + std::to_string(o.num_classes) +
                           " exceeds max_columns " + std::to_string(o.max_columns));
}

std::size_t resolve_column(std::size_t column, std::size_t num_columns, const std::string& source,
                           const char* what) {
  if (column == last_column) return num_columns - 1;
  if (column >= num_columns)
    throw io_error(source + ": " + what + " " + std::to_string(column) +
                   " (0-based) does not exist: the file has " + std::to_string(num_columns) +
                   " columns");
  return column;
}

void claim(Layout& layout, std::size_t column, Role role, const std::string& source) {
  if (layout.roles[column].kind != Role::input)
    throw invalid_argument(source + ": column " + std::to_string(column) +
                           " (0-based) is chosen twice as a target or class column");
  layout.roles[column] = role;
}

Layout make_layout(const CsvOptions& o, std::size_t num_columns, const std::string& source) {
  Layout layout;
  layout.roles.assign(num_columns, Role{});
  std::vector<std::size_t> targets;
  for (const std::size_t c : o.target_columns)
    targets.push_back(resolve_column(c, num_columns, source, "target column"));
  if (o.last_targets > num_columns)
    throw io_error(source + ": last_targets " + std::to_string(o.last_targets) +
                   " but the file has only " + std::to_string(num_columns) + " columns");
  for (std::size_t c = num_columns - o.last_targets; c < num_columns; ++c) targets.push_back(c);
  for (const std::size_t c : targets)
    claim(layout, c, {Role::target, layout.num_target_columns++}, source);
  if (o.class_column)
    claim(layout, resolve_column(*o.class_column, num_columns, source, "class column"),
          {Role::class_label, 0}, source);
  for (Role& role : layout.roles)
    if (role.kind == Role::input) role.index = layout.num_inputs++;
  if (layout.num_inputs == 0)
    throw io_error(source + ": no input columns left: the file has " + std::to_string(num_columns) +
                   " columns and all are targets");
  layout.num_targets = layout.num_target_columns + o.num_classes;
  return layout;
}

// Reads one file; holds what the rows share (layout, header names, the output).
class CsvReader {
 public:
  CsvReader(const std::string& source, const CsvOptions& options)
      : source_(source), options_(options) {}

  Dataset<double> read(std::istream& in) {
    LineReader lines(in, source_, options_);
    std::string line;
    std::size_t blank_row = 0;  // first blank line since the last data, 0 if none
    bool seen_content = false;
    while (lines.next(line)) {
      row_ = lines.line_no();
      if (is_blank_line(line, options_.separator)) {
        if (blank_row == 0) blank_row = row_;
        continue;
      }
      if (blank_row != 0)
        throw io_error(where(blank_row) + ": blank line before more data (row " +
                       std::to_string(row_) + ")");
      split(line);
      if (!seen_content) {
        seen_content = true;
        if (start()) continue;
      }
      add_row();
    }
    return finish(seen_content);
  }

 private:
  std::string where(std::size_t row) const { return source_ + ": row " + std::to_string(row); }

  std::string where(std::size_t row, std::size_t column) const {
    std::string s = where(row) + ", column " + std::to_string(column + 1);
    if (column < header_.size()) s += " (" + show(header_[column]) + ")";
    return s;
  }

  [[noreturn]] void fail(std::size_t column, const std::string& what) const {
    throw io_error(where(row_, column) + ": " + what);
  }

  // Splits `line` into fields_; a quoted field keeps its inner text ("" stays doubled).
  void split(std::string_view line) {
    fields_.clear();
    const char sep = options_.separator;
    std::size_t pos = 0;
    for (;;) {
      if (fields_.size() == options_.max_columns)
        throw io_error(where(row_) + ": more than " + std::to_string(options_.max_columns) +
                       " columns (CsvOptions::max_columns)");
      std::size_t start = pos;
      while (start < line.size() && is_blank(line[start], sep)) ++start;
      if (start < line.size() && line[start] == '"') {
        pos = split_quoted(line, start);
      } else {
        const std::size_t end = line.find(sep, pos);
        const std::size_t stop = end == std::string_view::npos ? line.size() : end;
        fields_.push_back(trim(line.substr(pos, stop - pos), sep));
        pos = stop;
      }
      if (pos >= line.size()) return;
      ++pos;  // past the separator
    }
  }

  // Adds the quoted field starting at `open`; returns the position after it.
  std::size_t split_quoted(std::string_view line, std::size_t open) {
    std::size_t k = open + 1;
    for (;;) {
      k = line.find('"', k);
      if (k == std::string_view::npos) fail(fields_.size(), "unterminated quoted field");
      if (k + 1 < line.size() && line[k + 1] == '"') {
        k += 2;
        continue;
      }
      break;
    }
    fields_.push_back(trim(line.substr(open + 1, k - open - 1), options_.separator));
    std::size_t after = k + 1;
    while (after < line.size() && is_blank(line[after], options_.separator)) ++after;
    if (after < line.size() && line[after] != options_.separator)
      fail(fields_.size() - 1, "text after the closing quote: " + show(line.substr(after)));
    return after;
  }

  // Handles the first non-blank line; true if it was a header.
  bool start() {
    num_columns_ = fields_.size();
    first_row_ = row_;
    layout_ = make_layout(options_, num_columns_, source_);
    if (!is_header()) return false;
    header_.assign(fields_.begin(), fields_.end());
    return true;
  }

  bool is_header() const {
    if (options_.header != CsvHeader::detect) return options_.header == CsvHeader::present;
    for (const std::string_view field : fields_) {
      double value = 0;
      if (parse_number(field, value) == NumberStatus::not_a_number) return true;
    }
    return false;
  }

  void check_columns() const {
    if (fields_.size() < num_columns_)
      fail(fields_.size(), "missing value: the row has " + std::to_string(fields_.size()) +
                               " columns, row " + std::to_string(first_row_) + " has " +
                               std::to_string(num_columns_));
    if (fields_.size() > num_columns_)
      fail(num_columns_, "unexpected extra value: the row has " + std::to_string(fields_.size()) +
                             " columns, row " + std::to_string(first_row_) + " has " +
                             std::to_string(num_columns_));
  }

  double number(std::size_t column) const {
    const std::string_view text = fields_[column];
    double value = 0;
    switch (parse_number(text, value)) {
      case NumberStatus::ok:
        return value;
      case NumberStatus::empty:
        fail(column, "empty value");
      case NumberStatus::not_a_number:
        fail(column, "expected a number, found " + show(text));
      case NumberStatus::out_of_range:
        fail(column, "number out of the range of double: " + show(text));
      case NumberStatus::non_finite:
        fail(column, "non-finite value " + show(text));
    }
    fail(column, "unreachable");
  }

  std::size_t class_index(std::size_t column) const {
    const double value = number(column);
    if (value != std::floor(value))
      fail(column, "class " + show(fields_[column]) + " is not an integer");
    if (value < 0 || value >= static_cast<double>(options_.num_classes))
      fail(column, "class " + show(fields_[column]) + " out of range [0, " +
                       std::to_string(options_.num_classes) + ")");
    return static_cast<std::size_t>(value);
  }

  void add_row() {
    check_columns();
    const std::size_t target_base = out_.targets.size();
    out_.targets.resize(target_base + layout_.num_targets, 0.0);
    for (std::size_t c = 0; c < num_columns_; ++c) {
      const Role role = layout_.roles[c];
      if (role.kind == Role::input) out_.inputs.push_back(number(c));
      if (role.kind == Role::target) out_.targets[target_base + role.index] = number(c);
      if (role.kind == Role::class_label)
        out_.targets[target_base + layout_.num_target_columns + class_index(c)] = 1.0;
    }
    ++rows_;
  }

  Dataset<double> finish(bool seen_content) {
    if (!seen_content) throw io_error(source_ + ": empty file (no rows)");
    if (rows_ == 0) throw io_error(source_ + ": no data rows after the header");
    out_.num_inputs = layout_.num_inputs;
    out_.num_targets = layout_.num_targets;
    return std::move(out_);
  }

  const std::string& source_;
  const CsvOptions& options_;
  std::vector<std::string_view> fields_;  // [columns of the current row], views into its line
  std::vector<std::string> header_;       // [num_columns_] or empty
  Layout layout_;
  std::size_t num_columns_ = 0;
  std::size_t first_row_ = 0;
  std::size_t row_ = 0;
  std::size_t rows_ = 0;
  Dataset<double> out_;
};

}  // namespace

Dataset<double> read_csv(std::istream& in, const std::string& source, const CsvOptions& options) {
  check_options(options);
  return CsvReader(source, options).read(in);
}

Dataset<double> read_csv(const std::string& path, const CsvOptions& options) {
  check_options(options);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(path + ": cannot open for reading");
  return CsvReader(path, options).read(in);
}

}  // namespace dagprop::io
