// Loss functions E of one run (eq. 3) and their gradients dE/dy_i of the output
// units (eq. 15), the only part of back-propagation that depends on the loss.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dagprop/enum_names.hpp"

namespace dagprop {

enum class Loss : std::uint8_t {
  sse,         // 1/2 |y - y*|^2, eq. (3); dE/dy = y - y*, eq. (15)
  softmax_ce,  // -sum d_k log softmax(y)_k; dE/dy = softmax(y) sum(d) - d
  bce,         // -sum d log y + (1 - d) log(1 - y) on sigmoid outputs
};

// How the runs of a mini-batch are combined: the memo's sum (eq. 8) or the mean.
enum class Reduction : std::uint8_t { sum, mean };

inline constexpr EnumNames<Loss, 3> loss_names{
    "loss", {{Loss::sse, "sse"}, {Loss::softmax_ce, "softmax-ce"}, {Loss::bce, "bce"}}};
inline constexpr EnumNames<Reduction, 2> reduction_names{
    "reduction", {{Reduction::sum, "sum"}, {Reduction::mean, "mean"}}};

std::string_view to_string(Loss l);
Loss parse_loss(std::string_view name);  // "sse", "softmax-ce", "bce"
std::string_view to_string(Reduction r);
Reduction parse_reduction(std::string_view name);  // "sum", "mean"

// E of one run with K outputs, and dE/dy_k into dEdy[k] (when not null).
// x and y are the outputs' inputs and outputs; bce reads x for a value that
// stays finite however saturated the sigmoid is.
template <class T>
double loss_gradient(Loss loss, std::size_t K, const T* x, const T* y, const T* target, T* dEdy);

// Whether BackPropagate may differentiate the loss together with the output's
// activation: bce on sigmoid outputs, whose ∂E/∂x = σ(x) - d. Through
// dE/dy · v, with v = y (1 - y) (eq. 16), the product is 0 where the sigmoid
// rounds to 0 or 1 -- where the output is most wrong -- so for an output that
// feeds no other unit (Network::is_sink) BackPropagate sets p = ∂E/∂x, v = 1.
constexpr bool fuses_output_activation(Loss loss) {
  return loss == Loss::bce;
}

// ∂E/∂x of one output for a loss that fuses_output_activation: σ(x) - d,
// with σ computed in double from x.
template <class T>
T fused_output_delta(Loss loss, T x, T target);

// Whether output values y (K of them) classify the run as its target does:
// argmax for softmax_ce and sse, every output on the right side of 0.5 for bce.
template <class T>
bool correct(Loss loss, std::size_t K, const T* y, const T* target);

}  // namespace dagprop
