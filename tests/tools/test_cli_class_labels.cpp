// `train --class-column` on text labels without --class-names: the sorted
// distinct labels of the training file become the class names, saved with the
// model and used by eval and predict; a count that does not fit the outputs is
// an error saying so; integer labels stay class numbers.
#ifdef DAGPROP_CLI_PATH

#include <catch2/catch.hpp>

#include "tools/cli_run.hpp"

using namespace cli_test;

namespace {

// Three animals told apart by the first input alone (emu < 0 < dog < 2 < cat),
// in an order that is not the sorted one.
const char* const animals =
    "size,noise,kind\n"
    "2.5,0.1,cat\n-1.0,0.3,emu\n1.0,0.2,dog\n3.0,0.0,cat\n-2.0,0.1,emu\n0.5,0.4,dog\n"
    "2.8,0.2,cat\n-1.5,0.0,emu\n1.5,0.1,dog\n";

}  // namespace

TEST_CASE("cli: text class labels without --class-names become the sorted class names",
          "[tools][meta]") {
  const fs::path d = scratch("text-labels");
  write(d / "animals.csv", animals);
  REQUIRE(run(d, "new --layers 2,3 --output-activation identity --seed 1 -o m.dpn").status == 0);
  const Result t = run(d,
                       "train m.dpn --data animals.csv --class-column kind --loss softmax-ce "
                       "--epochs 3 --quiet -o trained.dpn");
  INFO(t.err);
  REQUIRE(t.status == 0);
  CHECK_THAT(t.err, Catch::Contains("the class column holds text labels: classes 0..2 are "
                                    "cat,dog,emu (sorted; --class-names sets another order)"));
  CHECK_THAT(run(d, "inspect trained.dpn").out, Catch::Contains("class names cat dog emu"));
  const Result e = run(d, "eval trained.dpn --data animals.csv");
  REQUIRE(e.status == 0);
  CHECK_THAT(e.out, Catch::Contains("accuracy") && Catch::Contains("emu"));
  // predict prints names of the model's classes, one per row.
  const Result p = run(d, "predict trained.dpn --data animals.csv --classes");
  REQUIRE(p.status == 0);
  std::size_t rows = 0;
  std::istringstream in(p.out);
  for (std::string name; std::getline(in, name); ++rows)
    CHECK((name == "cat" || name == "dog" || name == "emu"));
  CHECK(rows == 9);
}

TEST_CASE("cli: text class labels that do not fit the outputs are refused, saying why",
          "[tools][meta]") {
  const fs::path d = scratch("text-labels-count");
  write(d / "animals.csv", animals);
  REQUIRE(run(d, "new --layers 2,2 --output-activation identity -o m.dpn").status == 0);
  const Result t = run(d,
                       "train m.dpn --data animals.csv --class-column kind --loss softmax-ce "
                       "--epochs 1 -o trained.dpn");
  CHECK(t.status != 0);
  CHECK_THAT(t.err, Catch::Contains("--class-column kind holds 3 distinct labels (cat,dog,emu) "
                                    "but the network's 2 outputs take 2 classes"));
  CHECK_FALSE(fs::exists(d / "trained.dpn"));
}

TEST_CASE("cli: integer class labels stay class numbers", "[tools][meta]") {
  const fs::path d = scratch("int-labels");
  write(d / "n.csv", "a,b,c\n0.1,0.2,0\n0.9,0.1,1\n0.4,0.8,2\n0.2,0.3,0\n");
  REQUIRE(run(d, "new --layers 2,3 --output-activation identity -o m.dpn").status == 0);
  const Result t = run(d,
                       "train m.dpn --data n.csv --class-column c --loss softmax-ce --epochs 1 "
                       "--quiet -o trained.dpn");
  INFO(t.err);
  REQUIRE(t.status == 0);
  CHECK(t.err.find("text labels") == std::string::npos);
  CHECK(run(d, "inspect trained.dpn").out.find("class names") == std::string::npos);
}

#endif
