// The command line with FANN files: `dagprop import` of a .net file (scaling
// included) predicts FANN's raw outputs, `train`/`eval` read FANN .data files,
// and `dagprop export-fann` writes a file on which FANN's fann_run gives
// dagprop's predictions. FANN itself is fann_tool; skipped without it.
#include <algorithm>
#include <cmath>

#include <catch2/catch.hpp>

#include "io/fann_run.hpp"
#include "tools/cli_run.hpp"

using namespace cli_test;

TEST_CASE("cli: a FANN network in, fine-tuned on FANN data, and out again", "[tools][fann]") {
  if (!dagprop::test::have_fann()) return dagprop::test::fann_missing();
  const fs::path d = scratch("fann");
  const std::string net = (d / "a.net").string();
  REQUIRE(dagprop::test::fann_tool("create '" + net +
                                   "' shortcut 3,5,4,2 0,3,5,7,8,10,11,12,13,14,15,16,17 "
                                   "0.8,1.2 3 1")
              .empty());
  const Result imp = run(d, "import a.net -o a.dpn");
  REQUIRE(imp.status == 0);
  CHECK_THAT(imp.out, Catch::Contains("wrote a.dpn"));
  const std::vector<std::vector<double>> x = {{1, 2, 3}, {-10, 20, 5}, {40, -3, 0.5}};
  write(d / "x.csv", "1,2,3\n-10,20,5\n40,-3,0.5\n");
  const Result p = run(d, "predict a.dpn --data x.csv --precision double");
  REQUIRE(p.status == 0);
  CHECK(dagprop::test::deviation(parse_csv(p.out),
                                 dagprop::test::fann_run(net, x, (d / "x.txt").string())) <= 1e-5);

  // FANN data: train and eval read them by content.
  REQUIRE(dagprop::test::fann_tool("data '" + (d / "t.data").string() + "' 40 3 2 9").empty());
  const Result e0 = run(d, "eval a.dpn --data t.data --loss sse");
  REQUIRE(e0.status == 0);
  const Result t = run(d,
                       "train a.dpn --data t.data --epochs 3 --optimizer adam --lr 0.01 "
                       "--loss sse -o b.dpn");
  INFO(t.err);
  REQUIRE(t.status == 0);
  const Result wrong = run(d, "eval a.dpn --data t.data --targets 1,2");
  CHECK(wrong.status == 1);
  CHECK_THAT(wrong.err, Catch::Contains("FANN data"));

  // Back to FANN: fann_run on the exported file gives dagprop's predictions.
  const Result ex = run(d, "export-fann b.dpn -o b.net");
  REQUIRE(ex.status == 0);
  CHECK_THAT(ex.out, Catch::Contains("scaling included"));
  const Result pb = run(d, "predict b.dpn --data x.csv --precision double");
  REQUIRE(pb.status == 0);
  CHECK(dagprop::test::deviation(
            dagprop::test::fann_run((d / "b.net").string(), x, (d / "x.txt").string()),
            parse_csv(pb.out)) <= 1e-5);
}

TEST_CASE("cli: export-fann refuses an activation FANN has not, writing nothing", "[tools]") {
  const fs::path d = scratch("fann-refuse");
  REQUIRE(run(d, "new --layers 2,3,1 --hidden relu --output-activation identity -o r.dpn").status ==
          0);
  const Result r = run(d, "export-fann r.dpn -o r.net");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::StartsWith("dagprop: error: ") && Catch::Contains("relu"));
  CHECK_FALSE(fs::exists(d / "r.net"));
}

TEST_CASE("cli: import names FANN among the formats it cannot tell a file from", "[tools]") {
  const fs::path d = scratch("fann-unknown");
  write(d / "bom.net",
        "\xef\xbb\xbf"
        "FANN_FLO_2.1\nnum_layers=2\n");  // FANN refuses a BOM too
  const Result r = run(d, "import bom.net -o x.dpn");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("bom.net: cannot tell the network format") &&
                        Catch::Contains("a FANN network, which starts FANN_FLO_2.1") &&
                        Catch::Contains("--format dot, neat or fann"));
  CHECK_FALSE(fs::exists(d / "x.dpn"));
}

TEST_CASE("cli: export-fann --fixed-point writes linear neurons at steepness 1, refuses sin",
          "[tools]") {
  const fs::path d = scratch("fann-fixed");
  // No hidden layer: the identity output reads the (unbounded) inputs.
  REQUIRE(run(d, "new --layers 2,1 --output-activation identity -o t.dpn").status == 0);
  REQUIRE(run(d, "export-fann t.dpn -o float.net").status == 0);
  REQUIRE(run(d, "export-fann t.dpn -o fixed.net --fixed-point").status == 0);
  // The output neuron is the last one before the output layer's bias neuron:
  // FANN_LINEAR (0) with steepness 2^-20 for the float runtime, 1 for the fixed one.
  const auto output_neuron = [&](const char* file) {
    const std::string text = slurp(d / file);
    const std::size_t end = text.rfind("(0, 0, 0");  // the last bias neuron
    REQUIRE(end != std::string::npos);
    const std::size_t begin = text.rfind('(', end - 1);
    return text.substr(begin, end - begin);
  };
  CHECK_THAT(output_neuron("float.net"), Catch::StartsWith("(3, 0, 9.5367431640625e-07)"));
  CHECK_THAT(output_neuron("fixed.net"), Catch::StartsWith("(3, 0, 1)"));

  REQUIRE(run(d, "new --layers 2,3,1 --hidden sin --output-activation identity -o s.dpn").status ==
          0);
  REQUIRE(run(d, "export-fann s.dpn -o s.net").status == 0);  // FANN_SIN_SYMMETRIC in float
  const Result r = run(d, "export-fann s.dpn -o s2.net --fixed-point");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::StartsWith("dagprop: error: ") &&
                        Catch::Contains("has activation sin, which that runtime does not run"));
  CHECK_FALSE(fs::exists(d / "s2.net"));
}
