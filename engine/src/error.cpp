// The failure path of DAGPROP_ASSERT: an internal invariant is broken, which is
// a bug in dagprop, not in the caller's input.
#include <string>

#include "dagprop/error.hpp"

namespace dagprop::detail {

void assertion_failed(const char* expr, const char* file, int line) {
  throw error(std::string("internal error: assertion '") + expr + "' failed at " + file + ":" +
              std::to_string(line));
}

}  // namespace dagprop::detail
