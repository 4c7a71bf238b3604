// Propagate and BackPropagate for a block of runs (see block.hpp). Unit i of
// run r lives at i*s + r, s = stride; every loop over runs is a SIMD loop.
// The memo's letters keep their meaning (x_i, y_i, v_i, p_i, w_ij, b_i); the
// machine has its own names: VecT a SIMD vector of Width runs, a tile of
// Vectors vectors, X, Y, P, W the matrices of x_i, y_i, p_i, w_ij in a product.
#include "block.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <type_traits>
#include <utility>

#include "activation_one.hpp"
#include "dagprop/error.hpp"
#include "gemm.hpp"
#include "simd.hpp"

namespace dagprop {

namespace {

// The lanes of a block: runs rounded up to a whole lane tile.
std::size_t round_up(std::size_t n) {
  return (n + lane_tile - 1) / lane_tile * lane_tile;
}

using detail::Vec;

// x_i = sum_{j in S_i} w_ij y_j + b_i (eq. 1) for unit i on `Vectors` vectors
// of runs starting at run r0; two partial sums over the connections hide the
// latency.
template <class T, std::size_t Vectors>
void forward_unit_tile(const Network<T>& net, UnitId i, std::size_t r0, Workspace<T>& ws) {
  using VecT = Vec<T>;
  const std::size_t c0 = net.offsets()[i], c1 = net.offsets()[i + 1];
  const T* w = net.w();
  const std::uint32_t* src = net.sources();
  typename VecT::type part[2][Vectors] = {};  // two partial sums of x_i
  std::size_t c = c0;
  for (; c + 2 <= c1; c += 2)
    for (std::size_t q = 0; q < 2; ++q) {
      const T* yj = ws.y(src[c + q]) + r0;
      for (std::size_t n = 0; n < Vectors; ++n)
        part[q][n] += w[c + q] * VecT::load(yj + n * VecT::size);
    }
  if (c < c1) {
    const T* yj = ws.y(src[c]) + r0;
    for (std::size_t n = 0; n < Vectors; ++n) part[0][n] += w[c] * VecT::load(yj + n * VecT::size);
  }
  const T b = net.b()[i];
  for (std::size_t n = 0; n < Vectors; ++n)
    VecT::store(ws.x(i) + r0 + n * VecT::size, (part[0][n] + part[1][n]) + b);
}

// The most runs forward_sparse_few takes: two; or as many as the small
// vector holds (four floats) where a tile of lane_tile runs takes more than
// one vector (AVX2, SSE): there the NEAT net of bench/ ran 4 runs 1.3 µs
// through tiles, against 1.2 through the exported C.
template <class T>
inline constexpr std::size_t sparse_few_runs = Vec<T>::size < lane_tile
                                                   ? sizeof(typename Vec<T>::small) / sizeof(T)
                                                   : 2;

// A few runs through a sparse group, for inference (up to sparse_few_runs):
// y_i = f_i(x_i) unit after unit, and no v_i (nothing reads it). x_i is
// forward_unit_tile's sum for those runs alone: the same operations in the
// same order (two partial sums, then (a0 + a1) + b) on the smallest vector,
// so each lane has the bits of that lane of a vector tile. A scalar copy
// would not: the compiler may contract the vector `a += w * y` to FMA and
// not the scalar one, or the other way round. The arrays are read once for
// the group, f is dispatched once a unit, and each y_j is loaded as it was
// stored (a load wider than the store before it waits for the store to
// leave): one run as one value, more as the small vector, its other lanes
// zero. So a unit costs its connections and f. (With AVX-512, where a tile
// is one vector, three or four runs this way measured slower than a tile:
// the work of f grows with the runs, and the tile's f is vectorised.)
// Not inlined: inside propagate the loop ran 5-10 % slower.
template <class T, std::size_t Runs>
[[gnu::noinline]] void forward_sparse_few(const Network<T>& net, const Group& g, Workspace<T>& ws) {
  using Small = typename Vec<T>::small;
  static_assert(Runs * sizeof(T) <= sizeof(Small), "the runs fill at most the small vector");
  const std::size_t s = ws.stride();
  const std::size_t* first = net.offsets();
  const std::uint32_t* src = net.sources();
  const T *w = net.w(), *b = net.b();
  const Activation* f = net.activations();
  T *const x = ws.x(0), *const y = ws.y(0);  // unit j's runs from j * s
  const auto y_of = [&](std::size_t j) {
    Small vec = {};
    if constexpr (Runs == 1)
      vec[0] = y[j * s];
    else
      std::memcpy(&vec, y + j * s, sizeof vec);
    return vec;
  };
  for (UnitId i = g.first; i < g.last; ++i) {
    Small part0 = {}, part1 = {};  // two partial sums of x_i
    std::size_t c = first[i];
    const std::size_t c1 = first[i + 1];
    for (; c + 2 <= c1; c += 2) {
      part0 += w[c] * y_of(src[c]);
      part1 += w[c + 1] * y_of(src[c + 1]);
    }
    if (c < c1) part0 += w[c] * y_of(src[c]);
    const Small xi = (part0 + part1) + b[i];
    if constexpr (Runs == 1) {
      x[i * s] = xi[0];
      y[i * s] = detail::activate_one(f[i], xi[0]);
    } else {
      Small yi = {};
      with_fn(f[i], [&](auto fn) {
        for (std::size_t r = 0; r < Runs; ++r) yi[r] = detail::one_of(fn, T(xi[r]));
      });
      std::memcpy(x + i * s, &xi, sizeof xi);
      std::memcpy(y + i * s, &yi, sizeof yi);
    }
  }
}

// forward_sparse_few<T, ws.runs()> for 2 <= ws.runs() <= sparse_few_runs<T>.
template <class T, std::size_t... R>
void forward_sparse_few(const Network<T>& net, const Group& g, Workspace<T>& ws,
                        std::index_sequence<R...>) {
  ((ws.runs() == R + 2 ? forward_sparse_few<T, R + 2>(net, g, ws) : void()), ...);
}

// Calls tile(r0, vectors) over the `stride` lanes of a block: tiles of four
// vectors, then one tile of the one to three left (vectors a compile-time
// constant). A tile walks a unit's connections once and backward sums each Δw
// once per tile, so a block of 32 floats is one tile of two vectors, not two of one.
template <class T, class Tile>
void for_tiles(std::size_t stride, Tile tile) {
  constexpr std::size_t Width = Vec<T>::size;
  using Four = std::integral_constant<std::size_t, 4>;
  std::size_t r0 = 0;
  for (; r0 + 4 * Width <= stride; r0 += 4 * Width) tile(r0, Four{});
  switch ((stride - r0) / Width) {
    case 3:
      return tile(r0, std::integral_constant<std::size_t, 3>{});
    case 2:
      return tile(r0, std::integral_constant<std::size_t, 2>{});
    case 1:
      return tile(r0, std::integral_constant<std::size_t, 1>{});
    default:
      return;
  }
}

template <class T>
void forward_unit(const Network<T>& net, UnitId i, Workspace<T>& ws) {
  for_tiles<T>(ws.stride(), [&](std::size_t r0, auto vectors) {
    forward_unit_tile<T, decltype(vectors)::value>(net, i, r0, ws);
  });
}

// Eq. (14)'s sum for unit j over the units i of sparse groups in D_j, on
// `Vectors` vectors of runs from r0: p[n] += Σ_i w_ij p_i, each p_i already
// p_i v_i (Alg. 3 line 8, done at i's turn, before j's), and Alg. 3 line 11
// for those connections, Δw_ij += Σ_r p_i y_j (set when `overwrite`). This is
// Algorithm 3's lines 9-11 turned round: where i pushed into p_j and read y_j
// once per connection (three rows of runs moved), j pulls each p_i (one row)
// and holds p_j and y_j in registers. i goes in descending order, so p_j
// adds these terms in the order Algorithm 3 does, after what the loss and
// dense groups put there. `WithP` false: only Δw (an input unit, whose p
// nothing reads).
template <class T, std::size_t Vectors, bool WithP>
void pull_tile(const Network<T>& net, UnitId j, std::size_t r0, bool overwrite,
               const Workspace<T>& ws, typename Vec<T>::type (&p)[Vectors], Gradient<T>& grad) {
  using VecT = Vec<T>;
  const std::size_t k0 = net.down_offsets()[j], k1 = net.down_offsets()[j + 1];
  if (k0 == k1) return;
  const T* w = net.w();
  const std::uint32_t* unit = net.down_units();
  const std::size_t* connection = net.down_connections();
  // The rows by pointer and stride held here (as in forward_unit_tile).
  const std::size_t stride = ws.stride();
  const T* const p0 = ws.p(0) + r0;
  // y_j, and p_j here, not in the caller's array: the stores to Δw might
  // alias that, and the compiler would keep it in memory.
  typename VecT::type y[Vectors], pj[Vectors];
  for (std::size_t n = 0; n < Vectors; ++n) {
    y[n] = VecT::load(ws.y(j) + r0 + n * VecT::size);
    pj[n] = p[n];
  }
  // Entry k: p[n] += p_i w_ij; returns p_i y_j over the tile's runs, whose
  // lanes sum to this tile's part of Δw_ij.
  const auto pull = [&](std::size_t k) {
    const T* pi = p0 + unit[k] * stride;
    const T wij = w[connection[k]];
    typename VecT::type acc = {};
    for (std::size_t n = 0; n < Vectors; ++n) {
      const typename VecT::type d = VecT::load(pi + n * VecT::size);
      acc += d * y[n];
      if constexpr (WithP) pj[n] += d * wij;
    }
    return acc;
  };
  detail::add_lane_sums_at(grad.dw(), connection + k0, k1 - k0, overwrite,
                           [&](std::size_t q) { return pull(k0 + q); });
  if constexpr (WithP)
    for (std::size_t n = 0; n < Vectors; ++n) p[n] = pj[n];
}

// Unit i of a sparse group on `Vectors` vectors of runs from r0: p_i as eq.
// (14) sums it (pull_tile onto what pushes, dense groups and the loss put
// there), then Algorithm 3's lines 8-13 as they are for the connections
// whose source does not pull: p_i <- p_i v_i; p_j <- p_j + p_i w_ij and
// Δw_ij += Σ_r p_i y_j (set when `overwrite`); Δb_i += p_i.
template <class T, std::size_t Vectors>
void backward_unit_tile(const Network<T>& net, UnitId i, std::size_t r0, std::size_t first_input,
                        bool overwrite, Workspace<T>& ws, Gradient<T>& grad) {
  using VecT = Vec<T>;
  T* const pi = ws.p(i) + r0;
  typename VecT::type p[Vectors], sum = {};  // p_i, and its sum over the runs
  for (std::size_t n = 0; n < Vectors; ++n) p[n] = VecT::load(pi + n * VecT::size);
  pull_tile<T, Vectors, true>(net, i, r0, overwrite, ws, p, grad);
  for (std::size_t n = 0; n < Vectors; ++n) {
    p[n] *= VecT::load(ws.v(i) + r0 + n * VecT::size);  // p_i <- p_i v_i
    VecT::store(pi + n * VecT::size, p[n]);
    sum += p[n];
  }
  grad.db()[i] += VecT::sum(sum);  // Δb_i <- Δb_i + p_i
  const std::size_t k0 = net.push_offsets()[i], k1 = net.push_offsets()[i + 1];
  if (k0 == k1) return;
  const T* w = net.w();
  const std::uint32_t* src = net.sources();
  const std::size_t* connection = net.push_connections();
  // The rows by pointer and stride held here: the stores to p_j (memcpy) might
  // alias the workspace's own members, which the compiler would read again.
  const std::size_t stride = ws.stride();
  const T* const y0 = ws.y(0) + r0;
  T* const p0 = ws.p(0) + r0;
  // p_j <- p_j + p_i w_ij for entry k; returns p_i y_j over the tile's runs,
  // whose lanes sum to this tile's part of Δw_ij.
  const auto push = [&](std::size_t k) {
    const std::size_t c = connection[k];
    const UnitId j = src[c];
    const T* yj = y0 + j * stride;
    typename VecT::type acc = {};
    for (std::size_t n = 0; n < Vectors; ++n) acc += p[n] * VecT::load(yj + n * VecT::size);
    if (j >= first_input) {
      T* pj = p0 + j * stride;
      for (std::size_t n = 0; n < Vectors; ++n)
        VecT::store(pj + n * VecT::size, VecT::load(pj + n * VecT::size) + p[n] * w[c]);
    }
    return acc;
  };
  detail::add_lane_sums_at(grad.dw(), connection + k0, k1 - k0, overwrite,
                           [&](std::size_t q) { return push(k0 + q); });
}

// Eq. (14)'s sum over the sparse units of D_j added to the row p_j of a unit
// j outside sparse groups (an input, or a unit of a dense group before its
// product), or with `with_p` false only their Δw_ij.
template <class T>
void pull_into(const Network<T>& net, UnitId j, bool with_p, bool fresh, Workspace<T>& ws,
               Gradient<T>& grad) {
  if (net.down_offsets()[j] == net.down_offsets()[j + 1]) return;
  for_tiles<T>(ws.stride(), [&](std::size_t r0, auto vectors) {
    using VecT = Vec<T>;
    constexpr std::size_t V = decltype(vectors)::value;
    typename VecT::type p[V] = {};
    T* const pj = ws.p(j) + r0;
    if (!with_p) return pull_tile<T, V, false>(net, j, r0, fresh && r0 == 0, ws, p, grad);
    for (std::size_t n = 0; n < V; ++n) p[n] = VecT::load(pj + n * VecT::size);
    pull_tile<T, V, true>(net, j, r0, fresh && r0 == 0, ws, p, grad);
    for (std::size_t n = 0; n < V; ++n) VecT::store(pj + n * VecT::size, p[n]);
  });
}

// backward_unit_tile over the block; `fresh`: the first tile sets each Δw_ij.
template <class T>
void backward_unit(const Network<T>& net, UnitId i, std::size_t first_input, bool fresh,
                   Workspace<T>& ws, Gradient<T>& grad) {
  for_tiles<T>(ws.stride(), [&](std::size_t r0, auto vectors) {
    backward_unit_tile<T, decltype(vectors)::value>(net, i, r0, first_input, fresh && r0 == 0, ws,
                                                    grad);
  });
}

// A dense group: units [first, last) all read the sources [src_first,
// src_last), so eq. (1) for every unit and run of the block is one matrix
// product.
template <class T>
void forward_dense(const Network<T>& net, const Group& g, Workspace<T>& ws) {
  const std::size_t s = ws.stride(), nj = g.src_last - g.src_first;
  for (UnitId i = g.first; i < g.last; ++i) std::fill_n(ws.x(i), s, net.b()[i]);
  // x_i += Σ_j w_ij y_j for every run  (X[ni x s] += W[ni x nj]·Y[nj x s]; W
  // row-major: w_ij at (i - first) nj + (j - src_first), strides nj and 1)
  detail::gemm(g.last - g.first, s, nj, net.w() + net.first(g.first), nj, std::size_t{1},
               ws.y(g.src_first), s, ws.x(g.first), s);
}

// Eq. (1) of a dense group for the B(k, r) = y_{src_first + k} of run r, by
// detail::gemm_narrow: its terms, order and multiply-adds are those of a lane
// of forward_dense's product, so the bits are those of a block's, at one
// multiply-add per Width weights and Runs runs instead of per weight and
// Width runs. For inference blocks of a few runs.
template <class T, std::size_t Runs, class Store>
void forward_dense_narrow(const Network<T>& net, const Group& g, const Workspace<T>& ws,
                          Store store) {
  const std::size_t nj = g.src_last - g.src_first;
  const bool from_inputs = g.src_last <= net.num_inputs();  // the input rows themselves
  const T* B = from_inputs ? ws.input_rows() + g.src_first : ws.y(g.src_first);
  const std::size_t bk = from_inputs ? 1 : ws.stride(), br = from_inputs ? net.num_inputs() : 1;
  detail::gemm_narrow<T, Runs>(g.last - g.first, nj, net.w() + net.first(g.first), nj, B, bk, br,
                               net.b() + g.first, store);
}

// forward_dense and the activations of its units for run 0 alone (one run
// for inference). x, y and f' of the group's units pass through the rows of
// v, which an inference workspace holds for the widest dense group (at least
// lane_tile values a unit, three needed), so that f runs once a unit, not
// once a lane; then x and y go to lane 0 of each unit's rows. The other lanes
// keep old values that nothing reads.
template <class T>
void forward_dense_single(const Network<T>& net, const Group& g, Workspace<T>& ws) {
  using VecT = Vec<T>;
  const std::size_t ni = g.last - g.first;
  T* x = ws.v(g.first);  // x, y, f' of the group's units, one after the other
  T *y = x + ni, *v = y + ni;
  forward_dense_narrow<T, 1>(
      net, g, ws, [&](std::size_t m, std::size_t mr, const typename VecT::type(&acc)[1]) {
        alignas(64) T lanes[VecT::size];
        VecT::store(lanes, acc[0]);
        std::copy_n(lanes, mr, x + m);
      });
  for (UnitId i = g.first, e; i < g.last; i = e) {
    for (e = i + 1; e < g.last && net.activation(e) == net.activation(i);) ++e;
    const std::size_t q = i - g.first;
    activate_array(net.activation(i), x + q, y + q, v + q, e - i);
  }
  for (std::size_t q = 0; q < ni; ++q) ws.x(g.first + q)[0] = x[q], ws.y(g.first + q)[0] = y[q];
}

// forward_dense for a block of Runs runs (2 to narrow_runs): the product
// turned back into each unit's row of runs, Width lanes of which are
// written (lanes from Runs on with 0).
template <class T, std::size_t Runs>
void forward_dense_few(const Network<T>& net, const Group& g, Workspace<T>& ws) {
  using VecT = Vec<T>;
  forward_dense_narrow<T, Runs>(
      net, g, ws, [&](std::size_t m, std::size_t mr, const typename VecT::type(&acc)[Runs]) {
        typename VecT::type rows[VecT::size] = {};
        std::copy_n(acc, Runs, rows);
        VecT::transpose(rows);  // rows[q]: the runs of unit first + m + q
        for (std::size_t q = 0; q < mr; ++q) VecT::store(ws.x(g.first + m + q), rows[q]);
      });
}

// The most runs of an inference block that forward_dense_few computes: up to
// about half a 512-bit vector of runs, its products beat forward_dense's; and
// no more than one vector holds (its rows are turned into a vector's lanes).
template <class T>
inline constexpr std::size_t narrow_runs = std::min<std::size_t>(8, Vec<T>::size);

// forward_dense_few<T, ws.runs()> for 2 <= ws.runs() <= narrow_runs.
template <class T, std::size_t... R>
void forward_dense_few(const Network<T>& net, const Group& g, Workspace<T>& ws,
                       std::index_sequence<R...>) {
  ((ws.runs() == R + 2 ? forward_dense_few<T, R + 2>(net, g, ws) : void()), ...);
}

// A dense group backwards, Algorithm 3 for all its units and runs at once:
// p_i <- p_i v_i; Δb_i += sum_r p_i(r); Δw_ij += sum_r p_i(r) y_j(r); p_j +=
// sum_i w_ij p_i.
template <class T>
void backward_dense(const Network<T>& net, const Group& g, const BackwardOptions& opt,
                    Workspace<T>& ws, Gradient<T>& grad) {
  const std::size_t s = ws.stride(), ni = g.last - g.first, nj = g.src_last - g.src_first;
  // p_i <- p_i v_i; Δb_i <- Δb_i + p_i, the sums across lanes VecT::size units at a time
  detail::add_lane_sums(grad.db() + g.first, ni, false, [&](std::size_t q) {
    using VecT = Vec<T>;
    typename VecT::type sum = {};
    T* pi = ws.p(g.first + q);
    const T* vi = ws.v(g.first + q);
    for (std::size_t r = 0; r < s; r += VecT::size) {
      const auto p = VecT::load(pi + r) * VecT::load(vi + r);
      VecT::store(pi + r, p);
      sum += p;
    }
    return sum;
  });
  // Y_srcᵀ [s x nj]: the input rows themselves when the sources are inputs.
  const T* yt = ws.input_rows() + g.src_first;
  std::size_t ldt = net.num_inputs();
  if (g.src_last > net.num_inputs()) {
    detail::transpose(ws.y(g.src_first), nj, s, ws.scratch());
    yt = ws.scratch(), ldt = nj;
  }
  const T* w = net.w() + net.first(g.first);  // w_ij at w[(i - first) * nj + (j - src_first)]
  T* dw = grad.dw() + net.first(g.first);     // Δw_ij, laid out as w
  if (nj >= Vec<T>::size) {
    // Δw_ij += Σ_r p_i(r) y_j(r)  (ΔW[ni x nj] += P[ni x s]·Y_srcᵀ[s x nj]; P
    // row-major, strides s and 1; Y_srcᵀ from the scratch or the input rows)
    detail::gemm(ni, nj, s, ws.p(g.first), s, std::size_t{1}, yt, ldt, dw, nj, opt.fresh_gradient);
  } else {  // too few sources for a row of vectors: one dot product over the
            // runs per weight, weight q = (i - first) nj + (j - src_first)
    detail::add_lane_sums(dw, ni * nj, opt.fresh_gradient, [&](std::size_t q) {
      using VecT = Vec<T>;
      const T *pi = ws.p(g.first + q / nj), *yj = ws.y(g.src_first + q % nj);
      typename VecT::type acc = {};
      for (std::size_t r = 0; r < s; r += VecT::size)
        acc += VecT::load(pi + r) * VecT::load(yj + r);
      return acc;
    });
  }
  const UnitId j0 =
      opt.input_gradient ? g.src_first : std::max<UnitId>(g.src_first, net.num_inputs());
  // p_j += Σ_i w_ij p_i for every run  (P_src[nj x s] += Wᵀ[nj x ni]·P[ni x s]:
  // Wᵀ read in place, element (j, i) at stride 1 over j and nj over i)
  if (j0 < g.src_last)
    detail::gemm(g.src_last - j0, s, ni, w + (j0 - g.src_first), std::size_t{1}, nj, ws.p(g.first),
                 s, ws.p(j0), s);
}

// InitGrad (Alg. 2) for what the backward pass does not overwrite: the
// biases. (Every weight belongs to a unit of some group, and a fresh pass
// sets each Δw_ij: dense groups' products and each sparse unit's first tile.)
template <class T>
void init_grad_biases(const Network<T>& net, Gradient<T>& grad) {
  std::fill(grad.db(), grad.db() + net.num_units(), T(0));
}

// Inverted dropout of unit i over the block's runs: y_i, v_i <- m y_i, m v_i
// with m = 0 (dropped) or 1/(1-rate) (kept), so p_i <- p_i v_i masks p_i too.
template <class T>
void drop_unit(const Dropout& d, UnitId i, const Block<T>& block, Workspace<T>& ws) {
  const double rate = d.rate[i];
  const T keep = static_cast<T>(1 / (1 - rate));
  T *yi = ws.y(i), *vi = ws.v(i);
  for (std::size_t r = 0; r < block.runs; ++r) {
    const T m = dropout_uniform(d.seed, d.epoch, block.rows[r], i) < rate ? T(0) : keep;
    yi[r] *= m;
    vi[r] *= m;
  }
}

std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

double dropout_uniform(std::uint64_t seed, std::uint64_t epoch, std::uint64_t row,
                       std::uint64_t unit) {
  constexpr std::uint64_t golden = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = mix64(seed + golden);
  h = mix64(h + golden + epoch);
  h = mix64(h + golden + row);
  h = mix64(h + golden + unit);
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

namespace {
// Sources per run that a workspace's scratch holds for `net`: the widest dense
// group not fed by inputs only (those read the input rows instead).
template <class T>
std::size_t scratch_width(const Network<T>& net) {
  std::size_t widest = 0;
  for (const Group& g : net.groups())
    if (g.dense && g.src_last > net.num_inputs())
      widest = std::max(widest, g.src_last - g.src_first);
  return widest;
}
// Units of the widest dense group (at least 1): an inference workspace's v
// holds that many rows, as propagate activates a dense group in one call.
template <class T>
std::size_t group_width(const Network<T>& net) {
  std::size_t widest = 1;
  for (const Group& g : net.groups())
    if (g.dense) widest = std::max(widest, std::size_t{g.last - g.first});
  return widest;
}
}  // namespace

template <class T>
Workspace<T>::Workspace(const Network<T>& net, std::size_t capacity, WorkspaceUse use)
    : capacity_(capacity),
      units_(net.num_units()),
      inputs_(net.num_inputs()),
      scratch_width_(scratch_width(net)),
      group_width_(group_width(net)),
      use_(use) {
  if (capacity == 0) throw invalid_argument("Workspace: capacity must be at least 1 run");
  if (capacity > max_workspace_runs)
    throw invalid_argument("Workspace: capacity " + std::to_string(capacity) +
                           " runs is more than the limit of " + std::to_string(max_workspace_runs));
  const std::size_t lanes = round_up(capacity);
  for (auto* a : {&x_, &y_}) a->assign(net.num_units() * lanes, T(0));
  v_.assign((inference_only() ? group_width_ : net.num_units()) * lanes, T(0));
  if (!inference_only()) p_.assign(net.num_units() * lanes, T(0));
  // Only backward_dense transposes sources into the scratch.
  scratch_.assign(inference_only() ? 0 : scratch_width_ * lanes, T(0));
  rows_.assign(net.num_inputs() * lanes, T(0));
  begin_block(capacity);
}

template <class T>
void Workspace<T>::begin_block(std::size_t runs) {
  if (runs == 0 || runs > capacity_)
    throw invalid_argument("Workspace: a block of " + std::to_string(runs) +
                           " runs does not fit a capacity of " + std::to_string(capacity_));
  runs_ = runs;
  stride_ = round_up(runs);
}

template <class T>
void Workspace<T>::check_fits(const Network<T>& net) const {
  // Each kind of workspace checks the widths it uses: training the scratch
  // of the dense backward, inference the rows of v (one walk of the groups).
  const bool narrow =
      inference_only() ? group_width_ < group_width(net) : scratch_width_ < scratch_width(net);
  if (units_ != net.num_units() || inputs_ != net.num_inputs() || narrow)
    throw invalid_argument("Workspace: made for a network of " + std::to_string(units_) +
                           " units and " + std::to_string(inputs_) + " inputs, used with one of " +
                           std::to_string(net.num_units()) + " units and " +
                           std::to_string(net.num_inputs()) + " inputs (or wider dense groups)");
}

template <class T>
void propagate(const Network<T>& net, const Block<T>& block, Workspace<T>& ws) {
  ws.check_fits(net);
  ws.begin_block(block.runs);
  const std::size_t s = ws.stride(), num_inputs = net.num_inputs();
  // i in U_1: y_i = x_i, given. The rows are copied as they are (dense groups
  // fed by inputs read them so), then turned into one row of runs per unit.
  T* rows = ws.input_rows();
  // Inference blocks of a few runs take paths of their own. One run: units
  // compute lane 0 alone (the other lanes keep old values that nothing reads;
  // back_propagate never sees this workspace). Up to narrow_runs: dense
  // groups by forward_dense_few. Up to sparse_few_runs: sparse groups by
  // forward_sparse_few.
  const bool infer = ws.inference_only() && !block.dropout;
  const bool single = infer && block.runs == 1;
  const bool few_sparse = infer && block.runs <= sparse_few_runs<T>;
  const bool few = infer && block.runs <= narrow_runs<T>;
  // The block's rows are anywhere in the data set: ask for all of them first,
  // so that their cache misses overlap instead of coming one run at a time.
  for (std::size_t r = 0; r < block.runs; ++r)
    __builtin_prefetch(block.inputs + block.rows[r] * num_inputs);
  if (single) {  // run 0's row and lane 0 of each input's row
    std::copy_n(block.inputs + block.rows[0] * num_inputs, num_inputs, rows);
    for (UnitId k = 0; k < num_inputs; ++k) ws.y(k)[0] = rows[k];
  } else if (num_inputs < Vec<T>::size) {  // a few values a run: one pass, no call to copy each
    for (std::size_t r = 0; r < s; ++r) {
      const T* from = r < block.runs ? block.inputs + block.rows[r] * num_inputs : nullptr;
      for (UnitId k = 0; k < num_inputs; ++k)
        rows[r * num_inputs + k] = ws.y(k)[r] = from ? from[k] : T(0);
    }
  } else {
    for (std::size_t r = 0; r < block.runs; ++r)
      std::copy_n(block.inputs + block.rows[r] * num_inputs, num_inputs, rows + r * num_inputs);
    std::fill(rows + block.runs * num_inputs, rows + s * num_inputs, T(0));
    detail::transpose(rows, s, num_inputs, ws.y(0));  // the inputs' rows of runs, y_0 to y_{n-1}
  }
  const auto drop = [&](UnitId i) {
    if (block.dropout && block.dropout->rate[i] > 0) drop_unit(*block.dropout, i, block, ws);
  };
  for (const Group& g : net.groups()) {
    if (g.dense) {
      if (single) {
        forward_dense_single(net, g, ws);
      } else {
        if (few)
          forward_dense_few(net, g, ws, std::make_index_sequence<narrow_runs<T> - 1>{});
        else
          forward_dense(net, g, ws);
        // y_i, v_i = f_i, f'_i: the rows of consecutive units with one activation in one call
        for (UnitId i = g.first, e; i < g.last; i = e) {
          for (e = i + 1; e < g.last && net.activation(e) == net.activation(i);) ++e;
          activate_array(net.activation(i), ws.x(i), ws.y(i), ws.v(i), (e - i) * s);
        }
      }
      for (UnitId i = g.first; i < g.last; ++i) drop(i);
    } else {
      // The units of a sparse group depend on each other: one at a time.
      if (single) {
        forward_sparse_few<T, 1>(net, g, ws);
      } else if (few_sparse) {
        forward_sparse_few(net, g, ws, std::make_index_sequence<sparse_few_runs<T> - 1>{});
      } else {
        for (UnitId i = g.first; i < g.last; ++i) {  // y_i, v_i = f_i, f'_i
          forward_unit(net, i, ws);
          activate_array(net.activation(i), ws.x(i), ws.y(i), ws.v(i), s);
          drop(i);
        }
      }
    }
  }
}

template <class T>
double back_propagate(const Network<T>& net, const Block<T>& block, const BackwardOptions& opt,
                      Workspace<T>& ws, Gradient<T>& grad) {
  if (ws.inference_only())
    throw invalid_argument("back_propagate: the workspace was made for inference only (no p)");
  const std::size_t K = net.num_outputs();
  for (std::size_t r = 0; r < block.runs; ++r)  // the targets arrive while propagate runs
    __builtin_prefetch(block.targets + block.rows[r] * K);
  propagate(net, block, ws);
  const std::size_t s = ws.stride();
  std::fill(ws.p(0), ws.p(0) + net.num_units() * s,
            T(0));  // InitParam: p_i <- 0
  std::array<T, 64> small{};
  std::vector<T> large;
  T* buf = small.data();
  if (3 * K > small.size()) large.resize(3 * K), buf = large.data();
  T *xo = buf, *yo = buf + K, *dEdy = buf + 2 * K;
  double E = 0;
  const T scale = static_cast<T>(opt.scale);
  const UnitId* out = net.outputs().data();
  for (std::size_t r = 0; r < block.runs; ++r) {  // p_i <- ∂E/∂y_i for i in U_N
    const T* target = block.targets + block.rows[r] * K;
    for (std::size_t k = 0; k < K; ++k) xo[k] = ws.x(out[k])[r], yo[k] = ws.y(out[k])[r];
    E += loss_gradient(opt.loss, K, xo, yo, target, dEdy);
    for (std::size_t k = 0; k < K; ++k) ws.p(out[k])[r] = scale * dEdy[k];
    if (fuses_output_activation(opt.loss))  // bce: p_i v_i <- ∂E/∂x_i (loss.hpp)
      for (std::size_t k = 0; k < K; ++k)
        if (net.is_sink(out[k])) {
          ws.p(out[k])[r] = scale * fused_output_delta(opt.loss, xo[k], target[k]);
          ws.v(out[k])[r] = T(1);
        }
  }
  if (opt.fresh_gradient) init_grad_biases(net, grad);
  const bool fresh = opt.fresh_gradient;
  // Whether any of the units [j0, j1) pulls (most dense nets have none).
  const auto pulls = [&](UnitId j0, UnitId j1) {
    return net.down_offsets()[j0] != net.down_offsets()[j1];
  };
  const std::size_t first_input = opt.input_gradient ? 0 : net.num_inputs();
  const auto& groups = net.groups();
  for (auto g = groups.rbegin(); g != groups.rend(); ++g) {  // reverse topological order
    if (g->dense) {
      if (pulls(g->first, g->last))
        for (UnitId j = g->first; j < g->last; ++j) pull_into(net, j, true, fresh, ws, grad);
      backward_dense(net, *g, opt, ws, grad);
    } else {
      for (UnitId i = g->last; i-- > g->first;) backward_unit(net, i, first_input, fresh, ws, grad);
    }
  }
  // The inputs' share of Algorithm 3's line 11 (and p, ∂E/∂x, when asked for).
  if (pulls(0, net.num_inputs()))
    for (UnitId j = 0; j < net.num_inputs(); ++j)
      pull_into(net, j, opt.input_gradient, fresh, ws, grad);
  return E;
}

template <class T>
void read_outputs(const Network<T>& net, const Workspace<T>& ws, T* out) {
  const std::size_t K = net.num_outputs();
  const std::vector<UnitId>& outputs = net.outputs();
  for (std::size_t k = 0; k < K; ++k) {
    const T* yk = ws.y(outputs[k]);
    for (std::size_t r = 0; r < ws.runs(); ++r) out[r * K + k] = yk[r];
  }
}

template class Workspace<float>;
template class Workspace<double>;
template void propagate<float>(const Network<float>&, const Block<float>&, Workspace<float>&);
template void propagate<double>(const Network<double>&, const Block<double>&, Workspace<double>&);
template double back_propagate<float>(const Network<float>&, const Block<float>&,
                                      const BackwardOptions&, Workspace<float>&, Gradient<float>&);
template double back_propagate<double>(const Network<double>&, const Block<double>&,
                                       const BackwardOptions&, Workspace<double>&,
                                       Gradient<double>&);
template void read_outputs<float>(const Network<float>&, const Workspace<float>&, float*);
template void read_outputs<double>(const Network<double>&, const Workspace<double>&, double*);

}  // namespace dagprop
