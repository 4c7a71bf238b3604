// Predictor: blocks of predict_block rows through one inference workspace.
#include "dagprop/predictor.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <string>

#include "block.hpp"
#include "dagprop/error.hpp"

namespace dagprop {

static_assert(lane_tile == 16, "predictor.hpp documents lanes as multiples of 16");

template <class T>
void check_predict_rows(const Network<T>& net, const T* inputs, std::size_t rows,
                        const char* what) {
  if (rows > 0 && !inputs) throw invalid_argument(std::string(what) + ": inputs is null");
  // rows * widest * sizeof(T) bytes must fit a size_t (without a division on
  // every call: one row's bytes cannot overflow, the network holds them).
  const std::size_t widest = std::max<std::size_t>({net.num_outputs(), net.num_inputs(), 1});
  std::size_t bytes;
  if (__builtin_mul_overflow(rows, widest * sizeof(T), &bytes))
    throw invalid_argument(std::string(what) + ": " + std::to_string(rows) +
                           " rows do not fit in memory (size overflow)");
}

template <class T>
struct Predictor<T>::Impl {
  Workspace<T> ws;  // inference only; capacity: the largest block seen so far
  std::array<std::size_t, predict_block> index{};  // 0, 1, ...: a block's rows from its first
  std::vector<T> out;

  Impl() { std::iota(index.begin(), index.end(), std::size_t{0}); }
};

template <class T>
Predictor<T>::Predictor(const Network<T>& net) : net_(&net), impl_(std::make_unique<Impl>()) {}

template <class T>
Predictor<T>::~Predictor() = default;

template <class T>
Predictor<T>::Predictor(const Predictor& other)
    : net_(other.net_), impl_(other.impl_ ? std::make_unique<Impl>(*other.impl_) : nullptr) {}

template <class T>
Predictor<T>& Predictor<T>::operator=(const Predictor& other) {
  if (this != &other) {
    impl_ = other.impl_ ? std::make_unique<Impl>(*other.impl_) : nullptr;
    net_ = other.net_;
  }
  return *this;
}

template <class T>
Predictor<T>::Predictor(Predictor&& other) noexcept = default;

template <class T>
Predictor<T>& Predictor<T>::operator=(Predictor&& other) noexcept = default;

template <class T>
typename Predictor<T>::Impl& Predictor<T>::impl() {
  if (!impl_) impl_ = std::make_unique<Impl>();  // moved from
  return *impl_;
}

template <class T>
const std::vector<T>& Predictor<T>::predict(const T* inputs, std::size_t rows) {
  check_predict_rows(*net_, inputs, rows, "Predictor::predict");
  std::vector<T>& out = impl().out;
  out.resize(rows * net_->num_outputs());
  predict(inputs, rows, out.data());
  return out;
}

template <class T>
void Predictor<T>::predict(const T* inputs, std::size_t rows, T* out) {
  check_predict_rows(*net_, inputs, rows, "Predictor::predict");
  if (rows == 0) return;
  if (!out) throw invalid_argument("Predictor::predict: out is null");
  const std::size_t NI = net_->num_inputs(), K = net_->num_outputs();
  // A workspace as small as the blocks need: one row through a large network
  // need not pay for x and y of predict_block runs.
  Impl& m = impl();
  const std::size_t widest = std::min(rows, predict_block);
  if (m.ws.capacity() < widest) m.ws = Workspace<T>(*net_, widest, WorkspaceUse::inference);
  for (std::size_t r0 = 0; r0 < rows; r0 += predict_block) {
    const Block<T> block{inputs + r0 * NI, nullptr, m.index.data(),
                         std::min(predict_block, rows - r0)};
    propagate(*net_, block, m.ws);
    read_outputs(*net_, m.ws, out + r0 * K);
  }
}

template class Predictor<float>;
template class Predictor<double>;
template void check_predict_rows<float>(const Network<float>&, const float*, std::size_t,
                                        const char*);
template void check_predict_rows<double>(const Network<double>&, const double*, std::size_t,
                                         const char*);

}  // namespace dagprop
