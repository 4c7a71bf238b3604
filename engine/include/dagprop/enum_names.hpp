// The names of an enum's codes, said once: one table per enum, and from it the
// name of a code, the code of a name, and whether a number read from a file is
// one of the enum's codes. Every enum with a text form (Role, Loss, Reduction,
// InitScheme, Activation (built from its Fn names), and io's ArchiveKind,
// IdxType, ScaleKind, TargetReading) has its table beside its declaration; the
// to_string and parse functions are this.
// An unknown code (a cast) is refused the same way everywhere: invalid_argument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "dagprop/error.hpp"

namespace dagprop {

template <class E>
struct EnumName {
  E code{};
  std::string_view name;
};

// A table of N {code, name} entries, and what the codes are ("role") for the
// messages. A code may have several names (aliases): its first entry is the
// name it is written with, the others are read too.
template <class E, std::size_t N>
struct EnumNames {
  static_assert(std::is_enum_v<E>);
  std::string_view noun;
  EnumName<E> entries[N];

  // The number of a code, for messages and for comparing with numbers read.
  static constexpr std::uint64_t number(E e) {
    return static_cast<std::uint64_t>(static_cast<std::underlying_type_t<E>>(e));
  }

  // The code whose number is n, if the table has it: the check for a code
  // read from a file or set by a cast, before it is used.
  constexpr std::optional<E> from_number(std::uint64_t n) const {
    for (const EnumName<E>& e : entries)
      if (number(e.code) == n) return e.code;
    return std::nullopt;
  }
  constexpr bool is_valid(E e) const { return from_number(number(e)).has_value(); }

  // The name of e; a code outside the table (a cast) throws invalid_argument
  // "unknown <noun> code N", N its number.
  std::string_view name_of(E e) const {
    for (const EnumName<E>& entry : entries)
      if (entry.code == e) return entry.name;
    throw invalid_argument("unknown " + std::string(noun) + " code " + std::to_string(number(e)));
  }

  constexpr std::optional<E> parse(std::string_view name) const {
    for (const EnumName<E>& e : entries)
      if (e.name == name) return e.code;
    return std::nullopt;
  }

  // parse, or invalid_argument "unknown <noun> '<name>' (expected <every name>)".
  E read(std::string_view name) const {
    if (const std::optional<E> e = parse(name)) return *e;
    throw invalid_argument("unknown " + std::string(noun) + " '" + printable(name) +
                           "' (expected " + expected() + ")");
  }

  // Every name the table reads, for a message: "a, b or c".
  std::string expected() const {
    std::string s;
    for (std::size_t k = 0; k < N; ++k)
      s += (k == 0 ? "" : k + 1 == N ? " or " : ", ") + std::string(entries[k].name);
    return s;
  }
};

}  // namespace dagprop
