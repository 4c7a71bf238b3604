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

  static type load(const T* from) {
    type vec;
    std::memcpy(&vec, from, sizeof vec);
    return vec;
  }
  static void store(T* to, type vec) { std::memcpy(to, &vec, sizeof vec); }
  static type broadcast(T a) {
    type vec = {};
    return vec + a;
  }
  // The sum of the lanes: halves added, then quarters, then the rest in order.
  static T sum(type vec) {
    half a, e;
    std::memcpy(&a, &vec, sizeof a);
    std::memcpy(&e, reinterpret_cast<const char*>(&vec) + sizeof a, sizeof e);
    a += e;
    quarter c, d;
    std::memcpy(&c, &a, sizeof c);
    std::memcpy(&d, reinterpret_cast<const char*>(&a) + sizeof c, sizeof d);
    c += d;
    T s = 0;
    for (std::size_t l = 0; l < sizeof c / sizeof(T); ++l) s += c[l];
    return s;
  }
};

// Whether every value of data[0..n) is finite: a * 0 is 0 for finite a and
// NaN otherwise, summed in independent vector lanes (a scalar sum would be one
// long chain of dependent adds).
template <class T>
bool all_finite(const T* data, std::size_t n) {
  using VecT = Vec<T>;
  typename VecT::type a = {}, e = {}, c = {}, d = {};  // four chains hide the add latency
  std::size_t k = 0;
  for (; k + 4 * VecT::size <= n; k += 4 * VecT::size) {
    a += VecT::load(data + k) * T(0);
    e += VecT::load(data + k + VecT::size) * T(0);
    c += VecT::load(data + k + 2 * VecT::size) * T(0);
    d += VecT::load(data + k + 3 * VecT::size) * T(0);
  }
  for (; k + VecT::size <= n; k += VecT::size) a += VecT::load(data + k) * T(0);
  T rest = 0;
  for (; k < n; ++k) rest += data[k] * T(0);
  return VecT::sum((a + e) + (c + d)) + rest == T(0);
}

}  // namespace dagprop::detail
