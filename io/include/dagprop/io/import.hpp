// One entry point for networks made elsewhere: import_network reads a file,
// tells its format apart by content (or takes the one named) and returns the
// Topology. Formats: Graphviz DOT (dot.hpp) and neat-python JSON (neat_json.hpp).
// It does not compile or save the network, and writes no foreign format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dagprop/init.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/topology.hpp"

namespace dagprop::io {

// The largest file import_network reads (the DOT reader's cap, 64 MiB).
inline constexpr std::size_t max_import_bytes = std::size_t{64} << 20;

struct ImportOptions {
  // For DOT files that omit weights: initialize(topology, scheme, seed).
  InitScheme scheme = InitScheme::glorot_uniform;
  std::uint64_t seed = 1;
};

// The names --format accepts: "dot", "neat".
std::vector<std::string_view> import_formats();

// The format whose content `text` starts with (after a UTF-8 BOM and white
// space): "neat" for a JSON object, "dot" for a comment or [strict] digraph /
// graph; empty when none matches.
std::string_view detect_import_format(std::string_view text);

// Reads `path` and returns its network. `format` is "auto" (by content) or a
// name of import_formats(). io_error naming the file for a directory, pipe or
// device, a file over max_import_bytes (checked before reading), an unknown
// format name, content no format recognises (naming its first bytes), or
// whatever the format's reader refuses. `meta` (when given) receives what the
// file holds besides the network (a DOT file written by write_dot: its model
// metadata; otherwise ModelMeta{}).
Topology import_network(const std::string& path, std::string_view format = "auto",
                        const ImportOptions& options = {}, ModelMeta* meta = nullptr);

// The whole of a regular file, refusing directories, pipes and devices, and
// files over `max_bytes` before reading them.
std::string read_text_file(const std::string& path, std::size_t max_bytes);

}  // namespace dagprop::io
