// Structural edits (edit.hpp) on a five-unit network written out by hand: each
// edit's result checked unit by unit and connection by connection against the
// expected structure, every refused edit's message, splits that keep the
// function on random DAGs, and edits followed by training, save and reload.
#include <algorithm>
#include <cmath>
#include <tuple>

#include <catch2/catch.hpp>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/model.hpp"
#include "random_dag.hpp"
#include "temp_dir.hpp"

using namespace dagprop;

namespace {

using A = Activation;

struct U {
  std::string name;
  Role role;
  A f;
  double b;
  std::size_t index;
};
using C = std::tuple<std::string, std::string, double>;  // from, to, w

const std::vector<U> small_units = {{"x1", Role::input, A::identity, 0, 0},
                                    {"x2", Role::input, A::identity, 0, 1},
                                    {"h1", Role::hidden, A::tanh, 0.1, 0},
                                    {"h2", Role::hidden, A::relu, -0.2, 0},
                                    {"y", Role::output, A::identity, 0.05, 0}};
const std::vector<C> small_connections = {{"x1", "h1", 0.5}, {"x2", "h1", -0.3}, {"x1", "h2", 0.8},
                                          {"h1", "h2", 0.4}, {"h1", "y", 1.5},   {"h2", "y", -0.7},
                                          {"x2", "y", 0.25}};

// x1, x2 -> h1 (tanh) -> h2 (relu) -> y (identity), x1 -> h2, x2 -> y:
//   ids 0 x1, 1 x2, 2 h1, 3 h2, 4 y, built from the two tables above.
Topology small_net() {
  Topology t;
  for (const U& u : small_units)
    u.role == Role::input ? t.add_input(u.name) : t.add_unit(u.f, u.role, u.name, u.b);
  for (const auto& [j, i, w] : small_connections) t.connect(*t.find(j), *t.find(i), w);
  return t;
}

// t has exactly these units, in id order, and these connections (any order).
void require_structure(const Topology& t, const std::vector<U>& units, std::vector<C> connections) {
  REQUIRE(t.num_units() == units.size());
  for (UnitId k = 0; k < units.size(); ++k) {
    INFO("unit " << k);
    CHECK(t.name(k) == units[k].name);
    CHECK(t.role(k) == units[k].role);
    if (t.role(k) != Role::input) CHECK(t.activation(k) == units[k].f);
    if (t.role(k) != Role::input) CHECK(t.bias(k) == units[k].b);
    if (t.role(k) != Role::hidden) CHECK(t.index(k) == units[k].index);
  }
  std::vector<C> found;
  const auto& g = t.graph();
  for (auto [e, end] = boost::edges(g); e != end; ++e)
    found.emplace_back(t.name(boost::source(*e, g)), t.name(boost::target(*e, g)), g[*e].weight);
  std::sort(found.begin(), found.end());
  std::sort(connections.begin(), connections.end());
  CHECK(found == connections);
  CHECK_NOTHROW(t.validate());
}

template <class F>
void require_refused(F&& edit, const std::string& part) {
  Topology t = small_net();
  try {
    edit(t);
  } catch (const error& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains(part));
    require_structure(t, small_units, small_connections);  // left as it was
    return;
  }
  FAIL("the edit was not refused: expected '" << part << "'");
}

NewUnit new_unit(std::string name, std::vector<Link> from, std::vector<Link> to) {
  NewUnit u;
  u.name = std::move(name);
  u.from = std::move(from);
  u.to = std::move(to);
  return u;
}

std::vector<C> with(std::vector<C> c, const std::vector<C>& more) {
  c.insert(c.end(), more.begin(), more.end());
  return c;
}

std::vector<C> without(std::vector<C> c,
                       const std::vector<std::pair<std::string, std::string>>& gone) {
  for (const auto& [j, i] : gone)
    c.erase(std::remove_if(c.begin(), c.end(),
                           [&](const C& k) { return std::get<0>(k) == j && std::get<1>(k) == i; }),
            c.end());
  return c;
}

}  // namespace

TEST_CASE("find_unit: by name, else by id written N or uN", "[edit]") {
  Topology t = small_net();
  CHECK(find_unit(t, "h2") == 3);
  CHECK(find_unit(t, "3") == 3);
  CHECK(find_unit(t, "u4") == 4);
  t.set_name(0, "u2");  // a name wins over an id
  CHECK(find_unit(t, "u2") == 0);
  CHECK(find_unit(t, "2") == 2);
  CHECK_THROWS_WITH(find_unit(t, "zz"), Catch::Contains("no unit is named 'zz'") &&
                                            Catch::Contains("one of the 5 units"));
  CHECK_THROWS_WITH(find_unit(t, "5"), Catch::Contains("no unit is named '5'"));
  CHECK_THROWS_WITH(find_unit(t, ""), Catch::Contains("empty"));
  t.set_name(1, "h1");
  CHECK_THROWS_WITH(find_unit(t, "h1"), Catch::Contains("shared by units 1, 2"));
}

TEST_CASE("add_connection and remove_connection change that connection only", "[edit]") {
  Topology t = small_net();
  add_connection(t, 0, 4, 0.9);
  require_structure(t, small_units, with(small_connections, {{"x1", "y", 0.9}}));
  CHECK(remove_connection(t, 1, 4) == 0.25);
  require_structure(t, small_units,
                    without(with(small_connections, {{"x1", "y", 0.9}}), {{"x2", "y"}}));

  // A drawn weight: He uniform for y's fan-in after the edit (h1, h2, x2, x1: 4),
  // uniform(±sqrt(6 / 4)), the first number of the seed's stream.
  Topology d = small_net();
  WeightSource ws(InitScheme::he_uniform, 7);
  add_connection(d, 0, 4, ws);
  SplitMix64 rng(7);
  const double a = std::sqrt(6.0 / 4.0);
  const double w = rng.uniform(-a, a);
  require_structure(d, small_units, with(small_connections, {{"x1", "y", w}}));
}

TEST_CASE("add_unit connects a new hidden unit with given and drawn weights", "[edit]") {
  Topology t = small_net();
  WeightSource ws(InitScheme::glorot_normal, 3);
  NewUnit u;
  u.name = "h3";
  u.activation = A::sigmoid;
  u.bias = 0.3;
  u.from = {{0, 0.2}, {3, std::nullopt}};
  u.to = {{4, -1.1}};
  CHECK(add_unit(t, u, &ws) == 5);
  // Glorot normal for h3: fan-in 2 (x1, h2), fan-out the mean of |D_x1| = 3 and
  // |D_h2| = 2 after the edit: sd = sqrt(2 / (2 + 2.5)).
  SplitMix64 rng(3);
  const double w = std::sqrt(2.0 / 4.5) * rng.normal();
  auto units = small_units;
  units.push_back({"h3", Role::hidden, A::sigmoid, 0.3, 0});
  require_structure(
      t, units, with(small_connections, {{"x1", "h3", 0.2}, {"h2", "h3", w}, {"h3", "y", -1.1}}));
  NewUnit missing;
  missing.from = {{0, std::nullopt}};
  CHECK_THROWS_WITH(add_unit(t, missing), Catch::Contains("no weight given with 'x1'"));
}

TEST_CASE("split_connection is NEAT's add-node: weight 1 in, the old weight out, bias 0",
          "[edit]") {
  Topology t = small_net();
  CHECK(split_connection(t, 2, 4, A::relu, "s") == 5);
  auto units = small_units;
  units.push_back({"s", Role::hidden, A::relu, 0.0, 0});
  require_structure(
      t, units, with(without(small_connections, {{"h1", "y"}}), {{"h1", "s", 1}, {"s", "y", 1.5}}));
  CHECK_THROWS_WITH(split_connection(t, 2, 4), Catch::Contains("'h1' -> 'y': there is no such"));
}

TEST_CASE("change_activation and remove_unit keep every other unit and value", "[edit]") {
  Topology t = small_net();
  change_activation(t, 3, A::sigmoid);
  auto units = small_units;
  units[3].f = A::sigmoid;
  require_structure(t, units, small_connections);
  change_activation(t, 4, A::tanh);
  units[4].f = A::tanh;
  require_structure(t, units, small_connections);

  Topology r = small_net();
  remove_unit(r, 2);  // h1: ids 3, 4 become 2, 3
  require_structure(r, {small_units[0], small_units[1], small_units[3], small_units[4]},
                    {{"x1", "h2", 0.8}, {"h2", "y", -0.7}, {"x2", "y", 0.25}});
}

TEST_CASE("prune removes small weights, then units left without a path", "[edit]") {
  Topology t = small_net();
  PruneReport r = prune(t, 0.0);
  CHECK(r.connections_removed == 0);
  CHECK(r.units_removed.empty());
  require_structure(t, small_units, small_connections);

  // Below 0.6: x1 -> h1, x2 -> h1, h1 -> h2 and x2 -> y go; h1 is then reached
  // from no input, so it goes with h1 -> y.
  r = prune(t, 0.6);
  CHECK(r.connections_removed == 5);
  CHECK(r.units_removed == std::vector<std::string>{"'h1'"});
  require_structure(t, {small_units[0], small_units[1], small_units[3], small_units[4]},
                    {{"x1", "h2", 0.8}, {"h2", "y", -0.7}});

  // A hidden unit that reaches no output goes at threshold 0 already.
  Topology d = small_net();
  d.connect(0, d.add_unit(A::tanh, Role::hidden, "dead", 0.5), 2.0);
  r = prune(d, 0.0);
  CHECK(r.connections_removed == 1);
  CHECK(r.units_removed == std::vector<std::string>{"'dead'"});
  require_structure(d, small_units, small_connections);
}

TEST_CASE("prune keeps constant units (NEAT's bias neurons) that feed an output", "[edit]") {
  // y = tanh(0.5 x + 0.3 b) with b a hidden unit of no sources, y_b = f(bias).
  Topology t;
  const UnitId x = t.add_input("x");
  const UnitId b = t.add_unit(A::identity, Role::hidden, "b", 1.0);
  const UnitId y = t.add_output(A::tanh, "y", 0.0);
  t.connect(x, y, 0.5);
  t.connect(b, y, 0.3);
  PruneReport r = prune(t, 0.0);
  CHECK(r.connections_removed == 0);
  CHECK(r.units_removed.empty());
  CHECK(t.num_units() == 3);

  // Once its only connection is below the threshold, b reaches no output and goes.
  r = prune(t, 0.4);
  CHECK(r.connections_removed == 1);
  CHECK(r.units_removed == std::vector<std::string>{"'b'"});
  CHECK(t.num_units() == 2);
  CHECK(t.connected(x, t.outputs()[0]));

  // An output that no input ever reached (only a constant feeds it) is no reason to refuse.
  Topology c;
  c.add_input("x");
  const UnitId cb = c.add_unit(A::identity, Role::hidden, "b", 1.0);
  c.connect(cb, c.add_output(A::tanh, "y", 0.0), 0.3);
  r = prune(c, 0.0);
  CHECK(r.units_removed.empty());
  CHECK(c.num_connections() == 1);
}

TEST_CASE("every refused edit names its units and leaves the topology as it was", "[edit]") {
  require_refused([](Topology& t) { add_connection(t, 3, 2, 1.0); },
                  "'h2' -> 'h1' would close the cycle 'h1' -> 'h2' -> 'h1'");
  require_refused([](Topology& t) { add_connection(t, 4, 0, 1.0); },
                  "'y' -> 'x1' would enter the input unit 'x1'");
  require_refused([](Topology& t) { add_connection(t, 0, 2, 1.0); },
                  "'x1' -> 'h1' exists already (w = 0.5)");
  require_refused([](Topology& t) { add_connection(t, 2, 2, 1.0); }, "to itself");
  require_refused([](Topology& t) { add_connection(t, 9, 2, 1.0); }, "unit id 9 out of range");
  require_refused([](Topology& t) { find_unit(t, "h7"); }, "no unit is named 'h7'");
  require_refused([](Topology& t) { remove_connection(t, 0, 4); }, "no connection 'x1' -> 'y'");
  require_refused(
      [](Topology& t) {
        add_unit(t, new_unit("n", {{3, 1.0}}, {{2, 1.0}}));
      },
      "from 'h2' and to 'h1' it would close the cycle 'n' -> 'h1' -> 'h2' -> 'n'");
  require_refused(
      [](Topology& t) {
        add_unit(t, new_unit("", {}, {{1, 1.0}}));
      },
      "'x2' is an input unit");
  require_refused([](Topology& t) { add_unit(t, new_unit("h2", {}, {})); },
                  "the name 'h2' is taken by unit 3");
  require_refused(
      [](Topology& t) {
        add_unit(t, new_unit("", {{0, 1.0}, {0, 2.0}}, {}));
      },
      "'x1' is given twice");
  require_refused([](Topology& t) { split_connection(t, 0, 4); },
                  "split_connection 'x1' -> 'y': there is no such connection");
  require_refused([](Topology& t) { split_connection(t, 0, 2, A::tanh, "y"); },
                  "the name 'y' is taken");
  require_refused([](Topology& t) { change_activation(t, 1, A::relu); }, "'x2': an input unit");
  require_refused([](Topology& t) { remove_unit(t, 4); },
                  "remove_unit 'y': it is an output unit; only hidden units");
  require_refused([](Topology& t) { remove_unit(t, 0); }, "it is an input unit");
  require_refused([](Topology& t) { prune(t, -1); }, "prune below -1: the threshold must be");
  require_refused([](Topology& t) { prune(t, 1.0); },
                  "prune below 1: no input would reach the output(s) 'y' any more");
}

TEST_CASE("a split through identity, or relu on a non-negative signal, keeps the predictions",
          "[edit]") {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const Topology base = test::random_dag(seed, Loss::sse).topology;
    const Network<double> before = compile<double>(base);
    SplitMix64 rng(seed + 100);
    const std::size_t rows = 40;
    std::vector<double> x(rows * before.num_inputs());
    for (double& v : x) v = rng.uniform(0.0, 1.0);  // inputs >= 0: relu splits them exactly
    const auto y0 = predict(before, x.data(), rows, 1);
    const auto& g = base.graph();
    for (auto [e, end] = boost::edges(g); e != end; ++e) {
      const UnitId j = boost::source(*e, g), i = boost::target(*e, g);
      const bool non_negative = base.role(j) == Role::input || base.activation(j) == A::sigmoid ||
                                base.activation(j) == A::relu || base.activation(j) == A::softplus;
      for (const A f : {A::identity, A::relu}) {
        if (f == A::relu && !non_negative) continue;
        Topology t = base;
        const UnitId n = split_connection(t, j, i, f);
        const Network<double> after = compile<double>(t);
        REQUIRE(after.num_units() == before.num_units() + 1);
        const auto y1 = predict(after, x.data(), rows, 1);
        INFO("seed " << seed << ", split " << base.label(j) << " -> " << base.label(i) << " by "
                     << to_string(f) << " unit " << n);
        for (std::size_t k = 0; k < y0.size(); ++k)
          REQUIRE(std::abs(y1[k] - y0[k]) <= 1e-12 * (1 + std::abs(y0[k])));
      }
    }
  }
}

TEST_CASE("a trained network edited, trained again, saved and reloaded", "[edit][io]") {
  Topology t0 = small_net();
  Network<double> net = compile<double>(t0);
  Dataset<double> data;
  data.num_inputs = 2;
  data.num_targets = 1;
  SplitMix64 rng(5);
  for (int r = 0; r < 32; ++r) {
    const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
    data.inputs.insert(data.inputs.end(), {a, b});
    data.targets.push_back(std::sin(2 * a) * b);
  }
  TrainOptions o;
  o.epochs = 5;
  o.batch_size = 8;
  o.chunk_size = 8;
  o.learning_rate = 0.05;
  o.threads = 1;
  Trainer<double>(net, o).fit(data);

  // The round trip keeps names, values and numbering: compiling it again gives
  // the same network, parameter for parameter.
  Topology t = net.to_topology();
  CHECK(compile<double>(t).params() == net.params());

  WeightSource ws(InitScheme::glorot_uniform, 11);
  const UnitId s = split_connection(t, find_unit(t, "h1"), find_unit(t, "y"), A::tanh, "s");
  add_connection(t, find_unit(t, "x2"), s, ws);
  prune(t, 1e-9);
  Network<double> edited = compile<double>(t);
  const auto unit = [&](const Network<double>& n, const std::string& name) {
    for (UnitId k = 0; k < n.num_units(); ++k)
      if (n.name(k) == name) return k;
    FAIL("no unit " << name);
    return UnitId{0};
  };
  const UnitId ks = unit(edited, "s"), kh1 = unit(edited, "h1"), ky = unit(edited, "y");
  CHECK(edited.weight(kh1, ks) == 1.0);
  CHECK(edited.weight(ks, ky) == net.weight(unit(net, "h1"), unit(net, "y")));
  const auto before = edited.params();
  const auto reports = Trainer<double>(edited, o).fit(data);
  CHECK(reports.back().loss < reports.front().loss);
  CHECK(edited.weight(kh1, ks) != 1.0);  // the new unit's weights are trained
  CHECK(edited.params() != before);

  test::TempDir dir("edit");
  io::save_network(dir.file("e.dpn"), edited);
  const Network<double> back = io::load_network<double>(dir.file("e.dpn"));
  CHECK(back.params() == edited.params());
  for (UnitId k = 0; k < back.num_units(); ++k) {
    CHECK(back.name(k) == edited.name(k));
    CHECK(back.activation(k) == edited.activation(k));
  }
  CHECK(back.outputs() == edited.outputs());
  CHECK(back.activation(unit(back, "s")) == A::tanh);
}
