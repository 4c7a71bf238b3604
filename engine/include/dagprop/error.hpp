// The one exception hierarchy of dagprop. Misuse and bad data throw one of
// these; the message says what was expected, what was found, and where.
// Internal invariants use DAGPROP_ASSERT (active in debug and test builds).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dagprop {

// Base of every exception the library throws on purpose.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A call with an argument out of range (unit id, size, hyper-parameter).
class invalid_argument : public error {
 public:
  using error::error;
};

// A topology that cannot be compiled: cycle, duplicate connection, ...
class topology_error : public error {
 public:
  using error::error;
};

// A file or data set that cannot be read or written; the message names the file.
class io_error : public error {
 public:
  using error::error;
};

// Training produced a non-finite loss, gradient or activation.
class numeric_error : public error {
 public:
  using error::error;
};

// Text from a file or the user as a message shows it on one line: control
// bytes (newline, escape, NUL...) as \n \t \r \xHH, a backslash as \\, and at
// most `max` bytes of it, then "...". Bytes >= 0x80 (UTF-8) are kept.
std::string printable(std::string_view s, std::size_t max = 200);

// A number as a message shows it, as "%g" writes it: 0.1, 1e+300, inf.
std::string number_text(double v);

namespace detail {
[[noreturn]] void assertion_failed(const char* expr, const char* file, int line);
}  // namespace detail

}  // namespace dagprop

#if defined(NDEBUG) && !defined(DAGPROP_ENABLE_ASSERT)
#define DAGPROP_ASSERT(expr) ((void)0)
#else
#define DAGPROP_ASSERT(expr) \
  ((expr) ? (void)0 : ::dagprop::detail::assertion_failed(#expr, __FILE__, __LINE__))
#endif
