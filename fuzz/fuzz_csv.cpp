// libFuzzer harness for the CSV reader: the first two bytes pick the options
// (header mode, separator or its detection, targets, one-hot by number or by
// text label), the rest is the file, read whole and by read_csv_header.
// Catching dagprop::error is expected; any other exception, crash or sanitizer
// report is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "dagprop/error.hpp"
#include "dagprop/io/csv.hpp"

namespace {

dagprop::io::CsvOptions options_from(std::uint8_t b, std::uint8_t c) {
  dagprop::io::CsvOptions o;
  o.header = static_cast<dagprop::io::CsvHeader>(b % 3);
  constexpr char separators[4] = {dagprop::io::detect_separator, ',', ';', '\t'};
  o.separator = separators[c % 4];
  if (b & 0x08) o.last_targets = 1;
  if (b & 0x10) o.target_columns = {0, dagprop::io::last_column};
  if (b & 0x20) {
    o.class_column = (b & 0x40) ? std::size_t{1} : dagprop::io::last_column;
    if (c & 0x04)
      o.class_names = {"a", "b", "setosa"};
    else
      o.num_classes = 3;
  }
  o.max_line_bytes = (b & 0x80) ? 64 : o.max_line_bytes;
  if (c & 0x08) o.max_columns = 4;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto options = options_from(data[0], data[1]);
  const std::string text(reinterpret_cast<const char*>(data + 2), size - 2);
  try {
    std::istringstream in(text);
    const auto d = dagprop::io::read_csv(in, "fuzz.csv", options);
    d.check();
  } catch (const dagprop::error&) {
  }
  try {
    std::istringstream in(text);
    dagprop::io::read_csv_header(in, "fuzz.csv", options);
  } catch (const dagprop::error&) {
  }
  return 0;
}
