// libFuzzer harness for the FANN network reader: the input is a .net file's
// text. A dagprop::error is a correct refusal. A network that was read must
// compile and compute, and when write_fann can write it (its weights finite
// once steepness is folded back), the file written must read again with the
// same inputs and outputs (the numbers are compared by the [fann] tests, which
// bound the rounding). A crash, hang, sanitizer report, huge allocation or any
// other exception is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/fann.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dagprop::io::FannNetwork f;
  try {
    f = dagprop::io::read_fann_text(std::string(reinterpret_cast<const char*>(data), size),
                                    "fuzz.net", size % 2 == 1);
  } catch (const dagprop::error&) {
    return 0;
  }
  const auto net = dagprop::compile<double>(f.topology);
  const std::vector<double> x(net.num_inputs(), 0.5);
  if (dagprop::predict(net, x.data(), 1, 1).size() != net.num_outputs()) std::abort();
  std::string text;
  try {
    text = dagprop::io::fann_text(net, &f.input_scaling, &f.output_scaling);
  } catch (const dagprop::error&) {
    return 0;  // a weight that overflows when steepness is folded back, say
  }
  const dagprop::io::FannNetwork back = dagprop::io::read_fann_text(text, "round-trip.net");
  if (back.topology.num_inputs() != f.topology.num_inputs() ||
      back.topology.num_outputs() != f.topology.num_outputs() ||
      (back.input_scaling.kind == dagprop::io::ScaleKind::none) !=
          (f.input_scaling.kind == dagprop::io::ScaleKind::none &&
           f.output_scaling.kind == dagprop::io::ScaleKind::none))
    std::abort();
  return 0;
}
