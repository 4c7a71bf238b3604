// DOT attributes (io/dot.hpp): an attribute dagprop does not know is an error
// naming it and the node, Graphviz's drawing attributes are ignored, hidden
// units default to relu as `dagprop new`, and the units with no path to an
// output are found (import warns about them).
#include <catch2/catch.hpp>
#include <sstream>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"
#include "io/require_io_error.hpp"

using namespace dagprop;

namespace {

Topology read(const std::string& text) {
  std::istringstream in(text);
  return io::read_dot(in, "t.dot");
}

}  // namespace

TEST_CASE("DOT: an unknown attribute is an error naming it and the node", "[io][dot]") {
  test::require_io_error(
      [] { read("digraph { x [role=input]; h [activaton=tanh]; y [role=output]; x -> h -> y }"); },
      {"t.dot", "node 'h'", "unknown attribute 'activaton'"});
  test::require_io_error(
      [] { read("digraph { x [role=input]; y [role=output]; x -> y [wieght=2] }"); },
      {"t.dot", "edge 'x' -> 'y'", "unknown attribute 'wieght'"});
  test::require_io_error(
      [] { read("digraph { node [activaton=tanh]; x [role=input]; y [role=output]; x -> y }"); },
      {"t.dot", "unknown attribute 'activaton'"});
}

TEST_CASE("DOT: drawing attributes are ignored, hidden units default to relu", "[io][dot]") {
  const Topology t = read(
      "digraph { rankdir=LR; node [shape=circle, style=filled]; x [role=input, color=red]; "
      "h [fillcolor=\"#eee\", xlabel=\"hidden\"]; y [role=output]; "
      "x -> h [color=blue, label=\"w\"]; h -> y [penwidth=2, weight=0.5] }");
  REQUIRE(t.num_units() == 3);
  CHECK(t.activation(1) == Activation::relu);
  CHECK(t.activation(2) == Activation::identity);
  CHECK(t.weight(1, 2) == 0.5);
}

TEST_CASE("DOT: the units with no path to an output are found", "[io][dot]") {
  const Topology t = read(
      "digraph { x [role=input]; z [role=input]; y [role=output]; dead [activation=tanh]; "
      "deeper; x -> y; x -> dead -> deeper }");
  // x -> y reaches; z, dead and deeper do not (ids in order of appearance).
  CHECK(io::units_reaching_no_output(t) == std::vector<UnitId>{1, 3, 4});
  CHECK(io::units_reaching_no_output(read("digraph { x [role=input]; y [role=output]; x -> y }"))
            .empty());
}
