// Graphviz DOT from other tools and from untrusted bytes (io/dot.hpp): what
// real files hold (strict graphs, comments, edge chains, default attribute
// statements, quoted ids, labels, clusters, anonymous subgraphs, ports,
// numbers in every notation) is read to exactly the network the file says, or
// refused with a message naming the file and the line, node or edge; the
// findings of fuzz/fuzz_dot.cpp and of this review are regressions here.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"
#include "io/require_io_error.hpp"
#include "temp_dir.hpp"

using namespace dagprop;

namespace {

Topology read(const std::string& text) {
  std::istringstream in(text);
  return io::read_dot(in, "net.dot", InitScheme::glorot_uniform, 1);
}

struct Unit {
  std::string name;
  Role role;
  Activation activation;
  double bias;
};
struct Edge {
  UnitId j, i;
  double w;
};

// `t` is exactly these units (in Topology id order) and connections.
void require_network(const Topology& t, const std::vector<Unit>& units,
                     const std::vector<Edge>& edges) {
  REQUIRE(t.num_units() == units.size());
  REQUIRE(t.num_connections() == edges.size());
  for (UnitId k = 0; k < units.size(); ++k) {
    INFO("unit " << k);
    CHECK(t.name(k) == units[k].name);
    CHECK(t.role(k) == units[k].role);
    if (units[k].role != Role::input) {
      CHECK(t.activation(k) == units[k].activation);
      CHECK(t.bias(k) == units[k].bias);
    }
  }
  for (const auto& e : edges) {
    INFO("edge " << e.j << " -> " << e.i);
    REQUIRE(t.connected(e.j, e.i));
    CHECK(t.weight(e.j, e.i) == e.w);
  }
}

const Activation id = Activation::identity, sig = Activation::sigmoid, th = Activation::tanh;

}  // namespace

TEST_CASE("DOT as other tools write it reads to the network it describes", "[io][dot]") {
  const std::string text = R"(/* written by another tool */
# 1 "net.gv"
strict digraph "my net" {
  graph [rankdir=LR, label="a net"];
  node [shape=circle, activation=tanh];   // default for the nodes below
  edge [weight=0.5];
  subgraph cluster_inputs { label="inputs"; "x 1" [role=input]; x2 [role=input] }
  subgraph cluster_outputs {
    node [activation=identity];
    y [role=output, bias=-.5, label="out"];
  }
  "x 1" -> h1 -> y [weight=1e-3];   // a chain: both edges get 1e-3
  x2:e -> h1:w;                     // ports are drawing only
  {x2 "x 1"} -> h2 [weight=-2.5E+1]
  h2 -> y [weight="+.25"];
  h1 [bias=1.5, weight=abc];        // weight on a node: not a unit attribute, ignored
}
)";
  const Topology t = read(text);
  // units in order of first appearance; default attributes apply to nodes
  // declared after them, in their subgraph
  require_network(
      t,
      {{"x 1", Role::input, id, 0.0},
       {"x2", Role::input, id, 0.0},
       {"out", Role::output, id, -0.5},
       {"h1", Role::hidden, th, 1.5},
       {"h2", Role::hidden, th, 0.0}},
      {{0, 3, 1e-3}, {3, 2, 1e-3}, {1, 3, 0.5}, {1, 4, -25.0}, {0, 4, -25.0}, {4, 2, 0.25}});
  CHECK(t.index(0) == 0);
  CHECK(t.index(1) == 1);
}

TEST_CASE("DOT numbers: every numeral and exponent form, non-finite refused naming the edge",
          "[io][dot]") {
  const auto weight = [](const std::string& w) {
    return read("digraph { a [role=input]; y [role=output]; a -> y [weight=" + w + "] }")
        .weight(0, 1);
  };
  // read_graphviz split 1e-3 into "1" and "e-3" and the weight read as 1
  CHECK(weight("1e-3") == 1e-3);
  CHECK(weight("1E3") == 1000.0);
  CHECK(weight("-2.5e+2") == -250.0);
  CHECK(weight(".5e1") == 5.0);
  CHECK(weight("-.5") == -0.5);
  CHECK(weight(".5") == 0.5);
  CHECK(weight("7.") == 7.0);
  CHECK(weight("\"1e-3\"") == 1e-3);
  CHECK(weight("\"-0.125\"") == -0.125);
  for (const char* w : {"inf", "nan", "-inf", "\"inf\"", "\"-inf\"", "\"nan\"", "1e400",
                        "\"1e999\"", "\"Infinity\""}) {
    INFO(w);
    test::require_io_error([&] { weight(w); },
                           {"net.dot", "edge 'a' -> 'y'", "is not a finite number"});
  }
  test::require_io_error(
      [&] { read("digraph { a [role=input]; y [role=output, bias=-inf]; a -> y }"); },
      {"net.dot", "node 'y'", "bias '-inf' is not a finite number"});
  test::require_io_error([&] { weight("abc"); }, {"edge 'a' -> 'y'", "weight 'abc'"});
  // numbers DOT cannot hold unquoted: read_graphviz read 0x10 as 0, 1.5.2 as
  // 1.5, 2.5e as 2.5 and 1_000 as 1 without a word
  for (const char* w : {"0x10", "1.5.2", "2.5e", "1_000", "3abc"}) {
    INFO(w);
    test::require_io_error([&] { weight(w); },
                           {"net.dot", "line 1",
                            std::string("badly delimited number '").append(w).append("'").c_str()});
  }
  test::require_io_error([&] { read("digraph {\n a [role=input];\n\n y [index=0x1] }"); },
                         {"net.dot", "line 4", "'0x1'"});
  test::require_io_error([&] { read("digraph {\n 1a->y }"); },
                         {"net.dot", "line 2", "badly delimited number '1a'"});
}

TEST_CASE("strict digraphs merge repeated edges as Graphviz does", "[io][dot]") {
  // read_graphviz kept the first of two strict edges and dropped the later
  // one's weight; Graphviz gives the edge the later attributes
  const Topology t = read(R"(strict digraph {
    a [role=input]; y [role=output];
    a -> y [weight=1]; a -> y [weight=2]; a -> y; Y [role=output]; a -> Y
  })");
  require_network(
      t, {{"a", Role::input, id, 0.0}, {"y", Role::output, id, 0.0}, {"Y", Role::output, id, 0.0}},
      {{0, 1, 2.0}, {0, 2, t.weight(0, 2)}});
  // read_graphviz dropped a strict graph's self-loop without a word
  test::require_io_error(
      [&] { read("strict digraph { a [role=input]; y [role=output]; a -> y; y -> y }"); },
      {"net.dot", "'y' is connected to itself"});
  // without strict, a repeated edge is an error
  test::require_io_error(
      [&] { read("digraph { a [role=input]; y [role=output]; a -> y; a -> y }"); },
      {"net.dot", "duplicate"});
}

TEST_CASE("anonymous subgraphs are read as Graphviz reads them", "[io][dot]") {
  // read_graphviz refused "{a b} -> y" ("Wanted left brace to start subgraph")
  const Topology t = read(R"(digraph {
    {rank=same; a [role=input]; b [role=input]}
    {a; b} -> h [weight=3];
    h -> {y [role=output] z [role=output]} [weight=4]
  })");
  require_network(t,
                  {{"a", Role::input, id, 0.0},
                   {"b", Role::input, id, 0.0},
                   {"h", Role::hidden, Activation::relu, 0.0},  // the default, as `new`
                   {"y", Role::output, id, 0.0},
                   {"z", Role::output, id, 0.0}},
                  {{0, 2, 3.0}, {1, 2, 3.0}, {2, 3, 4.0}, {2, 4, 4.0}});
  CHECK(t.index(3) == 0);
  CHECK(t.index(4) == 1);
}

TEST_CASE("DOT comments, quoted ids and labels", "[io][dot]") {
  const Topology t = read(R"(// line comment
# a preprocessor line, only in the first column
digraph /* inline */ {
  "in" + "put" [role=input, label="first input"];
  "with \"quotes\"" [activation=relu];  /* a
  comment of two lines */
  y [role=output, label="\N"];  // "\N": the unit has no name
  input -> "with \"quotes\"" -> y [weight=1, label="w"];
}
)");
  require_network(t,
                  {{"first input", Role::input, id, 0.0},
                   {"with \"quotes\"", Role::hidden, Activation::relu, 0.0},
                   {"", Role::output, id, 0.0}},
                  {{0, 1, 1.0}, {1, 2, 1.0}});
  // '#' elsewhere than the first column is no comment (nor in Graphviz)
  test::require_io_error(
      [&] { read("digraph { a [role=input]; y [role=output]; a -> y  # no\n}"); },
      {"net.dot", "DOT syntax", "'#'"});
}

TEST_CASE("DOT that cannot describe a network is refused with a clear message", "[io][dot]") {
  struct Case {
    std::string text;
    std::vector<const char*> parts;
  };
  const Case cases[] = {
      {"graph { a [role=input]; y [role=output]; a -- y }", {"net.dot", "expected a 'digraph'"}},
      {"strict graph { a -- y }", {"net.dot", "expected a 'digraph'"}},
      {"digraph { a [role=input]; y [role=output]; a -- y }", {"net.dot", "DOT syntax", "--"}},
      {"digraph { a [role=input]; y [role=output]; a -> y } digraph { b }",
       {"net.dot", "DOT syntax"}},
      {"digraph { a [role=input]; y [role=output]; a -> y [weight=1e-3 }",
       {"net.dot", "DOT syntax"}},
      {"digraph { a [role=input]; y [role=output]; a -> \"y }", {"net.dot", "DOT syntax"}},
      {"digraph { a [label=<<b>x</b>] ", {"net.dot", "DOT syntax"}},
      {"digraph { a [role=input]; y [role=output]; a -> y [weight=\"\"] } }",
       {"net.dot", "DOT syntax"}},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    try {
      read(c.text);
      FAIL("no io_error was thrown");
    } catch (const io_error& e) {
      for (const char* part : c.parts) CHECK_THAT(std::string(e.what()), Catch::Contains(part));
    }
  }
}

TEST_CASE("deeply nested DOT is refused, not a stack overflow", "[io][dot]") {
  // fuzz_dot / review: read_graphviz's recursive parser overflowed the stack on
  // 100000 nested braces or subgraphs (ASan: stack-overflow)
  const std::size_t n = 100000;
  std::string braces = "digraph {\n";
  for (std::size_t k = 0; k < n; ++k) braces += '{';
  for (std::size_t k = 0; k < n; ++k) braces += '}';
  braces += '}';
  test::require_io_error([&] { read(braces); },
                         {"net.dot", "line 2", "nested deeper than 100 levels"});
  std::string subgraphs = "digraph {";
  for (std::size_t k = 0; k < n; ++k) subgraphs += "subgraph s" + std::to_string(k) + " {";
  test::require_io_error([&] { read(subgraphs); }, {"net.dot", "nested deeper than 100"});
  // braces inside strings and comments do not count; 100 levels are fine
  std::string ok = "digraph { a [role=input, label=\"{{{{{{\"] /* {{{{{{{{ */ ";
  for (std::size_t k = 0; k < 99; ++k) ok += "subgraph {";
  ok += " y [role=output]; a -> y [weight=2]";
  for (std::size_t k = 0; k < 99; ++k) ok += "}";
  ok += "}";
  require_network(read(ok), {{"{{{{{{", Role::input, id, 0.0}, {"y", Role::output, id, 0.0}},
                  {{0, 1, 2.0}});
}

TEST_CASE("an HTML string ends where Graphviz ends it: the nesting cap holds", "[io][dot]") {
  // issue 11: the pre-scan and read_graphviz's lexer disagreed on where these
  // HTML strings end, so the braces after them went uncounted and the parser
  // overflowed the stack (SIGSEGV)
  test::require_io_error(
      [&] { read("digraph { a [label=<a x=\">\"/>]; " + std::string(20000, '{')); },
      {"net.dot", "line 1", "DOT syntax", "quoted string is not closed"});
  test::require_io_error(
      [&] { read("digraph { a [label=<<b>x</b>]; " + std::string(100000, '{')); },
      {"net.dot", "line 1", "DOT syntax", "HTML string <...> is not closed"});
  // balanced as Graphviz balances it, an HTML label is the unit's name
  require_network(
      read("digraph { a [role=input, label=<<b>x</b>>]; y [role=output, label=<a x=\"1\">];\n"
           "<a> -> y [weight=2] }"),
      {{"<b>x</b>", Role::input, id, 0.0}, {"a x=\"1\"", Role::output, id, 0.0}}, {{0, 1, 2.0}});
}

TEST_CASE("a long DOT edge chain is read", "[io][dot]") {
  std::string text = "digraph { x [role=input]; y [role=output]; x";
  const std::size_t n = 20000;
  for (std::size_t k = 0; k < n; ++k) text += " -> h" + std::to_string(k);
  text += " -> y [weight=0.5] }";
  const Topology t = read(text);
  REQUIRE(t.num_units() == n + 2);
  REQUIRE(t.num_connections() == n + 1);
  CHECK(t.weight(0, 2) == 0.5);
  CHECK(t.weight(n + 1, 1) == 0.5);
  CHECK(t.name(n + 1) == "h" + std::to_string(n - 1));
}

TEST_CASE("a DOT star of many explicit weights reads in linear time", "[io][dot]") {
  // review: the explicit weights were set with Topology::set_weight, which
  // searches the unit's edges: a star of n edges took O(n^2) (minutes at
  // n = 400000, a 24 MB file)
  const std::size_t n = 50000;
  std::string text = "digraph { x [role=input]; y [role=output];\n";
  for (std::size_t k = 0; k < n; ++k) {
    const std::string h = "h" + std::to_string(k);
    text += h + " [bias=0.5]; x -> " + h + " [weight=" + std::to_string(k) + "]; " + h +
            " -> y [weight=-" + std::to_string(k) + "]\n";
  }
  text += "}";
  const Topology t = read(text);
  REQUIRE(t.num_units() == n + 2);
  REQUIRE(t.num_connections() == 2 * n);
  std::size_t checked = 0;
  for (UnitId h = 2; h < n + 2; h += 9973, ++checked) {
    CHECK(t.weight(0, h) == static_cast<double>(h - 2));
    CHECK(t.weight(h, 1) == -static_cast<double>(h - 2));
    CHECK(t.bias(h) == 0.5);
  }
  CHECK(checked == 6);
}

TEST_CASE("DOT text over the cap is refused before parsing", "[io][dot]") {
  // issue 11: 63 MB took 2.9 GB and failed with std::bad_alloc; 32 MiB is the cap
  const std::string text = "digraph { x }" + std::string((std::size_t{32} << 20) - 12, ' ');
  test::require_io_error([&] { read(text); }, {"net.dot", "over the cap of 33554432 bytes"});
  CHECK_NOTHROW(read("digraph { x [role=input]; y [role=output]; x -> y }" +
                     std::string((std::size_t{32} << 20) - 60, ' ')));
  // a sparse 3 GB file is refused after reading past the cap only
  const test::TempDir dir("dot_cap");
  const std::string sparse = (dir.path() / "sparse.dot").string();
  { std::ofstream(sparse) << "digraph { x }"; }
  std::filesystem::resize_file(sparse, std::uintmax_t{3} << 30);
  test::require_io_error([&] { io::read_dot(sparse); }, {"sparse.dot", "over the cap of 33554432"});
}

TEST_CASE("write_dot writes no more than read_dot reads", "[io][dot]") {
  // issue 11: `dot` of a 1 M-unit chain wrote 138 MB that import refused
  Topology t;
  UnitId prev = t.add_input("x");
  for (std::size_t k = 0; k < 400000; ++k) {
    const UnitId h = t.add_unit(Activation::tanh, Role::hidden, "", 0.25);
    t.connect(prev, h, 0.5);
    prev = h;
  }
  t.connect(prev, t.add_output(Activation::identity, "y"), 1.0);
  std::ostringstream out;
  test::require_io_error([&] { io::write_dot(out, t); },
                         {"write_dot", "400002 units and 400001 connections",
                          "exceeds the 33554432 bytes read_dot reads"});
  CHECK(out.str().empty());
}

TEST_CASE("DOT as Graphviz writes it: UTF-8 ids, a byte order mark, backslashes", "[io][dot]") {
  // issue 11: unquoted non-ASCII ids and a BOM were refused, with '\xc3' in the message
  require_network(
      read("\xEF\xBB\xBF"
           "digraph { \xC3\xA9t\xC3\xA9 [role=input]; y\xC3\xBC [role=output];\n"
           "\xC3\xA9t\xC3\xA9 -> y\xC3\xBC [weight=3] }"),
      {{"\xC3\xA9t\xC3\xA9", Role::input, id, 0.0}, {"y\xC3\xBC", Role::output, id, 0.0}},
      {{0, 1, 3.0}});
  // a label with a backslash imports and now exports, and reads back the same
  const Topology t = read(
      R"(digraph { a [role=input, label="c:\dir\x"]; b [role=output, label="q\"t\\"]; a -> b })");
  require_network(t, {{"c:\\dir\\x", Role::input, id, 0.0}, {"q\"t\\\\", Role::output, id, 0.0}},
                  {{0, 1, t.weight(0, 1)}});
  std::ostringstream out;
  io::write_dot(out, t);
  const Topology back = read(out.str());
  CHECK(back.name(0) == t.name(0));
  CHECK(back.name(1) == t.name(1));
  // what DOT cannot carry is refused both ways, with the same words
  Topology odd;
  const UnitId end = odd.add_input("end\\");
  odd.connect(end, odd.add_output(Activation::identity, "y"), 1.0);
  test::require_io_error([&] { io::write_dot(out, odd); },
                         {"write_dot: unit 0: the name 'end\\\\'", "odd run of backslashes"});
  test::require_io_error(
      [&] { read("digraph { a [role=input, label=\"x\\\\\n\ny\"]; b [role=output]; a -> b }"); },
      {"net.dot: node 'a'", "backslash before a newline"});
  // names that are DOT keywords or bare numerals are quoted as needed
  Topology kw;
  const UnitId node = kw.add_input("node");
  kw.connect(node, kw.add_output(Activation::identity, "."), 1.0);
  std::ostringstream kw_out;
  io::write_dot(kw_out, kw);
  const Topology kw_back = read(kw_out.str());
  CHECK(kw_back.name(0) == "node");
  CHECK(kw_back.name(1) == ".");
}

TEST_CASE("DOT names: over the cap refused, and shown escaped in messages", "[io][dot]") {
  // issue 11: import wrote a 5000-byte name that every loader refused
  test::require_io_error(
      [&] {
        read("digraph { a [role=input, label=\"" + std::string(5000, 'n') +
             "\"]; b [role=output]; a -> b }");
      },
      {"net.dot: node 'a'", "has 5000 bytes, over the cap of 4096"});
  // a name made to fake a second message line and change the colour
  try {
    read("digraph { \"h\ndagprop: ok: \x1b[32m\" [bias=x]; }");
    FAIL("no io_error");
  } catch (const io_error& e) {
    const std::string what = e.what();
    CHECK(what.find('\n') == std::string::npos);
    CHECK(what.find('\x1b') == std::string::npos);
    CHECK_THAT(what, Catch::Contains("node 'h\\ndagprop: ok: \\x1b[32m': bias 'x'"));
  }
}
