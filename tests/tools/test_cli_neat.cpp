// `dagprop import` of a neat-python JSON export: told apart from DOT by
// content, predictions equal to neat-python's (tests/io/neat_reference.hpp),
// node ids kept as unit names in `dagprop dot`, and refusals as one line.
#ifdef DAGPROP_CLI_PATH

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <string>

#include "io/neat_reference.hpp"
#include "tools/cli_run.hpp"

using namespace cli_test;

TEST_CASE("cli: import reads a neat-python JSON export", "[tools][neat]") {
  const fs::path d = scratch("neat");
  const neat_reference::Case& c = neat_reference::cases[1];
  REQUIRE(std::string(c.name) == "genome");
  write(d / "g.json", c.json);
  const Result r = run(d, "import g.json -o g.dpn");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("10 units, 15 connections") != std::string::npos);
  std::string csv;
  for (std::size_t k = 0; k < c.x.size(); ++k) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", c.x[k]);
    csv += buf;
    csv += (k + 1) % c.inputs == 0 ? "\n" : ",";
  }
  write(d / "x.csv", csv);
  const auto y = parse_csv(run(d, "predict g.dpn --data x.csv --precision double").out);
  REQUIRE(y.size() == c.x.size() / c.inputs);
  for (std::size_t row = 0; row < y.size(); ++row) {
    REQUIRE(y[row].size() == c.outputs);
    for (std::size_t k = 0; k < c.outputs; ++k) {
      const double want = c.y[row * c.outputs + k];
      CHECK(std::abs(y[row][k] - want) <= 1e-9 * std::max(1.0, std::abs(want)));
    }
  }
  CHECK(run(d, "dot g.dpn").out.find("label=\"249\"") != std::string::npos);

  // Forced to DOT, or refused by the JSON checks: one line naming file and node.
  Result bad = run(d, "import g.json --format dot -o x.dpn");
  CHECK(bad.status == 1);
  CHECK(bad.err.rfind("dagprop: error: g.json", 0) == 0);
  std::string inv = c.json;
  inv.replace(inv.find("\"tanh\""), 6, "\"inv\"");
  write(d / "inv.json", inv);
  bad = run(d, "import inv.json -o x.dpn");
  CHECK(bad.status == 1);
  CHECK(bad.err.find("inv.json:") != std::string::npos);
  CHECK(bad.err.find("node 142: activation 'inv' is not supported") != std::string::npos);
  CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(d / "x.dpn"));
}

#endif
