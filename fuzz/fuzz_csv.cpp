// libFuzzer harness for the CSV reader: the first byte picks the options
// (header mode, separator, targets, one-hot), the rest is the file. Catching
// dagprop::error is expected; any other exception, crash or sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "dagprop/error.hpp"
#include "dagprop/io/csv.hpp"

namespace {

dagprop::io::CsvOptions options_from(std::uint8_t b) {
  dagprop::io::CsvOptions o;
  o.header = static_cast<dagprop::io::CsvHeader>(b % 3);
  o.separator = (b & 0x04) ? ';' : ',';
  if (b & 0x08) o.last_targets = 1;
  if (b & 0x10) o.target_columns = {0, dagprop::io::last_column};
  if (b & 0x20) {
    o.class_column = (b & 0x40) ? std::size_t{1} : dagprop::io::last_column;
    o.num_classes = 3;
  }
  o.max_line_bytes = (b & 0x80) ? 64 : o.max_line_bytes;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto options = options_from(data[0]);
  std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  try {
    const auto d = dagprop::io::read_csv(in, "fuzz.csv", options);
    d.check();
  } catch (const dagprop::error&) {
  }
  return 0;
}
