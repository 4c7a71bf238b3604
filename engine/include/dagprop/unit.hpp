// What both phases of a network share about a unit: its id and its role. The
// editable graph (topology.hpp) and the compiled network (network.hpp) use
// these; this header pulls in nothing else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dagprop {

using UnitId = std::size_t;

// The longest unit name, in bytes, that model files, checkpoints and DOT carry.
inline constexpr std::size_t max_name_bytes = 4096;

enum class Role : std::uint8_t { input, hidden, output };
std::string_view to_string(Role r);  // "input", "hidden", "output"
Role parse_role(std::string_view name);

}  // namespace dagprop
