// The MPI side of data-parallel training: the chained reducer, the hash checks
// across ranks, the job's abort. Boost.MPI point-to-point messages and
// collectives only; no sockets, no threads of its own.
#include "dagprop/dist/cluster.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <vector>

#include <boost/mpi/collectives/all_gather.hpp>
#include <boost/mpi/collectives/broadcast.hpp>

namespace dagprop::dist {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The fold of the chunks travels rank to rank: rank r (r > 0) receives the sum
// of the chunks before its share from rank r - 1, adds its own chunks (the
// Trainer does), and sends the sum on to rank r + 1; the last rank with chunks
// holds the batch's sum and broadcasts it. Per batch and rank: at most P
// values received and P sent along the chain, and P by the broadcast.
template <class T>
class ChainReducer final : public GradientReducer<T> {
 public:
  ChainReducer(const boost::mpi::communicator& world, std::shared_ptr<ReduceTimes> times)
      : world_(world), times_(std::move(times)) {}

  ChunkShare share(std::size_t chunks) override {
    return even_share(chunks, ranks(), static_cast<std::size_t>(world_.rank()));
  }

  void receive(PartialSum<T>& prefix, std::size_t) override {
    check_count(prefix.size);
    const auto t0 = Clock::now();
    const int from = world_.rank() - 1;
    world_.recv(from, tag_gradient, prefix.gradient, static_cast<int>(prefix.size));
    world_.recv(from, tag_loss, prefix.loss);
    unsigned long long correct = 0;
    world_.recv(from, tag_correct, correct);
    prefix.correct = static_cast<std::size_t>(correct);
    times_->receive_seconds += since(t0);
  }

  void complete(PartialSum<T>& sum, std::size_t chunks) override {
    check_count(sum.size);
    const auto t0 = Clock::now();
    // Shares are non-empty for ranks below min(chunks, ranks).
    const int last = static_cast<int>(std::min(chunks, ranks())) - 1;
    const int me = world_.rank();
    if (me < last) {
      world_.send(me + 1, tag_gradient, sum.gradient, static_cast<int>(sum.size));
      world_.send(me + 1, tag_loss, sum.loss);
      world_.send(me + 1, tag_correct, static_cast<unsigned long long>(sum.correct));
    }
    boost::mpi::broadcast(world_, sum.gradient, static_cast<int>(sum.size), last);
    double totals[2] = {sum.loss, static_cast<double>(sum.correct)};  // correct < 2^53 runs
    boost::mpi::broadcast(world_, totals, 2, last);
    sum.loss = totals[0];
    sum.correct = static_cast<std::size_t>(totals[1]);
    times_->complete_seconds += since(t0);
    ++times_->batches;
  }

 private:
  static constexpr int tag_gradient = 1, tag_loss = 2, tag_correct = 3;
  // MPI counts are int.
  static void check_count(std::size_t n) {
    if (n > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      throw distributed_error("a network of " + std::to_string(n) +
                              " parameters is more than one MPI message holds (2^31 - 1)");
  }
  std::size_t ranks() const { return static_cast<std::size_t>(world_.size()); }
  boost::mpi::communicator world_;
  std::shared_ptr<ReduceTimes> times_;
};

}  // namespace

Cluster::Cluster()
    : env_(boost::mpi::threading::funneled, false), times_(std::make_shared<ReduceTimes>()) {}

template <class T>
std::shared_ptr<GradientReducer<T>> Cluster::reducer() {
  return std::make_shared<ChainReducer<T>>(world_, times_);
}

void Cluster::check_same(std::uint64_t hash, const std::string& what) const {
  std::vector<unsigned long long> all;
  boost::mpi::all_gather(world_, static_cast<unsigned long long>(hash), all);
  std::ostringstream ranks;
  std::size_t differ = 0;
  for (std::size_t r = 1; r < all.size(); ++r)
    if (all[r] != all[0]) ranks << (differ++ ? ", " : "") << r;
  if (differ == 0) return;
  std::ostringstream s;
  s << what << " differ between the ranks: rank" << (differ > 1 ? "s " : " ") << ranks.str()
    << (differ > 1 ? " hold" : " holds") << " other values than rank 0 (hash " << std::hex << all[0]
    << ")";
  throw distributed_error(s.str());
}

void Cluster::abort(int code) const {
  env_.abort(code);  // MPI_Abort does not return
  std::abort();
}

std::uint64_t hash_bytes(const void* data, std::size_t n, std::uint64_t h) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t k = 0; k < n; ++k) h = (h ^ p[k]) * 0x100000001b3ull;
  return h;
}

template <class T>
std::uint64_t weights_hash(const Network<T>& net) {
  return hash_bytes(net.params().data(), net.params().size() * sizeof(T));
}

template <class T>
std::uint64_t data_hash(const Dataset<T>& data) {
  const std::uint64_t shape[2] = {data.num_inputs, data.num_targets};
  std::uint64_t h = hash_bytes(shape, sizeof shape);
  h = hash_bytes(data.inputs.data(), data.inputs.size() * sizeof(T), h);
  return hash_bytes(data.targets.data(), data.targets.size() * sizeof(T), h);
}

template std::shared_ptr<GradientReducer<float>> Cluster::reducer<float>();
template std::shared_ptr<GradientReducer<double>> Cluster::reducer<double>();
template std::uint64_t weights_hash(const Network<float>&);
template std::uint64_t weights_hash(const Network<double>&);
template std::uint64_t data_hash(const Dataset<float>&);
template std::uint64_t data_hash(const Dataset<double>&);

}  // namespace dagprop::dist
