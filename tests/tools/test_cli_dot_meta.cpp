// `dagprop dot` then `dagprop import` gives back the whole model: the trained
// iris classifier's eval (accuracy, confusion matrix with class names),
// predict and inspect are those of the original.
#ifdef DAGPROP_CLI_PATH

#include <sstream>

#include <catch2/catch.hpp>

#include "tools/cli_run.hpp"

using namespace cli_test;

namespace {

const std::string iris_csv = std::string(DAGPROP_TEST_DATA_DIR) + "/../../samples/data/iris.csv";

// The lines of `text` that start with one of `keys` (after any spaces).
std::string lines_starting(const std::string& text, const std::vector<std::string>& keys) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);)
    for (const std::string& k : keys)
      if (line.find_first_not_of(' ') != std::string::npos &&
          line.compare(line.find_first_not_of(' '), k.size(), k) == 0)
        out += line + "\n";
  return out;
}

}  // namespace

TEST_CASE("cli: dot then import keeps the model: eval, predict and inspect agree",
          "[tools][dot][meta]") {
  const fs::path d = scratch("dot-meta");
  REQUIRE(run(d, "new --layers 4,8,3 --hidden tanh --output-activation identity --seed 2 -o m.dpn")
              .status == 0);
  REQUIRE(run(d, "train m.dpn --data '" + iris_csv +
                     "' --class-column species --class-names setosa,versicolor,virginica "
                     "--loss softmax-ce --scale standardize --epochs 20 --lr 0.05 --quiet "
                     "-o trained.dpn")
              .status == 0);
  const Result dot = run(d, "dot trained.dpn -o m.dot");
  REQUIRE(dot.status == 0);
  CHECK_THAT(slurp(d / "m.dot"),
             Catch::Contains("dagprop_class_names=\"setosa,versicolor,virginica\"") &&
                 Catch::Contains("dagprop_input_scaling=standardize") &&
                 Catch::Contains("dagprop_loss=\"softmax-ce\""));
  const Result imported = run(d, "import m.dot -o back.dpn");
  INFO(imported.err);
  REQUIRE(imported.status == 0);
  const std::string data = " --data '" + iris_csv + "' --precision double";
  const Result e1 = run(d, "eval trained.dpn" + data), e2 = run(d, "eval back.dpn" + data);
  REQUIRE(e1.status == 0);
  REQUIRE(e2.status == 0);
  CHECK_THAT(e1.out, Catch::Contains("accuracy") && Catch::Contains("virginica"));
  CHECK(e2.out == e1.out);
  const Result p1 = run(d, "predict trained.dpn" + data + " --classes");
  const Result p2 = run(d, "predict back.dpn" + data + " --classes");
  REQUIRE(p1.status == 0);
  CHECK(p2.out == p1.out);
  const std::vector<std::string> keys = {"units",  "input",      "output",     "connections",
                                         "levels", "parameters", "scaling",    "target",
                                         "loss",   "reduction",  "class names"};
  const std::string i1 = lines_starting(run(d, "inspect trained.dpn").out, keys);
  CHECK_THAT(i1, Catch::Contains("class names setosa versicolor virginica"));
  CHECK(lines_starting(run(d, "inspect back.dpn").out, keys) == i1);
}

#endif
