// Numeric CSV reader (see csv.hpp): a bounded line reader (LF, CRLF or CR, a
// UTF-8 BOM skipped), a separator guessed from the first line unless given, a
// field splitter that understands double quotes, std::from_chars for numbers,
// and a column layout that sends each column to the inputs, the targets or the
// one-hot block (integers or the caller's class names).
// It never prints and never trusts a count it has not bounded.
#include "dagprop/io/csv.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <istream>
#include <map>
#include <new>
#include <set>
#include <string_view>
#include <system_error>

#include "dagprop/error.hpp"
#include "dagprop/io/input_file.hpp"

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

// Splits a byte stream into lines ending in LF, CRLF or CR, refusing lines and
// totals above the limits, a UTF-16 byte-order mark and NUL bytes; skips a UTF-8 BOM.
class LineReader {
 public:
  LineReader(std::istream& in, const std::string& source, const CsvOptions& options)
      : in_(in), source_(source), options_(options), buffer_(std::size_t{1} << 16) {}

  // The next line without its line break; false at the end.
  bool next(std::string& line) {
    line.clear();
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !fill()) break;
      if (skip_lf_) {  // the previous line ended in '\r': a '\n' right after it is its pair
        skip_lf_ = false;
        if (buffer_[pos_] == '\n') {
          ++pos_;
          continue;
        }
      }
      any = true;
      const char* begin = buffer_.data() + pos_;
      const std::size_t avail = end_ - pos_;
      const auto* lf = static_cast<const char*>(std::memchr(begin, '\n', avail));
      const std::size_t upto = lf ? static_cast<std::size_t>(lf - begin) : avail;
      const auto* cr = static_cast<const char*>(std::memchr(begin, '\r', upto));
      const char* stop = cr ? cr : lf;
      const std::size_t n = stop ? static_cast<std::size_t>(stop - begin) : avail;
      if (line.size() + n > options_.max_line_bytes)
        throw io_error(source_ + ": row " + std::to_string(line_no_ + 1) + ": line longer than " +
                       std::to_string(options_.max_line_bytes) +
                       " bytes (CsvOptions::max_line_bytes)");
      line.append(begin, n);
      pos_ += n + (stop ? 1 : 0);
      if (stop) {
        skip_lf_ = *stop == '\r';
        break;
      }
    }
    if (!any) return false;
    ++line_no_;
    if (const void* nul = std::memchr(line.data(), '\0', line.size()))
      throw io_error(source_ + ": row " + std::to_string(line_no_) + ", byte " +
                     std::to_string(static_cast<const char*>(nul) - line.data() + 1) +
                     ": a NUL byte: this is not a text file (binary data, or UTF-16 text "
                     "without a byte-order mark? save it as UTF-8)");
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
    const bool first = total_ == 0;
    total_ += n;
    if (total_ > options_.max_bytes)
      throw io_error(source_ + ": larger than the limit of " + std::to_string(options_.max_bytes) +
                     " bytes (CsvOptions::max_bytes)");
    pos_ = 0;
    end_ = n;
    if (first) skip_byte_order_mark();
    return pos_ < end_;
  }

  // At the start of the stream (a first read holds min(file size, 64 KiB) bytes).
  void skip_byte_order_mark() {
    const auto* b = reinterpret_cast<const unsigned char*>(buffer_.data());
    if (end_ >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) pos_ = 3;
    if (end_ >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff)))
      throw io_error(source_ +
                     ": the file is UTF-16 text (it starts with a UTF-16 byte-order mark); "
                     "save it as UTF-8 or ASCII");
  }

  std::istream& in_;
  const std::string& source_;
  const CsvOptions& options_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t total_ = 0;
  std::size_t line_no_ = 0;
  bool eof_ = false;
  bool skip_lf_ = false;
};

// Space or tab, unless it is the separator. separator 0 (not yet known) is none.
bool is_blank(char c, char separator) {
  return (c == ' ' || c == '\t') && c != separator;
}

std::string_view trim(std::string_view s, char separator) {
  while (!s.empty() && is_blank(s.front(), separator)) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back(), separator)) s.remove_suffix(1);
  return s;
}

// Nothing but spaces, tabs and separators: no data (Excel writes ",,," rows).
// Before the separator is detected, any of the candidates counts.
bool is_blank_line(std::string_view line, char separator) {
  for (const char c : line) {
    if (c == ' ' || c == '\t' || c == separator) continue;
    if (separator == detect_separator && (c == ',' || c == ';')) continue;
    return false;
  }
  return true;
}

// The separators of `line` outside double quotes.
std::size_t count_unquoted(std::string_view line, char separator) {
  std::size_t n = 0;
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') quoted = !quoted;
    if (!quoted && c == separator) ++n;
  }
  return n;
}

// See CsvOptions::separator.
char detect_separator_of(std::string_view line) {
  if (count_unquoted(line, ';') > 0) return ';';
  if (count_unquoted(line, '\t') == 0) return ',';
  if (count_unquoted(line, ',') == 0) return '\t';
  // Both: tabs separate fields if a comma-separated field holds one inside.
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t k = 0; k <= line.size(); ++k) {
    if (k < line.size() && line[k] == '"') quoted = !quoted;
    if (k == line.size() || (!quoted && line[k] == ',')) {
      if (trim(line.substr(start, k - start), ',').find('\t') != std::string_view::npos)
        return '\t';
      start = k + 1;
    }
  }
  return ',';
}

enum class NumberStatus { ok, empty, not_a_number, out_of_range, non_finite };

// For a number std::from_chars read whole but found out of range: true if it is
// too small (it rounds to 0), false if too large. The syntax is already checked.
bool underflows(std::string_view text) {
  std::size_t k = 0;
  if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
  long long lead = 0;  // decimal exponent of the first non-zero digit
  bool found = false, point = false;
  for (; k < text.size() && text[k] != 'e' && text[k] != 'E'; ++k) {
    if (text[k] == '.') {
      point = true;
    } else if (!found && text[k] != '0') {
      found = true;
      lead = point ? lead - 1 : 0;
    } else if (!found && point) {
      --lead;
    } else if (found && !point) {
      ++lead;
    }
  }
  if (!found) return true;
  long long exponent = 0;
  bool negative = false;
  if (k < text.size()) {
    ++k;  // 'e'
    if (k < text.size() && (text[k] == '+' || text[k] == '-')) negative = text[k++] == '-';
    for (; k < text.size(); ++k)
      exponent = std::min(exponent * 10 + (text[k] - '0'), 1'000'000'000LL);
  }
  return lead + (negative ? -exponent : exponent) < 0;
}

NumberStatus parse_number(std::string_view text, double& value) {
  if (text.empty()) return NumberStatus::empty;
  const char* first = text.data();
  const char* last = first + text.size();
  if (*first == '+' && last - first > 1 && first[1] != '-') ++first;  // from_chars refuses '+'
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ptr != last || ec == std::errc::invalid_argument) return NumberStatus::not_a_number;
  if (ec == std::errc::result_out_of_range) {
    if (!underflows(std::string_view(first, static_cast<std::size_t>(last - first))))
      return NumberStatus::out_of_range;
    value = *first == '-' ? -0.0 : 0.0;
  }
  if (!std::isfinite(value)) return NumberStatus::non_finite;
  return NumberStatus::ok;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (std::tolower(static_cast<unsigned char>(a[k])) !=
        std::tolower(static_cast<unsigned char>(b[k])))
      return false;
  return true;
}

// Why a field that is not a number might be so, for its message ("" if no idea).
std::string number_hint(std::string_view text, char separator) {
  for (const char* marker : {"na", "n/a", "null", "none", "?", "-", "--"})
    if (equals_ignoring_case(text, marker)) return " (missing values are not supported)";
  if (separator != ',' && text.find(',') != std::string_view::npos)
    return " (a decimal comma? numbers need a '.' and no thousands separators)";
  if (separator != ';' && text.find(';') != std::string_view::npos)
    return " (is the file ';'-separated? set CsvOptions::separator)";
  if (separator != '\t' && text.find('\t') != std::string_view::npos)
    return " (is the file tab-separated? set CsvOptions::separator)";
  if (text.find(' ') != std::string_view::npos)
    return " (values separated by spaces? set CsvOptions::separator to whitespace)";
  const std::string_view digits =
      text.substr(!text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0);
  if (digits.size() > 1 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
    return " (hexadecimal numbers are not supported)";
  return "";
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

// The one-hot width: num_classes, or the number of class names.
std::size_t class_count(const CsvOptions& o) {
  return o.class_names.empty() ? o.num_classes : o.class_names.size();
}

void check_options(const CsvOptions& o) {
  if (o.separator == '"' || o.separator == '\n' || o.separator == '\r')
    throw invalid_argument("CsvOptions: separator may not be a quote or a line break");
  if (!o.target_columns.empty() && o.last_targets > 0)
    throw invalid_argument("CsvOptions: give target_columns or last_targets, not both");
  if (!o.class_names.empty() && o.num_classes != 0 && o.num_classes != o.class_names.size())
    throw invalid_argument("CsvOptions: num_classes " + std::to_string(o.num_classes) + " but " +
                           std::to_string(o.class_names.size()) + " class_names");
  const std::size_t classes = class_count(o);
  if (o.class_column && classes == 0)
    throw invalid_argument("CsvOptions: class_column needs num_classes > 0 or class_names");
  if (!o.class_column && classes > 0)
    throw invalid_argument("CsvOptions: num_classes or class_names without a class_column");
  if (classes > o.max_columns)
    throw invalid_argument("CsvOptions: " + std::to_string(classes) +
                           " classes exceed max_columns " + std::to_string(o.max_columns));
  std::set<std::string_view> seen;
  for (std::size_t k = 0; k < o.class_names.size(); ++k) {
    if (o.class_names[k].empty())
      throw invalid_argument("CsvOptions: class_names[" + std::to_string(k) + "] is empty");
    if (!seen.insert(o.class_names[k]).second)
      throw invalid_argument("CsvOptions: class name \"" + o.class_names[k] + "\" is given twice");
  }
}

std::size_t resolve_column(std::size_t column, std::size_t num_columns, const std::string& source,
                           const char* what) {
  if (column == last_column) return num_columns - 1;
  if (column >= num_columns)
    throw io_error(source + ": " + what + " " + std::to_string(column + 1) +
                   " (counting from 1) does not exist: the file has " +
                   std::to_string(num_columns) + " columns");
  return column;
}

void claim(Layout& layout, std::size_t column, Role role, const std::string& source) {
  if (layout.roles[column].kind != Role::input)
    throw invalid_argument(source + ": column " + std::to_string(column + 1) +
                           " (counting from 1) is chosen twice as a target or class column");
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
  layout.num_targets = layout.num_target_columns + class_count(o);
  return layout;
}

// Reads one file; holds what the rows share (layout, header names, the output).
class CsvReader {
 public:
  CsvReader(const std::string& source, const CsvOptions& options)
      : source_(source),
        options_(options),
        separator_(options.separator == whitespace_separator ? '\t' : options.separator),
        num_classes_(class_count(options)) {
    for (std::size_t k = 0; k < options.class_names.size(); ++k)
      class_names_.emplace(options.class_names[k], k);
  }

  std::vector<std::string> header(std::istream& in) {
    LineReader lines(in, source_, options_);
    std::string line;
    std::size_t blank = 0;
    if (next_fields(lines, line, blank)) return {fields_.begin(), fields_.end()};
    throw io_error(source_ + ": empty file (no header line)");
  }

  Dataset<double> read(std::istream& in) {
    try {
      return read_rows(in);
    } catch (const std::bad_alloc&) {
      throw io_error(where(row_) + ": out of memory reading " +
                     std::to_string(out_.inputs.size() + out_.targets.size() + layout_.num_inputs +
                                    layout_.num_targets) +
                     " values (the rows up to this one)");
    }
  }

  // The distinct labels of the class column, read as read() reads the rows.
  std::set<std::string> labels(std::istream& in, std::size_t max_labels, std::size_t max_bytes) {
    LineReader lines(in, source_, options_);
    std::set<std::string> found;
    std::string line;
    bool seen_content = false;
    std::size_t blank = 0;
    while (next_fields(lines, line, blank)) {
      if (!seen_content) {
        seen_content = true;
        if (start()) continue;  // the header
      }
      check_columns();
      const std::size_t c =
          resolve_column(*options_.class_column, num_columns_, source_, "class column");
      if (fields_[c].empty()) fail_empty(c);
      if (fields_[c].size() > max_bytes)
        fail(c, "class label of " + std::to_string(fields_[c].size()) + " bytes, over the cap of " +
                    std::to_string(max_bytes));
      if (found.emplace(fields_[c]).second && found.size() > max_labels)
        fail(c, "more than " + std::to_string(max_labels) + " distinct class labels");
    }
    if (found.empty()) throw io_error(source_ + ": no data rows");
    return found;
  }

 private:
  // The next line that holds data (or the header), split into fields_: the
  // skipped rows and blank lines passed over, `blank` the first blank one
  // (0 if none). False at the end of the text.
  bool next_fields(LineReader& lines, std::string& line, std::size_t& blank) {
    blank = 0;
    while (lines.next(line)) {
      row_ = lines.line_no();
      if (row_ <= options_.skip_rows) continue;
      normalize(line);
      if (is_blank_line(line, separator_)) {
        if (blank == 0) blank = row_;
        continue;
      }
      if (separator_ == detect_separator) separator_ = detect_separator_of(line);
      split(line);
      return true;
    }
    return false;
  }

  Dataset<double> read_rows(std::istream& in) {
    LineReader lines(in, source_, options_);
    std::string line;
    std::size_t blank = 0;  // the first blank line before this one, 0 if none
    bool seen_content = false;
    while (next_fields(lines, line, blank)) {
      if (seen_content && blank != 0)
        throw io_error(where(blank) + ": blank line before more data (row " + std::to_string(row_) +
                       "); remove it");
      if (!seen_content) {
        seen_content = true;
        if (start()) continue;
      }
      add_row();
    }
    return finish(seen_content);
  }

  std::string where(std::size_t row) const { return source_ + ": row " + std::to_string(row); }

  std::string where(std::size_t row, std::size_t column) const {
    std::string s = where(row) + ", column " + std::to_string(column + 1);
    if (column < header_.size()) s += " (" + show(header_[column]) + ")";
    return s;
  }

  [[noreturn]] void fail(std::size_t column, const std::string& what) const {
    throw io_error(where(row_, column) + ": " + what +
                   (row_ == first_row_ && header_.empty() ? skip_rows_hint() : ""));
  }

  // For an error on the first line read, or on the next when its column count
  // differs, unless lines are skipped already: that first line may be a note
  // such as scikit-learn's "150,4,setosa,versicolor,virginica", not data.
  std::string skip_rows_hint() const {
    if (options_.skip_rows > 0) return "";
    const std::string n = std::to_string(first_row_);
    return " (if line " + n + " is not data, use --skip-rows " + n + ")";
  }

  // Whitespace-separated lines: every run of spaces and tabs outside quotes
  // becomes one tab (the separator then), leading and trailing ones go.
  void normalize(std::string& line) const {
    if (options_.separator != whitespace_separator) return;
    std::string out;
    bool quoted = false, gap = false;
    for (const char c : line) {
      if (!quoted && (c == ' ' || c == '\t')) {
        gap = !out.empty();
        continue;
      }
      if (gap) out.push_back('\t'), gap = false;
      if (c == '"') quoted = !quoted;
      out.push_back(c);
    }
    line = std::move(out);
  }

  // Splits `line` into fields_; a quoted field is unquoted in place ("" becomes ").
  void split(std::string& line) {
    fields_.clear();
    ++content_rows_;
    const char sep = separator_;
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
        const std::size_t stop = end == std::string::npos ? line.size() : end;
        fields_.push_back(trim(std::string_view(line).substr(pos, stop - pos), sep));
        pos = stop;
      }
      if (pos >= line.size()) return;
      ++pos;  // past the separator
    }
  }

  // Adds the quoted field starting at `open`; returns the position after it.
  std::size_t split_quoted(std::string& line, std::size_t open) {
    std::size_t k = open + 1;    // reading
    std::size_t out = open + 1;  // writing the unquoted text, never ahead of k
    for (;;) {
      if (k >= line.size())
        fail(fields_.size(), "unterminated quoted field (a quoted field may not span lines)");
      if (line[k] == '"') {
        if (k + 1 < line.size() && line[k + 1] == '"') {
          line[out++] = '"';
          k += 2;
          continue;
        }
        break;
      }
      line[out++] = line[k++];
    }
    fields_.push_back(trim(std::string_view(line).substr(open + 1, out - open - 1), separator_));
    std::size_t after = k + 1;
    while (after < line.size() && is_blank(line[after], separator_)) ++after;
    if (after < line.size() && line[after] != separator_)
      fail(fields_.size() - 1,
           "text after the closing quote: " + show(std::string_view(line).substr(after)));
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

  // Detected: a header is a row of names, none of them numeric (a class_column
  // field naming a class counts as data). A row of numbers and malformed
  // numbers (1.2.3,0,0) is data, refused at its first malformed field.
  bool is_header() const {
    if (options_.header != CsvHeader::detect) return options_.header == CsvHeader::present;
    bool text = false;
    for (std::size_t c = 0; c < fields_.size(); ++c) {
      if (layout_.roles[c].kind == Role::class_label && class_names_.count(fields_[c]) != 0)
        return false;
      double value = 0;
      const NumberStatus status = parse_number(fields_[c], value);
      if (status == NumberStatus::not_a_number) text = true;
      if (status != NumberStatus::not_a_number && status != NumberStatus::empty) return false;
    }
    return text;
  }

  void check_columns() const {
    const std::string hint = content_rows_ == 2 ? skip_rows_hint() : "";
    if (fields_.size() < num_columns_)
      fail(fields_.size(), "missing value: the row has " + std::to_string(fields_.size()) +
                               " columns, row " + std::to_string(first_row_) + " has " +
                               std::to_string(num_columns_) + detected_note() + hint);
    if (fields_.size() > num_columns_)
      fail(num_columns_, "unexpected extra value: the row has " + std::to_string(fields_.size()) +
                             " columns, row " + std::to_string(first_row_) + " has " +
                             std::to_string(num_columns_) +
                             " (a text field holding the separator must be double-quoted)" +
                             detected_note() + hint);
  }

  // For messages about column counts: how the separator was chosen, if it was.
  std::string detected_note() const {
    if (options_.separator != detect_separator) return "";
    const std::string name = separator_ == '\t' ? "a tab" : std::string("'") + separator_ + "'";
    return " (the separator, " + name + ", was detected from row " + std::to_string(first_row_) +
           "; CsvOptions::separator sets it)";
  }

  [[noreturn]] void fail_empty(std::size_t column) const {
    fail(column, column + 1 == num_columns_ && num_columns_ > 1
                     ? "empty value (missing values are not supported; or does every "
                       "line end with a separator?)"
                     : "empty value (missing values are not supported)");
  }

  double number(std::size_t column) const {
    const std::string_view text = fields_[column];
    double value = 0;
    switch (parse_number(text, value)) {
      case NumberStatus::ok:
        return value;
      case NumberStatus::empty:
        fail_empty(column);
      case NumberStatus::not_a_number: {
        std::string hint = number_hint(text, separator_);
        if (hint.empty() && column < layout_.roles.size() &&
            layout_.roles[column].kind == Role::target)
          hint = " (a target column of text labels is a class column: CsvOptions::class_column)";
        fail(column, "expected a number, found " + show(text) + hint +
                         (row_ == first_row_ && options_.header == CsvHeader::detect
                              ? " (the row has numeric fields, so it is data, not a header)"
                              : ""));
      }
      case NumberStatus::out_of_range:
        fail(column, "number out of the range of double: " + show(text));
      case NumberStatus::non_finite:
        fail(column, "non-finite value " + show(text) + " (nan and inf are not supported)");
    }
    fail(column, "unreachable");
  }

  // With class names, the file's first label decides how the column reads:
  // a name (then every label must be one), or an integer class 0 .. K-1 that
  // the names only label (then every label must be one).
  std::size_t class_index(std::size_t column) {
    const std::string_view text = fields_[column];
    if (!class_names_.empty() && labels_ != Labels::numbers) {
      const auto found = class_names_.find(text);
      if (found != class_names_.end()) {
        labels_ = Labels::names;
        return found->second;
      }
      double value = 0;
      const bool numeric = parse_number(text, value) == NumberStatus::ok;
      if (labels_ == Labels::names || !numeric)
        fail(column, "class " + show(text) + " is not one of the " +
                         std::to_string(class_names_.size()) +
                         " class names (CsvOptions::class_names, --class-names)" +
                         (labels_ == Labels::names && numeric
                              ? " (earlier rows hold class names, this one a number)"
                              : ""));
      labels_ = Labels::numbers;
    }
    double value = 0;
    if (!text.empty() && parse_number(text, value) == NumberStatus::not_a_number)
      fail(column,
           "class " + show(text) + " is not a number: the class column holds integers 0 .. " +
               std::to_string(num_classes_ - 1) +
               (class_names_.empty() ? " (text labels need class names: CsvOptions::class_names, "
                                       "--class-names)"
                                     : " (earlier rows hold class numbers, this one text)"));
    value = number(column);
    if (value != std::floor(value)) fail(column, "class " + show(text) + " is not an integer");
    if (value < 0 || value >= static_cast<double>(num_classes_))
      fail(column,
           "class " + show(text) + " out of range [0, " + std::to_string(num_classes_) + ")");
    return static_cast<std::size_t>(value);
  }

  void add_row() {
    check_columns();
    const std::size_t target_base = out_.targets.size();
    const std::uint64_t with_row =
        out_.inputs.size() + target_base + layout_.num_inputs + layout_.num_targets;
    if (with_row > options_.max_values)
      throw io_error(source_ + ": row " + std::to_string(row_) + ": " + std::to_string(with_row) +
                     " values with this row's, " + values_cap_text(options_.max_values));
    out_.targets.resize(target_base + layout_.num_targets, 0.0);
    for (std::size_t c = 0; c < num_columns_; ++c) {
      const Role role = layout_.roles[c];
      if (role.kind == Role::input) out_.inputs.push_back(number(c));
      if (role.kind == Role::target) out_.targets[target_base + role.index] = number(c);
      if (role.kind == Role::class_label)
        out_.targets[target_base + layout_.num_target_columns + class_index(c)] = 1.0;
    }
    if (rows_++ == 0) first_data_row_ = row_;
  }

  Dataset<double> finish(bool seen_content) {
    if (!seen_content) throw io_error(source_ + ": empty file (no rows)");
    if (rows_ == 0) throw io_error(source_ + ": no data rows after the header");
    out_.num_inputs = layout_.num_inputs;
    out_.num_targets = layout_.num_targets;
    out_.source = source_;
    out_.first_row =
        first_data_row_;  // data rows follow each other: a blank line between is refused
    return std::move(out_);
  }

  const std::string& source_;
  const CsvOptions& options_;
  char separator_;           // detect_separator until the first line
  std::size_t num_classes_;  // the one-hot width
  std::map<std::string, std::size_t, std::less<>> class_names_;  // name -> class
  enum class Labels { undecided, names, numbers } labels_ = Labels::undecided;
  std::vector<std::string_view> fields_;  // [columns of the current row], views into its line
  std::vector<std::string> header_;       // [num_columns_] or empty
  Layout layout_;
  std::size_t num_columns_ = 0;
  std::size_t first_row_ = 0;
  std::size_t content_rows_ = 0;  // the lines split so far, the current one included
  std::size_t row_ = 0;
  std::size_t rows_ = 0;
  std::size_t first_data_row_ = 0;
  Dataset<double> out_;
};

// A directory opens as an empty stream on Linux: say what it is instead.
}  // namespace

Dataset<double> read_csv(std::istream& in, const std::string& source, const CsvOptions& options) {
  check_options(options);
  return CsvReader(source, options).read(in);
}

std::vector<std::string> read_csv_header(std::istream& in, const std::string& source,
                                         const CsvOptions& options) {
  check_options(options);
  return CsvReader(source, options).header(in);
}

std::vector<std::string> read_csv_class_labels(std::istream& in, const std::string& source,
                                               const CsvOptions& options, std::size_t max_labels,
                                               std::size_t max_label_bytes) {
  check_options(options);
  if (!options.class_column) throw invalid_argument("read_csv_class_labels: no class_column");
  const std::set<std::string> labels =
      CsvReader(source, options).labels(in, max_labels, max_label_bytes);
  return {labels.begin(), labels.end()};
}

Dataset<double> read_csv(const std::string& path, const CsvOptions& options) {
  check_options(options);
  std::ifstream in = open_input_file(path, "a CSV file");
  return CsvReader(path, options).read(in);
}

}  // namespace dagprop::io
