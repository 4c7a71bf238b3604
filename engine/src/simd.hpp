// Internal: one vector of T as wide as the target's vector registers, through
// the GCC/Clang vector extension, so kernels say "a vector of runs" without
// intrinsics: 512 bits with AVX-512, 256 with AVX and AVX2, 128 otherwise
// (SSE2, NEON). A vector wider than the registers would be split by the
// compiler and kept in memory: x86-64-v3 code with 512-bit vectors trained
// W1 37x slower than with 256-bit ones. Sums across a vector go in one
// fixed order for a given width; runs are padded to lane_tile (16), a
// multiple of every width.
#pragma once

#include <cstddef>
#include <cstring>
#include <utility>

namespace dagprop::detail {

#if defined(__AVX512F__)
inline constexpr std::size_t vector_bytes = 64;
#elif defined(__AVX__)
inline constexpr std::size_t vector_bytes = 32;
#else
inline constexpr std::size_t vector_bytes = 16;
#endif

template <class T>
struct Vec {
  typedef T type __attribute__((vector_size(vector_bytes)));
  static constexpr std::size_t size = vector_bytes / sizeof(T);
  // 128 bits on every target: the inference paths of a few runs (block.cpp).
  typedef T small __attribute__((vector_size(16)));

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
  // The sum of the lanes: halves added, then quarters, and so on down to one
  // lane: the tree of sum_each, so a lane sum has the same bits whichever of
  // the two computes it (and however the vectors are grouped).
  static T sum(type vec) { return sum_halves<size>(vec); }

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
  // A vector of N lanes of T (N a power of two).
  template <std::size_t N>
  struct Part {
    typedef T type __attribute__((vector_size(N * sizeof(T))));
  };
  // The lanes of v summed by halves: lane t plus lane t + N / 2, then the
  // same on the N / 2 sums, down to one.
  template <std::size_t N>
  static T sum_halves(typename Part<N>::type v) {
    if constexpr (N == 1) {
      return v[0];
    } else {
      typename Part<N / 2>::type a, b;
      std::memcpy(&a, &v, sizeof a);
      std::memcpy(&b, reinterpret_cast<const char*>(&v) + sizeof a, sizeof b);
      return sum_halves<N / 2>(a + b);
    }
  }
  // One level of the tree, in place: t[0..2 n) with 2 n lanes per sum to
  // t[0..n) with n lanes per sum, then the next level.
  template <std::size_t N>
  static void halve(type* t) {
    for (std::size_t q = 0; q < N; ++q) t[q] = fold<N>(t[2 * q], t[2 * q + 1]);
    if constexpr (N > 1) halve<N / 2>(t);
  }
};

// The sums of the lanes of dot(q) for q in [0, n), dot called once per q in
// order of q: Vec::size at a time through sum_each, handed to block(q, sums)
// as one vector for q .. q + size - 1, the rest one by one to one(q, sum).
template <class T, class Dot, class Block, class One>
void lane_sums(std::size_t n, const Dot& dot, const Block& block, const One& one) {
  using VecT = Vec<T>;
  std::size_t q = 0;
  for (; q + VecT::size <= n; q += VecT::size) {
    typename VecT::type acc[VecT::size];
#pragma GCC unroll 16  // acc stays in registers (1.1x on W3's backward)
    for (std::size_t k = 0; k < VecT::size; ++k) acc[k] = dot(q + k);
    block(q, VecT::sum_each(acc));
  }
  for (; q < n; ++q) one(q, VecT::sum(dot(q)));
}

// dst[q] <- dst[q] + (the sum of the lanes of dot(q)) for q in [0, n), or
// without dst's old value when `overwrite` (lane_sums).
template <class T, class Dot>
void add_lane_sums(T* dst, std::size_t n, bool overwrite, const Dot& dot) {
  using VecT = Vec<T>;
  lane_sums<T>(
      n, dot,
      [&](std::size_t q, typename VecT::type sums) {
        const typename VecT::type old = overwrite ? typename VecT::type{} : VecT::load(dst + q);
        VecT::store(dst + q, old + sums);
      },
      [&](std::size_t q, T sum) { dst[q] = (overwrite ? T(0) : dst[q]) + sum; });
}

// add_lane_sums into dst[at[q]] for q in [0, n), the at[q] distinct.
template <class T, class Index, class Dot>
void add_lane_sums_at(T* dst, const Index* at, std::size_t n, bool overwrite, const Dot& dot) {
  const auto add = [&](std::size_t q, T sum) {
    T& d = dst[at[q]];
    d = (overwrite ? T(0) : d) + sum;
  };
  lane_sums<T>(
      n, dot,
      [&](std::size_t q, typename Vec<T>::type sums) {
        for (std::size_t k = 0; k < Vec<T>::size; ++k) add(q + k, sums[k]);
      },
      add);
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
