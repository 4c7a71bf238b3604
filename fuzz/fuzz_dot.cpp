// libFuzzer harness for the Graphviz DOT reader: the input is the DOT text.
// A dagprop::error is a correct refusal. A topology that was read must write
// back (write_dot may refuse a text over its cap) and read back to the
// same units and connections and the same model metadata; a crash, hang, sanitizer report, huge
// allocation, any other exception or a broken round trip is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "dagprop/error.hpp"
#include "dagprop/io/dot.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  dagprop::Topology t;
  dagprop::io::ModelMeta meta;
  try {
    t = dagprop::io::read_dot(in, "fuzz.dot", dagprop::InitScheme::glorot_uniform, 1, &meta);
  } catch (const dagprop::error&) {
    return 0;
  }
  std::ostringstream out;
  try {
    dagprop::io::write_dot(out, t, meta);
  } catch (const dagprop::error&) {
    return 0;
  }
  std::istringstream again(out.str());
  dagprop::io::ModelMeta meta_back;
  const dagprop::Topology back = dagprop::io::read_dot(
      again, "round-trip.dot", dagprop::InitScheme::glorot_uniform, 1, &meta_back);
  if (meta_back != meta) std::abort();
  if (back.num_units() != t.num_units() || back.num_connections() != t.num_connections() ||
      back.num_inputs() != t.num_inputs() || back.num_outputs() != t.num_outputs())
    std::abort();
  for (dagprop::UnitId i = 0; i < t.num_units(); ++i) {
    if (back.name(i) != t.name(i) || back.role(i) != t.role(i)) std::abort();
    for (dagprop::UnitId j : t.upstream(i))
      if (!back.connected(j, i) || back.weight(j, i) != t.weight(j, i)) std::abort();
  }
  return 0;
}
