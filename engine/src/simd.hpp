// Internal: one 512-bit vector of T through the GCC/Clang vector extension,
// so kernels say "a vector of runs" without intrinsics; the compiler emits
// AVX-512, AVX2 or SSE as the target allows. Sums across a vector go in one
// fixed order, so results do not depend on where the code runs.
#pragma once

#include <cstddef>
#include <cstring>

namespace dagprop::detail {

template <class T>
struct Vec {
  typedef T type __attribute__((vector_size(64)));
  typedef T half __attribute__((vector_size(32)));
  typedef T quarter __attribute__((vector_size(16)));
  static constexpr std::size_t size = 64 / sizeof(T);

  static type load(const T* p) {
    type v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(T* p, type v) { std::memcpy(p, &v, sizeof v); }
  static type broadcast(T a) {
    type v = {};
    return v + a;
  }
  // The sum of the lanes: halves added, then quarters, then the rest in order.
  static T sum(type v) {
    half a, b;
    std::memcpy(&a, &v, sizeof a);
    std::memcpy(&b, reinterpret_cast<const char*>(&v) + sizeof a, sizeof b);
    a += b;
    quarter c, d;
    std::memcpy(&c, &a, sizeof c);
    std::memcpy(&d, reinterpret_cast<const char*>(&a) + sizeof c, sizeof d);
    c += d;
    T s = 0;
    for (std::size_t l = 0; l < sizeof c / sizeof(T); ++l) s += c[l];
    return s;
  }
};

}  // namespace dagprop::detail
