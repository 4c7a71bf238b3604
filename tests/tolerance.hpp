// The tests' tolerances: close(), |a - b| <= atol + rtol max(|a|, |b|), relative
// where the values are large and absolute near 0; and tight, a Catch Approx for
// values worked out by hand (1e-14 relative, 1e-15 absolute).
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

namespace dagprop::test {

// |a - b| <= atol + rtol max(|a|, |b|), the tests' tolerance.
inline bool close(double a, double b, double rtol, double atol) {
  return std::abs(a - b) <= atol + rtol * std::max(std::abs(a), std::abs(b));
}

inline const auto tight = Approx::custom().margin(1e-15).epsilon(1e-14);

}  // namespace dagprop::test
