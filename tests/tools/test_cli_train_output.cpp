// Tests of what `dagprop train` prints and draws, and of the command line's
// guidance: --quiet and --every, the epoch line's width, the SVG plot (parsed
// for its axis ranges and points, rendered by rsvg-convert when installed),
// the growing-loss warning and --stop-on-divergence, warnings for setups that
// train badly, the input-count message, and `new`'s activation flags.
#ifdef DAGPROP_CLI_PATH

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "tools/cli_run.hpp"

using namespace cli_test;

namespace {

// y = a² - b on a grid of n×n points in [-2, 2]².
std::string square_minus(int n) {
  std::string csv = "a,b,y\n";
  for (int i = 0; i < n * n; ++i) {
    const double a = -2 + 4.0 * (i % n) / (n - 1), b = -2 + 4.0 * (i / n) / (n - 1);
    csv += std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(a * a - b) + "\n";
  }
  return csv;
}

// c.csv, eight runs of classes 0 and 1, and c.dpn (2 inputs, 2 outputs) in `d`.
void two_classes(const fs::path& d) {
  write(d / "c.csv", "x,y,class\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n2,2,1\n-1,0,0\n0.5,2,1\n-2,-1,0\n");
  REQUIRE(run(d, "new --layers 2,4,2 -o c.dpn").status == 0);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

struct PlotPanel {
  std::map<std::string, std::string> attr;
  std::vector<std::pair<double, double>> points;  // of every polyline of the panel
};

// The panels of an SVG written by train --plot: each <g class='panel'> with its
// data- attributes and the points of its polylines.
std::vector<PlotPanel> panels(const std::string& svg) {
  std::vector<PlotPanel> out;
  const std::regex attr("data-([a-z-]+)='([^']*)'"), pair("(-?[0-9.e+-]+),(-?[0-9.e+-]+)");
  std::size_t at = 0;
  while ((at = svg.find("<g class='panel'", at)) != std::string::npos) {
    const std::size_t end = svg.find("</g>", at);
    const std::string g = svg.substr(at, end - at), head = g.substr(0, g.find('>'));
    PlotPanel p;
    for (std::sregex_iterator m(head.begin(), head.end(), attr), e; m != e; ++m)
      p.attr[(*m)[1]] = (*m)[2];
    for (std::size_t q = g.find("points='"); q != std::string::npos;
         q = g.find("points='", q + 1)) {
      const std::string pts = g.substr(q + 8, g.find('\'', q + 8) - q - 8);
      for (std::sregex_iterator m(pts.begin(), pts.end(), pair), e; m != e; ++m)
        p.points.emplace_back(std::stod((*m)[1]), std::stod((*m)[2]));
    }
    out.push_back(p);
    at = end;
  }
  return out;
}

void check_points_inside(const PlotPanel& p) {
  std::istringstream box(p.attr.at("plot"));
  double x0, y0, w, h;
  char comma;
  box >> x0 >> comma >> y0 >> comma >> w >> comma >> h;
  REQUIRE_FALSE(p.points.empty());
  for (const auto& [x, y] : p.points) {
    CHECK(x >= x0 - 1e-9);
    CHECK(x <= x0 + w + 1e-9);
    CHECK(y >= y0 - 1e-9);
    CHECK(y <= y0 + h + 1e-9);
  }
}

}  // namespace

TEST_CASE("cli: --quiet, --every and an epoch line under 100 columns", "[tools][train-output]") {
  const fs::path d = scratch("train_lines");
  write(d / "d.csv", square_minus(8));
  REQUIRE(run(d, "new --layers 2,8,1 --hidden-activation tanh -o m.dpn").status == 0);
  const Result quiet = run(d, "train m.dpn --data d.csv --epochs 5 --quiet -o t.dpn");
  REQUIRE(quiet.status == 0);
  CHECK(lines(quiet.out) == std::vector<std::string>{"wrote t.dpn"});
  const Result every = run(d, "train m.dpn --data d.csv --epochs 12 --every 5 -o t.dpn");
  REQUIRE(every.status == 0);
  const auto got = lines(every.out);
  REQUIRE(got.size() == 4);  // epochs 5, 10, the last (12), "wrote"
  CHECK(got[0].rfind("epoch 5/12 ", 0) == 0);
  CHECK(got[1].rfind("epoch 10/12 ", 0) == 0);
  CHECK(got[2].rfind("epoch 12/12 ", 0) == 0);
  // The widest line: classes, validation, many epochs.
  two_classes(d);
  const Result wide = run(d,
                          "train c.dpn --data c.csv --class-column --loss softmax-ce --epochs "
                          "100000 --validation 0.25 --every 50000 -o ct.dpn");
  REQUIRE(wide.status == 0);
  const auto wide_lines = lines(wide.out);
  REQUIRE(wide_lines.size() == 3);
  CHECK_THAT(wide_lines[0], Catch::Contains("val loss") && Catch::Contains("val acc"));
  for (const auto& line : wide_lines) CHECK(line.size() < 100);
  CHECK(run(d, "train m.dpn --data d.csv --every 0 -o t.dpn").err ==
        "dagprop: error: --every: expected at least 1 epoch\n");
}

TEST_CASE("cli: --plot draws axes a person can read", "[tools][train-output]") {
  const fs::path d = scratch("train_plot");
  write(d / "d.csv", square_minus(10));
  REQUIRE(run(d, "new --layers 2,16,1 --hidden-activation tanh --seed 2 -o m.dpn").status == 0);
  const std::size_t epochs = 137;  // not a round number: the last epoch must be on the axis
  const Result t = run(d,
                       "train m.dpn --data d.csv --scale standardize --validation 0.2 --quiet "
                       "--plot-log --epochs " +
                           std::to_string(epochs) + " --log log.csv --plot p.svg -o t.dpn");
  REQUIRE(t.status == 0);
  const std::string svg = slurp(d / "p.svg");
  const auto p = panels(svg);
  REQUIRE(p.size() == 2);  // loss and, for regression, RMSE
  CHECK(p[0].attr.at("title") == "loss per run");
  CHECK(p[1].attr.at("title") == "RMSE");
  const auto log = parse_csv(slurp(d / "log.csv"));
  REQUIRE(log.size() == epochs + 1);
  double lo = HUGE_VAL, hi = 0;
  for (std::size_t r = 1; r < log.size(); ++r)
    for (std::size_t c : {1u, 3u}) lo = std::min(lo, log[r][c]), hi = std::max(hi, log[r][c]);
  for (const auto& panel : p) {
    CHECK(panel.attr.at("x-min") == "1");
    CHECK(panel.attr.at("x-max") == std::to_string(epochs));
    const double y_min = std::stod(panel.attr.at("y-min")),
                 y_max = std::stod(panel.attr.at("y-max"));
    CHECK(y_min >= 0);  // neither a loss nor an RMSE goes below 0
    CHECK(y_max > y_min);
    check_points_inside(panel);
  }
  // The loss axis holds every logged loss; on a log scale its ends are decades.
  const double y_min = std::stod(p[0].attr.at("y-min")), y_max = std::stod(p[0].attr.at("y-max"));
  CHECK(y_min <= lo);
  CHECK(y_max >= hi);
  REQUIRE(p[0].attr.at("y-scale") == "log");  // --plot-log
  CHECK(std::log10(y_min) == Approx(std::round(std::log10(y_min))));
  CHECK(std::log10(y_max) == Approx(std::round(std::log10(y_max))));
  CHECK(p[1].attr.at("y-scale") == "log");
  // The tick labels of the epoch axis include the last epoch, and the legend names
  // only what is drawn (training and validation here).
  CHECK_THAT(svg, Catch::Contains(">" + std::to_string(epochs) + "</text>") &&
                      Catch::Contains(">validation</text>"));
  CHECK(svg.find("<circle") == std::string::npos);  // no markers on 137 epochs
  if (std::system("command -v rsvg-convert > /dev/null 2>&1") == 0) {
    const std::string cmd =
        "rsvg-convert -o '" + (d / "p.png").string() + "' '" + (d / "p.svg").string() + "'";
    REQUIRE(std::system(cmd.c_str()) == 0);
    CHECK(slurp(d / "p.png").substr(1, 3) == "PNG");
  }
  // Classes: an accuracy panel never above 1, no validation legend without validation.
  two_classes(d);
  REQUIRE(run(d,
              "train c.dpn --data c.csv --class-column --loss softmax-ce --epochs 8 --quiet "
              "--plot c.svg -o ct.dpn")
              .status == 0);
  const std::string csvg = slurp(d / "c.svg");
  const auto c = panels(csvg);
  REQUIRE(c.size() == 2);
  CHECK(c[1].attr.at("title") == "accuracy");
  CHECK(c[0].attr.at("y-scale") == "linear");  // a loss within 3 decades
  CHECK(std::stod(c[1].attr.at("y-max")) <= 1);
  CHECK(std::stod(c[1].attr.at("y-min")) >= 0);
  check_points_inside(c[1]);
  CHECK(csvg.find(">validation</text>") == std::string::npos);
  CHECK(csvg.find("<circle") != std::string::npos);  // markers on few epochs
}

TEST_CASE("cli: a growing loss is warned about and stopped, with what usually helps",
          "[tools][train-output]") {
  const fs::path d = scratch("train_grow");
  write(d / "d.csv", square_minus(8));
  REQUIRE(run(d, "new --layers 2,8,1 --hidden-activation tanh --seed 3 -o m.dpn").status == 0);
  // The sum over 64 runs at lr 0.05 is a mean at lr 3.2: the loss explodes.
  const Result r = run(d,
                       "train m.dpn --data d.csv --reduction sum --batch 64 --lr 0.05 "
                       "--epochs 30 --stop-on-divergence 1e3 -o t.dpn");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("dagprop: error: training diverged") &&
                        Catch::Contains("--reduction mean") && Catch::Contains("a lower --lr"));
  CHECK_FALSE(fs::exists(d / "t.dpn"));
  const Result off = run(d,
                         "train m.dpn --data d.csv --reduction sum --batch 64 --lr 0.05 "
                         "--epochs 30 --stop-on-divergence 0 --clip-value 1e6 -o t.dpn");
  CHECK_THAT(off.err, Catch::Contains("dagprop: warning: the epoch loss grew from") ||
                          Catch::Contains("dagprop: error: training diverged"));
  CHECK(run(d, "train m.dpn --data d.csv --stop-on-divergence 0.5 -o t.dpn").err ==
        "dagprop: error: --stop-on-divergence: expected 0 (never) or a factor above 1, got "
        "0.5\n");
}

TEST_CASE("cli: setups that train badly are warned about, with the reason",
          "[tools][train-output]") {
  const fs::path d = scratch("train_warn");
  two_classes(d);
  REQUIRE(run(d, "new --layers 2,2 --output-activation sigmoid -o s.dpn").status == 0);
  const Result soft = run(d,
                          "train s.dpn --data c.csv --class-column --loss softmax-ce "
                          "--epochs 1 --quiet -o t.dpn");
  CHECK(soft.status == 0);
  CHECK_THAT(soft.err, Catch::Contains("warning: --loss softmax-ce on sigmoid outputs"));
  REQUIRE(run(d, "new --layers 2,1 -o r.dpn").status == 0);
  const Result sse = run(d, "train r.dpn --data c.csv --class-column --epochs 1 --quiet -o t.dpn");
  CHECK(sse.status == 0);
  CHECK_THAT(sse.err, Catch::Contains("warning: --loss sse with class targets"));
  write(d / "big.csv", "a,b,y\n1000,2,1\n-3000,1,0\n2500,0,1\n");
  REQUIRE(run(d, "new --layers 2,1 -o m.dpn").status == 0);
  const Result unscaled = run(d, "train m.dpn --data big.csv --epochs 1 --quiet -o t.dpn");
  CHECK_THAT(unscaled.err, Catch::Contains("input values reach 3000 and the inputs are not "
                                           "scaled; --scale standardize"));
  CHECK_FALSE(run(d, "train m.dpn --data big.csv --scale standardize --epochs 1 --quiet -o t.dpn")
                  .err.find("input values reach") != std::string::npos);
  // Pixel intensities 0-16 (sklearn's digits) already saturate; 0-10 do not.
  write(d / "pixels.csv", "a,b,y\n16,0,1\n3,12,0\n");
  CHECK_THAT(run(d, "train m.dpn --data pixels.csv --epochs 1 --quiet -o t.dpn").err,
             Catch::Contains("input values reach 16 and the inputs are not scaled"));
  write(d / "small.csv", "a,b,y\n10,0,1\n-10,7,0\n");
  CHECK(run(d, "train m.dpn --data small.csv --epochs 1 --quiet -o t.dpn").err.empty());
}

TEST_CASE("cli: an input-count mismatch says how the columns were split", "[tools][train-output]") {
  const fs::path d = scratch("train_split");
  write(d / "d.csv", "a,b,c,class\n1,2,3,0\n4,5,6,1\n7,8,9,2\n");
  REQUIRE(run(d, "new --layers 3,3 -o m.dpn").status == 0);
  const Result r = run(d, "eval m.dpn --data d.csv --loss softmax-ce");
  CHECK(r.status == 1);
  CHECK(r.err ==
        "dagprop: error: d.csv: the first line has 4 columns, but the network's 3 inputs and 3 "
        "target columns make 6; the last 3 columns were taken as targets (the network has 3 "
        "outputs); for one class column use --class-column, for other target columns "
        "--targets\n");
  CHECK(run(d, "eval m.dpn --data d.csv --loss softmax-ce --class-column").status == 0);
  const Result p = run(d, "predict m.dpn --data d.csv");
  CHECK_THAT(p.err, Catch::Contains("the data have 4 input columns but the network has 3 "
                                    "inputs; every column was taken as an input; name target "
                                    "columns to leave out with --targets or --class-column"));
  CHECK(run(d, "predict m.dpn --data d.csv --class-column").status == 0);
}

TEST_CASE("cli: new names its activation flags, --output is the model file",
          "[tools][train-output]") {
  const fs::path d = scratch("new_flags");
  const Result old = run(d, "new --layers 2,1 --output identity");
  CHECK(old.status == 1);
  CHECK(old.err ==
        "dagprop: error: --output identity: --output (-o) is the model file to write; for the "
        "activation of the output units use --output-activation identity\n");
  REQUIRE(run(d,
              "new --layers 2,3,1 --hidden-activation sin --output-activation sigmoid "
              "--output m.dpn")
              .status == 0);
  const Result i = run(d, "inspect m.dpn");
  CHECK_THAT(i.out, Catch::Contains("hidden sin 3") && Catch::Contains("output sigmoid 1"));
  REQUIRE(run(d, "new --layers 2,3,1 --hidden tanh -o n.dpn").status == 0);
  CHECK_THAT(run(d, "inspect n.dpn").out, Catch::Contains("hidden tanh 3"));
}

TEST_CASE("cli: --skip-rows and --separator whitespace read scikit-learn's files",
          "[tools][train-output]") {
  const fs::path d = scratch("sklearn_files");
  // iris.csv's first line is metadata; diabetes' raw data are space-separated.
  write(d / "iris.csv", "4,2,a,b\n1,2,3,4,0\n2,3,4,5,1\n0,1,0,1,0\n5,5,5,5,1\n");
  write(d / "raw.txt", "0.5 1.5  2\n-1  0.25 3\n2 2 -4\n");
  REQUIRE(run(d, "new --layers 4,2 -o c.dpn").status == 0);
  REQUIRE(run(d, "new --layers 2,1 -o r.dpn").status == 0);
  const Result no_skip = run(d, "eval c.dpn --data iris.csv --class-column --loss softmax-ce");
  CHECK(no_skip.status == 1);
  const Result skip =
      run(d, "eval c.dpn --data iris.csv --skip-rows 1 --class-column --loss softmax-ce");
  CHECK(skip.status == 0);
  CHECK(value_after(skip.out, "runs") == 4);
  const Result raw = run(d, "eval r.dpn --data raw.txt --separator whitespace");
  CHECK(raw.status == 0);
  CHECK(value_after(raw.out, "runs") == 3);
  CHECK(run(d, "eval r.dpn --data raw.txt --separator space").status == 0);
  write(d / "mixed.csv", "1,2,3\n1 2,3,4\n");
  CHECK_THAT(run(d, "eval r.dpn --data mixed.csv").err,
             Catch::Contains("values separated by spaces? set --separator to whitespace"));
}

TEST_CASE("cli: Adam's betas and epsilon on the command line", "[tools][train-output]") {
  const fs::path d = scratch("adam_flags");
  write(d / "d.csv", square_minus(4));
  REQUIRE(run(d, "new --layers 2,3,1 --seed 5 -o m.dpn").status == 0);
  const std::string train = "train m.dpn --data d.csv --epochs 2 --quiet --optimizer adam ";
  REQUIRE(run(d, train + "--beta1 0.8 --beta2 0.99 --epsilon 1e-6 -o a.dpn").status == 0);
  REQUIRE(run(d, train + "-o b.dpn").status == 0);
  CHECK(slurp(d / "a.dpn") != slurp(d / "b.dpn"));  // the flags reach the optimizer
  REQUIRE(run(d, train + "--beta1 0.9 --beta2 0.999 --epsilon 1e-8 -o c.dpn").status == 0);
  CHECK(slurp(d / "c.dpn") == slurp(d / "b.dpn"));  // the defaults are these
  CHECK(run(d, train + "--beta1 1 -o a.dpn").err ==
        "dagprop: error: --beta1: expected a value in [0, 1), got 1\n");
  CHECK(run(d, train + "--epsilon 0 -o a.dpn").err ==
        "dagprop: error: --epsilon: expected a positive number, got 0\n");
  CHECK(run(d, "train m.dpn --data d.csv --beta2 0.9 -o a.dpn").err ==
        "dagprop: error: --beta2: only adam and adamw use it, but --optimizer is 'sgd'\n");
}

TEST_CASE("cli: import refuses unknown DOT attributes and warns about dead units",
          "[tools][train-output]") {
  const fs::path d = scratch("import_dot");
  write(d / "typo.dot",
        "digraph { x [role=input]; h [activaton=tanh]; y [role=output]; x -> h -> y }");
  const Result typo = run(d, "import typo.dot -o m.dpn");
  CHECK(typo.status == 1);
  CHECK_THAT(typo.err, Catch::StartsWith("dagprop: error: typo.dot: node 'h': unknown attribute "
                                         "'activaton'"));
  write(d / "dead.dot",
        "digraph { x [role=input]; y [role=output]; d [activation=tanh]; x -> y; x -> d }");
  const Result dead = run(d, "import dead.dot -o m.dpn");
  CHECK(dead.status == 0);
  CHECK(dead.err == "dagprop: warning: dead.dot: unit 'd' (hidden) has no path to any output\n");
}

TEST_CASE("cli: a CSV whose first line is not data gets a --skip-rows hint",
          "[tools][train-output]") {
  const fs::path d = scratch("skip_rows_hint");
  // scikit-learn's iris.csv, its first lines as Debian ships them: a metadata
  // line with as many fields as the rows, text where the rows have numbers.
  write(d / "iris.csv",
        "150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n"
        "7.0,3.2,4.7,1.4,1\n6.3,3.3,6.0,2.5,2\n");
  REQUIRE(run(d, "new --layers 4,3 -o c.dpn").status == 0);
  const Result iris = run(d, "eval c.dpn --data iris.csv --class-column --loss softmax-ce");
  CHECK(iris.status == 1);
  CHECK(iris.err ==
        "dagprop: error: iris.csv: row 1, column 3: expected a number, found \"setosa\" (the row "
        "has numeric fields, so it is data, not a header) (if line 1 is not data, use "
        "--skip-rows 1)\n");
  // wine_data.csv's metadata line has fewer fields than its rows (train reads
  // the class column's labels first, meeting the count before the text).
  write(d / "wine.csv", "3,4,class_0,class_1\n1,2,3,4,0\n4,5,6,7,1\n7,8,9,1,0\n");
  REQUIRE(run(d, "new --layers 4,2 -o w.dpn").status == 0);
  const Result wine =
      run(d, "train w.dpn --data wine.csv --class-column --loss softmax-ce -o t.dpn");
  CHECK(wine.status == 1);
  CHECK_THAT(wine.err, Catch::StartsWith("dagprop: error: wine.csv: row 2, column 5: unexpected "
                                         "extra value: the row has 5 columns, row 1 has 4") &&
                           Catch::EndsWith("(if line 1 is not data, use --skip-rows 1)\n"));
  CHECK(
      run(d, "eval w.dpn --data wine.csv --skip-rows 1 --class-column --loss softmax-ce").status ==
      0);
  // --class-names names the classes 0, 1 of a column of numbers (wine's own
  // names, from its metadata line); the model keeps them for predict.
  REQUIRE(run(d,
              "train w.dpn --data wine.csv --skip-rows 1 --class-column --class-names "
              "class_0,class_1 --loss softmax-ce --epochs 1 --quiet -o t.dpn")
              .status == 0);
  write(d / "wine_x.csv", "1,2,3,4\n4,5,6,7\n");
  const Result classes = run(d, "predict t.dpn --data wine_x.csv --classes");
  REQUIRE(classes.status == 0);
  CHECK_THAT(classes.out, Catch::Matches("(class_[01]\n){2}"));
  // The first label decides how the column reads; a row that disagrees is named.
  write(d / "mixed.csv", "1,2,3,4,0\n4,5,6,7,class_1\n");
  CHECK(run(d, "eval t.dpn --data mixed.csv").err ==
        "dagprop: error: mixed.csv: row 2, column 5: class \"class_1\" is not a number: the "
        "class column holds integers 0 .. 1 (earlier rows hold class numbers, this one text)\n");
  write(d / "mixed2.csv", "1,2,3,4,class_0\n4,5,6,7,1\n");
  CHECK(run(d, "eval t.dpn --data mixed2.csv").err ==
        "dagprop: error: mixed2.csv: row 2, column 5: class \"1\" is not one of the 2 class "
        "names (--class-names) (earlier rows hold class names, this one a number)\n");
  // No hint for a bad value further down, nor once lines are skipped.
  write(d / "late.csv", "a,b,c,d,t\n1,2,3,4,0\n4,x,6,7,1\n");
  const Result late = run(d, "eval w.dpn --data late.csv --class-column --loss softmax-ce");
  CHECK(late.status == 1);
  CHECK_THAT(late.err, Catch::Contains("row 3, column 2") && !Catch::Contains("--skip-rows"));
  write(d / "two.csv", "note\n150,4,setosa,versicolor,virginica\n1,2,3,4,0\n");
  const Result two = run(d,
                         "eval w.dpn --data two.csv --skip-rows 1 --class-column --loss "
                         "softmax-ce");
  CHECK(two.status == 1);
  CHECK_THAT(two.err, Catch::Contains("row 2, column 3") && !Catch::Contains("use --skip-rows"));
}

TEST_CASE("cli: CSV messages name the flags, never the library's CsvOptions",
          "[tools][train-output]") {
  const fs::path d = scratch("csv_flag_words");
  REQUIRE(run(d, "new --layers 2,1 -o m.dpn").status == 0);
  write(d / "semi.csv", "1,2,3\n1;2,3,4\n");
  write(d / "tab.csv", "1,2,3\n1\t2,3,4\n");
  write(d / "cols.csv", "1,2,3\n1,2,3,4\n");
  write(d / "names.csv", "1,2,cat\n3,4,emu\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"eval m.dpn --data semi.csv", "(is the file ';'-separated? set --separator)"},
      {"eval m.dpn --data tab.csv", "(is the file tab-separated? set --separator)"},
      {"eval m.dpn --data cols.csv", "was detected from row 1; --separator sets it)"},
      {"eval m.dpn --data names.csv --class-column --class-names cat,dog",
       "class \"emu\" is not one of the 2 class names (--class-names)"},
  };
  for (const auto& [args, message] : cases) {
    const Result r = run(d, args);
    INFO(args << "\n" << r.err);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains(message) && !Catch::Contains("CsvOptions"));
  }
}

TEST_CASE("cli: the defaults train standardised tabular data without tuning",
          "[tools][train-output]") {
  const fs::path d = scratch("train_defaults");
  // The run that died with the old defaults (sum over 64 runs at lr 0.01):
  // 1,024 rows of y = a² - b, nothing but --data and --loss sse.
  write(d / "d.csv", square_minus(32));
  REQUIRE(
      run(d, "new --layers 2,24,24,1 --hidden tanh --output-activation identity -o m.dpn").status ==
      0);
  const double before = value_after(run(d, "eval m.dpn --data d.csv").out, "loss");
  const Result t = run(d, "train m.dpn --data d.csv --loss sse --epochs 10 --quiet -o t.dpn");
  INFO(t.err);
  CHECK(t.status == 0);
  CHECK(t.err.empty());  // no warning
  const Result e = run(d, "eval t.dpn --data d.csv");
  CHECK_THAT(e.out, Catch::Contains("trained with --reduction mean"));
  const double after = value_after(e.out, "loss");
  CHECK(std::isfinite(after));
  CHECK(after < before / 10);
  CHECK(value_after(e.out, "r2") > 0.9);
}

#endif
