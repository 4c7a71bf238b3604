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
#include <boost/mpi/nonblocking.hpp>
#include <boost/mpi/request.hpp>

namespace dagprop::dist {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The fold of the chunks travels rank to rank: rank r (r > 0) receives the sum
// of the chunks before its share from rank r - 1, segment by segment, the
// Trainer adds its own chunks to each segment, and it is sent on to rank r + 1
// while the next segment arrives; the last rank with chunks holds the batch's
// sum and broadcasts it. Per batch and rank: at most P values received and P
// sent along the chain, P by the broadcast, and the chunks' losses gathered.
template <class T>
class ChainReducer final : public GradientReducer<T> {
 public:
  ChainReducer(const boost::mpi::communicator& world, std::shared_ptr<ReduceTimes> times)
      : world_(world), times_(std::move(times)) {}

  ChunkShare share(std::size_t chunks) override { return even_share(chunks, ranks(), me()); }
  std::size_t segment() const override { return std::size_t{1} << 14; }  // 64 KB of floats

  void receive(T* sum, std::size_t k0, std::size_t k1, std::size_t) override {
    const auto t0 = Clock::now();
    world_.recv(world_.rank() - 1, tag_gradient, sum + k0, static_cast<int>(k1 - k0));
    times_->receive_seconds += since(t0);
  }

  void send(const T* sum, std::size_t k0, std::size_t k1, std::size_t chunks) override {
    if (me() + 1 >= std::min(chunks, ranks())) return;  // the last rank with chunks
    const auto t0 = Clock::now();
    pending_.push_back(
        world_.isend(world_.rank() + 1, tag_gradient, sum + k0, static_cast<int>(k1 - k0)));
    times_->send_seconds += since(t0);
  }

  void complete(T* sum, std::size_t size, double* chunk_loss, std::size_t* chunk_correct,
                std::size_t chunks) override {
    if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      throw distributed_error("a network of " + std::to_string(size) +
                              " parameters is more than one MPI message holds (2^31 - 1)");
    const auto t0 = Clock::now();
    boost::mpi::wait_all(pending_.begin(), pending_.end());  // before sum changes
    pending_.clear();
    const int last = static_cast<int>(std::min(chunks, ranks())) - 1;
    boost::mpi::broadcast(world_, sum, static_cast<int>(size), last);
    gather_chunks(chunk_loss, chunk_correct, chunks);
    times_->complete_seconds += since(t0);
    ++times_->batches;
  }

 private:
  static constexpr int tag_gradient = 1;
  std::size_t ranks() const { return static_cast<std::size_t>(world_.size()); }
  std::size_t me() const { return static_cast<std::size_t>(world_.rank()); }

  // Every rank's chunk losses and counts to every rank: one all_gather of
  // (loss, correct) pairs, as many as the largest share (counts < 2^53 runs).
  void gather_chunks(double* chunk_loss, std::size_t* chunk_correct, std::size_t chunks) {
    const std::size_t width = 2 * ((chunks + ranks() - 1) / ranks());
    const ChunkShare mine = share(chunks);
    std::vector<double> out(width, 0.0), all(width * ranks());
    for (std::size_t q = mine.first; q < mine.last; ++q) {
      out[2 * (q - mine.first)] = chunk_loss[q];
      out[2 * (q - mine.first) + 1] = static_cast<double>(chunk_correct[q]);
    }
    boost::mpi::all_gather(world_, out.data(), static_cast<int>(width), all.data());
    for (std::size_t r = 0; r < ranks(); ++r) {
      const ChunkShare s = even_share(chunks, ranks(), r);
      for (std::size_t q = s.first; q < s.last; ++q) {
        chunk_loss[q] = all[r * width + 2 * (q - s.first)];
        chunk_correct[q] = static_cast<std::size_t>(all[r * width + 2 * (q - s.first) + 1]);
      }
    }
  }

  boost::mpi::communicator world_;
  std::shared_ptr<ReduceTimes> times_;
  std::vector<boost::mpi::request> pending_;
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
