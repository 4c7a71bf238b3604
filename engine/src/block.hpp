// The memo's per-run algorithm executed for a block of runs at once: every
// unit holds x, y, v, p of up to `capacity` runs side by side, so each loop
// over connections becomes a SIMD loop over runs and each weight is loaded
// once per block. Dense groups run as matrix products. Results equal
// memo.hpp's up to float rounding; the trainer and predict() use this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "dagprop/aligned.hpp"
#include "dagprop/gradient.hpp"
#include "dagprop/loss.hpp"
#include "dagprop/network.hpp"

namespace dagprop {

// Runs are padded to a multiple of this many lanes; padded lanes hold zeros.
inline constexpr std::size_t lane_tile = 16;
// The most runs a Workspace holds side by side (the trainer's chunks are at
// most 4096); a larger capacity is refused.
inline constexpr std::size_t max_workspace_runs = std::size_t{1} << 20;

// What a workspace is for. Inference keeps x and y of every unit but no p,
// and the rows of v of one dense group shared by all units (activate_array
// writes f' somewhere; nothing reads it): about half the memory, and
// back_propagate refuses it.
enum class WorkspaceUse { training, inference };

// x, y, v, p of a block of runs for one worker; unit i, run r is at i*stride + r.
template <class T>
class Workspace {
 public:
  Workspace() = default;
  Workspace(const Network<T>& net, std::size_t capacity, WorkspaceUse use = WorkspaceUse::training);

  std::size_t capacity() const { return capacity_; }
  std::size_t stride() const { return stride_; }  // lanes of the current block
  std::size_t runs() const { return runs_; }      // runs of the current block
  bool inference_only() const { return use_ == WorkspaceUse::inference; }
  void begin_block(std::size_t runs);
  // Throws invalid_argument unless this workspace was made for a network of
  // net's shape (units, inputs, dense groups): another one would be read out
  // of bounds.
  void check_fits(const Network<T>& net) const;

  T* x(UnitId i) { return x_.data() + i * stride_; }
  T* y(UnitId i) { return y_.data() + i * stride_; }
  T* v(UnitId i) { return v_.data() + v_row(i); }
  T* p(UnitId i) { return p_.data() + i * stride_; }
  const T* x(UnitId i) const { return x_.data() + i * stride_; }
  const T* y(UnitId i) const { return y_.data() + i * stride_; }
  const T* v(UnitId i) const { return v_.data() + v_row(i); }
  const T* p(UnitId i) const { return p_.data() + i * stride_; }
  T* scratch() { return scratch_.data(); }
  // The block's input rows as given, run r at r * num_inputs (padded runs 0).
  const T* input_rows() const { return rows_.data(); }
  T* input_rows() { return rows_.data(); }

 private:
  std::size_t v_row(UnitId i) const { return inference_only() ? 0 : i * stride_; }

  std::size_t capacity_ = 0, stride_ = 0, runs_ = 0;
  // Of the network it was made for.
  std::size_t units_ = 0, inputs_ = 0, scratch_width_ = 0, group_width_ = 1;
  WorkspaceUse use_ = WorkspaceUse::training;
  // [num_units * round_up(capacity, lane_tile)] each; for inference v_ has
  // group_width_ rows and p_ is empty.
  detail::AlignedVector<T> x_, y_, v_, p_;
  // [round_up(capacity) * widest source range of a dense group not fed by inputs only]
  detail::AlignedVector<T> scratch_;
  // [round_up(capacity) * num_inputs]
  detail::AlignedVector<T> rows_;
};

// Inverted dropout while training: unit i of data row `row` is dropped when
// dropout_uniform(seed, epoch, row, i) < rate[i]; a kept unit's y_i (and v_i,
// hence p_i in BackPropagate) is scaled by 1/(1-rate[i]), so evaluation is the
// plain forward pass. The mask depends on nothing else: not threads, not chunks.
struct Dropout {
  const double* rate = nullptr;  // [num_units]; 0 for inputs, outputs, undropped units
  std::uint64_t seed = 0;
  std::uint64_t epoch = 0;
};

// A counter-based uniform in [0, 1) (splitmix64's mixer chained over the keys).
double dropout_uniform(std::uint64_t seed, std::uint64_t epoch, std::uint64_t row,
                       std::uint64_t unit);

// The runs of a block: row rows[r] of `inputs` (and `targets`) is run r.
template <class T>
struct Block {
  const T* inputs = nullptr;   // [*, num_inputs] row-major
  const T* targets = nullptr;  // [*, num_outputs] row-major; null for inference
  const std::size_t* rows = nullptr;
  std::size_t runs = 0;
  const Dropout* dropout = nullptr;  // training only; null: no dropout
};

struct BackwardOptions {
  Loss loss = Loss::sse;
  double scale = 1.0;           // multiplies ∂E/∂y: 1 for the sum, 1/|L| for the mean
  bool input_gradient = false;  // also accumulate p of the input units (∂E/∂x)
  // The call starts grad from zero itself (InitGrad, Alg. 2), without a pass
  // of its own over the weights: the first sum into each Δw_ij sets it.
  bool fresh_gradient = false;
};

// Propagate (eq. 1-2) and InitParam's v (Alg. 4) for every run of the block.
// For an input unit only y (= x) is written.
template <class T>
void propagate(const Network<T>& net, const Block<T>& block, Workspace<T>& ws);

// BackPropagate (Alg. 3) for every run of the block, summing into grad.
// Returns the sum over the block of E. Calls propagate() itself. Throws
// invalid_argument for an inference-only workspace (it has no p).
template <class T>
double back_propagate(const Network<T>& net, const Block<T>& block, const BackwardOptions& opt,
                      Workspace<T>& ws, Gradient<T>& grad);

// Outputs of the block after propagate(): out[r * num_outputs + k].
template <class T>
void read_outputs(const Network<T>& net, const Workspace<T>& ws, T* out);

}  // namespace dagprop
