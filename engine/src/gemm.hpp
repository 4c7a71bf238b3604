// Internal: the small matrix-product kernel of dense groups,
// C[M x N] += A(m, k) B[K x N], with A read through strides (so it can be a
// weight matrix or its transpose without copying) and B, C row-major.
#pragma once

#include <cstddef>
#include <cstring>

#include "simd.hpp"

namespace dagprop::detail {

// An MR x (NV vectors) tile of C held in registers over the whole K loop.
template <class T, std::size_t MR, std::size_t NV>
inline void gemm_tile(std::size_t K, const T* A, std::size_t am, std::size_t ak, const T* B,
                      std::size_t ldb, T* C, std::size_t ldc, bool zero) {
  using V = Vec<T>;
  typename V::type acc[MR][NV];
  for (std::size_t m = 0; m < MR; ++m)
    for (std::size_t n = 0; n < NV; ++n)
      acc[m][n] = zero ? typename V::type{} : V::load(C + m * ldc + n * V::size);
  for (std::size_t k = 0; k < K; ++k) {
    typename V::type b[NV];
    for (std::size_t n = 0; n < NV; ++n) b[n] = V::load(B + k * ldb + n * V::size);
    for (std::size_t m = 0; m < MR; ++m) {
      const T a = A[m * am + k * ak];
      for (std::size_t n = 0; n < NV; ++n) acc[m][n] += a * b[n];
    }
  }
  for (std::size_t m = 0; m < MR; ++m)
    for (std::size_t n = 0; n < NV; ++n) V::store(C + m * ldc + n * V::size, acc[m][n]);
}

template <class T>
inline void gemm_edge(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t am,
                      std::size_t ak, const T* B, std::size_t ldb, T* C, std::size_t ldc,
                      bool zero) {
  if (zero)
    for (std::size_t m = 0; m < M; ++m)
      for (std::size_t n = 0; n < N; ++n) C[m * ldc + n] = T(0);
  for (std::size_t m = 0; m < M; ++m)
    for (std::size_t k = 0; k < K; ++k) {
      const T a = A[m * am + k * ak];
      const T* b = B + k * ldb;
      T* c = C + m * ldc;
      for (std::size_t n = 0; n < N; ++n) c[n] += a * b[n];
    }
}

// C += A B for any sizes (C = A B when `overwrite`: C's old values are never
// read, and the result is the same bits as zeroing C first): register tiles
// where they fit, loops at the edges. Columns go in tiles of two vectors
// (6 rows), then one vector (12 rows).
template <class T>
void gemm(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t am, std::size_t ak,
          const T* B, std::size_t ldb, T* C, std::size_t ldc, bool overwrite = false) {
  constexpr std::size_t V = 64 / sizeof(T);  // values per 512-bit vector
  constexpr std::size_t MR = 6, NR = 2 * V, MR1 = 12;
  constexpr std::size_t KC = 256;  // keeps a panel of B in cache
  const std::size_t N0 = N / NR * NR, N1 = N0 + (N - N0) / V * V;
  const std::size_t M0 = M / MR * MR, M1 = M / MR1 * MR1;
  if (K == 0 && overwrite) gemm_edge(M, N, 0, A, am, ak, B, ldb, C, ldc, true);
  for (std::size_t k0 = 0; k0 < K; k0 += KC) {
    const std::size_t kc = K - k0 < KC ? K - k0 : KC;
    const T* Ak = A + k0 * ak;
    const T* Bk = B + k0 * ldb;
    const bool z = overwrite && k0 == 0;
    for (std::size_t n = 0; n < N0; n += NR)
      for (std::size_t m = 0; m < M0; m += MR)
        gemm_tile<T, MR, 2>(kc, Ak + m * am, am, ak, Bk + n, ldb, C + m * ldc + n, ldc, z);
    for (std::size_t m = M0; m < M; ++m)
      for (std::size_t n = 0; n < N0; n += NR)
        gemm_tile<T, 1, 2>(kc, Ak + m * am, am, ak, Bk + n, ldb, C + m * ldc + n, ldc, z);
    if (N0 < N1) {
      for (std::size_t m = 0; m < M1; m += MR1)
        gemm_tile<T, MR1, 1>(kc, Ak + m * am, am, ak, Bk + N0, ldb, C + m * ldc + N0, ldc, z);
      for (std::size_t m = M1; m < M; ++m)
        gemm_tile<T, 1, 1>(kc, Ak + m * am, am, ak, Bk + N0, ldb, C + m * ldc + N0, ldc, z);
    }
    if (N1 < N) gemm_edge(M, N - N1, kc, Ak, am, ak, Bk + N1, ldb, C + N1, ldc, z);
  }
}

}  // namespace dagprop::detail
