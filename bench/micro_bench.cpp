// micro_bench (Google Benchmark): the block kernels alone, dagprop::propagate and
// dagprop::back_propagate (block.hpp) on one Block of 16 to 64 runs of each
// workload, one thread, data in cache after the first iteration. items/s = runs/s;
// CUPS counts weights only. No training loop, no threads: dagprop_bench does that.
// W3Phase/*: the parts of one W3 training chunk timed alone (bench/w3_breakdown.py
// turns them into the table of bench/README.md).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <type_traits>

#include "block.hpp"
#include "dagprop/memo.hpp"
#include "dagprop/network.hpp"
#include "dagprop/optimizer.hpp"
#include "simd.hpp"
#include "workloads.hpp"

namespace {

using dagprop::bench::Workload;

struct Fixture {
  Workload w;
  dagprop::Network<float> net;
  std::vector<std::size_t> rows;  // [64]: rows 0..63 of the training data
};

// Built once per workload, on first use (W1 reads Fashion-MNIST).
const Fixture& fixture(const std::string& which) {
  static std::map<std::string, std::unique_ptr<Fixture>> cache;
  auto& f = cache[which];
  if (!f) {
    f = std::make_unique<Fixture>();
    f->w = dagprop::bench::make_workload(which, dagprop::bench::default_fmnist_dir, 1);
    f->net = dagprop::compile<float>(f->w.topology);
    f->rows.resize(64);
    std::iota(f->rows.begin(), f->rows.end(), std::size_t{0});
  }
  return *f;
}

void set_counters(benchmark::State& st, const Fixture& f, std::size_t runs) {
  const auto done = static_cast<double>(st.iterations()) * static_cast<double>(runs);
  st.SetItemsProcessed(static_cast<std::int64_t>(done));
  st.counters["CUPS"] =
      benchmark::Counter(done * static_cast<double>(f.w.connections), benchmark::Counter::kIsRate);
}

// Propagate, eq. (1)-(2), for a block of `runs` runs.
void bm_propagate(benchmark::State& st, std::string which) {
  const Fixture& f = fixture(which);
  const auto runs = static_cast<std::size_t>(st.range(0));
  dagprop::Workspace<float> ws(f.net, runs);
  const dagprop::Block<float> block{f.w.train.inputs.data(), nullptr, f.rows.data(), runs};
  for (auto _ : st) {
    dagprop::propagate(f.net, block, ws);
    benchmark::ClobberMemory();
  }
  set_counters(st, f, runs);
}

// BackPropagate (Alg. 3, which propagates first) for a block of `runs` runs
// with the mean reduction into a fresh gradient (InitGrad inside): a trainer chunk.
void bm_back_propagate(benchmark::State& st, std::string which) {
  const Fixture& f = fixture(which);
  const auto runs = static_cast<std::size_t>(st.range(0));
  dagprop::Workspace<float> ws(f.net, runs);
  dagprop::Gradient<float> grad(f.net);
  const dagprop::Block<float> block{f.w.train.inputs.data(), f.w.train.targets.data(),
                                    f.rows.data(), runs};
  dagprop::BackwardOptions bo;
  bo.loss = f.w.loss;
  bo.scale = 1.0 / static_cast<double>(runs);
  bo.fresh_gradient = true;
  for (auto _ : st) {
    benchmark::DoNotOptimize(dagprop::back_propagate(f.net, block, bo, ws, grad));
    benchmark::ClobberMemory();
  }
  set_counters(st, f, runs);
}

// ---- W3's training batch by phase -------------------------------------------
// One W3 mini-batch on one thread is what the Trainer does: two chunks of 32 runs,
// each back_propagate (propagate first) into its own gradient buffer, buffer 1 added
// into buffer 0 with a finiteness check, then the SGD update and a finiteness check
// of the parameters. W3 has no dense group, so every unit goes through the sparse
// kernels. gathers, backward_p and backward_dw are copies of the loops of
// forward_unit and of the sparse backward (pull_tile, backward_unit_tile) in
// engine/src/block.cpp with one part left out (timed alone, so they need not
// add up to the whole); the rest are the engine's.

using V = dagprop::detail::Vec<float>;

// A chunk propagated once (so y, v, p hold real values) and its gradient buffer.
struct Chunk {
  const Fixture& f;
  std::size_t runs;
  dagprop::Workspace<float> ws;
  dagprop::Gradient<float> grad;
  dagprop::Block<float> block;
  Chunk(const Fixture& fx, std::size_t r)
      : f(fx),
        runs(r),
        ws(fx.net, r),
        grad(fx.net),
        block{fx.w.train.inputs.data(), fx.w.train.targets.data(), fx.rows.data(), r} {
    dagprop::BackwardOptions bo;
    bo.loss = fx.w.loss;
    bo.scale = 1.0 / static_cast<double>(r);
    dagprop::back_propagate(fx.net, block, bo, ws, grad);
  }
  std::size_t lanes() const { return ws.stride(); }
};

void set_flops(benchmark::State& st, const Chunk& c, double flops_per_connection) {
  const auto done = static_cast<double>(st.iterations()) * static_cast<double>(c.runs);
  st.SetItemsProcessed(static_cast<std::int64_t>(done));
  st.counters["GFLOPs"] =
      benchmark::Counter(flops_per_connection * done * static_cast<double>(c.f.w.connections) / 1e9,
                         benchmark::Counter::kIsRate);
}

// Calls tile(r0, NV) over the lanes in tiles of NV vectors, NV = nv (1 to 4) as a
// compile-time constant: block.cpp's tiling (for_tiles) when nv is lanes / 16 (up to
// 64 lanes), the tiling before it when nv is 1.
template <class F>
void for_tiles(std::size_t lanes, std::size_t nv, F tile) {
  for (std::size_t r0 = 0; r0 < lanes; r0 += nv * V::size) switch (nv) {
      case 1:
        tile(r0, std::integral_constant<std::size_t, 1>{});
        break;
      case 2:
        tile(r0, std::integral_constant<std::size_t, 2>{});
        break;
      case 3:
        tile(r0, std::integral_constant<std::size_t, 3>{});
        break;
      default:
        tile(r0, std::integral_constant<std::size_t, 4>{});
    }
}

// Vectors per tile of a benchmark: its second argument, 0 for all lanes in one tile.
std::size_t tile_vectors(const benchmark::State& st, const Chunk& c) {
  const auto nv = static_cast<std::size_t>(st.range(1));
  return nv == 0 ? std::min<std::size_t>(4, c.lanes() / V::size) : nv;
}

// x_i = sum_j w_ij y_j + b_i for every unit, two partial sums (the activation left out).
void w3_gathers(benchmark::State& st) {
  Chunk c(fixture("w3"), static_cast<std::size_t>(st.range(0)));
  const auto& net = c.f.net;
  for (auto _ : st) {
    for (dagprop::UnitId i = net.num_inputs(); i < net.num_units(); ++i)
      for_tiles(c.lanes(), tile_vectors(st, c), [&](std::size_t r0, auto nvc) {
        constexpr std::size_t NV = decltype(nvc)::value;
        V::type a[2][NV] = {};
        std::size_t k = net.offsets()[i];
        for (; k + 2 <= net.offsets()[i + 1]; k += 2)
          for (std::size_t q = 0; q < 2; ++q)
            for (std::size_t n = 0; n < NV; ++n)
              a[q][n] += net.w()[k + q] * V::load(c.ws.y(net.sources()[k + q]) + r0 + n * V::size);
        if (k < net.offsets()[i + 1])
          for (std::size_t n = 0; n < NV; ++n)
            a[0][n] += net.w()[k] * V::load(c.ws.y(net.sources()[k]) + r0 + n * V::size);
        for (std::size_t n = 0; n < NV; ++n)
          V::store(c.ws.x(i) + r0 + n * V::size, (a[0][n] + a[1][n]) + net.b()[i]);
      });
    benchmark::ClobberMemory();
  }
  set_flops(st, c, 2);
}

// y_i, v_i = f_i(x_i), f'_i(x_i) for every unit (activate_array).
void w3_activation(benchmark::State& st) {
  Chunk c(fixture("w3"), static_cast<std::size_t>(st.range(0)));
  const auto& net = c.f.net;
  std::vector<float> y(c.lanes()), v(c.lanes());  // not the workspace's: x stays as it was
  for (auto _ : st) {
    for (dagprop::UnitId i = net.num_inputs(); i < net.num_units(); ++i)
      dagprop::activate_array(net.activation(i), c.ws.x(i), y.data(), v.data(), c.lanes());
    benchmark::ClobberMemory();
  }
  set_flops(st, c, 0);
}

// The rows of runs the backward moves per connection, as block.cpp's sparse
// backward does: one (p_i) where the source pulls, three (y_j, p_j read and
// written) where the unit pushes; a counter for w3_breakdown.py.
double backward_rows(const dagprop::Network<float>& net) {
  const double pulled = static_cast<double>(net.down_offsets()[net.num_units()]);
  const double pushed = static_cast<double>(net.push_offsets()[net.num_units()]);
  return (pulled + 3 * pushed) / (pulled + pushed);
}

// Backward without Δw: for each unit i, descending, p_i += Σ w_ki p_k over
// the units k it pulls from, p_i <- p_i v_i, then p_j <- p_j + p_i w_ij for
// the sources it pushes to. p is reset from a copy each iteration so that it
// stays finite.
void w3_backward_p(benchmark::State& st) {
  Chunk c(fixture("w3"), static_cast<std::size_t>(st.range(0)));
  const auto& net = c.f.net;
  const std::vector<float> p0(c.ws.p(0), c.ws.p(0) + net.num_units() * c.lanes());
  for (auto _ : st) {
    std::copy(p0.begin(), p0.end(), c.ws.p(0));
    for (dagprop::UnitId i = net.num_units(); i-- > net.num_inputs();)
      for_tiles(c.lanes(), tile_vectors(st, c), [&](std::size_t r0, auto nvc) {
        constexpr std::size_t NV = decltype(nvc)::value;
        float* pi = c.ws.p(i) + r0;
        V::type p[NV];
        for (std::size_t n = 0; n < NV; ++n) p[n] = V::load(pi + n * V::size);
        for (std::size_t k = net.down_offsets()[i]; k < net.down_offsets()[i + 1]; ++k) {
          const float* pk = c.ws.p(net.down_units()[k]) + r0;
          const float w = net.w()[net.down_connections()[k]];
          for (std::size_t n = 0; n < NV; ++n) p[n] += V::load(pk + n * V::size) * w;
        }
        for (std::size_t n = 0; n < NV; ++n) {
          p[n] *= V::load(c.ws.v(i) + r0 + n * V::size);
          V::store(pi + n * V::size, p[n]);
        }
        for (std::size_t k = net.push_offsets()[i]; k < net.push_offsets()[i + 1]; ++k) {
          const std::size_t cn = net.push_connections()[k];
          const dagprop::UnitId j = net.sources()[cn];
          if (j < net.num_inputs()) continue;
          float* pj = c.ws.p(j) + r0;
          for (std::size_t n = 0; n < NV; ++n)
            V::store(pj + n * V::size, V::load(pj + n * V::size) + p[n] * net.w()[cn]);
        }
      });
    benchmark::ClobberMemory();
  }
  set_flops(st, c, 2);
  st.counters["rows"] = backward_rows(net);
}

// Backward's Δw and Δb alone: Δw_ij <- Δw_ij + sum over runs of p_i y_j, by
// unit j (y_j in registers, each p_i read) where j pulls and by unit i (p_i in
// registers, each y_j read) where i pushes, the sums across the lanes of 16
// connections at once per tile (detail::add_lane_sums_at).
void w3_backward_dw(benchmark::State& st) {
  Chunk c(fixture("w3"), static_cast<std::size_t>(st.range(0)));
  const auto& net = c.f.net;
  float* dw = c.grad.dw();
  for (auto _ : st) {
    for (dagprop::UnitId i = net.num_units(); i-- > 0;)
      for_tiles(c.lanes(), tile_vectors(st, c), [&](std::size_t r0, auto nvc) {
        constexpr std::size_t NV = decltype(nvc)::value;
        V::type own[NV], sum = {};  // y_i for the pulls, p_i for Δb and the pushes
        for (std::size_t n = 0; n < NV; ++n) own[n] = V::load(c.ws.y(i) + r0 + n * V::size);
        const std::size_t d0 = net.down_offsets()[i];
        dagprop::detail::add_lane_sums_at(dw, net.down_connections() + d0,
                                          net.down_offsets()[i + 1] - d0, false,
                                          [&](std::size_t q) {
                                            const float* pk = c.ws.p(net.down_units()[d0 + q]) + r0;
                                            V::type acc = {};
                                            for (std::size_t n = 0; n < NV; ++n)
                                              acc += V::load(pk + n * V::size) * own[n];
                                            return acc;
                                          });
        if (i < net.num_inputs()) return;
        for (std::size_t n = 0; n < NV; ++n) sum += own[n] = V::load(c.ws.p(i) + r0 + n * V::size);
        c.grad.db()[i] += V::sum(sum);
        const std::size_t k0 = net.push_offsets()[i];
        dagprop::detail::add_lane_sums_at(
            dw, net.push_connections() + k0, net.push_offsets()[i + 1] - k0, false,
            [&](std::size_t q) {
              const float* yj = c.ws.y(net.sources()[net.push_connections()[k0 + q]]) + r0;
              V::type acc = {};  // p_i y_j over the tile
              for (std::size_t n = 0; n < NV; ++n) acc += own[n] * V::load(yj + n * V::size);
              return acc;
            });
      });
    benchmark::ClobberMemory();
  }
  set_flops(st, c, 2);
  st.counters["rows"] = 1;
}

// The second chunk's buffer added into the first, with the finiteness check
// (Trainer::reduce_wave).
void w3_reduce(benchmark::State& st) {
  Chunk c(fixture("w3"), static_cast<std::size_t>(st.range(0)));
  std::vector<float> g0(c.grad.g.size(), 0.0f);
  for (auto _ : st) {
    for (std::size_t k = 0; k < g0.size(); ++k) g0[k] += c.grad.g[k];
    benchmark::DoNotOptimize(dagprop::detail::all_finite(g0.data(), g0.size()));
    benchmark::ClobberMemory();
  }
  set_flops(st, c, 0);
}

// The SGD update of every parameter and its finiteness check (Trainer::update).
void w3_update(benchmark::State& st) {
  Chunk c(fixture("w3"), static_cast<std::size_t>(st.range(0)));
  dagprop::Network<float> net = c.f.net;
  dagprop::Sgd<float> sgd(1e-30);  // a step too small to move the weights far
  for (auto _ : st) {
    sgd.begin_step(net.params().size());
    sgd.update(net.params().data(), c.grad.g.data(), 0, net.params().size());
    benchmark::DoNotOptimize(dagprop::detail::all_finite(net.params().data(), net.params().size()));
    benchmark::ClobberMemory();
  }
  set_flops(st, c, 0);
}

void register_w3_phases() {
  const std::pair<const char*, void (*)(benchmark::State&)> phases[] = {
      {"W3Phase/gathers", w3_gathers},       {"W3Phase/activation", w3_activation},
      {"W3Phase/backward_p", w3_backward_p}, {"W3Phase/backward_dw", w3_backward_dw},
      {"W3Phase/reduce", w3_reduce},         {"W3Phase/update", w3_update}};
  // {runs, vectors per tile}: 0 as block.cpp tiles now, 1 one vector per tile as before
  for (const auto& [name, f] : phases)
    benchmark::RegisterBenchmark(name, f)->Args({32, 0})->Args({32, 1})->Args({64, 0});
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  try {
    for (const char* w : {"w1", "w2", "w3"}) {
      fixture(w);  // fail here, not inside a timed loop
      benchmark::RegisterBenchmark((std::string("Propagate/") + w).c_str(), bm_propagate, w)
          ->Arg(16)
          ->Arg(32)
          ->Arg(64);
      benchmark::RegisterBenchmark((std::string("BackPropagate/") + w).c_str(), bm_back_propagate,
                                   w)
          ->Arg(16)
          ->Arg(32)
          ->Arg(64);
    }
    register_w3_phases();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "micro_bench: %s\n", e.what());
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
