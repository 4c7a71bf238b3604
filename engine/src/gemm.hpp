// Internal: the small matrix-product kernel of dense groups,
// C[rows x cols] += A(m, k) B[depth x cols], with A read through strides (so it
// can be a weight matrix or its transpose without copying) and B, C row-major.
// In block.cpp a row is a unit, a column a run (a SIMD lane), and depth the
// index summed over (sources, units or runs). Machine names only (Width values
// per vector, tiles of rows and vectors): the memo's x, y, v, p, w, b and their
// equations stay in block.cpp.
#pragma once

#include <cstddef>
#include <cstring>
#include <type_traits>

#include "simd.hpp"

namespace dagprop::detail {

// A TileRows x (Vectors vectors) tile of C held in registers over the whole depth.
template <class T, std::size_t TileRows, std::size_t Vectors>
__attribute__((always_inline)) inline void gemm_tile(std::size_t depth, const T* A, std::size_t am,
                                                     std::size_t ak, const T* B, std::size_t ldb,
                                                     T* C, std::size_t ldc, bool zero) {
  using VecT = Vec<T>;
  typename VecT::type acc[TileRows][Vectors];
  for (std::size_t m = 0; m < TileRows; ++m)
    for (std::size_t n = 0; n < Vectors; ++n)
      acc[m][n] = zero ? typename VecT::type{} : VecT::load(C + m * ldc + n * VecT::size);
  for (std::size_t k = 0; k < depth; ++k) {
    typename VecT::type row[Vectors];  // row k of B
    for (std::size_t n = 0; n < Vectors; ++n) row[n] = VecT::load(B + k * ldb + n * VecT::size);
    for (std::size_t m = 0; m < TileRows; ++m) {
      const T a = A[m * am + k * ak];
      for (std::size_t n = 0; n < Vectors; ++n) acc[m][n] += a * row[n];
    }
  }
  for (std::size_t m = 0; m < TileRows; ++m)
    for (std::size_t n = 0; n < Vectors; ++n) VecT::store(C + m * ldc + n * VecT::size, acc[m][n]);
}

// `tiles` tiles of gemm_tile one below the other (rows TileRows t to
// TileRows t + TileRows - 1 of A and C for t < tiles). Not inlined: in a
// function of its own the tile's row offsets and accumulators stay in
// registers (inlined into gemm, beside the other tiles, they were spilled).
template <class T, std::size_t TileRows, std::size_t Vectors>
__attribute__((noinline)) void gemm_strip(std::size_t tiles, std::size_t depth, const T* A,
                                          std::size_t am, std::size_t ak, const T* B,
                                          std::size_t ldb, T* C, std::size_t ldc, bool zero) {
  for (std::size_t t = 0; t < tiles; ++t)
    gemm_tile<T, TileRows, Vectors>(depth, A + t * TileRows * am, am, ak, B, ldb,
                                    C + t * TileRows * ldc, ldc, zero);
}

template <class T>
inline void gemm_edge(std::size_t rows, std::size_t cols, std::size_t depth, const T* A,
                      std::size_t am, std::size_t ak, const T* B, std::size_t ldb, T* C,
                      std::size_t ldc, bool zero) {
  if (zero)
    for (std::size_t m = 0; m < rows; ++m)
      for (std::size_t n = 0; n < cols; ++n) C[m * ldc + n] = T(0);
  for (std::size_t m = 0; m < rows; ++m)
    for (std::size_t k = 0; k < depth; ++k) {
      const T a = A[m * am + k * ak];
      const T* row = B + k * ldb;
      T* c = C + m * ldc;
      for (std::size_t n = 0; n < cols; ++n) c[n] += a * row[n];
    }
}

// tile(std::integral_constant<size_t, h>) for the h = height, 1 <= h <= Max.
template <std::size_t Max, class Tile>
inline void edge_rows(std::size_t height, Tile tile) {
  if constexpr (Max > 0) {
    if (height == Max) return tile(std::integral_constant<std::size_t, Max>{});
    edge_rows<Max - 1>(height, tile);
  }
}

// C += A B for any sizes (C = A B when `overwrite`: C's old values are never
// read, and the result is the same bits as zeroing C first): register tiles
// where they fit, loops at the edges. Columns go in tiles of two vectors
// (6 rows), then one vector (8 rows, in gemm_strip: a block of 16 runs, the
// forward pass of W1 1.16-1.25x faster than 12 rows inlined here); the rows
// left over in one tile of their height (a tile a row measured 1.06-1.10x
// slower on W1 and W2).
template <class T>
void gemm(std::size_t rows, std::size_t cols, std::size_t depth, const T* A, std::size_t am,
          std::size_t ak, const T* B, std::size_t ldb, T* C, std::size_t ldc,
          bool overwrite = false) {
  constexpr std::size_t Width = Vec<T>::size;  // values per vector
  constexpr std::size_t TileRows = 6, TileCols = 2 * Width, TileRows1 = 8;
  constexpr std::size_t DepthPanel = 256;  // keeps a panel of B in cache
  const std::size_t n0 = cols / TileCols * TileCols, n1 = n0 + (cols - n0) / Width * Width;
  const std::size_t m0 = rows / TileRows * TileRows, m1 = rows / TileRows1 * TileRows1;
  if (depth == 0 && overwrite) gemm_edge(rows, cols, 0, A, am, ak, B, ldb, C, ldc, true);
  for (std::size_t k0 = 0; k0 < depth; k0 += DepthPanel) {
    const std::size_t kc = depth - k0 < DepthPanel ? depth - k0 : DepthPanel;
    const T* Ak = A + k0 * ak;
    const T* Bk = B + k0 * ldb;
    const bool z = overwrite && k0 == 0;
    for (std::size_t n = 0; n < n0; n += TileCols)
      for (std::size_t m = 0; m < m0; m += TileRows)
        gemm_tile<T, TileRows, 2>(kc, Ak + m * am, am, ak, Bk + n, ldb, C + m * ldc + n, ldc, z);
    if (m0 < rows)  // the last rows in one tile of their own height
      for (std::size_t n = 0; n < n0; n += TileCols)
        edge_rows<TileRows - 1>(rows - m0, [&](auto height) {
          gemm_tile<T, decltype(height)::value, 2>(kc, Ak + m0 * am, am, ak, Bk + n, ldb,
                                                   C + m0 * ldc + n, ldc, z);
        });
    if (n0 < n1) {
      gemm_strip<T, TileRows1, 1>(m1 / TileRows1, kc, Ak, am, ak, Bk + n0, ldb, C + n0, ldc, z);
      if (m1 < rows)
        edge_rows<TileRows1 - 1>(rows - m1, [&](auto height) {
          gemm_strip<T, decltype(height)::value, 1>(1, kc, Ak + m1 * am, am, ak, Bk + n0, ldb,
                                                    C + m1 * ldc + n0, ldc, z);
        });
    }
    if (n1 < cols) gemm_edge(rows, cols - n1, kc, Ak, am, ak, Bk + n1, ldb, C + n1, ldc, z);
  }
}

// A few columns of gemm: C(m, r) = init[m] + Σ_k A[m lda + k] B[k bk + r br]
// for m < rows and r < Cols, each sum in k order with one multiply-add a term
// as a lane of gemm_tile has it (acc += a * row), so the bits are those of C
// = init + A·B by gemm. A is row-major (a weight matrix): its Width x Width
// blocks are turned in registers so that a vector holds Width rows of one
// column, and one multiply-add takes Width weights, where gemm's takes
// Width columns. Blocks of fewer rows or columns go through a zero-padded
// copy, and only their true columns are summed. store(m, mr, acc) takes
// rows m to m + mr - 1 (mr <= Width): acc[r] holds C(m + q, r) in lane q.
template <class T, std::size_t Cols, class Store>
void gemm_narrow(std::size_t rows, std::size_t depth, const T* A, std::size_t lda, const T* B,
                 std::size_t bk, std::size_t br, const T* init, Store store) {
  using VecT = Vec<T>;
  using V = typename VecT::type;
  constexpr std::size_t W = VecT::size;
  for (std::size_t m = 0; m < rows; m += W) {
    const std::size_t mr = rows - m < W ? rows - m : W;  // rows of this tile
    alignas(64) T edge[W * W];
    const auto padded = [&](std::size_t k, std::size_t kr, V(&col)[W]) {
      std::memset(edge, 0, sizeof edge);
      for (std::size_t q = 0; q < mr; ++q)
        std::memcpy(edge + q * W, A + (m + q) * lda + k, kr * sizeof(T));
      for (std::size_t q = 0; q < W; ++q) col[q] = VecT::load(edge + q * W);
    };
    const auto terms = [&](std::size_t k, std::size_t kr, const V(&col)[W], V(&acc)[Cols]) {
      for (std::size_t c = 0; c < kr; ++c)
        for (std::size_t r = 0; r < Cols; ++r) acc[r] += B[(k + c) * bk + r * br] * col[c];
    };
    V acc[Cols];
    std::memset(edge, 0, sizeof edge);
    std::memcpy(edge, init + m, mr * sizeof(T));
    for (std::size_t r = 0; r < Cols; ++r) acc[r] = VecT::load(edge);
    std::size_t k = 0;
    for (; k + W <= depth; k += W) {
      V col[W];  // col[c]: rows m to m + W - 1 of column k + c
      if (mr == W)
        for (std::size_t q = 0; q < W; ++q) col[q] = VecT::load(A + (m + q) * lda + k);
      else
        padded(k, W, col);
      VecT::transpose(col);
      terms(k, W, col, acc);
    }
    if (k < depth) {
      V col[W];
      padded(k, depth - k, col);
      VecT::transpose(col);
      terms(k, depth - k, col, acc);
    }
    store(m, mr, acc);
  }
}

// B[cols x rows] = A[rows x cols]ᵀ, both row-major without padding: blocks
// of Width x Width in registers (Vec::transpose), element by element at the
// edges.
template <class T>
void transpose(const T* A, std::size_t rows, std::size_t cols, T* B) {
  using VecT = Vec<T>;
  constexpr std::size_t W = VecT::size;
  const std::size_t r0 = rows / W * W, c0 = cols / W * W;
  for (std::size_t r = 0; r < r0; r += W)
    for (std::size_t c = 0; c < c0; c += W) {
      typename VecT::type v[W];
      for (std::size_t k = 0; k < W; ++k) v[k] = VecT::load(A + (r + k) * cols + c);
      VecT::transpose(v);
      for (std::size_t k = 0; k < W; ++k) VecT::store(B + (c + k) * rows + r, v[k]);
    }
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = r < r0 ? c0 : 0; c < cols; ++c) B[c * rows + r] = A[r * cols + c];
}

}  // namespace dagprop::detail
