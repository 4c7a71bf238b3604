// libFuzzer harness for the FANN network reader: the input is a .net file's
// text. A dagprop::error is a correct refusal. A network that was read must
// compile, and when its activations and weights let it be written back, the
// written file must read again and compute the same outputs on a fixed input;
// a crash, hang, sanitizer report, huge allocation or other exception is a finding.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/fann.hpp"

namespace {

std::vector<double> outputs(const dagprop::io::FannNetwork& f) {
  const auto net = dagprop::compile<double>(f.topology);
  std::vector<double> x(net.num_inputs());
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = 0.25 * static_cast<double>(k % 5) - 0.5;
  return dagprop::predict(net, x.data(), 1, 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dagprop::io::FannNetwork f;
  try {
    f = dagprop::io::read_fann_text(std::string(reinterpret_cast<const char*>(data), size),
                                    "fuzz.net");
  } catch (const dagprop::error&) {
    return 0;
  }
  const auto net = dagprop::compile<double>(f.topology);
  std::string text;
  try {
    text = dagprop::io::fann_text(net, &f.input_scaling, &f.output_scaling);
  } catch (const dagprop::error&) {
    return 0;  // a weight that overflows when steepness is folded back
  }
  const dagprop::io::FannNetwork back = dagprop::io::read_fann_text(text, "round-trip.net");
  const std::vector<double> a = outputs(f), b = outputs(back);
  if (a.size() != b.size()) std::abort();
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (!std::isfinite(a[k]) || std::fabs(a[k]) > 1e6) continue;  // past what doubles keep
    if (std::fabs(a[k] - b[k]) > 1e-6 * std::max(1.0, std::fabs(a[k]))) std::abort();
  }
  return 0;
}
