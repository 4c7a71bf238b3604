// dagprop_bench: trains one benchmark workload (W1, W2, W3 of bench/anchors/WORKLOADS.md)
// with dagprop::Trainer<float> and prints per-epoch time, samples/s and a final
// `RESULT {json}` line in the format of bench/anchors/torch_anchors.py. Timing covers
// the training loop only (shuffle, forward, loss, backward, update); evaluation is
// outside it. `--selftest` checks the workload generators instead and exits 1 on a mismatch.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "dagprop/evaluate.hpp"
#include "dagprop/network.hpp"
#include "dagprop/trainer.hpp"
#include "workloads.hpp"

namespace {

using dagprop::bench::Workload;

struct Args {
  std::string workload;
  std::size_t threads = 1, epochs = 3, batch = 0, chunk = dagprop::TrainOptions{}.chunk_size;
  std::uint64_t seed = 1;
  bool eval = false, selftest = false;
  std::string fmnist_dir = dagprop::bench::default_fmnist_dir;
};

const char* usage =
    "usage: dagprop_bench w1|w2|w3 [--threads N] [--epochs E] [--batch B] [--chunk C]\n"
    "                     [--seed S] [--eval] [--fmnist DIR]\n"
    "       dagprop_bench --selftest\n"
    "Defaults: --threads 1 --epochs 3, the workload's batch size, the trainer's chunk, --seed 1.\n"
    "--eval: W1 test accuracy (W2, W3: loss over the training set) after each epoch,\n"
    "outside the timed loop.\n";

std::size_t to_count(const std::string& flag, const char* text) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (!end || *end != '\0' || end == text)
    throw dagprop::invalid_argument(flag + ": expected a non-negative integer, found '" + text +
                                    "'");
  return static_cast<std::size_t>(v);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int k = 1; k < argc; ++k) {
    const std::string s = argv[k];
    const auto value = [&]() -> const char* {
      if (k + 1 >= argc) throw dagprop::invalid_argument(s + ": expected a value after it");
      return argv[++k];
    };
    if (s == "--threads")
      a.threads = to_count(s, value());
    else if (s == "--epochs")
      a.epochs = to_count(s, value());
    else if (s == "--batch")
      a.batch = to_count(s, value());
    else if (s == "--chunk")
      a.chunk = to_count(s, value());
    else if (s == "--seed")
      a.seed = to_count(s, value());
    else if (s == "--fmnist")
      a.fmnist_dir = value();
    else if (s == "--eval")
      a.eval = true;
    else if (s == "--selftest")
      a.selftest = true;
    else if (!s.empty() && s[0] != '-' && a.workload.empty())
      a.workload = s;
    else
      throw dagprop::invalid_argument("unexpected argument '" + s + "'");
  }
  if (!a.selftest && a.workload.empty())
    throw dagprop::invalid_argument("expected a workload: w1, w2 or w3");
  if (a.epochs == 0) throw dagprop::invalid_argument("--epochs: expected at least 1, found 0");
  return a;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

int run(const Args& a) {
  Workload w = dagprop::bench::make_workload(a.workload, a.fmnist_dir, a.seed);
  dagprop::Network<float> net = dagprop::compile<float>(w.topology);
  dagprop::TrainOptions o;
  o.epochs = a.epochs;
  o.batch_size = a.batch ? a.batch : w.batch_size;
  o.chunk_size = a.chunk;
  o.learning_rate = w.learning_rate;
  o.loss = w.loss;
  o.reduction = dagprop::Reduction::mean;
  o.seed = a.seed;
  o.threads = a.threads;
  dagprop::Trainer<float> trainer(net, o);
  const std::size_t n = w.train.size();
  std::printf("dagprop %s threads=%zu batch=%zu chunk=%zu samples=%zu connections=%zu levels=%zu\n",
              w.name.c_str(), a.threads, o.batch_size, o.chunk_size, n, w.connections,
              net.num_levels());
  std::fflush(stdout);

  std::vector<double> times;
  std::map<std::size_t, double> test_acc;
  double final_loss = 0, eval_loss = 0;
  for (std::size_t e = 1; e <= a.epochs; ++e) {
    const auto t0 = std::chrono::steady_clock::now();
    std::optional<dagprop::EpochReport> report;
    while (!report) report = trainer.train_batch(w.train);
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    times.push_back(dt);
    final_loss = report->loss;
    std::printf("epoch %3zu  %.3f s  %9.0f samples/s  loss %.5f", e, dt,
                static_cast<double>(n) / dt, report->loss);
    if (a.eval) {
      const bool has_test = w.test.size() > 0;
      const dagprop::Evaluation ev =
          dagprop::evaluate(net, has_test ? w.test : w.train, w.loss, a.threads);
      eval_loss = ev.loss;
      if (has_test) {
        test_acc[e] = ev.accuracy;
        std::printf("  test-acc %.4f", ev.accuracy);
      } else {
        std::printf("  train-loss %.5f", ev.loss);
      }
    }
    std::printf("\n");
    std::fflush(stdout);
  }

  const std::vector<double> steady(times.size() > 1 ? times.begin() + 1 : times.begin(),
                                   times.end());
  const double med = median(steady);
  const double sps = static_cast<double>(n) / med, conns = static_cast<double>(w.connections);
  double total = 0;
  for (double t : times) total += t;
  std::ostringstream j;
  j.precision(10);
  j << "{\"workload\": \"" << w.name << "\", \"engine\": \"dagprop\", \"threads\": " << a.threads
    << ", \"samples_per_epoch\": " << n << ", \"epochs\": " << times.size()
    << ", \"batch\": " << o.batch_size << ", \"chunk\": " << o.chunk_size
    << ", \"median_epoch_s\": " << med
    << ", \"min_epoch_s\": " << *std::min_element(steady.begin(), steady.end())
    << ", \"max_epoch_s\": " << *std::max_element(steady.begin(), steady.end())
    << ", \"samples_per_s\": " << sps << ", \"connections\": " << w.connections
    << ", \"MCUPS\": " << sps * conns / 1e6 << ", \"GFLOPs_6\": " << sps * conns * 6 / 1e9
    << ", \"final_loss\": " << final_loss;
  if (a.eval && !test_acc.empty()) {
    j << ", \"test_acc\": {";
    for (auto it = test_acc.begin(); it != test_acc.end(); ++it)
      j << (it == test_acc.begin() ? "" : ", ") << "\"" << it->first << "\": " << it->second;
    j << "}";
  } else if (a.eval) {
    j << ", \"eval_loss\": " << eval_loss;
  }
  j << ", \"total_train_s\": " << total << ", \"peak_rss_mb\": " << peak_rss_mb() << "}";
  std::printf("RESULT %s\n", j.str().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args a = parse(argc, argv);
    if (a.selftest) return dagprop::bench::selftest(std::cout) == 0 ? 0 : 1;
    return run(a);
  } catch (const std::exception& e) {
    std::cerr << "dagprop_bench: " << e.what() << "\n" << usage;
    return 1;
  }
}
