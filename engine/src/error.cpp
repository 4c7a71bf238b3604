// The failure path of DAGPROP_ASSERT (an internal invariant is broken, which is
// a bug in dagprop, not in the caller's input), and printable() and number_text() for
// messages.
#include <cstdio>
#include <string>

#include "dagprop/error.hpp"

namespace dagprop {

std::string number_text(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%g", v);
  return s;
}

std::string printable(std::string_view s, std::size_t max) {
  std::string r;
  for (std::size_t k = 0; k < s.size(); ++k) {
    if (r.size() >= max) return r + "...";
    const auto c = static_cast<unsigned char>(s[k]);
    if (c == '\\') {
      r += "\\\\";
    } else if (c == '\n') {
      r += "\\n";
    } else if (c == '\t') {
      r += "\\t";
    } else if (c == '\r') {
      r += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
      r += buf;
    } else {
      r += static_cast<char>(c);
    }
  }
  return r;
}

}  // namespace dagprop

namespace dagprop::detail {

void assertion_failed(const char* expr, const char* file, int line) {
  throw error(std::string("internal error: assertion '") + expr + "' failed at " + file + ":" +
              std::to_string(line));
}

}  // namespace dagprop::detail
