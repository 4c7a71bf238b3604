// Tests of input scaling (io/scaling.hpp): standardization fitted on a small
// set with hand-computed means and deviations, division by a constant, float
// data, the kind's text form, and every refusal.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "dagprop/error.hpp"
#include "dagprop/io/scaling.hpp"

using dagprop::Dataset;
using dagprop::io::ScaleKind;
using dagprop::io::Scaler;

namespace {

// 4 rows x 3 inputs: column 0 is 1..4, column 1 is constant 7, column 2 is 0,0,10,10;
// one target column that scaling must leave alone.
Dataset<double> sample() {
  Dataset<double> d;
  d.num_inputs = 3;
  d.num_targets = 1;
  d.inputs = {1, 7, 0, 2, 7, 0, 3, 7, 10, 4, 7, 10};
  d.targets = {-1, -2, -3, -4};
  return d;
}

}  // namespace

TEST_CASE("fit_standardize: mean and population deviation per column", "[io][scaling]") {
  Dataset<double> d = sample();
  const Scaler s = dagprop::io::fit_standardize(d);
  REQUIRE(s.kind == ScaleKind::standardize);
  // Column 0: mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
  // Column 1: constant, so offset 7 and scale 1. Column 2: mean 5, deviation 5.
  REQUIRE(s.offset == std::vector<double>{2.5, 7, 5});
  REQUIRE(s.scale == std::vector<double>{std::sqrt(1.25), 1, 5});
  dagprop::io::apply(s, d);
  const double a = 1.5 / std::sqrt(1.25), b = 0.5 / std::sqrt(1.25);
  REQUIRE(d.inputs == std::vector<double>{-a, 0, -1, -b, 0, -1, b, 0, 1, a, 0, 1});
  REQUIRE(d.targets == std::vector<double>{-1, -2, -3, -4});
}

TEST_CASE("divide scales by a constant, in double or float", "[io][scaling]") {
  const Scaler s = dagprop::io::divide(3, 255.0);
  REQUIRE(s.kind == ScaleKind::divide);
  REQUIRE(s.offset == std::vector<double>{0, 0, 0});
  REQUIRE(s.scale == std::vector<double>{255, 255, 255});
  Dataset<double> d = sample();
  dagprop::io::apply(s, d);
  REQUIRE(d.inputs[2 * 3 + 2] == 10.0 / 255.0);
  REQUIRE(d.inputs[0] == 1.0 / 255.0);
  Dataset<float> f = dagprop::convert<float>(sample());
  dagprop::io::apply(s, f);
  REQUIRE(f.inputs[2 * 3 + 2] == static_cast<float>(10.0 / 255.0));
  std::vector<float> row = {255, 510, 0};
  dagprop::io::apply(s, row.data(), row.size());
  REQUIRE(row == std::vector<float>{1, 2, 0});
}

TEST_CASE("ScaleKind has a text form", "[io][scaling]") {
  for (const ScaleKind k :
       {ScaleKind::none, ScaleKind::divide, ScaleKind::standardize, ScaleKind::affine})
    REQUIRE(dagprop::io::parse_scale_kind(dagprop::io::to_string(k)) == k);
  REQUIRE(dagprop::io::to_string(ScaleKind::standardize) == "standardize");
  REQUIRE(dagprop::io::to_string(ScaleKind::affine) == "affine");
  REQUIRE_THROWS_WITH(dagprop::io::parse_scale_kind("minmax"),
                      Catch::Contains("unknown scaling \"minmax\""));
}

TEST_CASE("scaling refuses mismatches and bad constants", "[io][scaling]") {
  Dataset<double> d = sample();
  const Dataset<double> before = d;
  REQUIRE_THROWS_AS(dagprop::io::apply(dagprop::io::divide(2, 3.0), d), dagprop::invalid_argument);
  REQUIRE_THROWS_WITH(dagprop::io::apply(dagprop::io::divide(2, 3.0), d),
                      Catch::Contains("the data have 3 input columns"));
  REQUIRE(d.inputs == before.inputs);
  REQUIRE_THROWS_AS(dagprop::io::divide(3, 0.0), dagprop::invalid_argument);
  REQUIRE_THROWS_AS(dagprop::io::divide(3, HUGE_VAL), dagprop::invalid_argument);
  Scaler zero = dagprop::io::divide(3, 2.0);
  zero.scale[1] = 0;
  REQUIRE_THROWS_WITH(zero.check(3), Catch::Contains("column 1"));
  Dataset<double> empty;
  empty.num_inputs = 3;
  REQUIRE_THROWS_AS(dagprop::io::fit_standardize(empty), dagprop::invalid_argument);
  Scaler none;
  dagprop::io::apply(none, d);
  REQUIRE(d.inputs == before.inputs);
  REQUIRE(none == Scaler{});
  REQUIRE(none != zero);
}

TEST_CASE("fit_standardize: exact constants, sums that overflow, non-finite data",
          "[io][scaling]") {
  SECTION("a constant column becomes exactly 0, whatever the rounding of its mean") {
    Dataset<double> d;
    d.num_inputs = 1;
    d.inputs = {0.1, 0.1, 0.1};  // 0.1 + 0.1 + 0.1 == 0.30000000000000004, / 3 != 0.1
    const Scaler s = dagprop::io::fit_standardize(d);
    REQUIRE(s.offset == std::vector<double>{0.1});
    REQUIRE(s.scale == std::vector<double>{1});
    dagprop::io::apply(s, d);
    REQUIRE(d.inputs == std::vector<double>{0, 0, 0});
  }
  SECTION("values near the largest double: sums and squares overflow, the result does not") {
    Dataset<double> d;
    d.num_inputs = 2;
    // Column 0: +-1e308, mean 0, deviation 1e308 (its squares overflow).
    // Column 1: 1.5e308 twice and 1e308 twice, mean 1.25e308, deviation 0.25e308
    // (its sum overflows).
    d.inputs = {1e308, 1.5e308, -1e308, 1.5e308, 1e308, 1e308, -1e308, 1e308};
    const Scaler s = dagprop::io::fit_standardize(d);
    CHECK(s.offset[0] == 0);
    CHECK(s.scale[0] == 1e308);
    CHECK(s.offset[1] == Approx(1.25e308).epsilon(1e-15));
    CHECK(s.scale[1] == Approx(0.25e308).epsilon(1e-12));
    dagprop::io::apply(s, d);
    CHECK(d.inputs[0] == 1);
    CHECK(d.inputs[2] == -1);
    CHECK(d.inputs[1] == Approx(1).epsilon(1e-12));
    CHECK(d.inputs[5] == Approx(-1).epsilon(1e-12));
  }
  SECTION("values spanning more than a double holds, or not finite, are refused") {
    Dataset<double> d;
    d.num_inputs = 1;
    d.inputs = {-1.7e308, 1.7e308, 1.7e308};
    REQUIRE_THROWS_AS(dagprop::io::fit_standardize(d), dagprop::numeric_error);
    d.inputs = {1, std::nan(""), 2};
    REQUIRE_THROWS_WITH(dagprop::io::fit_standardize(d),
                        Catch::Contains("row 2, input column 1: the value is not finite"));
  }
}

TEST_CASE("apply refuses values the scaling pushes out of range, changing nothing",
          "[io][scaling]") {
  Dataset<double> d;
  d.num_inputs = 2;
  d.inputs = {1, 2, 3, 1e10};
  const Dataset<double> before = d;
  const Scaler tiny = dagprop::io::divide(2, 1e-300);
  REQUIRE_THROWS_WITH(dagprop::io::apply(tiny, d),
                      Catch::Contains("row 2, input column 2: scaling (divide)") &&
                          Catch::Contains("range of double"));
  REQUIRE(d.inputs == before.inputs);
  Dataset<float> f = dagprop::convert<float>(before);
  const Dataset<float> f_before = f;
  const Scaler small = dagprop::io::divide(2, 1e-30);  // 1e10 / 1e-30 = 1e40 > FLT_MAX
  REQUIRE_THROWS_AS(dagprop::io::apply(small, f), dagprop::numeric_error);
  REQUIRE_THROWS_WITH(dagprop::io::apply(small, f), Catch::Contains("range of float"));
  REQUIRE(f.inputs == f_before.inputs);
  std::vector<float> row = {1, 1e10f};
  REQUIRE_THROWS_WITH(dagprop::io::apply(small, row.data(), row.size()),
                      Catch::StartsWith("input column 2: scaling (divide) of 1e+10 "));
  REQUIRE(row == std::vector<float>{1, 1e10f});
  // Within range, the same scaler works: 3 / 1e-30 = 3e30 in float.
  std::vector<float> fine = {3, 0};
  dagprop::io::apply(small, fine.data(), fine.size());
  REQUIRE(fine[0] == static_cast<float>(3 / 1e-30));
}
