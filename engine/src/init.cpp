// Weight initialisation (see init.hpp).
#include "dagprop/init.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "dagprop/error.hpp"
#include "dagprop/random.hpp"

namespace dagprop {

std::string_view to_string(InitScheme s) {
  return init_scheme_names.name_of(s);
}

InitScheme parse_init(std::string_view name) {
  return init_scheme_names.read(name);
}

namespace {

void check_scheme(InitScheme scheme, const char* what) {
  if (!init_scheme_names.is_valid(scheme))
    throw invalid_argument(std::string(what) + ": scheme code " +
                           std::to_string(static_cast<int>(scheme)) +
                           " is not an initialisation scheme");
}

WeightDistribution distribution(const Topology& t, const std::vector<UnitId>& sources,
                                InitScheme scheme) {
  const auto& g = t.graph();
  const double fan_in = static_cast<double>(std::max<std::size_t>(sources.size(), 1));
  double fan_out = sources.empty() ? 1.0 : 0.0;
  for (UnitId j : sources) fan_out += static_cast<double>(boost::out_degree(j, g));
  fan_out /= fan_in;
  const bool glorot = scheme == InitScheme::glorot_uniform || scheme == InitScheme::glorot_normal;
  const double denom = glorot ? fan_in + fan_out : fan_in;
  WeightDistribution d;
  d.uniform = scheme == InitScheme::glorot_uniform || scheme == InitScheme::he_uniform;
  d.a = std::sqrt(6.0 / denom);
  d.sd = std::sqrt(2.0 / denom);
  return d;
}

}  // namespace

WeightDistribution weight_distribution(const Topology& t, UnitId i, InitScheme scheme) {
  check_scheme(scheme, "weight_distribution");
  return distribution(t, t.upstream(i), scheme);
}

void initialize(Topology& t, InitScheme scheme, std::uint64_t seed) {
  check_scheme(scheme, "initialize");
  SplitMix64 rng(seed);
  for (UnitId i = 0; i < t.num_units(); ++i) {
    if (t.role(i) == Role::input) continue;
    t.set_bias(i, 0.0);
    const auto sources = t.upstream(i);
    if (sources.empty()) continue;
    const WeightDistribution d = distribution(t, sources, scheme);
    t.for_each_upstream(i, [&](UnitId, double& w) { w = d.draw(rng); });
  }
}

}  // namespace dagprop
