// Internal: the small matrix-product kernel of dense groups,
// C[M x N] += A(m, k) B[K x N], with A read through strides (so it can be a
// weight matrix or its transpose without copying) and B, C row-major.
#pragma once

#include <cstddef>

namespace dagprop::detail {

template <class T, std::size_t MR, std::size_t NR>
inline void gemm_tile(std::size_t K, const T* A, std::size_t am, std::size_t ak, const T* B,
                      std::size_t ldb, T* C, std::size_t ldc) {
  T acc[MR][NR];
  for (std::size_t m = 0; m < MR; ++m)
    for (std::size_t n = 0; n < NR; ++n) acc[m][n] = C[m * ldc + n];
  for (std::size_t k = 0; k < K; ++k) {
    const T* b = B + k * ldb;
    for (std::size_t m = 0; m < MR; ++m) {
      const T a = A[m * am + k * ak];
      for (std::size_t n = 0; n < NR; ++n) acc[m][n] += a * b[n];
    }
  }
  for (std::size_t m = 0; m < MR; ++m)
    for (std::size_t n = 0; n < NR; ++n) C[m * ldc + n] = acc[m][n];
}

template <class T>
inline void gemm_edge(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t am,
                      std::size_t ak, const T* B, std::size_t ldb, T* C, std::size_t ldc) {
  for (std::size_t m = 0; m < M; ++m)
    for (std::size_t k = 0; k < K; ++k) {
      const T a = A[m * am + k * ak];
      const T* b = B + k * ldb;
      T* c = C + m * ldc;
      for (std::size_t n = 0; n < N; ++n) c[n] += a * b[n];
    }
}

// C += A B for any sizes: register tiles where they fit, loops at the edges.
template <class T>
void gemm(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t am,
          std::size_t ak, const T* B, std::size_t ldb, T* C, std::size_t ldc) {
  constexpr std::size_t MR = 6;
  constexpr std::size_t NR = 64 / sizeof(T) * 2;  // two 512-bit vectors
  constexpr std::size_t KC = 256;         // keeps a panel of B in cache
  const std::size_t M0 = M / MR * MR, N0 = N / NR * NR;
  for (std::size_t k0 = 0; k0 < K; k0 += KC) {
    const std::size_t kc = K - k0 < KC ? K - k0 : KC;
    const T* Ak = A + k0 * ak;
    const T* Bk = B + k0 * ldb;
    for (std::size_t n = 0; n < N0; n += NR)
      for (std::size_t m = 0; m < M0; m += MR)
        gemm_tile<T, MR, NR>(kc, Ak + m * am, am, ak, Bk + n, ldb, C + m * ldc + n, ldc);
    if (N0 < N) gemm_edge(M0, N - N0, kc, Ak, am, ak, Bk + N0, ldb, C + N0, ldc);
    if (M0 < M) gemm_edge(M - M0, N, kc, Ak + M0 * am, am, ak, Bk, ldb, C + M0 * ldc, ldc);
  }
}

}  // namespace dagprop::detail
