// Tests of `dagprop edit` and `dagprop inspect --units`: operations applied in
// order on a model made by `dagprop new`, the written file checked connection
// by connection against the input file's values, the model's scaling and
// precision kept, and every refused edit answered by one error line, no file.
#ifdef DAGPROP_CLI_PATH

#include <algorithm>
#include <cmath>
#include <sstream>

#include <catch2/catch.hpp>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/model.hpp"
#include "tools/cli_run.hpp"

using namespace cli_test;
using dagprop::Network;
using dagprop::Topology;

namespace {

Topology load_topology(const fs::path& p, dagprop::io::Scaler* scaler = nullptr) {
  return dagprop::io::load_network<double>(p.string(), scaler).to_topology();
}

// m.dpn: inputs 0, 1 (x1, x2); hidden tanh units 2, 3, 4 (h1_1..h1_3); output 5 (y1,
// identity), named by `new`.
const std::string small_net = "new --layers 2,3,1 --hidden tanh --init glorot --seed 3 -o m.dpn";

// Two inputs and a target.
const char* const train_csv = "1,10,0.5\n2,30,1\n3,20,-1\n6,40,0\n";

// The whitespace-separated fields of each line.
std::vector<std::vector<std::string>> table(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    rows.emplace_back();
    for (std::string s; f >> s;) rows.back().push_back(s);
  }
  return rows;
}

}  // namespace

TEST_CASE("cli: inspect --units lists every unit with role, level and fans", "[tools][edit]") {
  const fs::path d = scratch("inspect_units");
  REQUIRE(run(d, small_net).status == 0);
  const Result r = run(d, "inspect m.dpn --units");
  REQUIRE(r.status == 0);
  using Row = std::vector<std::string>;
  CHECK(table(r.out) == std::vector<Row>{{"id", "name", "role", "number", "activation", "level",
                                          "fan-in", "fan-out"},
                                         {"0", "x1", "input", "0", "-", "0", "0", "3"},
                                         {"1", "x2", "input", "1", "-", "0", "0", "3"},
                                         {"2", "h1_1", "hidden", "-", "tanh", "1", "2", "1"},
                                         {"3", "h1_2", "hidden", "-", "tanh", "1", "2", "1"},
                                         {"4", "h1_3", "hidden", "-", "tanh", "1", "2", "1"},
                                         {"5", "y1", "output", "0", "identity", "2", "3", "0"}});
  // Aligned: every line starts its "role" column at the same place.
  std::istringstream in(r.out);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  CHECK(header.find("role") == first.find("input"));

  // A checkpoint lists the same units; edit takes model files only.
  write(d / "train.csv", train_csv);
  REQUIRE(run(d, "train m.dpn --data train.csv --epochs 1 --checkpoint ck.dpc -o t.dpn").status ==
          0);
  CHECK(run(d, "inspect ck.dpc --units").out == r.out);
  const Result e = run(d, "edit ck.dpc -o e.dpn --prune 0");
  CHECK(e.status == 1);
  CHECK(e.err.find("ck.dpc is a checkpoint") != std::string::npos);
}

TEST_CASE("cli: edit applies its operations in order and keeps every other value",
          "[tools][edit]") {
  const fs::path d = scratch("edit_ops");
  REQUIRE(run(d, small_net).status == 0);
  const Topology m = load_topology(d / "m.dpn");
  const Result r = run(d,
                       "edit m.dpn -o e.dpn --split u2:u5:relu:s --connect 0:s=0.5 "
                       "--set-activation 4=sigmoid --disconnect 'u1->u4' "
                       "--add-unit h9:softsign:from=0=0.5,1:to=u5=-0.25:bias=0.1 --remove-unit 3");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("split 'h1_1' -> 'y1' by 's' (relu)\n") != std::string::npos);
  CHECK(r.out.find("connected 'x1' -> 's' (w = 0.5)\n") != std::string::npos);
  CHECK(r.out.find("removed 'h1_2' and its 3 connections\n") != std::string::npos);

  // Ids after removing unit 3: 0, 1, 2, then old 4 -> 3, old 5 (y) -> 4, s -> 5, h9 -> 6.
  const Topology e = load_topology(d / "e.dpn");
  REQUIRE(e.num_units() == 7);
  CHECK(e.name(5) == "s");
  CHECK(e.activation(5) == dagprop::Activation::relu);
  CHECK(e.bias(5) == 0.0);
  CHECK(e.name(6) == "h9");
  CHECK(e.activation(6) == dagprop::Activation::softsign);
  CHECK(e.bias(6) == 0.1);
  CHECK(e.weight(2, 5) == 1.0);
  CHECK(e.weight(5, 4) == m.weight(2, 5));  // the split's old weight, out of s
  CHECK(e.weight(0, 5) == 0.5);
  CHECK_FALSE(e.connected(2, 4));
  CHECK_FALSE(e.connected(1, 3));  // u1 -> u4 before the removal
  CHECK(e.activation(3) == dagprop::Activation::sigmoid);
  CHECK(e.weight(0, 3) == m.weight(0, 4));
  CHECK(e.weight(3, 4) == m.weight(4, 5));
  CHECK(e.weight(0, 6) == 0.5);
  CHECK(e.weight(6, 4) == -0.25);
  // The weight 1 -> h9 not given: glorot uniform for h9's fan-in 2 and fan-out
  // (|D_0| + |D_1|) / 2 = (5 + 3) / 2 = 4 when it was added (D_0: u2, u3, u4, s,
  // h9; D_1: u2, u3, h9), a = sqrt(6 / 6), the first draw of seed 1.
  dagprop::SplitMix64 rng(1);
  CHECK(e.weight(1, 6) == rng.uniform(-1.0, 1.0));
  // 9, split +1, connect +1, disconnect -1, add-unit +3, remove-unit -3 (from 0, 1, to y).
  CHECK(e.num_connections() == 10);
  CHECK(e.inputs() == m.inputs());
  CHECK(e.num_outputs() == 1);
}

TEST_CASE("cli: edit keeps the model's scaling and precision, prune 0 changes nothing",
          "[tools][edit]") {
  const fs::path d = scratch("edit_keep");
  write(d / "train.csv", train_csv);
  REQUIRE(run(d, small_net).status == 0);
  REQUIRE(run(d, "train m.dpn --data train.csv --scale standardize --epochs 2 --batch 2 -o t.dpn")
              .status == 0);
  REQUIRE(run(d, "edit t.dpn -o p.dpn --prune 0").status == 0);
  CHECK(slurp(d / "p.dpn") == slurp(d / "t.dpn"));  // same values, scaling, precision, format
  const Result split = run(d, "edit t.dpn -o s.dpn --format text --split u2:u5");
  REQUIRE(split.status == 0);
  // A split without NAME names its unit s1, s2, ...: the first free one.
  CHECK_THAT(split.out, Catch::Contains("by 's1' (identity)"));
  CHECK_THAT(run(d, "edit s.dpn -o s3.dpn --split s1:u5").out,
             Catch::Contains("by 's2' (identity)"));
  dagprop::io::Scaler s;
  load_topology(d / "s.dpn", &s);
  CHECK(s.kind == dagprop::io::ScaleKind::standardize);
  const Result i = run(d, "inspect s.dpn");
  CHECK(i.out.find("format text archive") != std::string::npos);
  CHECK(i.out.find("float values") != std::string::npos);
  // The identity split keeps the predictions (to float rounding: the sum into
  // u5 runs in another order).
  write(d / "x.csv", "2.5,25\n-1,0\n7,-3\n");
  const auto y0 = parse_csv(run(d, "predict t.dpn --data x.csv").out);
  const auto y1 = parse_csv(run(d, "predict s.dpn --data x.csv").out);
  REQUIRE(y0.size() == 3);
  REQUIRE(y1.size() == 3);
  for (std::size_t r = 0; r < 3; ++r)
    CHECK(std::abs(y1[r][0] - y0[r][0]) <= 1e-6 * (1 + std::abs(y0[r][0])));
  // The edited model trains on, and its new unit stays where edit put it.
  REQUIRE(run(d, "train s.dpn --data train.csv --epochs 2 --batch 2 -o s2.dpn").status == 0);
  const auto units = table(run(d, "inspect s2.dpn --units").out);
  REQUIRE(units.size() == 8);
  CHECK(units[7] == std::vector<std::string>{"6", "s1", "hidden", "-", "identity", "2", "1", "1"});
  CHECK(load_topology(d / "s2.dpn").weight(2, 6) != 1.0);  // trained
}

TEST_CASE("cli: a refused edit is one error line naming the units, and writes nothing",
          "[tools][edit]") {
  const fs::path d = scratch("edit_errors");
  REQUIRE(run(d, small_net).status == 0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--connect u5:u2",
       "--connect u5:u2: add_connection: 'y1' -> 'h1_1' would close the cycle 'h1_1' -> 'y1'"},
      {"--connect u2:0", "would enter the input unit 'x1'"},
      {"--connect 0:u2", "'x1' -> 'h1_1' exists already"},
      {"--connect zz:u5", "no unit is named 'zz'"},
      {"--connect u2", "--connect u2: expected A:B[=W]"},
      {"--connect u2:u3=x", "expected a finite number, got 'x'"},
      {"--split 0:u2:nope", "unknown activation 'nope'"},
      {"--add-unit h:tanh:to=1", "'x2' is an input unit"},
      {"--add-unit h:tanh:from=0:colour=red", "unknown field 'colour=red'"},
      {"--remove-unit 5", "it is an output unit"},
      {"--prune 100", "no input would reach the output(s) 'y1' any more"},
      {"", "no operation given"},
  };
  for (const auto& [ops, message] : cases) {
    INFO(ops);
    const Result r = run(d, "edit m.dpn -o bad.dpn " + ops);
    CHECK(r.status == 1);
    CHECK(r.err.find("dagprop: error: ") == 0);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(d / "bad.dpn"));
  }
  const std::string before = slurp(d / "m.dpn");
  const Result same = run(d, "edit m.dpn -o ./m.dpn --prune 0");
  CHECK(same.status == 1);
  CHECK(same.err.find("is the same file as the model file m.dpn") != std::string::npos);
  CHECK(slurp(d / "m.dpn") == before);
}

#endif
