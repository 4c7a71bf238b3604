// libFuzzer harness for the FANN data reader (.data) and its header test: the
// input is the file's text. A dagprop::error from the reader is a correct
// refusal; a data set that was read must pass Dataset::check. A crash, hang,
// sanitizer report, huge allocation or any other exception is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "dagprop/error.hpp"
#include "dagprop/io/fann_data.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  dagprop::io::is_fann_data_header(text.substr(0, text.find('\n')));
  std::istringstream in(text);
  dagprop::Dataset<double> d;
  try {
    d = dagprop::io::read_fann_data(in, "fuzz.data", size + 1);
  } catch (const dagprop::error&) {
    return 0;
  }
  try {
    d.check();
  } catch (const dagprop::error&) {
    std::abort();  // the reader returned a malformed data set
  }
  return 0;
}
