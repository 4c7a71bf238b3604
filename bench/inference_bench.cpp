// inference_bench: the speed of dagprop::predict() and of a dagprop::Predictor on a
// const network, the path a deployed model or a NEAT fitness loop runs millions of
// times. For each batch size it prints samples/s and the median time of one call
// (at batch 1: the latency of a single run); `--callers C` runs C threads calling on
// the same network at once, each with its own Predictor. It never trains; it writes the
// network (`--save`, `--dump`) so that other engines can run exactly the same one.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dagprop/evaluate.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/network.hpp"
#include "dagprop/predictor.hpp"
#include "dagprop/random.hpp"
#include "workloads.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::string workload;
  std::size_t threads = 1, callers = 1;
  std::vector<std::string> apis{"predict", "Predictor"};
  std::vector<std::size_t> batches{1, 16, 64, 256, 1024, 4096};
  double seconds = 0.5;  // per measurement
  std::string save, dump, fmnist_dir = dagprop::bench::default_fmnist_dir;
};

const char* usage =
    "usage: inference_bench w1|w3|neat [--threads N] [--callers C] [--batches 1,16,...]\n"
    "                       [--api predict|Predictor|both] [--seconds S] [--save MODEL.dpn]\n"
    "                       [--dump NET.txt] [--fmnist DIR]\n"
    "--threads: predict()'s own threads per call (a Predictor has one); --callers: threads\n"
    "calling at once on the same const network (each with --threads). --save writes the\n"
    "network as a model file, --dump as text for bench/anchors/torch_inference.py.\n";

std::size_t to_count(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v == 0)
    throw dagprop::invalid_argument(flag + ": expected a positive integer, found '" + text + "'");
  return static_cast<std::size_t>(v);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int k = 1; k < argc; ++k) {
    const std::string s = argv[k];
    const auto value = [&]() -> std::string {
      if (k + 1 >= argc) throw dagprop::invalid_argument(s + ": expected a value after it");
      return argv[++k];
    };
    if (s == "--threads") {
      a.threads = to_count(s, value());
    } else if (s == "--callers") {
      a.callers = to_count(s, value());
    } else if (s == "--batches") {
      a.batches.clear();
      std::stringstream list(value());
      for (std::string item; std::getline(list, item, ',');) a.batches.push_back(to_count(s, item));
    } else if (s == "--api") {
      const std::string api = value();
      if (api == "both") {
        a.apis = {"predict", "Predictor"};
      } else if (api == "predict" || api == "Predictor") {
        a.apis = {api};
      } else {
        throw dagprop::invalid_argument("--api: expected predict, Predictor or both, found '" +
                                        api + "'");
      }
    } else if (s == "--seconds") {
      a.seconds = std::atof(value().c_str());
      if (!(a.seconds > 0 && a.seconds < 600))
        throw dagprop::invalid_argument("--seconds: expected a number in (0, 600)");
    } else if (s == "--save") {
      a.save = value();
    } else if (s == "--dump") {
      a.dump = value();
    } else if (s == "--fmnist") {
      a.fmnist_dir = value();
    } else if (!s.empty() && s[0] != '-' && a.workload.empty()) {
      a.workload = s;
    } else {
      throw dagprop::invalid_argument("unexpected argument '" + s + "'");
    }
  }
  if (a.workload.empty()) throw dagprop::invalid_argument("expected a workload: w1, w3 or neat");
  return a;
}

// The network of a workload, with its initial weights: inference speed does not depend
// on the values.
dagprop::Topology make_network(const Args& a) {
  if (a.workload == "neat") return dagprop::bench::make_neat_like(dagprop::bench::neat_like_seed);
  return dagprop::bench::make_workload(a.workload, a.fmnist_dir, 1).topology;
}

// Units in topological order, one line each: activation, bias, fan-in, then (source, w)
// pairs; sources are indices in this order (inputs first); then `check R` and R rows
// of inputs with dagprop's outputs, which torch_inference.py replays before timing.
void dump(const dagprop::Network<float>& net, const std::vector<float>& inputs,
          const std::string& path) {
  std::ofstream out(path);
  out.precision(9);
  out << net.num_inputs() << " " << net.num_units() << " " << net.num_outputs() << "\n";
  for (std::size_t k = 0; k < net.num_outputs(); ++k) out << net.output(k) << " ";
  out << "\n";
  for (dagprop::UnitId i = net.num_inputs(); i < net.num_units(); ++i) {
    out << dagprop::to_string(net.activation(i)) << " " << net.bias(i) << " "
        << net.first(i + 1) - net.first(i);
    for (std::size_t c = net.first(i); c < net.first(i + 1); ++c)
      out << " " << net.source(c) << " " << net.w()[c];
    out << "\n";
  }
  const std::size_t R = 4, I = net.num_inputs(), K = net.num_outputs();
  const std::vector<float> y = dagprop::predict(net, inputs.data(), R, 1);
  out << "check " << R << "\n";
  for (std::size_t r = 0; r < R; ++r) {
    for (std::size_t c = 0; c < I; ++c) out << inputs[r * I + c] << " ";
    for (std::size_t k = 0; k < K; ++k) out << y[r * K + k] << (k + 1 < K ? " " : "\n");
  }
  if (!out.flush()) throw dagprop::invalid_argument("cannot write " + path);
}

struct Figure {
  double samples_per_s = 0;
  double call_us = 0;  // median time of one predict() call
};

// Calls predict() (or a Predictor's predict) on `batch` rows from `callers` threads
// for about `seconds`; the rate counts every caller's rows; the call time is the
// median over calls.
Figure measure(const dagprop::Network<float>& net, const std::vector<float>& inputs,
               std::size_t batch, const std::string& api, const Args& a) {
  const std::size_t rows = inputs.size() / net.num_inputs();
  std::vector<std::vector<double>> call_s(a.callers);
  std::vector<std::size_t> done(a.callers, 0);
  const auto deadline = Clock::now() + std::chrono::duration<double>(a.seconds);
  std::vector<std::thread> threads;
  float sink = 0;
  std::vector<float> sinks(a.callers, 0.0f);
  for (std::size_t t = 0; t < a.callers; ++t)
    threads.emplace_back([&, t] {
      dagprop::Predictor<float> predictor(net);
      std::vector<float> y(batch * net.num_outputs());
      call_s[t].reserve(1 << 20);
      std::size_t start = (t * 7919) % (rows - batch + 1);
      do {
        const float* x = inputs.data() + start * net.num_inputs();
        const auto t0 = Clock::now();
        if (api == "Predictor")
          predictor.predict(x, batch, y.data());
        else
          y = dagprop::predict(net, x, batch, a.threads);
        call_s[t].push_back(std::chrono::duration<double>(Clock::now() - t0).count());
        sinks[t] += y[0];
        done[t] += batch;
        start = (start + batch) % (rows - batch + 1);
      } while (Clock::now() < deadline || call_s[t].size() < 3);
    });
  for (std::thread& th : threads) th.join();
  std::vector<double> all;
  std::size_t total = 0;
  double longest = 0;
  for (std::size_t t = 0; t < a.callers; ++t) {
    double sum = 0;
    for (double s : call_s[t]) sum += s, all.push_back(s);
    longest = std::max(longest, sum);
    total += done[t];
    sink += sinks[t];
  }
  std::sort(all.begin(), all.end());
  if (sink == 12345.678f) std::printf(" ");  // keeps the outputs alive
  return {static_cast<double>(total) / longest, all[all.size() / 2] * 1e6};
}

int run(const Args& a) {
  const dagprop::Topology t = make_network(a);
  const dagprop::Network<float> net = dagprop::compile<float>(t);
  if (!a.save.empty()) dagprop::io::save_network(a.save, net);
  const std::size_t max_batch = *std::max_element(a.batches.begin(), a.batches.end());
  const std::size_t rows = std::max<std::size_t>(4 * max_batch, 8192);
  std::vector<float> inputs(rows * net.num_inputs());
  dagprop::SplitMix64 rng(7);
  for (float& x : inputs) x = static_cast<float>(rng.uniform(-1, 1));
  if (!a.dump.empty()) dump(net, inputs, a.dump);
  std::printf("dagprop inference %s units=%zu connections=%zu levels=%zu threads=%zu callers=%zu\n",
              a.workload.c_str(), net.num_units(), net.num_connections(), net.num_levels(),
              a.threads, a.callers);
  for (std::size_t batch : a.batches)
    for (const std::string& api : a.apis) {
      const Figure f = measure(net, inputs, batch, api, a);
      const std::size_t threads = api == "Predictor" ? 1 : a.threads;
      std::printf(
          "RESULT {\"engine\": \"dagprop %s\", \"workload\": \"%s\", \"batch\": %zu, "
          "\"threads\": %zu, \"callers\": %zu, \"samples_per_s\": %.1f, \"call_us\": %.3f}\n",
          api.c_str(), a.workload.c_str(), batch, threads, a.callers, f.samples_per_s, f.call_us);
      std::fflush(stdout);
    }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "inference_bench: " << e.what() << "\n" << usage;
    return 1;
  }
}
