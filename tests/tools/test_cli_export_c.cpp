// `dagprop export-c` end to end: a model trained by the command line with
// standardised inputs, exported in float and double, compiled by gcc with the
// test harness and run on the rows `dagprop predict` reads; its outputs must
// equal what predict prints. The flag errors are in test_cli_errors.cpp.
#ifdef DAGPROP_CLI_PATH

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <catch2/catch.hpp>

#include "dagprop/random.hpp"
#include "io/c_harness.hpp"
#include "tools/cli_run.hpp"

using namespace cli_test;

namespace {

constexpr std::size_t rows = 1000;

// Exports t.dpn of `d` in T's precision, runs the C on `x` (rows of 3 inputs,
// exact in float) and compares with `dagprop predict` on x.csv, to 1e-6 (float)
// or 1e-12 (double) of max(|output|, 1).
template <class T>
void check_export(const fs::path& d, const std::vector<double>& x) {
  const bool single = std::is_same_v<T, float>;
  const std::string precision = single ? "float" : "double", name = "net_" + precision;
  const Result e = run(d, "export-c t.dpn -o " + name + ".c --precision " + precision);
  INFO(e.err);
  REQUIRE(e.status == 0);
  CHECK(e.out == "wrote " + name + ".c and " + name + ".h (" + name + "_run, " + precision +
                     ", straight-line)\n");
  CHECK(slurp(d / (name + ".h")).find("the model's input scaling is applied inside") !=
        std::string::npos);
  const Result p = run(d, "predict t.dpn --data x.csv --precision " + precision);
  REQUIRE(p.status == 0);
  const auto printed = parse_csv(p.out);
  REQUIRE(printed.size() == rows);

  const std::vector<dagprop::test::CNet> nets = {{name, rows}};
  write(d / "harness.c", dagprop::test::c_harness_source<T>(nets));
  const std::string log = dagprop::test::compile_c(d, dagprop::test::c_compilers[0], nets);
  INFO(log);
  REQUIRE(log.empty());
  const std::vector<T> out = dagprop::test::run_c(d, std::vector<T>(x.begin(), x.end()), rows);
  REQUIRE(out.size() == rows);
  double worst = 0;
  for (std::size_t r = 0; r < rows; ++r)
    worst = std::max(worst, std::abs(static_cast<double>(out[r]) - printed[r][0]) /
                                std::max(std::abs(printed[r][0]), 1.0));
  INFO(precision << ": largest relative error " << worst);
  CHECK(worst <= (single ? 1e-6 : 1e-12));
}

}  // namespace

TEST_CASE("cli: export-c writes C computing what predict prints, scaling inside",
          "[tools][cexport]") {
  const fs::path d = scratch("export_c_run");
  dagprop::SplitMix64 rng(3);
  std::string train, inputs;
  std::vector<double> x;
  // Inputs far from 0 with very different spreads, floats written with the
  // digits that read back to the same double (predict reads doubles).
  for (std::size_t r = 0; r < rows; ++r) {
    const float a = static_cast<float>(rng.uniform(100, 110));
    const float b = static_cast<float>(rng.uniform(-0.01, 0.01));
    const float c = static_cast<float>(rng.uniform(0, 1000));
    char line[160];
    std::snprintf(line, sizeof line, "%.17g,%.17g,%.17g", static_cast<double>(a),
                  static_cast<double>(b), static_cast<double>(c));
    inputs += std::string(line) + "\n";
    if (r < 200)
      train +=
          std::string(line) + "," +
          std::to_string(std::sin(static_cast<double>(a) - 105) + 50 * static_cast<double>(b)) +
          "\n";
    for (float v : {a, b, c}) x.push_back(static_cast<double>(v));
  }
  write(d / "d.csv", train);
  write(d / "x.csv", inputs);
  REQUIRE(run(d, "new --layers 3,6,1 --hidden tanh --output-activation identity --seed 4 -o m.dpn")
              .status == 0);
  REQUIRE(run(d,
              "train m.dpn --data d.csv --scale standardize --epochs 5 --batch 8 --lr 0.01 "
              "-o t.dpn")
              .status == 0);
  check_export<float>(d, x);
  check_export<double>(d, x);
}

#endif  // DAGPROP_CLI_PATH
