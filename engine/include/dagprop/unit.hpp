// What both phases of a network share about a unit: its id and its role. The
// editable graph (topology.hpp) and the compiled network (network.hpp) use
// these; this header pulls in nothing else but the name table and the limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dagprop/enum_names.hpp"
#include "dagprop/limits.hpp"  // max_name_bytes, max_units

namespace dagprop {

using UnitId = std::size_t;

enum class Role : std::uint8_t { input, hidden, output };
inline constexpr EnumNames<Role, 3> role_names{
    "role", {{Role::input, "input"}, {Role::hidden, "hidden"}, {Role::output, "output"}}};
std::string_view to_string(Role r);  // "input", "hidden", "output"
Role parse_role(std::string_view name);

}  // namespace dagprop
