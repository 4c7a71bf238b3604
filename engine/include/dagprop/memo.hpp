// Algorithms 1-5 of the memo, one run at a time, written as the memo writes
// them. This is the reference the fast block kernels (engine/src/block.hpp,
// internal) are tested against, and the place to read the algorithm; the
// trainer uses the blocks.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "dagprop/gradient.hpp"
#include "dagprop/loss.hpp"
#include "dagprop/network.hpp"

namespace dagprop {

// Algorithm 2, InitGrad: Δw_ij <- 0, Δb_i <- 0.
template <class T>
void init_grad(Gradient<T>& grad) {
  std::fill(grad.g.begin(), grad.g.end(), T(0));
}

// Algorithm 5, UpdateNN: w_ij <- w_ij - η Δw_ij, b_i <- b_i - η Δb_i (eq. 4-5).
template <class T>
void update_nn(Network<T>& net, const Gradient<T>& grad, T eta) {
  T* theta = net.params().data();
  for (std::size_t k = 0; k < grad.size(); ++k) theta[k] -= eta * grad.g[k];
}

// x, y, v, p of every unit for one run.
template <class T>
struct Run {
  std::vector<T> x, y, v, p;  // [num_units] each
  explicit Run(const Network<T>& n)
      : x(n.num_units()), y(n.num_units()), v(n.num_units()), p(n.num_units()) {}
};

// Propagate, eq. (1)-(2): input[num_inputs] -> x, y of every unit.
template <class T>
void propagate(const Network<T>& net, const T* input, Run<T>& run) {
  for (UnitId i = 0; i < net.num_units(); ++i) {
    if (net.role(i) == Role::input) {  // i in U_1: x_i given, y_i = x_i
      run.x[i] = run.y[i] = input[i];
      continue;
    }
    T x = net.b()[i];  // x_i = sum_{j in S_i} w_ij y_j + b_i
    for (std::size_t c = net.first(i); c < net.first(i + 1); ++c)
      x += net.w()[c] * run.y[net.source(c)];
    run.x[i] = x;
    run.y[i] = activate(net.activation(i), x);  // y_i = f_i(x_i)
  }
}

// Algorithm 4, InitParam: p_i <- 0, v_i <- f'_i(x_i).
template <class T>
void init_param(const Network<T>& net, Run<T>& run) {
  for (UnitId i = 0; i < net.num_units(); ++i) {
    run.p[i] = T(0);
    run.v[i] = derivative(net.activation(i), run.x[i], run.y[i]);
  }
}

// Algorithm 3, BackPropagate: adds this run's ∂E/∂w_ij, ∂E/∂b_i into grad
// (times `scale`: 1 for the memo's sum, 1/|L| for a mean) and returns E.
// Afterwards run.p of an input unit is ∂E/∂x of that input.
template <class T>
double back_propagate(const Network<T>& net, const T* input, const T* target, Loss loss,
                      Run<T>& run, Gradient<T>& grad, T scale = T(1)) {
  propagate(net, input, run);
  init_param(net, run);
  const std::size_t K = net.num_outputs();
  std::vector<T> xo(K), yo(K), dEdy(K);
  for (std::size_t k = 0; k < K; ++k) xo[k] = run.x[net.output(k)], yo[k] = run.y[net.output(k)];
  const double E = loss_gradient(loss, K, xo.data(), yo.data(), target, dEdy.data());
  for (std::size_t k = 0; k < K; ++k) run.p[net.output(k)] = scale * dEdy[k];  // p_i <- ∂E/∂y_i
  if (fuses_output_activation(loss))  // bce: p_i v_i <- ∂E/∂x_i where no unit reads y_i (loss.hpp)
    for (std::size_t k = 0; k < K; ++k)
      if (net.is_sink(net.output(k))) {
        run.p[net.output(k)] = scale * fused_output_delta(loss, xo[k], target[k]);
        run.v[net.output(k)] = T(1);
      }
  for (UnitId i = net.num_units(); i-- > net.num_inputs();) {  // n = N downto 2
    run.p[i] *= run.v[i];                                      // p_i <- p_i v_i
    for (std::size_t c = net.first(i); c < net.first(i + 1); ++c) {
      const UnitId j = net.source(c);
      run.p[j] += run.p[i] * net.w()[c];    // p_j <- p_j + p_i w_ij
      grad.dw()[c] += run.p[i] * run.y[j];  // Δw_ij <- Δw_ij + p_i y_j
    }
    grad.db()[i] += run.p[i];  // Δb_i <- Δb_i + p_i
  }
  return E;
}

// Algorithm 1, TrainNN, on the runs rows[0..n) of (inputs, targets), one
// after another: InitGrad, BackPropagate per run, UpdateNN. Returns E_L (eq. 8).
template <class T>
double train_nn(Network<T>& net, const T* inputs, const T* targets, const std::size_t* rows,
                std::size_t n, Loss loss, T eta) {
  Gradient<T> grad(net);
  Run<T> run(net);
  init_grad(grad);
  double E = 0;
  for (std::size_t l = 0; l < n; ++l)
    E += back_propagate(net, inputs + rows[l] * net.num_inputs(),
                        targets + rows[l] * net.num_outputs(), loss, run, grad);
  update_nn(net, grad, eta);
  return E;
}

}  // namespace dagprop
