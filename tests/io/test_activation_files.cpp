// Files keep every activation: model files (text, binary and XML archives, in
// float and double) and DOT round trips of a network that uses each of them;
// a model file's activation code past the last is refused; DOT reads
// NEAT-python's "clamped" as hard_tanh. The values of f and f' are tested in
// tests/engine/test_activations.cpp.
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/io/model.hpp"
#include "io/require_io_error.hpp"
#include "temp_dir.hpp"

using namespace dagprop;
using dagprop::io::ArchiveKind;

namespace {

std::string temp_path(const std::string& name) {
  static const test::TempDir dir("io-activations");  // one per test process
  return dir.file(name);
}

using test::read_bytes;

// Inputs a, b; one hidden unit per activation, by code, each fed by both
// inputs and by the one before it; outputs gelu and hard_tanh fed by every
// hidden unit. Seeded weights, distinct biases.
Topology every_activation() {
  Topology t;
  const UnitId a = t.add_input("a"), b = t.add_input("b");
  std::vector<UnitId> hidden;
  for (std::size_t k = 0; k < num_activations; ++k) {
    const auto f = static_cast<Activation>(k);
    const UnitId i = t.add_unit(f, Role::hidden, "h_" + std::string(to_string(f)));
    t.connect(a, i);
    t.connect(b, i);
    if (!hidden.empty()) t.connect(hidden.back(), i);
    hidden.push_back(i);
  }
  const UnitId o0 = t.add_output(Activation::gelu, "o0");
  const UnitId o1 = t.add_output(Activation::hard_tanh, "o1");
  for (UnitId j : hidden) {
    t.connect(j, o0);
    t.connect(j, o1);
  }
  initialize(t, InitScheme::glorot_uniform, 7);
  for (UnitId i = 2; i < t.num_units(); ++i)
    t.set_bias(i, 0.1 / static_cast<double>(i) - 0.03);  // values that need every digit
  return t;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

}  // namespace

TEMPLATE_TEST_CASE("model files keep every activation in every archive kind",
                   "[io][model][activation]", float, double) {
  const auto kind = GENERATE(ArchiveKind::text, ArchiveKind::binary, ArchiveKind::xml);
  INFO("archive kind " << static_cast<int>(kind));
  const Network<TestType> net = compile<TestType>(every_activation());
  const std::string path = temp_path("every.dpn");
  io::save_network(path, net, kind);
  const Network<TestType> back = io::load_network<TestType>(path);
  REQUIRE(back.num_units() == net.num_units());
  REQUIRE(back.outputs() == net.outputs());
  std::vector<int> hidden_with(num_activations, 0);
  for (UnitId i = 0; i < net.num_units(); ++i) {
    INFO("unit " << net.name(i));
    CHECK(back.name(i) == net.name(i));
    CHECK(back.role(i) == net.role(i));
    CHECK(back.activation(i) == net.activation(i));
    if (back.role(i) == Role::hidden) ++hidden_with[static_cast<std::size_t>(back.activation(i))];
  }
  for (std::size_t k = 0; k < num_activations; ++k) {
    INFO(to_string(static_cast<Activation>(k)));
    CHECK(hidden_with[k] == 1);
  }
  CHECK(same_bits(back.params(), net.params()));
  // And it computes the same, bit for bit.
  const TestType inputs[] = {TestType(0.5), TestType(-1.25), TestType(2), TestType(0.3)};
  CHECK(same_bits(predict(back, inputs, 2, 1), predict(net, inputs, 2, 1)));
}

TEST_CASE("a model file whose activation code is past the last is refused",
          "[io][model][activation]") {
  // x -> h (the last code) -> y
  const auto last_activation = static_cast<Activation>(num_activations - 1);
  Topology t;
  const UnitId x = t.add_input("x");
  const UnitId h = t.add_unit(last_activation, Role::hidden, "h", 0.25);
  const UnitId y = t.add_output(Activation::identity, "y", -0.5);
  t.connect(x, h, 0.75);
  t.connect(h, y, 1.5);
  const std::string path = temp_path("codes.dpn");
  io::save_network(path, compile<double>(t), ArchiveKind::xml);
  const std::string payload = io::decode_file(read_bytes(path), path).payload;
  const std::string last = "<activation>" + std::to_string(num_activations - 1) + "</activation>";
  const std::size_t at = payload.find(last);
  REQUIRE(at != std::string::npos);
  // The same payload behind valid CRCs loads; with the code one past the last it is refused.
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      << io::encode_file(io::FileContent::model, ArchiveKind::xml, 8, payload);
  CHECK(io::load_network<double>(path).activation(1) == last_activation);
  std::string past = payload;
  past.replace(at, last.size(), "<activation>" + std::to_string(num_activations) + "</activation>");
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      << io::encode_file(io::FileContent::model, ArchiveKind::xml, 8, past);
  test::require_io_error([&] { io::load_network<double>(path); },
                         {"codes.dpn", "activation", std::to_string(num_activations).c_str()});
}

TEST_CASE("DOT keeps every activation, by name", "[io][dot][activation]") {
  const Topology t = every_activation();
  std::ostringstream out;
  io::write_dot(out, t);
  const std::string text = out.str();
  for (std::size_t k = 0; k < num_activations; ++k) {
    const std::string name(to_string(static_cast<Activation>(k)));
    CHECK_THAT(text, Catch::Contains("activation=" + name + ","));
  }
  std::istringstream in(text);
  const Topology back = io::read_dot(in, "every.dot", InitScheme::glorot_uniform, 99);
  REQUIRE(back.num_units() == t.num_units());
  REQUIRE(back.num_connections() == t.num_connections());
  for (UnitId i = 0; i < t.num_units(); ++i) {
    INFO("unit " << t.name(i));
    CHECK(back.name(i) == t.name(i));
    CHECK(back.role(i) == t.role(i));
    if (t.role(i) != Role::input) CHECK(back.activation(i) == t.activation(i));
  }
  std::ostringstream again;
  io::write_dot(again, back);
  CHECK(again.str() == text);
  const auto a = compile<double>(t), b = compile<double>(back);
  CHECK(same_bits(a.params(), b.params()));
  for (UnitId i = 0; i < a.num_units(); ++i) CHECK(a.activation(i) == b.activation(i));
}

TEST_CASE("DOT reads the new activations and NEAT-python's \"clamped\"", "[io][dot][activation]") {
  std::istringstream in(R"(digraph {
    a [role=input];
    h [activation=clamped]; s [activation=silu]; g [activation=gaussian];
    y [role=output, activation=softsign];
    a -> h -> y; a -> s -> y; a -> g -> y
  })");
  const Topology t = io::read_dot(in, "neat.dot");
  REQUIRE(t.num_units() == 5);
  CHECK(t.activation(1) == Activation::hard_tanh);
  CHECK(t.activation(2) == Activation::silu);
  CHECK(t.activation(3) == Activation::gaussian);
  CHECK(t.activation(4) == Activation::softsign);
  std::ostringstream out;
  io::write_dot(out, t);
  CHECK_THAT(out.str(), Catch::Contains("activation=hard_tanh"));  // the canonical name
  CHECK_THAT(out.str(), !Catch::Contains("clamped"));
}
