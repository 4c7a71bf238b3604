// The parts of Optimizer that are the same for every optimizer.
#include "dagprop/optimizer.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "dagprop/error.hpp"

namespace dagprop {

template <class T>
void Optimizer<T>::set_learning_rate(double eta) {
  // In this order, the cast to T only sees values in T's range.
  if (!(eta > 0) || !(eta <= static_cast<double>(std::numeric_limits<T>::max())) ||
      !(static_cast<T>(eta) > 0)) {
    std::ostringstream s;
    s << "learning rate must be positive and finite" << (sizeof(T) == 4 ? " in float" : "")
      << ", got " << eta;
    throw invalid_argument(s.str());
  }
  learning_rate_ = eta;
}

template <class T>
void Optimizer<T>::set_state(const OptimizerState<T>& s) {
  if (s.name != name())
    throw invalid_argument("optimizer state is for '" + s.name + "', not '" + name() + "'");
  if (s.scalars.size() != 1 || !s.buffers.empty())
    throw invalid_argument("optimizer state of '" + name() + "' has the wrong shape");
  set_learning_rate(s.scalars[0]);
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace dagprop
