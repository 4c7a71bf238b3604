// The seam of data-parallel training: how a Trainer shares out the chunks of a
// mini-batch with other processes and combines their gradients. The engine
// knows nothing of how processes talk (dist/ does it over MPI); it only keeps
// the sum exact: a mini-batch's gradient is the left fold g_0 + g_1 + ... over
// its chunks in chunk order, so a process computing the chunks [first, last)
// continues the fold from the sum of the chunks before it, and any number of
// processes gets the bits of one. The fold runs in segments of parameters, so
// that the next process can add its chunks to one segment while this one
// receives the next.
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

// Trainer<T>::reduce_with installs one; every process calls the same
// functions for the same mini-batches, in the same order. `sum` is the
// process's gradient sum, one value per parameter; k0, k1 bound a segment of
// at most segment() parameters, visited in order from 0.
template <class T>
class GradientReducer {
 public:
  virtual ~GradientReducer() = default;
  // This process's share of a mini-batch of `chunks` (>= 1) chunks. The
  // shares of all processes tile [0, chunks) in order, and the one starting at
  // chunk 0 is not empty (it starts the fold from chunk 0's gradient).
  virtual ChunkShare share(std::size_t chunks) = 0;
  // Parameters per segment of receive() and send() (0: all in one).
  virtual std::size_t segment() const { return 0; }
  // For a non-empty share with first > 0, segment by segment after its first
  // wave of chunks is computed and before it is added: sets sum[k0, k1) to
  // the fold of the chunks [0, first).
  virtual void receive(T* sum, std::size_t k0, std::size_t k1, std::size_t chunks) = 0;
  // For a non-empty share, segment by segment: sum[k0, k1) now holds the fold
  // of the chunks [0, last).
  virtual void send(const T* sum, std::size_t k0, std::size_t k1, std::size_t chunks) = 0;
  // Called last, with sum[0, size) the fold of [0, last) (nothing useful for
  // an empty share) and the share's entries of chunk_loss and chunk_correct
  // set ([chunks]: E and the runs classified right per chunk). On return: sum
  // is the fold of every chunk, and every entry is set, the same bits on
  // every process.
  virtual void complete(T* sum, std::size_t size, double* chunk_loss, std::size_t* chunk_correct,
                        std::size_t chunks) = 0;
};

}  // namespace dagprop
