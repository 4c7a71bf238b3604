// dist_bench: W1 (bench/workloads.hpp) trained over MPI with dagprop::dist, to
// measure what combining the gradients costs per mini-batch; run it under
// mpirun -np 1 and -np 2. Also times the bare messages of one combine (the
// chain's send of P floats and the broadcast) between synchronised ranks.
// Prints one RESULT line per rank; nothing here asserts a time.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include <boost/mpi/collectives/broadcast.hpp>
#include <boost/mpi/communicator.hpp>

#include "dagprop/dist/cluster.hpp"
#include "dagprop/trainer.hpp"
#include "workloads.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The messages of one combine on their own: rank 0 sends P floats to rank 1,
// then rank 0 broadcasts P floats; a barrier before each round.
double message_seconds(std::size_t P, std::size_t rounds) {
  boost::mpi::communicator world;
  std::vector<float> g(P, 1.0f);
  double total = 0;
  for (std::size_t k = 0; k < rounds; ++k) {
    world.barrier();
    const auto t0 = Clock::now();
    if (world.size() > 1) {
      if (world.rank() == 0) world.send(1, 9, g.data(), static_cast<int>(P));
      if (world.rank() == 1) world.recv(0, 9, g.data(), static_cast<int>(P));
    }
    boost::mpi::broadcast(world, g.data(), static_cast<int>(P), 0);
    total += seconds_since(t0);
  }
  return total / static_cast<double>(rounds);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    dagprop::dist::Cluster cluster;
    // dist_bench [BATCH [BATCHES [THREADS]]]: the global mini-batch (W1's 64 by default).
    const std::size_t batch = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 64;
    const std::size_t batches = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 200;
    const std::size_t threads = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 1;
    const dagprop::bench::Workload w =
        dagprop::bench::make_w1(dagprop::bench::default_fmnist_dir, 1);
    dagprop::Network<float> net = dagprop::compile<float>(w.topology);
    dagprop::TrainOptions o;
    o.epochs = 1000;
    o.batch_size = batch;
    o.learning_rate = w.learning_rate;
    o.loss = w.loss;
    o.reduction = dagprop::Reduction::mean;
    o.threads = threads;
    dagprop::Trainer<float> trainer(net, o);
    trainer.reduce_with(cluster.reducer<float>());
    for (std::size_t k = 0; k < 10; ++k) trainer.train_batch(w.train);  // warm-up
    const dagprop::dist::ReduceTimes before = cluster.times();
    const auto t0 = Clock::now();
    for (std::size_t k = 0; k < batches; ++k) trainer.train_batch(w.train);
    const double total = seconds_since(t0) / static_cast<double>(batches);
    const dagprop::dist::ReduceTimes& after = cluster.times();
    const double receive =
        (after.receive_seconds - before.receive_seconds) / static_cast<double>(batches);
    const double complete = (after.send_seconds - before.send_seconds + after.complete_seconds -
                             before.complete_seconds) /
                            static_cast<double>(batches);
    const std::size_t P = net.params().size();
    const double messages = message_seconds(P, 50);
    std::printf(
        "RESULT {\"rank\": %d, \"ranks\": %d, \"threads\": %zu, \"batch\": %zu, \"params\": %zu, "
        "\"ms_per_batch\": %.3f, \"ms_combine\": %.3f, \"ms_receive\": %.3f, \"ms_complete\": "
        "%.3f, \"ms_messages_alone\": %.3f}\n",
        cluster.rank(), cluster.size(), threads, batch, P, 1e3 * total, 1e3 * (receive + complete),
        1e3 * receive, 1e3 * complete, 1e3 * messages);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dist_bench: error: %s\n", e.what());
    return 1;
  }
}
