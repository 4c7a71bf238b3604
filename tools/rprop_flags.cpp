// The --rprop-* flags of `dagprop train` and the checks of the flags that go
// with --optimizer irprop- (see rprop_flags.hpp); the optimizer itself is
// dagprop::IRpropMinus (optimizer.hpp).
#include "rprop_flags.hpp"

#include <cstddef>
#include <iterator>
#include <limits>

#include "dagprop/schedule.hpp"

namespace dagprop::cli {

namespace {

// The flags in the order of IRpropMinus's state scalars [Δ0, η+, η-, Δmin, Δmax].
struct Flag {
  const char* name;
  double OptimizerOptions::*value;
  const char* what;
};
const Flag flags[] = {
    {"rprop-delta0", &OptimizerOptions::rprop_delta0, "irprop-: Δ0, every parameter's first step"},
    {"rprop-increase", &OptimizerOptions::rprop_increase,
     "irprop-: η+ > 1, the step's growth while a gradient keeps its sign"},
    {"rprop-decrease", &OptimizerOptions::rprop_decrease,
     "irprop-: η- in (0, 1), the step's shrinking when a gradient changes sign"},
    {"rprop-delta-min", &OptimizerOptions::rprop_delta_min, "irprop-: Δmin >= 0, the least step"},
    {"rprop-delta-max", &OptimizerOptions::rprop_delta_max, "irprop-: Δmax, the largest step"},
};

}  // namespace

void add_rprop_options(po::options_description& desc, OptimizerOptions& o) {
  for (const Flag& f : flags)
    desc.add_options()(
        f.name, po::value(&(o.*f.value))->default_value(o.*f.value, number(o.*f.value)), f.what);
}

void check_rprop_flags(const TrainArgs& a) {
  // A resumed run's optimizer is its checkpoint's: check_resume_rprop_flags.
  if (!a.resume.empty() && !a.given.count("optimizer")) return;
  const OptimizerOptions& o = a.optimizer;
  const bool irprop = o.name == "irprop-";
  for (const Flag& f : flags)
    if (a.given.count(f.name) && !irprop)
      throw usage_error(std::string("--") + f.name + ": only the irprop- optimizer uses it, but " +
                        "--optimizer is '" + o.name + "'");
  if (!irprop) return;
  for (const char* flag : {"lr", "weight-decay"})
    if (a.given.count(flag))
      throw usage_error(std::string("--") + flag + ": irprop- has no " +
                        (flag[0] == 'l' ? "learning rate" : "weight decay") +
                        " (its steps are --rprop-delta0 ... --rprop-delta-max)");
  if (a.schedule.kind != Schedule::Kind::constant)
    throw usage_error("--schedule " + a.schedule_spec +
                      ": irprop- has no learning rate for a schedule to scale");
  if (!(o.rprop_increase > 1))
    throw usage_error("--rprop-increase: expected a factor > 1, got " + number(o.rprop_increase));
  if (!(o.rprop_decrease > 0 && o.rprop_decrease < 1))
    throw usage_error("--rprop-decrease: expected a factor in (0, 1), got " +
                      number(o.rprop_decrease));
  if (!(o.rprop_delta_min >= 0))
    throw usage_error("--rprop-delta-min: expected >= 0, got " + number(o.rprop_delta_min));
  if (!(o.rprop_delta_max >= o.rprop_delta_min))
    throw usage_error("--rprop-delta-max " + number(o.rprop_delta_max) +
                      ": expected at least --rprop-delta-min " + number(o.rprop_delta_min));
  if (a.precision == "float" &&
      !(o.rprop_delta_max <= static_cast<double>(std::numeric_limits<float>::max())))
    throw usage_error("--rprop-delta-max " + number(o.rprop_delta_max) +
                      ": expected a number that float holds (--precision float)");
  if (!(o.rprop_delta0 > 0 && o.rprop_delta0 >= o.rprop_delta_min &&
        o.rprop_delta0 <= o.rprop_delta_max))
    throw usage_error(
        "--rprop-delta0: expected > 0 and within [--rprop-delta-min, "
        "--rprop-delta-max] = [" +
        number(o.rprop_delta_min) + ", " + number(o.rprop_delta_max) + "], got " +
        number(o.rprop_delta0));
}

void check_resume_rprop_flags(const TrainArgs& a, const std::string& optimizer,
                              bool has_learning_rate, const std::vector<double>& scalars) {
  if (!has_learning_rate && a.given.count("lr"))
    throw usage_error("--lr: the checkpoint's optimizer " + optimizer + " has no learning rate");
  if (optimizer != "irprop-") {
    for (const Flag& f : flags)
      if (a.given.count(f.name))
        throw usage_error(std::string("--") + f.name +
                          ": only the irprop- optimizer uses it, but the checkpoint's is " +
                          optimizer);
    return;
  }
  for (std::size_t k = 0; k < std::size(flags) && k < scalars.size(); ++k) {
    const Flag& f = flags[k];
    if (a.given.count(f.name) && a.optimizer.*f.value != scalars[k])
      throw usage_error(std::string("--") + f.name + " " + number(a.optimizer.*f.value) +
                        " differs from the checkpoint's " + number(scalars[k]) +
                        ": a resumed run keeps the training options of its checkpoint (leave --" +
                        f.name + " out)");
  }
}

}  // namespace dagprop::cli
