// Tests of what a trained model remembers on the command line: train saves
// the loss, reduction, target reading, class names and scalers; eval, predict,
// gradcheck and inspect use them, refuse contradicting flags, and report
// metrics that the tests recompute here from predict's outputs and the data
// (confusion matrix, precision/recall/F1, RMSE, MAE, R²). It includes the
// README's end-to-end run on the committed iris data.
#ifdef DAGPROP_CLI_PATH

#include <algorithm>
#include <cmath>
#include <sstream>

#include <catch2/catch.hpp>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/model.hpp"
#include "tools/cli_run.hpp"

using namespace cli_test;

namespace {

const std::string iris_csv = std::string(DAGPROP_TEST_DATA_DIR) + "/../../samples/data/iris.csv";
const std::vector<std::string> iris_names = {"setosa", "versicolor", "virginica"};

// The species (0, 1, 2) of each row of the committed iris file.
std::vector<std::size_t> iris_classes() {
  std::istringstream in(slurp(iris_csv));
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::size_t> classes;
  while (std::getline(in, line)) {
    const std::string name = line.substr(line.rfind(',') + 1);
    const auto it = std::find(iris_names.begin(), iris_names.end(), name);
    REQUIRE(it != iris_names.end());
    classes.push_back(static_cast<std::size_t>(it - iris_names.begin()));
  }
  return classes;
}

// The whitespace-separated fields of the first line of `text` after `title`.
std::vector<std::string> fields_after(const std::string& text, const std::string& title) {
  std::istringstream in(text.substr(text.find(title)));
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  std::istringstream f(line);
  std::vector<std::string> out;
  for (std::string w; f >> w;) out.push_back(w);
  return out;
}

// The numbers after `key` at the start of a line (after any spaces), e.g. "rmse 1.5 2".
std::vector<double> values_after(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.erase(0, line.find_first_not_of(' ')).rfind(key + " ", 0) == 0) {
      std::istringstream f(line.substr(key.size()));
      std::vector<double> v;
      for (double x; f >> x;) v.push_back(x);
      return v;
    }
  return {};
}

}  // namespace

TEST_CASE("cli: the README's iris run: new, train, eval, predict with class names",
          "[tools][meta]") {
  const fs::path d = scratch("iris");
  REQUIRE(
      run(d, "new --layers 4,16,3 --hidden tanh --output-activation identity --seed 1 -o iris.dpn")
          .status == 0);
  const Result t = run(d, "train iris.dpn --data '" + iris_csv +
                              "' --class-column species --class-names "
                              "setosa,versicolor,virginica --loss softmax-ce --scale "
                              "standardize --epochs 60 --lr 0.05 -o trained.dpn");
  REQUIRE(t.status == 0);
  // eval needs nothing but the data: loss, classes and names come from the model.
  const Result e = run(d, "eval trained.dpn --data '" + iris_csv + "' --precision double");
  REQUIRE(e.status == 0);
  CHECK_THAT(e.out, Catch::Contains("softmax-ce, the mean per run; trained with --reduction mean"));
  const Result p = run(d, "predict trained.dpn --data '" + iris_csv + "' --precision double");
  REQUIRE(p.status == 0);
  const auto y = parse_csv(p.out);
  const auto truth = iris_classes();
  REQUIRE(y.size() == truth.size());
  // Accuracy, confusion matrix, precision, recall and F1 recomputed from the outputs.
  std::vector<std::size_t> m(9, 0);
  for (std::size_t r = 0; r < y.size(); ++r) {
    REQUIRE(y[r].size() == 3);
    const auto guess =
        static_cast<std::size_t>(std::max_element(y[r].begin(), y[r].end()) - y[r].begin());
    ++m[truth[r] * 3 + guess];
  }
  const double accuracy = static_cast<double>(m[0] + m[4] + m[8]) / 150.0;
  CHECK(accuracy >= 0.9);  // iris is nearly separable; a trained network gets most right
  CHECK(value_after(e.out, "accuracy") == Approx(accuracy).margin(1e-6));
  CHECK(fields_after(e.out, "confusion matrix") == iris_names);
  std::istringstream in(e.out.substr(e.out.find("confusion matrix")));
  std::string line;
  std::getline(in, line), std::getline(in, line);
  for (std::size_t c = 0; c < 3; ++c) {
    std::string label;
    std::size_t a, b, k;
    in >> label >> a >> b >> k;
    CHECK(label == iris_names[c]);
    CHECK(std::vector<std::size_t>{a, b, k} ==
          std::vector<std::size_t>{m[c * 3], m[c * 3 + 1], m[c * 3 + 2]});
  }
  for (std::size_t c = 0; c < 3; ++c) {
    const double tp = static_cast<double>(m[c * 3 + c]);
    const double predicted = static_cast<double>(m[c] + m[3 + c] + m[6 + c]);
    const double precision = predicted > 0 ? tp / predicted : 0, recall = tp / 50.0;
    const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    const auto metrics = values_after(e.out.substr(e.out.find("precision")), iris_names[c]);
    REQUIRE(metrics.size() == 4);
    CHECK(metrics[0] == Approx(precision).margin(5e-5));
    CHECK(metrics[1] == Approx(recall).margin(5e-5));
    CHECK(metrics[2] == Approx(f1).margin(5e-5));
    CHECK(metrics[3] == 50);
  }
  // predict --classes prints the names the model holds.
  const Result names = run(d, "predict trained.dpn --data '" + iris_csv + "' --classes");
  REQUIRE(names.status == 0);
  std::istringstream got(names.out);
  std::size_t r = 0;
  for (std::string name; std::getline(got, name); ++r) {
    REQUIRE(r < y.size());
    const auto guess =
        static_cast<std::size_t>(std::max_element(y[r].begin(), y[r].end()) - y[r].begin());
    CHECK(name == iris_names[guess]);
  }
  CHECK(r == 150);
  // inspect shows the setup.
  const Result i = run(d, "inspect trained.dpn");
  CHECK_THAT(i.out, Catch::Contains("loss softmax-ce") && Catch::Contains("reduction mean") &&
                        Catch::Contains("targets class-column species") &&
                        Catch::Contains("class names setosa versicolor virginica") &&
                        Catch::Contains("scaling standardize"));
}

TEST_CASE("cli: a flag that contradicts the model is an error saying what the model holds",
          "[tools][meta]") {
  const fs::path d = scratch("meta_contradict");
  REQUIRE(run(d, "new --layers 4,3 --output-activation identity -o m.dpn").status == 0);
  REQUIRE(run(d, "train m.dpn --data '" + iris_csv +
                     "' --class-column species --class-names setosa,versicolor,virginica "
                     "--loss softmax-ce --epochs 1 -o t.dpn")
              .status == 0);
  const auto refused = [&](const std::string& flags, const std::string& what) {
    const Result r = run(d, "eval t.dpn --data '" + iris_csv + "' " + flags);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::StartsWith("dagprop: error: " + what) &&
                          Catch::Contains("trained with --loss softmax-ce --reduction mean "
                                          "--class-column species --class-names "
                                          "setosa,versicolor,virginica"));
  };
  refused("--loss sse", "--loss sse contradicts the model");
  refused("--class-column 1", "--class-column 1 contradicts the model");
  refused("--targets 5", "--targets 5 contradicts the model");
  refused("--class-names a,b,c", "--class-names a,b,c contradicts the model");
  // gradcheck checks the loss the model was trained with, and refuses another.
  const Result g = run(d, "gradcheck t.dpn --data '" + iris_csv + "' --samples 2");
  CHECK(g.status == 0);
  CHECK_THAT(g.out, Catch::Contains("(loss softmax-ce, step"));
  CHECK_THAT(run(d, "gradcheck t.dpn --data '" + iris_csv + "' --loss sse").err,
             Catch::StartsWith("dagprop: error: --loss sse contradicts the model"));
  // Agreeing flags are fine.
  CHECK(run(d, "eval t.dpn --data '" + iris_csv + "' --loss softmax-ce --class-column species")
            .status == 0);
  const Result s = run(d, "train m.dpn --data '" + iris_csv +
                              "' --class-column species --class-names setosa,versicolor,virginica "
                              "--loss softmax-ce --scale-targets standardize -o u.dpn");
  CHECK(s.status == 1);
  CHECK_THAT(s.err, Catch::Contains("--scale-targets standardize scales regression targets"));
}

TEST_CASE("cli: --scale-targets standardize: eval and predict answer in the targets' units",
          "[tools][meta]") {
  const fs::path d = scratch("scale_targets");
  // y = 100 + 30 (a² - b), targets far from 0 as in scikit-learn's diabetes.
  std::string csv = "a,b,y\n";
  std::vector<std::vector<double>> rows;
  for (int i = 0; i < 64; ++i) {
    const double a = -2 + 4.0 * (i % 8) / 7, b = -2 + 4.0 * (i / 8) / 7;
    rows.push_back({a, b, 100 + 30 * (a * a - b)});
    csv +=
        std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(rows.back()[2]) + "\n";
  }
  write(d / "d.csv", csv);
  REQUIRE(run(d, "new --layers 2,8,1 --hidden tanh --output-activation identity -o m.dpn").status ==
          0);
  REQUIRE(run(d,
              "train m.dpn --data d.csv --scale standardize --scale-targets standardize "
              "--epochs 30 --precision double -o t.dpn")
              .status == 0);
  dagprop::io::ModelMeta meta;
  const auto net = dagprop::io::load_model<double>((d / "t.dpn").string(), &meta);
  REQUIRE(meta.target.kind == dagprop::io::ScaleKind::standardize);
  // Fitted on the training targets: their mean and population deviation.
  double mean = 0, var = 0;
  for (const auto& r : rows) mean += r[2] / 64;
  for (const auto& r : rows) var += (r[2] - mean) * (r[2] - mean) / 64;
  CHECK(meta.target.offset[0] == Approx(mean).epsilon(1e-4));
  CHECK(meta.target.scale[0] == Approx(std::sqrt(var)).epsilon(1e-4));
  // predict drops the target column of the labeled file and de-scales:
  // y = y' * scale + offset, with y' the network's output on the scaled inputs.
  const Result p = run(d, "predict t.dpn --data d.csv --precision double");
  REQUIRE(p.status == 0);
  const auto y = parse_csv(p.out);
  REQUIRE(y.size() == rows.size());
  double se = 0, ae = 0, ss = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::vector<double> x = {rows[r][0], rows[r][1]};
    dagprop::io::apply(meta.input, x.data(), 2);
    dagprop::Run<double> run_(net);
    dagprop::propagate(net, x.data(), run_);
    const double want = run_.y[net.outputs()[0]] * meta.target.scale[0] + meta.target.offset[0];
    CHECK(y[r][0] == Approx(want).epsilon(1e-5));
    const double e = y[r][0] - rows[r][2];
    se += e * e, ae += std::abs(e), ss += (rows[r][2] - mean) * (rows[r][2] - mean);
  }
  const Result e = run(d, "eval t.dpn --data d.csv --precision double");
  REQUIRE(e.status == 0);
  CHECK_THAT(e.out, Catch::Contains("of the scaled targets"));
  // The targets are read back from the CSV's 6 decimals: tolerances allow for that.
  CHECK(value_after(e.out, "rmse") == Approx(std::sqrt(se / 64)).epsilon(1e-4));
  CHECK(value_after(e.out, "mae") == Approx(ae / 64).epsilon(1e-4));
  CHECK(value_after(e.out, "r2") == Approx(1 - se / ss).epsilon(1e-4));
  // The loss is on the scaled targets: ½ (y' - t')² per run, the RMSE in units of scale.
  CHECK(value_after(e.out, "loss") ==
        Approx(se / 64 / 2 / (meta.target.scale[0] * meta.target.scale[0])).epsilon(1e-3));
  CHECK_THAT(run(d, "inspect t.dpn").out, Catch::Contains("target scaling standardize"));
}

TEST_CASE("cli: predict --classes on a model without class names prints the class numbers",
          "[tools][meta]") {
  const fs::path d = scratch("predict_unnamed");
  // Integer classes 0..2 (as in scikit-learn's CSVs): the model saves no names.
  write(d / "c.csv", "1,0,0\n0,1,1\n-1,-1,2\n2,0.5,0\n0.5,2,1\n-2,0,2\n");
  REQUIRE(run(d, "new --layers 2,3 --seed 4 -o m.dpn").status == 0);
  REQUIRE(run(d,
              "train m.dpn --data c.csv --class-column --loss softmax-ce --epochs 5 --quiet "
              "-o t.dpn")
              .status == 0);
  const Result p = run(d, "predict t.dpn --data c.csv --precision double");
  REQUIRE(p.status == 0);
  const auto y = parse_csv(p.out);
  REQUIRE(y.size() == 6);
  std::string numbers, names;
  for (const auto& row : y) {
    REQUIRE(row.size() == 3);
    const auto c = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
    numbers += std::to_string(c) + "\n";
    names += std::string(1, static_cast<char>('a' + c)) + "\n";
  }
  const Result classes = run(d, "predict t.dpn --data c.csv --precision double --classes");
  CHECK(classes.status == 0);
  CHECK(classes.out == numbers);
  CHECK(classes.err ==
        "dagprop: note: the model holds no class names, so the classes are printed as numbers "
        "0..2; --class-names a,b,... names them (train --class-names saves them)\n");
  // --class-names names what is printed; the file's class column still holds numbers.
  const Result named =
      run(d, "predict t.dpn --data c.csv --precision double --classes --class-names a,b,c");
  CHECK(named.status == 0);
  CHECK(named.err.empty());
  CHECK(named.out == names);
  // An untrained model (no setup at all) on inputs only.
  write(d / "x.csv", "1,0\n0,1\n-1,-1\n2,0.5\n0.5,2\n-2,0\n");
  const Result fresh = run(d, "predict t.dpn --data x.csv --precision double --classes");
  CHECK(fresh.status == 0);
  CHECK(fresh.out == numbers);
  REQUIRE(run(d, "new --layers 2,3 --seed 4 -o n.dpn").status == 0);
  CHECK(run(d, "predict n.dpn --data x.csv --classes").status == 0);
}

#endif
