// DOT's grammar as read_dot parses it (io/src/dot_parser.hpp): the scoping of
// node and edge defaults, subgraphs as edge endpoints, named subgraphs
// reopened, ports, graph attributes of subgraphs, and the edge cap. Each
// expected network is the one Graphviz's language reference gives the text.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"
#include "io/require_io_error.hpp"

using namespace dagprop;

namespace {

Topology read(const std::string& text) {
  std::istringstream in(text);
  return io::read_dot(in, "g.dot", InitScheme::glorot_uniform, 1);
}

UnitId unit(const Topology& t, const std::string& name) {
  const auto u = t.find(name);
  REQUIRE(u);
  return *u;
}

}  // namespace

TEST_CASE("DOT grammar: node defaults hold in their subgraph, from where they are given",
          "[io][dot][dot_grammar]") {
  const Topology t = read(R"(digraph {
    node [activation=tanh];
    x [role=input];
    subgraph s { node [activation=sigmoid]; h1 }
    h2;                                   // after s: tanh again
    node [activation=softsign];
    y [role=output, activation=identity]  // its own attribute wins
    x -> {h1 h2} -> y
    h1 [activation=gelu]                  // given later, still its own
  })");
  REQUIRE(t.num_units() == 4);
  CHECK(t.activation(unit(t, "h2")) == Activation::tanh);
  CHECK(t.activation(unit(t, "h1")) == Activation::gelu);
  CHECK(t.activation(unit(t, "y")) == Activation::identity);
  // the order of first mention: x, h1, h2, y
  CHECK(t.name(0) == "x");
  CHECK(t.name(1) == "h1");
  CHECK(t.name(2) == "h2");
  CHECK(t.name(3) == "y");
  CHECK(t.num_connections() == 4);
  for (const char* from : {"h1", "h2"}) {
    CHECK(t.connected(unit(t, "x"), unit(t, from)));
    CHECK(t.connected(unit(t, from), unit(t, "y")));
  }
}

TEST_CASE("DOT grammar: edge defaults, chains and subgraph endpoints", "[io][dot][dot_grammar]") {
  const Topology t = read(R"(digraph {
    a [role=input]; b [role=input]; y [role=output];
    edge [weight=2];
    subgraph ins { a b }
    subgraph ins -> h;                    // a named subgraph: its nodes
    h -> y [weight=-0.5];
    subgraph ins { edge [weight=7]; a -> y }  // reopened: its own edge default
    b -> y                                // the root's default again
  })");
  REQUIRE(t.num_connections() == 5);
  const UnitId a = unit(t, "a"), b = unit(t, "b"), h = unit(t, "h"), y = unit(t, "y");
  CHECK(t.weight(a, h) == 2.0);
  CHECK(t.weight(b, h) == 2.0);
  CHECK(t.weight(h, y) == -0.5);
  CHECK(t.weight(a, y) == 7.0);
  CHECK(t.weight(b, y) == 2.0);
}

TEST_CASE("DOT grammar: nodes an edge names inside a subgraph belong to it",
          "[io][dot][dot_grammar]") {
  // Graphviz: `x -> {h1 -> h2}` is x -> h1, x -> h2 and h1 -> h2
  const Topology t = read(R"(digraph {
    x [role=input]; y [role=output];
    x -> { h1 -> h2 } [weight=3];
    h2 -> y
  })");
  const UnitId x = unit(t, "x"), h1 = unit(t, "h1"), h2 = unit(t, "h2");
  REQUIRE(t.num_connections() == 4);
  CHECK(t.weight(x, h1) == 3.0);
  CHECK(t.weight(x, h2) == 3.0);
  CHECK(t.connected(h1, h2));
  CHECK(t.connected(h2, unit(t, "y")));
}

TEST_CASE("DOT grammar: ports are dropped, \"a\" + \"b\" is one ID, subgraph attributes draw",
          "[io][dot][dot_grammar]") {
  const Topology t = read(R"(digraph {
    subgraph cluster_0 { label="inputs"; dagprop_loss=sse; x:w [role=input] }
    "hid" + "den":n:ne -> y:(1,2) [weight=4];
    x:e -> hidden:s [weight=5];
    y [role=output]
  })");
  REQUIRE(t.num_units() == 3);
  CHECK(t.weight(unit(t, "x"), unit(t, "hidden")) == 5.0);
  CHECK(t.weight(unit(t, "hidden"), unit(t, "y")) == 4.0);
}

TEST_CASE("DOT grammar: errors name the line and what was found", "[io][dot][dot_grammar]") {
  test::require_io_error([] { read("digraph {\n  a [role=input];\n  a -> ;\n}"); },
                         {"g.dot: line 3: DOT syntax: expected a node ID, 'subgraph' or '{', "
                          "found ';'"});
  test::require_io_error([] { read("digraph { a [role=input] y }\n}"); },
                         {"g.dot: line 2: DOT syntax: expected the end of the text after the "
                          "graph, found '}'"});
  test::require_io_error([] { read("digraph { a -> y [weight=1"); },
                         {"g.dot: line 1: DOT syntax: expected ']', found the end of the text"});
  test::require_io_error([] { read("digraph { subgraph s -> y }"); },
                         {"line 1", "expected '{' to open the subgraph"});
}

TEST_CASE("DOT grammar: subgraph endpoints multiply edges only up to a cap",
          "[io][dot][dot_grammar]") {
  // 2100 x 2000 = 4.2 million edges from 30 KB of text
  std::string text = "digraph { {";
  for (int k = 0; k < 2100; ++k) text += " a" + std::to_string(k);
  text += " } -> {";
  for (int k = 0; k < 2000; ++k) text += " b" + std::to_string(k);
  text += " } }";
  test::require_io_error([&] { read(text); },
                         {"g.dot: line 1: more than 4194304 connections (edges to and from "
                          "subgraphs count once per node)"});
}
