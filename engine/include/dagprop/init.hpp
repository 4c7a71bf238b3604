// Seeded initialisation of weights by fan-in |S_i| (He) or by fan-in and
// fan-out (Glorot), uniform or normal. Biases start at zero.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dagprop/enum_names.hpp"

#include "dagprop/random.hpp"
#include "dagprop/topology.hpp"

namespace dagprop {

enum class InitScheme : std::uint8_t { glorot_uniform, glorot_normal, he_uniform, he_normal };
// "glorot" and "he" are read as their uniform forms.
inline constexpr EnumNames<InitScheme, 6> init_scheme_names{
    "initialisation",
    {{InitScheme::glorot_uniform, "glorot-uniform"},
     {InitScheme::glorot_uniform, "glorot"},
     {InitScheme::glorot_normal, "glorot-normal"},
     {InitScheme::he_uniform, "he-uniform"},
     {InitScheme::he_uniform, "he"},
     {InitScheme::he_normal, "he-normal"}}};

std::string_view to_string(InitScheme s);
// "glorot", "glorot-uniform", "glorot-normal", "he", "he-uniform", "he-normal".
InitScheme parse_init(std::string_view name);

// For unit i with fan_in = |S_i| and fan_out = the mean |D_j| over j in S_i
// (the width of the next layer in a layered net):
//   glorot: uniform(±sqrt(6 / (fan_in + fan_out))) or normal(0, sqrt(2 / (fan_in + fan_out)))
//   he:     uniform(±sqrt(6 / fan_in))             or normal(0, sqrt(2 / fan_in))
// Weights are drawn unit by unit in Topology id order, then connection order.
void initialize(Topology& t, InitScheme scheme, std::uint64_t seed);

// The distribution initialize() draws the weights into unit i from, for i's
// fan-in and fan-out in t as they are now (uniform(±a) or normal(0, sd)); a
// unit with no upstream unit gets the one of fan-in 1.
struct WeightDistribution {
  bool uniform = true;
  double a = 0.0, sd = 0.0;
  double draw(SplitMix64& rng) const { return uniform ? rng.uniform(-a, a) : sd * rng.normal(); }
};
WeightDistribution weight_distribution(const Topology& t, UnitId i, InitScheme scheme);

}  // namespace dagprop
