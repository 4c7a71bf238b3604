// The name tables of the engine's enums (enum_names.hpp): every code and its
// name go both ways, aliases are read but not written, and a code outside a
// table (a cast) is refused by is_valid, and by to_string naming its number;
// the names of activations, losses, reductions and roles round trip and
// unknown names throw.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "dagprop/dagprop.hpp"
#include "dagprop/enum_names.hpp"
#include "engine/activations.hpp"

using namespace dagprop;
using Catch::Matchers::Equals;
using test::all_activations;

TEST_CASE("each engine enum's code and name go both ways", "[enum_names]") {
  CHECK(to_string(Role::input) == "input");
  CHECK(to_string(Role::hidden) == "hidden");
  CHECK(to_string(Role::output) == "output");
  CHECK(parse_role("hidden") == Role::hidden);
  CHECK(to_string(Loss::softmax_ce) == "softmax-ce");
  CHECK(parse_loss("bce") == Loss::bce);
  CHECK(parse_loss("sse") == Loss::sse);
  CHECK(to_string(Reduction::mean) == "mean");
  CHECK(parse_reduction("sum") == Reduction::sum);
  CHECK(to_string(InitScheme::he_normal) == "he-normal");
  CHECK(parse_init("glorot-normal") == InitScheme::glorot_normal);
}

TEST_CASE("an alias is read as its code and written as the code's first name", "[enum_names]") {
  CHECK(parse_init("glorot") == InitScheme::glorot_uniform);
  CHECK(parse_init("he") == InitScheme::he_uniform);
  CHECK(to_string(InitScheme::glorot_uniform) == "glorot-uniform");
  CHECK(to_string(InitScheme::he_uniform) == "he-uniform");
}

TEST_CASE("a code outside its table is invalid and refused by its number", "[enum_names]") {
  CHECK(role_names.is_valid(Role::output));
  CHECK_FALSE(role_names.is_valid(static_cast<Role>(3)));
  CHECK_FALSE(loss_names.is_valid(static_cast<Loss>(200)));
  CHECK_THROWS_WITH(to_string(static_cast<Role>(3)), Equals("unknown role code 3"));
  CHECK_THROWS_WITH(to_string(static_cast<Loss>(200)), Equals("unknown loss code 200"));
  CHECK_THROWS_WITH(to_string(static_cast<Reduction>(2)), Equals("unknown reduction code 2"));
  CHECK_THROWS_AS(to_string(static_cast<InitScheme>(4)), invalid_argument);
  // A number read from a file: only the table's codes come back.
  CHECK(reduction_names.from_number(1) == Reduction::mean);
  CHECK_FALSE(reduction_names.from_number(2).has_value());
  CHECK_FALSE(loss_names.from_number(std::uint64_t{1} << 40).has_value());
}

TEST_CASE("an unknown name is refused with every name the table reads", "[enum_names]") {
  CHECK_FALSE(loss_names.parse("hinge").has_value());
  CHECK_FALSE(role_names.parse("").has_value());
  CHECK_THROWS_WITH(parse_loss("hinge"),
                    Equals("unknown loss 'hinge' (expected sse, softmax-ce or bce)"));
  CHECK_THROWS_WITH(parse_reduction("median"),
                    Equals("unknown reduction 'median' (expected sum or mean)"));
  CHECK_THROWS_WITH(parse_role("bias"),
                    Equals("unknown role 'bias' (expected input, hidden or output)"));
  CHECK_THROWS_WITH(parse_init("orthogonal"),
                    Equals("unknown initialisation 'orthogonal' (expected glorot-uniform, "
                           "glorot, glorot-normal, he-uniform, he or he-normal)"));
}

TEST_CASE("the activation table holds each Fn's name by code, then the aliases",
          "[enum_names][activation]") {
  static_assert(Fn<Activation::softsign>::name == "softsign");
  CHECK(num_activations == 24);  // codes 0-23: model files store them
  CHECK(activation_names.name_of(Activation::identity) == "identity");
  CHECK(activation_names.name_of(Activation::neat_gauss) == "neat_gauss");
  CHECK(activation_names.from_number(14) == Activation::softsign);
  CHECK_FALSE(activation_names.from_number(24).has_value());
  CHECK_FALSE(activation_names.is_valid(static_cast<Activation>(24)));
  CHECK(parse_activation("swish") == Activation::silu);
  CHECK(to_string(Activation::silu) == "silu");
  CHECK_THROWS_WITH(to_string(static_cast<Activation>(24)), Equals("unknown activation code 24"));
  CHECK_THROWS_WITH(parse_activation("mish"),
                    Equals("unknown activation 'mish' (expected identity, sigmoid, tanh, relu, "
                           "leaky_relu, softplus, elu, selu, silu, gelu, gaussian, sin, abs, "
                           "hard_tanh, softsign, square, cube, exp, hat, lelu, neat_sin, "
                           "neat_softplus, neat_sigmoid, neat_gauss, clamped or swish)"));
}

TEST_CASE("names round trip and unknown names throw", "[activation][loss]") {
  for (Activation a : all_activations()) CHECK(parse_activation(to_string(a)) == a);
  CHECK(to_string(Activation::leaky_relu) == "leaky_relu");
  CHECK_THROWS_AS(parse_activation("mish"), invalid_argument);
  CHECK_THROWS_AS(parse_activation(""), invalid_argument);
  CHECK_THROWS_AS(parse_activation("Sigmoid"), invalid_argument);
  for (Loss l : {Loss::sse, Loss::softmax_ce, Loss::bce}) CHECK(parse_loss(to_string(l)) == l);
  CHECK(to_string(Loss::softmax_ce) == "softmax-ce");
  CHECK_THROWS_AS(parse_loss("mse"), invalid_argument);
  for (Reduction r : {Reduction::sum, Reduction::mean}) CHECK(parse_reduction(to_string(r)) == r);
  CHECK_THROWS_AS(parse_reduction("max"), invalid_argument);
  for (Role r : {Role::input, Role::hidden, Role::output}) CHECK(parse_role(to_string(r)) == r);
  CHECK_THROWS_AS(parse_role("bias"), invalid_argument);
}
