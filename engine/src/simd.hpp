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

// Whether every value of p[0..n) is finite: x * 0 is 0 for finite x and NaN
// otherwise, summed in independent vector lanes (a scalar sum would be one
// long chain of dependent adds).
template <class T>
bool all_finite(const T* p, std::size_t n) {
  using V = Vec<T>;
  typename V::type a = {}, b = {}, c = {}, d = {};  // four chains hide the add latency
  std::size_t k = 0;
  for (; k + 4 * V::size <= n; k += 4 * V::size) {
    a += V::load(p + k) * T(0);
    b += V::load(p + k + V::size) * T(0);
    c += V::load(p + k + 2 * V::size) * T(0);
    d += V::load(p + k + 3 * V::size) * T(0);
  }
  for (; k + V::size <= n; k += V::size) a += V::load(p + k) * T(0);
  T rest = 0;
  for (; k < n; ++k) rest += p[k] * T(0);
  return V::sum((a + b) + (c + d)) + rest == T(0);
}

}  // namespace dagprop::detail
