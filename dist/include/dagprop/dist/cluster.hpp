// Data-parallel training over MPI (Boost.MPI on Open MPI): every process holds
// the network and reads the data itself; a Trainer given reducer<T>() computes
// its rank's share of the chunks of every mini-batch (reducer.hpp) and ends
// each batch with the gradient sum of one process, bit for bit. Nothing here
// prints or writes files; ending a failed job is abort().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include "dagprop/dataset.hpp"
#include "dagprop/error.hpp"
#include "dagprop/network.hpp"
#include "dagprop/reducer.hpp"

namespace dagprop::dist {

// The processes of a job disagree (weights or data differ between ranks).
class distributed_error : public error {
 public:
  using error::error;
};

// Where a rank spent its time combining gradients (MpiReducer).
struct ReduceTimes {
  std::size_t batches = 0;
  double receive_seconds = 0;   // waiting for and receiving the previous rank's prefix
  double send_seconds = 0;      // starting the sends to the next rank
  double complete_seconds = 0;  // the sends' end, the broadcast of the sum, the chunks' losses
};

// The job: MPI started once per process (Boost.MPI's environment, funneled:
// only the calling thread talks to MPI, oneTBB's workers never do).
class Cluster {
 public:
  Cluster();
  int rank() const { return world_.rank(); }
  int size() const { return world_.size(); }

  // A reducer for Trainer<T>::reduce_with: rank r computes even_share(chunks,
  // size, r); the ranks pass the running sum along, rank to rank, in segments,
  // and the last rank with chunks broadcasts the batch's sum (P values each
  // way per rank).
  template <class T>
  std::shared_ptr<GradientReducer<T>> reducer();
  const ReduceTimes& times() const { return *times_; }

  // Collective: throws distributed_error naming every rank whose `hash`
  // differs from rank 0's and saying what differs (`what`, e.g. "the weights
  // after epoch 3"); the same on every rank.
  void check_same(std::uint64_t hash, const std::string& what) const;

  // Ends every rank of the job now (MPI_Abort) with exit status `code`.
  [[noreturn]] void abort(int code) const;

 private:
  boost::mpi::environment env_;
  boost::mpi::communicator world_;
  std::shared_ptr<ReduceTimes> times_;
};

// FNV-1a, 64 bits, of n bytes (continuing from `h`).
std::uint64_t hash_bytes(const void* data, std::size_t n, std::uint64_t h = 0xcbf29ce484222325ull);
// The bits of every weight and bias.
template <class T>
std::uint64_t weights_hash(const Network<T>& net);
// The bits of every input and target, and the shape.
template <class T>
std::uint64_t data_hash(const Dataset<T>& data);

}  // namespace dagprop::dist
