// compile(): the topological order (inputs first), levels as longest paths,
// the CSR upstream arrays, to_topology() round trips, dense groups of an MLP,
// and float/double casts. Propagation through the result is tested elsewhere.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "dagprop/dagprop.hpp"
#include "engine/random_dag.hpp"

using namespace dagprop;

namespace {

// A DAG with ids out of topological order and skip connections:
//   a, b inputs; h1 <- a, b; h2 <- h1, a; o <- h2, b, h1; o2 <- a.
struct Skip {
  Topology t;
  UnitId a, b, h1, h2, o, o2;
};

Skip skip_dag() {
  Skip s;
  s.o = s.t.add_output(Activation::identity, "o", 0.5);
  s.h2 = s.t.add_unit(Activation::tanh, Role::hidden, "h2", -0.25);
  s.b = s.t.add_input("b");
  s.h1 = s.t.add_unit(Activation::relu, Role::hidden, "h1", 0.125);
  s.a = s.t.add_input("a");
  s.o2 = s.t.add_output(Activation::sigmoid, "o2", 1.5);
  // Input numbers: a is input 0, b input 1 (added in the other order).
  s.t.set_index(s.a, 0);
  s.t.set_index(s.b, 1);
  s.t.connect(s.h2, s.o, 0.1);
  s.t.connect(s.b, s.o, 0.2);
  s.t.connect(s.h1, s.o, 0.3);
  s.t.connect(s.a, s.h1, 0.4);
  s.t.connect(s.b, s.h1, 0.5);
  s.t.connect(s.h1, s.h2, 0.6);
  s.t.connect(s.a, s.h2, 0.7);
  s.t.connect(s.a, s.o2, 0.8);
  return s;
}

// The compiled id of Topology vertex v.
template <class T>
UnitId compiled_id(const Network<T>& net, UnitId v) {
  for (UnitId i = 0; i < net.num_units(); ++i)
    if (net.topology_id(i) == v) return i;
  FAIL("vertex " << v << " not compiled");
  return 0;
}

// Every unit's properties and every edge's weight are equal.
void check_same(const Topology& x, const Topology& y) {
  REQUIRE(x.num_units() == y.num_units());
  REQUIRE(x.num_connections() == y.num_connections());
  CHECK(x.num_inputs() == y.num_inputs());
  CHECK(x.num_outputs() == y.num_outputs());
  for (UnitId i = 0; i < x.num_units(); ++i) {
    INFO("unit " << i);
    CHECK(x.role(i) == y.role(i));
    CHECK(x.name(i) == y.name(i));
    if (x.role(i) != Role::input) {
      CHECK(x.activation(i) == y.activation(i));
      CHECK(x.bias(i) == y.bias(i));
    }
    if (x.role(i) != Role::hidden) CHECK(x.index(i) == y.index(i));
    auto ux = x.upstream(i), uy = y.upstream(i);
    std::sort(ux.begin(), ux.end());
    std::sort(uy.begin(), uy.end());
    REQUIRE(ux == uy);
    for (UnitId j : ux) CHECK(x.weight(j, i) == y.weight(j, i));
  }
}

}  // namespace

TEST_CASE("compile orders units topologically with inputs first", "[compile]") {
  Skip s = skip_dag();
  const auto net = compile<double>(s.t);
  REQUIRE(net.num_units() == 6);
  REQUIRE(net.num_connections() == 8);
  CHECK(net.num_inputs() == 2);
  CHECK(net.num_outputs() == 2);
  CHECK(net.num_parameters() == 8 + 4);
  // Inputs 0..n_in-1 in input-number order.
  CHECK(net.topology_id(0) == s.a);
  CHECK(net.topology_id(1) == s.b);
  CHECK(net.role(0) == Role::input);
  CHECK(net.role(1) == Role::input);
  CHECK(net.name(0) == "a");
  // Every connection points from an earlier unit to a later one.
  for (UnitId i = 0; i < net.num_units(); ++i)
    for (std::size_t c = net.first(i); c < net.first(i + 1); ++c) CHECK(net.source(c) < i);
  // topology_id is a permutation.
  std::set<UnitId> ids;
  for (UnitId i = 0; i < net.num_units(); ++i) ids.insert(net.topology_id(i));
  CHECK(ids.size() == 6);
  // Outputs by number.
  CHECK(net.output(0) == compiled_id(net, s.o));
  CHECK(net.output(1) == compiled_id(net, s.o2));
}

TEST_CASE("compile computes levels as the longest path from an input", "[compile]") {
  Skip s = skip_dag();
  const auto net = compile<float>(s.t);
  CHECK(net.level(compiled_id(net, s.a)) == 0);
  CHECK(net.level(compiled_id(net, s.b)) == 0);
  CHECK(net.level(compiled_id(net, s.h1)) == 1);
  CHECK(net.level(compiled_id(net, s.h2)) == 2);  // a -> h1 -> h2 beats a -> h2
  CHECK(net.level(compiled_id(net, s.o)) == 3);   // via h2, despite b -> o
  CHECK(net.level(compiled_id(net, s.o2)) == 1);  // an output in an early level
  CHECK(net.num_levels() == 4);
  // Units are sorted by level.
  for (UnitId i = 1; i < net.num_units(); ++i) CHECK(net.level(i - 1) <= net.level(i));
}

TEST_CASE("compile builds the CSR upstream arrays S_i", "[compile]") {
  Skip s = skip_dag();
  const auto net = compile<double>(s.t);
  CHECK(net.first(0) == 0);
  CHECK(net.first(net.num_units()) == net.num_connections());
  CHECK(net.offsets()[net.num_units()] == 8);
  for (UnitId i = 0; i < net.num_units(); ++i) {
    const UnitId v = net.topology_id(i);
    INFO("unit " << i << " = vertex " << v);
    // S_i as compiled ids, from the topology.
    std::vector<UnitId> expected;
    for (UnitId u : s.t.upstream(v)) expected.push_back(compiled_id(net, u));
    std::sort(expected.begin(), expected.end());
    std::vector<UnitId> got;
    for (std::size_t c = net.first(i); c < net.first(i + 1); ++c) {
      got.push_back(net.source(c));
      CHECK(net.sources()[c] == net.source(c));
      // w(c) is w_ij of the topology; connection(j, i) finds c.
      CHECK(net.w()[c] == s.t.weight(net.topology_id(net.source(c)), v));
      CHECK(net.connection(net.source(c), i) == c);
    }
    CHECK(got == expected);  // ascending within a unit
    CHECK(net.b()[i] == (net.role(i) == Role::input ? 0.0 : s.t.bias(v)));
    CHECK(net.name(i) == s.t.name(v));
    if (net.role(i) != Role::input) CHECK(net.activation(i) == s.t.activation(v));
  }
  CHECK(net.weight(compiled_id(net, s.a), compiled_id(net, s.h2)) == 0.7);
  CHECK(net.weight(compiled_id(net, s.b), compiled_id(net, s.o)) == 0.2);
  CHECK(net.params().size() == 8 + 6);
}

TEST_CASE("to_topology gives back the same graph and values", "[compile]") {
  SECTION("the skip DAG, after editing compiled weights") {
    Skip s = skip_dag();
    auto net = compile<double>(s.t);
    net.set_weight(compiled_id(net, s.h1), compiled_id(net, s.o), -3.25);
    s.t.set_weight(s.h1, s.o, -3.25);
    net.b()[compiled_id(net, s.h2)] = 7.5;
    s.t.set_bias(s.h2, 7.5);
    check_same(s.t, net.to_topology());
  }
  SECTION("random DAGs") {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      INFO("seed " << seed);
      const auto d = test::random_dag(seed, Loss::sse);
      const auto net = compile<double>(d.topology);
      const Topology back = net.to_topology();
      check_same(d.topology, back);
      // Compiling again gives the same arrays.
      const auto again = compile<double>(back);
      CHECK(again.params() == net.params());
      for (UnitId i = 0; i < net.num_units(); ++i)
        CHECK(again.topology_id(i) == net.topology_id(i));
    }
  }
}

TEST_CASE("compile finds the dense groups of an MLP", "[compile]") {
  const auto net =
      compile<float>(make_mlp({784, 256, 128, 10}, Activation::relu, Activation::identity));
  const auto& g = net.groups();
  REQUIRE(g.size() == 3);
  CHECK(g[0].dense);
  CHECK(g[0].first == 784);
  CHECK(g[0].last == 784 + 256);
  CHECK(g[0].src_first == 0);
  CHECK(g[0].src_last == 784);
  CHECK(g[1].dense);
  CHECK(g[1].first == 1040);
  CHECK(g[1].last == 1040 + 128);
  CHECK(g[1].src_first == 784);
  CHECK(g[1].src_last == 1040);
  CHECK(g[2].dense);
  CHECK(g[2].first == 1168);
  CHECK(g[2].last == 1178);
  CHECK(g[2].src_first == 1040);
  CHECK(g[2].src_last == 1168);
  CHECK(net.num_levels() == 4);

  SECTION("a skip connection breaks only its layer's group") {
    Topology t = make_mlp({100, 20, 10}, Activation::tanh, Activation::identity);
    t.connect(0, t.outputs()[3], 0.5);  // input 0 -> output 3
    const auto n = compile<float>(t);
    const auto& gs = n.groups();
    REQUIRE(!gs.empty());
    CHECK(gs[0].dense);
    CHECK(gs[0].first == 100);
    CHECK(gs[0].last == 120);
    // The groups still cover every non-input unit once, in order.
    UnitId next = n.num_inputs();
    bool some_sparse = false;
    for (const Group& q : gs) {
      CHECK(q.first == next);
      CHECK(q.last > q.first);
      next = q.last;
      some_sparse = some_sparse || !q.dense;
    }
    CHECK(next == n.num_units());
    CHECK(some_sparse);
  }
}

TEST_CASE("cast between float and double keeps the network", "[compile]") {
  Skip s = skip_dag();
  s.t.set_weight(s.a, s.h1, 0.1);  // not exact in float
  const auto d = compile<double>(s.t);
  const Network<float> f = d.cast<float>();
  REQUIRE(f.num_units() == d.num_units());
  REQUIRE(f.num_connections() == d.num_connections());
  CHECK(f.num_levels() == d.num_levels());
  CHECK(f.outputs() == d.outputs());
  for (UnitId i = 0; i < d.num_units(); ++i) {
    CHECK(f.role(i) == d.role(i));
    CHECK(f.activation(i) == d.activation(i));
    CHECK(f.level(i) == d.level(i));
    CHECK(f.name(i) == d.name(i));
    CHECK(f.topology_id(i) == d.topology_id(i));
    CHECK(f.first(i + 1) == d.first(i + 1));
  }
  for (std::size_t k = 0; k < d.params().size(); ++k)
    CHECK(f.params()[k] == static_cast<float>(d.params()[k]));
  CHECK(f.groups().size() == d.groups().size());
  // And back: float values are exact in double.
  const Network<double> back = f.cast<double>();
  for (std::size_t k = 0; k < d.params().size(); ++k)
    CHECK(back.params()[k] == static_cast<double>(f.params()[k]));
  // compile<float> directly gives the same values as the cast.
  const auto f2 = compile<float>(s.t);
  CHECK(f2.params() == f.params());
}
