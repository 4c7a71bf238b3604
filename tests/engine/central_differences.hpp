// Test helper: the gradient of every parameter of a network checked against
// central differences of a loss, (E(θ_k + h) - E(θ_k - h)) / 2h, with the
// tolerance close() of tolerance.hpp: |a - n| <= atol + rtol max(|a|, |n|).
// Input units have no bias and are skipped.
#pragma once

#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>

#include "dagprop/dagprop.hpp"
#include "tolerance.hpp"

namespace dagprop::test {

struct DifferenceCount {
  std::size_t checked = 0;  // parameters compared
  std::size_t nonzero = 0;  // of which the numeric derivative exceeds 1e-6
};

// CHECKs grad.g[k] against central differences of loss_of(net) for every
// parameter k; net's parameters are restored afterwards.
template <class LossOf>
DifferenceCount check_central_differences(Network<double>& net, const Gradient<double>& grad,
                                          const LossOf& loss_of, double h, double rtol,
                                          double atol) {
  DifferenceCount count;
  for (std::size_t k = 0; k < net.params().size(); ++k) {
    if (k >= net.num_connections() && net.role(k - net.num_connections()) == Role::input) continue;
    const double saved = net.params()[k];
    net.params()[k] = saved + h;
    const double up = loss_of(net);
    net.params()[k] = saved - h;
    const double down = loss_of(net);
    net.params()[k] = saved;
    const double numeric = (up - down) / (2 * h);
    INFO("parameter " << k << " of " << net.params().size() << ": " << grad.g[k] << " against "
                      << numeric);
    CHECK(close(grad.g[k], numeric, rtol, atol));
    ++count.checked;
    count.nonzero += std::abs(numeric) > 1e-6;
  }
  return count;
}

}  // namespace dagprop::test
