// The seam of data-parallel training: how a Trainer shares out the chunks of a
// mini-batch with other processes and combines their gradients. The engine
// knows nothing of how processes talk (dist/ does it over MPI); it only keeps
// the sum exact: a mini-batch's gradient is the left fold g_0 + g_1 + ... over
// its chunks in chunk order, so a process computing the chunks [first, last)
// continues the fold from the sum of the chunks before it, and any number of
// processes gets the bits of one.
#pragma once

#include <cstddef>

namespace dagprop {

// The chunks [first, last) of a mini-batch that one process computes.
struct ChunkShare {
  std::size_t first = 0, last = 0;
  bool empty() const { return first == last; }
};

// The contiguous shares of `processes` processes in a mini-batch of `chunks`
// chunks: process r gets chunks / processes chunks, one more while r <
// chunks % processes, in process order; empty shares come last. A function of
// its arguments alone, never of timing.
inline ChunkShare even_share(std::size_t chunks, std::size_t processes, std::size_t process) {
  const std::size_t base = chunks / processes, extra = chunks % processes;
  const std::size_t first = process * base + (process < extra ? process : extra);
  return {first, first + base + (process < extra ? 1 : 0)};
}

// The left fold of a mini-batch's chunks [0, q): the gradient sum, the sum of
// the loss E (added in chunk order as well) and the runs classified right.
template <class T>
struct PartialSum {
  T* gradient = nullptr;  // [size]: one value per parameter
  std::size_t size = 0;
  double loss = 0;
  std::size_t correct = 0;
};

// Trainer<T>::reduce_with installs one; every process calls the same
// functions for the same mini-batches, in the same order.
template <class T>
class GradientReducer {
 public:
  virtual ~GradientReducer() = default;
  // This process's share of a mini-batch of `chunks` (>= 1) chunks. The
  // shares of all processes tile [0, chunks) in order, and the one starting at
  // chunk 0 is not empty (it starts the fold from chunk 0's gradient).
  virtual ChunkShare share(std::size_t chunks) = 0;
  // Called for a non-empty share with first > 0, after its first wave of
  // chunks is computed and before it is added: sets `prefix` to the fold of
  // the chunks [0, first).
  virtual void receive(PartialSum<T>& prefix, std::size_t chunks) = 0;
  // Called last: `sum` holds the fold of the chunks [0, last) (nothing useful
  // for an empty share); on return, the fold of every chunk of the mini-batch,
  // the same bits on every process.
  virtual void complete(PartialSum<T>& sum, std::size_t chunks) = 0;
};

}  // namespace dagprop
