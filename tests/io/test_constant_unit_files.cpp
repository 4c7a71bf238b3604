// Units with an empty upstream set in model files (every archive kind) and in
// DOT: written, read back and computing the same. Their arithmetic is tested
// in tests/engine/test_constant_units.cpp.
#include <catch2/catch.hpp>
#include <sstream>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"
#include "dagprop/io/model.hpp"
#include "temp_dir.hpp"

using namespace dagprop;

namespace {

// x -> o1 (identity); k (relu, constant, bias 0.5) -> o1; o2 (sigmoid, constant output).
Topology constant_net() {
  Topology t;
  const UnitId x = t.add_input("x");
  const UnitId k = t.add_unit(Activation::relu, Role::hidden, "k", 0.5);
  const UnitId o1 = t.add_output(Activation::identity, "o1", 0.25);
  t.add_output(Activation::sigmoid, "o2", 2.0);
  t.connect(x, o1, -1.5);
  t.connect(k, o1, 3.0);
  return t;
}

}  // namespace

TEST_CASE("constant units survive model files and DOT", "[constant][io]") {
  const Network<double> net = compile<double>(constant_net());
  const double x[] = {0.4, -2.0};
  const std::vector<double> y = predict(net, x, 2);
  REQUIRE(y.size() == 4);
  CHECK(y[0] == Approx(-1.5 * 0.4 + 3.0 * 0.5 + 0.25));  // by hand
  CHECK(y[1] == Approx(1 / (1 + std::exp(-2.0))));
  test::TempDir dir("constant");
  for (auto kind : {io::ArchiveKind::binary, io::ArchiveKind::text, io::ArchiveKind::xml}) {
    io::save_network(dir.file("c.dpn"), net, kind);
    const Network<double> back = io::load_network<double>(dir.file("c.dpn"));
    CHECK(back.params() == net.params());
    CHECK(predict(back, x, 2) == y);
  }
  std::ostringstream dot;
  io::write_dot(dot, net);
  std::istringstream in(dot.str());
  const Network<double> from_dot = compile<double>(io::read_dot(in, "c.dot"));
  CHECK(from_dot.params() == net.params());
  CHECK(predict(from_dot, x, 2) == y);
}
