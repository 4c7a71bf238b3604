// Graphviz DOT (io/dot.hpp): Topology -> DOT -> Topology -> DOT keeps names,
// roles, activations, numbering and bit-exact values; hand-written files get
// the documented defaults and numbering; errors name the source and the node.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"
#include "engine/random_dag.hpp"
#include "temp_dir.hpp"

using namespace dagprop;

namespace {

Topology from_text(const std::string& text, std::uint64_t seed = 1) {
  std::istringstream in(text);
  return io::read_dot(in, "test.dot", InitScheme::glorot_uniform, seed);
}

std::string to_text(const Topology& t) {
  std::ostringstream out;
  io::write_dot(out, t);
  return out.str();
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

void require_same(const Topology& a, const Topology& b) {
  REQUIRE(a.num_units() == b.num_units());
  REQUIRE(a.num_connections() == b.num_connections());
  REQUIRE(a.num_inputs() == b.num_inputs());
  REQUIRE(a.num_outputs() == b.num_outputs());
  for (UnitId i = 0; i < a.num_units(); ++i) {
    INFO("unit " << i << " " << a.label(i));
    CHECK(a.name(i) == b.name(i));
    CHECK(a.role(i) == b.role(i));
    if (a.role(i) != Role::input) CHECK(a.activation(i) == b.activation(i));
    if (a.role(i) != Role::hidden) CHECK(a.index(i) == b.index(i));
    if (a.role(i) != Role::input) CHECK(same_bits(a.bias(i), b.bias(i)));
    for (UnitId j : a.upstream(i)) {
      REQUIRE(b.connected(j, i));
      CHECK(same_bits(a.weight(j, i), b.weight(j, i)));
    }
  }
}

}  // namespace

TEST_CASE("DOT round trip keeps everything, bit-exactly", "[io][dot]") {
  const auto seed = GENERATE(1u, 2u, 3u, 4u, 5u);
  Topology t = test::random_dag(seed, Loss::sse).topology;
  t.set_bias(t.num_units() - 1, 1.0 / 3.0);
  t.set_name(0, "");  // an unnamed unit (drawn with its id)
  t.set_name(1, "with space \"quoted\"");
  const std::string text = to_text(t);
  const Topology back = from_text(text, 999);  // every value explicit: the seed must not matter
  require_same(t, back);
  CHECK(to_text(back) == text);
  // the compiled networks are the same, parameter for parameter
  const auto na = compile<double>(t), nb = compile<double>(back);
  CHECK(std::memcmp(na.params().data(), nb.params().data(), na.params().size() * sizeof(double)) ==
        0);
}

TEST_CASE("DOT of a float network reads back to the same float network", "[io][dot]") {
  const Network<float> net = compile<float>(test::random_dag(8, Loss::sse).topology);
  std::ostringstream out;
  io::write_dot(out, net);
  const Network<float> back = compile<float>(from_text(out.str()));
  REQUIRE(back.params().size() == net.params().size());
  CHECK(std::memcmp(back.params().data(), net.params().data(),
                    net.params().size() * sizeof(float)) == 0);
}

TEST_CASE("DOT written has the documented attributes", "[io][dot]") {
  Topology t;
  const UnitId x = t.add_input("x");
  const UnitId y = t.add_output(Activation::sigmoid, "y", 0.5);
  t.connect(x, y, -0.1);
  const std::string text = to_text(t);
  CHECK_THAT(text, Catch::Contains("digraph"));
  // Only what a unit has: no activation or bias on an input, no empty attribute.
  CHECK_THAT(text, Catch::Contains("x [index=0, label=x, role=input, shape=box]"));
  CHECK_THAT(text, Catch::Contains("y [activation=sigmoid, bias=0.5, index=0, label=y, "
                                   "xlabel=sigmoid, role=output"));
  CHECK_THAT(text, !Catch::Contains("\"\""));
  CHECK_THAT(text, Catch::Contains("bias=0.5"));
  CHECK_THAT(text, Catch::Contains("role=output"));
  CHECK_THAT(text, Catch::Contains("x->y  [weight=-0.1]"));
}

TEST_CASE("hand-written DOT: defaults, numbering by first appearance, initialisation",
          "[io][dot]") {
  const std::string text = R"(// a hand-written net
digraph net {
  rankdir=LR;
  x2 [role=input];  x10 [role=input]
  /* x1 is numbered explicitly */
  x1 [role=input, index=0];
  h [bias=0.25];
  "out b" [role=output]; out_a [role=output, activation=softmax_dummy_removed]
}
)";
  // the line above holds a bad activation: it is rejected, naming the node
  REQUIRE_THROWS_WITH(from_text(text), Catch::Contains("test.dot") && Catch::Contains("out_a") &&
                                           Catch::Contains("softmax_dummy_removed"));
  const std::string good = R"(digraph net {
  rankdir=LR;
  x2 [role=input];  x10 [role=input]
  x1 [role=input, index=0];
  h [bias=0.25];
  "out b" [role=output]; out_a [role=output, activation=tanh, label="A"]
  x2 -> h [weight=1.5]; x10 -> h; x1 -> h;
  h -> "out b"; h -> out_a [weight=-2]; x1 -> out_a
}
)";
  const Topology t = from_text(good, 5);
  REQUIRE(t.num_units() == 6);
  // ids in order of first appearance
  CHECK(t.name(0) == "x2");
  CHECK(t.name(1) == "x10");
  CHECK(t.name(2) == "x1");
  CHECK(t.name(3) == "h");
  CHECK(t.name(4) == "out b");
  CHECK(t.name(5) == "A");
  // x1 has index 0; the others follow in order of appearance
  CHECK(t.index(2) == 0);
  CHECK(t.index(0) == 1);
  CHECK(t.index(1) == 2);
  CHECK(t.index(4) == 0);
  CHECK(t.index(5) == 1);
  CHECK(t.activation(3) == Activation::relu);      // hidden default, as `new`
  CHECK(t.activation(4) == Activation::identity);  // output default
  CHECK(t.activation(5) == Activation::tanh);
  CHECK(t.bias(3) == 0.25);
  CHECK(t.bias(4) == 0.0);
  CHECK(t.weight(0, 3) == 1.5);
  CHECK(t.weight(3, 5) == -2.0);
  // missing weights come from initialize(topology, scheme, seed)
  Topology expected = t;
  initialize(expected, InitScheme::glorot_uniform, 5);
  CHECK(t.weight(1, 3) == expected.weight(1, 3));
  CHECK(t.weight(2, 5) == expected.weight(2, 5));
  CHECK(t.weight(1, 3) != 0.0);
  CHECK(from_text(good, 6).weight(1, 3) != t.weight(1, 3));
}

TEST_CASE("DOT errors name the source and the node or edge", "[io][dot]") {
  struct Case {
    std::string text, node, why;
  };
  const Case cases[] = {
      {"digraph { a [role=input]; b [role=boss]; a -> b }", "'b'", "boss"},
      {"digraph { a [role=input]; b [role=output, activation=mish]; a -> b }", "'b'", "mish"},
      {"digraph { a [role=input]; b [role=output]; a -> b [weight=abc] }", "'a' -> 'b'", "abc"},
      {"digraph { a [role=input]; b [role=output]; a -> b [weight=nan] }", "'a' -> 'b'", "nan"},
      {"digraph { a [role=input]; b [role=output, bias=\"1x\"]; a -> b }", "'b'", "1x"},
      {"digraph { a [role=input, index=0]; c [role=input, index=0]; b [role=output]; a -> b; "
       "c -> b }",
       "'c'", "already taken by node 'a'"},
      {"digraph { a [role=input, index=3]; b [role=output]; a -> b }", "'a'", "out of range"},
      {"digraph { a [role=input, index=-1]; b [role=output]; a -> b }", "'a'", "-1"},
      {"digraph { a [role=input]; b [role=output]; a -> b; b -> c; c -> b }", "", "cycle"},
      {"digraph { a [role=input]; b [role=output]; a -> b; a -> b }", "", "duplicate"},
      {"digraph { a [role=input]; b [role=output]; a -> ", "", "DOT syntax"},
      {"graph { a -- b }", "", "digraph"},
      {"not dot at all", "", "test.dot"},
      {"", "", "test.dot"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    REQUIRE_THROWS_AS(from_text(c.text), io_error);
    CHECK_THROWS_WITH(from_text(c.text), Catch::Contains("test.dot") && Catch::Contains(c.node) &&
                                             Catch::Contains(c.why));
  }
}

TEST_CASE("read_dot from a file names the path", "[io][dot]") {
  const test::TempDir dir("io-dot");
  const std::string path = dir.file("net.dot");
  Topology t = test::random_dag(2, Loss::sse).topology;
  std::ofstream(path) << to_text(t);
  require_same(t, io::read_dot(path));
  REQUIRE_THROWS_WITH(io::read_dot(dir.file("missing.dot")), Catch::Contains("missing.dot"));
  Topology bad = t;
  bad.set_name(0, "back\\slash");  // carried exactly since issue 11
  std::ostringstream out;
  io::write_dot(out, bad);
  std::istringstream in(out.str());
  CHECK(io::read_dot(in, "back.dot").name(0) == "back\\slash");
  bad.set_name(0, "slash at the end\\");  // not carried: refused
  REQUIRE_THROWS_AS(io::write_dot(out, bad), io_error);
}
