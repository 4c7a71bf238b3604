// micro_bench (Google Benchmark): the block kernels alone, dagprop::propagate and
// dagprop::back_propagate (block.hpp) on one Block of 16 or 64 runs of each
// workload, one thread, data in cache after the first iteration. items/s = runs/s;
// CUPS counts weights only. No training loop, no threads: dagprop_bench does that.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <numeric>
#include <string>

#include "dagprop/block.hpp"
#include "dagprop/memo.hpp"
#include "dagprop/network.hpp"
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

// InitGrad of one chunk buffer, then BackPropagate (Alg. 3, which propagates
// first) for a block of `runs` runs with the mean reduction: a trainer chunk.
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
  for (auto _ : st) {
    dagprop::init_grad(grad);
    benchmark::DoNotOptimize(dagprop::back_propagate(f.net, block, bo, ws, grad));
    benchmark::ClobberMemory();
  }
  set_counters(st, f, runs);
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
          ->Arg(64);
      benchmark::RegisterBenchmark((std::string("BackPropagate/") + w).c_str(), bm_back_propagate,
                                   w)
          ->Arg(16)
          ->Arg(64);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "micro_bench: %s\n", e.what());
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
