// libFuzzer harness for the neat-python JSON reader: the input is the JSON
// text. A dagprop::error is a correct refusal. Genes that were read and
// validated must write back and read back to the same genes and the same
// topology; a crash, hang, sanitizer report, huge allocation, any other
// exception or a broken round trip is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "dagprop/error.hpp"
#include "dagprop/io/import.hpp"
#include "dagprop/io/neat_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  static_cast<void>(dagprop::io::detect_import_format(text));
  dagprop::io::NeatNetwork genes;
  dagprop::Topology t;
  try {
    genes = dagprop::io::parse_neat_json(text, "fuzz.json");
    t = dagprop::io::to_topology(genes, "fuzz.json");
  } catch (const dagprop::error&) {
    return 0;
  }
  std::ostringstream out;
  dagprop::io::write_neat_json(out, genes);
  const dagprop::io::NeatNetwork back = dagprop::io::parse_neat_json(out.str(), "round-trip.json");
  if (back.nodes.size() != genes.nodes.size() ||
      back.connections.size() != genes.connections.size() || back.input_keys != genes.input_keys ||
      back.output_keys != genes.output_keys)
    std::abort();
  for (std::size_t k = 0; k < genes.nodes.size(); ++k)
    if (back.nodes[k].id != genes.nodes[k].id || back.nodes[k].bias != genes.nodes[k].bias ||
        back.nodes[k].response != genes.nodes[k].response ||
        back.nodes[k].activation != genes.nodes[k].activation)
      std::abort();
  for (std::size_t k = 0; k < genes.connections.size(); ++k)
    if (back.connections[k].weight != genes.connections[k].weight ||
        back.connections[k].enabled != genes.connections[k].enabled)
      std::abort();
  const dagprop::Topology again = dagprop::io::to_topology(back, "round-trip.json");
  if (again.num_units() != t.num_units() || again.num_connections() != t.num_connections())
    std::abort();
  return 0;
}
