// DOT as Graphviz itself writes it: write_dot's text laid out by Graphviz's
// `dot` (-Tdot adds pos, width, height, xlp and a bounding box; -Tcanon
// reorders the nodes; -Txdot adds the _draw_ operations) reads back to the
// same network and model metadata. Graphviz (Debian's graphviz) is a test
// dependency; without `dot` on PATH the case says so and checks nothing.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"
#include "dagprop/io/model.hpp"
#include "temp_dir.hpp"

using namespace dagprop;

namespace {

// Units by name (one unnamed, as ""), connections by the names they join:
// what must survive any reordering of the nodes.
struct Described {
  std::map<std::string, std::tuple<Role, Activation, double, std::size_t>> units;
  std::map<std::pair<std::string, std::string>, double> connections;
};

Described describe(const Topology& t) {
  Described d;
  for (UnitId i = 0; i < t.num_units(); ++i) {
    const bool io = t.role(i) != Role::hidden;
    d.units[t.name(i)] = {t.role(i),
                          t.role(i) == Role::input ? Activation::identity : t.activation(i),
                          t.role(i) == Role::input ? 0.0 : t.bias(i), io ? t.index(i) : 0};
    t.for_each_upstream(i, [&](UnitId j, double w) { d.connections[{t.name(j), t.name(i)}] = w; });
  }
  return d;
}

// Inputs with scaling, a shortcut from an input to the output, names that
// need quotes, one unnamed hidden unit, several activations.
Topology skip_net(io::ModelMeta& meta) {
  Topology t;
  const UnitId a = t.add_input("a"), b = t.add_input("input b");
  const UnitId h1 = t.add_unit(Activation::tanh, Role::hidden, "h1", 0.25);
  const UnitId h2 = t.add_unit(Activation::sigmoid, Role::hidden, "", -1.5);
  const UnitId h3 = t.add_unit(Activation::gelu, Role::hidden, "h \"3\"", 1e-3);
  const UnitId y = t.add_output(Activation::identity, "y", 0.125);
  t.connect(a, h1, 0.5), t.connect(b, h1, -2), t.connect(a, h2, 3.25), t.connect(h1, h3, 1e-7);
  t.connect(h2, h3, -0.75), t.connect(h3, y, 1.5), t.connect(a, y, 0.1), t.connect(h1, y, -3);
  meta.input.kind = io::ScaleKind::standardize;
  meta.input.offset = {1.5, -20};
  meta.input.scale = {0.3, 7};
  meta.training = io::TrainingSetup{Loss::sse, Reduction::mean, io::TargetReading::columns, "", {}};
  return t;
}

}  // namespace

TEST_CASE("DOT laid out by Graphviz reads back to the same network", "[io][dot][graphviz]") {
  if (std::system("command -v dot > /dev/null 2>&1") != 0) {
    WARN("Graphviz's dot is not installed (Debian: graphviz): nothing checked");
    return;
  }
  const test::TempDir dir("graphviz");
  io::ModelMeta meta;
  const Topology t = skip_net(meta);
  {
    std::ofstream out(dir.file("net.dot"));
    io::write_dot(out, t, meta);
  }
  const Described want = describe(t);
  for (const char* format : {"dot", "canon", "xdot"}) {
    INFO("dot -T" << format);
    const std::string laid = dir.file(std::string("laid.") + format);
    const std::string command =
        std::string("dot -T") + format + " '" + dir.file("net.dot") + "' > '" + laid + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    std::ifstream in(laid);
    io::ModelMeta back;
    const Topology got = io::read_dot(in, laid, InitScheme::glorot_uniform, 1, &back);
    const Described d = describe(got);
    CHECK(d.units == want.units);
    CHECK(d.connections == want.connections);
    CHECK(back == meta);
  }
}
