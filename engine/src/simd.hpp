// Internal: one 512-bit vector of T through the GCC/Clang vector extension,
// so kernels say "a vector of runs" without intrinsics; the compiler emits
// AVX-512, AVX2 or SSE as the target allows. Sums across a vector go in one
// fixed order, so results do not depend on where the code runs.
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <utility>

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

  // v[0..size) transposed in place: lane c of v[r] and lane r of v[c] swap.
  // log2(size) levels, each swapping the off-diagonal H x H blocks of every
  // 2H x 2H block: size / 2 pairs of shuffles per level.
  static void transpose(type (&v)[size]) { swap_blocks<size / 2>(v); }

  // The sums of `size` vectors at once: lane q of the result is the sum of the
  // lanes of v[q]. A tree of log2(size) levels, each adding the two halves of
  // every partial sum, two vectors' worth at a time: size - 1 vector adds and
  // twice as many shuffles for all of them, where `size` calls of sum() take
  // several shuffles and a chain of scalar adds each. One fixed order.
  static type sum_each(const type (&v)[size]) {
    type t[size];
    for (std::size_t q = 0; q < size; ++q) t[q] = v[q];
    halve<size / 2>(t);
    return t[0];
  }

 private:
  using Lanes = std::make_index_sequence<size>;

  // a holds `size / (2 H)` partial sums of 2 H lanes each, b as many more: the
  // result holds all of them, H lanes each (lane t of a sum plus lane t + H).
  template <std::size_t H>
  static type fold(type a, type b) {
    return shuffle<FoldLane<H, 0>>(a, b, Lanes{}) + shuffle<FoldLane<H, H>>(a, b, Lanes{});
  }
  // Where lane l of fold's first (T0 = 0) or second (T0 = H) term comes from,
  // as __builtin_shufflevector numbers the lanes of a and then b.
  template <std::size_t H, std::size_t T0>
  struct FoldLane {
    constexpr std::size_t operator()(std::size_t l) const {
      const std::size_t sum = l / H, per_vector = size / (2 * H);
      return (sum < per_vector ? 0 : size) + (sum % per_vector) * 2 * H + T0 + l % H;
    }
  };
  // Lane l of the first (Upper false) or second row after swapping H x H blocks.
  template <std::size_t H, bool Upper>
  struct SwapLane {
    constexpr std::size_t operator()(std::size_t l) const {
      if (!Upper) return l & H ? size + l - H : l;
      return l & H ? size + l : l + H;
    }
  };
  // Lanes of a and b (numbered as __builtin_shufflevector does) picked by
  // Pick, a constexpr function of the lane.
  template <class Pick, std::size_t... L>
  static type shuffle(type a, type b, std::index_sequence<L...>) {
    return __builtin_shufflevector(a, b, Pick{}(L)...);
  }
  template <std::size_t H>
  static void swap_blocks(type (&v)[size]) {
    for (std::size_t r = 0; r < size; ++r) {
      if (r & H) continue;
      const type a = v[r], b = v[r + H];
      v[r] = shuffle<SwapLane<H, false>>(a, b, Lanes{});
      v[r + H] = shuffle<SwapLane<H, true>>(a, b, Lanes{});
    }
    if constexpr (H > 1) swap_blocks<H / 2>(v);
  }
  // One level of the tree, in place: t[0..2 n) with 2 n lanes per sum to
  // t[0..n) with n lanes per sum, then the next level.
  template <std::size_t N>
  static void halve(type* t) {
    for (std::size_t q = 0; q < N; ++q) t[q] = fold<N>(t[2 * q], t[2 * q + 1]);
    if constexpr (N > 1) halve<N / 2>(t);
  }
};

// dst[part][q] <- dst[part][q] + (the sum of the lanes of dot(q)[part]) for q
// in [0, n) and each of the Parts destinations, or without dst's old value
// when `overwrite`: Vec::size values at a time through sum_each, the rest one
// by one. dot(q) returns a std::array of Parts vectors; it is called once per q, in order of
// q. Each destination's sums are the bits that a call for it alone gives.
template <class T, std::size_t Parts, class Dot>
void add_lane_sums_parts(T* const (&dst)[Parts], std::size_t n, bool overwrite, const Dot& dot) {
  using VecT = Vec<T>;
  std::size_t q = 0;
  for (; q + VecT::size <= n; q += VecT::size) {
    typename VecT::type acc[Parts][VecT::size];
    for (std::size_t k = 0; k < VecT::size; ++k) {
      const auto sums = dot(q + k);
      for (std::size_t part = 0; part < Parts; ++part) acc[part][k] = sums[part];
    }
    for (std::size_t part = 0; part < Parts; ++part) {
      const typename VecT::type old = overwrite ? typename VecT::type{} : VecT::load(dst[part] + q);
      VecT::store(dst[part] + q, old + VecT::sum_each(acc[part]));
    }
  }
  for (; q < n; ++q) {
    const auto sums = dot(q);
    for (std::size_t part = 0; part < Parts; ++part)
      dst[part][q] = (overwrite ? T(0) : dst[part][q]) + VecT::sum(sums[part]);
  }
}

// add_lane_sums_parts for one destination, dot(q) returning one vector.
template <class T, class Dot>
void add_lane_sums(T* dst, std::size_t n, bool overwrite, const Dot& dot) {
  T* const one[1] = {dst};
  add_lane_sums_parts(one, n, overwrite,
                      [&](std::size_t q) { return std::array<typename Vec<T>::type, 1>{dot(q)}; });
}

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
