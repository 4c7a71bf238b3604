// Tests of the `dagprop` command line: every subcommand on small data made
// here (CSV, a tiny IDX), its printed VALUES checked against the library's
// memo.hpp reference or against hand computation, and every user error checked
// for exit status 1 and one "dagprop: error:" line. It does not test the engine.
#ifdef DAGPROP_CLI_PATH

#include <algorithm>
#include <cmath>
#include <sstream>

#include <catch2/catch.hpp>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"
#include "dagprop/io/model.hpp"
#include "tools/cli_run.hpp"

using namespace cli_test;
using dagprop::Network;

namespace {

Network<double> load(const fs::path& p) {
  return dagprop::io::load_network<double>(p.string());
}

// Outputs of `net` for one input row by the memo's Propagate (eq. 1-2).
std::vector<double> memo_outputs(const Network<double>& net, const std::vector<double>& x) {
  dagprop::Run<double> run(net);
  dagprop::propagate(net, x.data(), run);
  std::vector<double> y;
  for (dagprop::UnitId o : net.outputs()) y.push_back(run.y[o]);
  return y;
}

bool near(double a, double b, double tol = 1e-12) {
  return std::abs(a - b) <= tol * (1 + std::max(std::abs(a), std::abs(b)));
}

// m.dpn (2 inputs, 3 classes) and six runs with their classes, 0, 1, 2 in turn.
const std::string three_classes_net =
    "new --layers 2,4,3 --hidden tanh --output-activation identity --init glorot --seed 3 -o m.dpn";
const std::vector<std::vector<double>> three_classes_x = {{1, 0},  {0, 1},     {-1, -1},
                                                          {2, -1}, {0.5, 0.5}, {-2, 1}};
const std::vector<std::size_t> three_classes = {0, 1, 2, 0, 1, 2};

std::size_t count_lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

TEST_CASE("cli: new and inspect report units per role and activation, connections, levels",
          "[tools]") {
  const fs::path d = scratch("new_inspect");
  REQUIRE(run(d,
              "new --layers 3,4,2 --hidden tanh --output-activation sigmoid --init glorot --seed 5 "
              "-o a.dpn")
              .status == 0);
  const Result r = run(d, "inspect a.dpn");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("format binary archive, version 2") != std::string::npos);
  CHECK(r.out.find("units 9\n") != std::string::npos);
  CHECK(r.out.find("  input 3\n") != std::string::npos);
  CHECK(r.out.find("  hidden tanh 4\n") != std::string::npos);
  CHECK(r.out.find("  output sigmoid 2\n") != std::string::npos);
  CHECK(value_after(r.out, "connections") == 20);  // 3*4 + 4*2
  CHECK(value_after(r.out, "levels") == 3);
  CHECK(value_after(r.out, "parameters") == 26);  // 20 weights + 6 biases

  // --skip: the outputs are also fed by every input: 3*4 + (3+4)*2 connections.
  REQUIRE(run(d, "new --skip --layers 3,4,2 --seed 5 -o b.dpn").status == 0);
  const Result s = run(d, "inspect b.dpn");
  CHECK(value_after(s.out, "connections") == 26);
  CHECK(value_after(s.out, "parameters") == 32);
  const Network<double> b = load(d / "b.dpn");
  CHECK_NOTHROW(b.connection(0, b.output(1)));  // input 0 -> output 1 directly
  CHECK(b.weight(0, b.output(1)) != 0.0);       // and initialised
}

TEST_CASE("cli: predict prints the network's outputs and classes", "[tools]") {
  const fs::path d = scratch("predict");
  REQUIRE(
      run(d,
          "new --layers 3,5,2 --hidden tanh --output-activation identity --init glorot --seed 2 "
          "-o m.dpn")
          .status == 0);
  const std::vector<std::vector<double>> x = {
      {0.5, -1, 2}, {1.5, 0.25, -0.75}, {-2, 3, 0.125}, {0, 0, 0}};
  write(d / "x.csv", "0.5,-1,2\n1.5,0.25,-0.75\n-2,3,0.125\n0,0,0\n");
  const Result r = run(d, "predict m.dpn --data x.csv --precision double");
  REQUIRE(r.status == 0);
  const auto rows = parse_csv(r.out);
  const Network<double> net = load(d / "m.dpn");
  REQUIRE(rows.size() == x.size());
  for (std::size_t k = 0; k < x.size(); ++k) {
    const auto want = memo_outputs(net, x[k]);
    REQUIRE(rows[k].size() == 2);
    CHECK(near(rows[k][0], want[0]));
    CHECK(near(rows[k][1], want[1]));
  }
  const Result c = run(d, "predict m.dpn --data x.csv --class");
  REQUIRE(c.status == 0);
  const auto classes = parse_csv(c.out);
  REQUIRE(classes.size() == x.size());
  for (std::size_t k = 0; k < x.size(); ++k) {
    const auto y = memo_outputs(net, x[k]);
    CHECK(classes[k][0] == (y[1] > y[0] ? 1 : 0));
  }
  REQUIRE(run(d, "predict m.dpn --data x.csv --precision double -o out.csv").status == 0);
  CHECK(slurp(d / "out.csv") == r.out);
}

TEST_CASE("cli: eval prints the mean loss, the accuracy and the confusion matrix", "[tools]") {
  const fs::path d = scratch("eval");
  REQUIRE(run(d, three_classes_net).status == 0);
  const auto& x = three_classes_x;
  const auto& cls = three_classes;
  std::string csv = "x1,x2,class\n";
  for (std::size_t r = 0; r < x.size(); ++r)
    csv += std::to_string(x[r][0]) + "," + std::to_string(x[r][1]) + "," + std::to_string(cls[r]) +
           "\n";
  write(d / "d.csv", csv);
  const Result r =
      run(d, "eval m.dpn --data d.csv --class-column --loss softmax-ce --precision double");
  REQUIRE(r.status == 0);
  // By hand: E = -log softmax(y)_c, mean over runs; accuracy and matrix by argmax.
  const Network<double> net = load(d / "m.dpn");
  double E = 0;
  std::size_t right = 0;
  std::vector<std::size_t> m(9, 0);
  for (std::size_t k = 0; k < x.size(); ++k) {
    const auto y = memo_outputs(net, x[k]);
    const double top = *std::max_element(y.begin(), y.end());
    double z = 0;
    for (double v : y) z += std::exp(v - top);
    E += -(y[cls[k]] - top - std::log(z));
    const auto pred = static_cast<std::size_t>(std::max_element(y.begin(), y.end()) - y.begin());
    right += pred == cls[k];
    ++m[cls[k] * 3 + pred];
  }
  CHECK(near(value_after(r.out, "loss"), E / 6, 1e-8));
  CHECK(near(value_after(r.out, "accuracy"), static_cast<double>(right) / 6, 1e-8));
  const auto at = r.out.find("confusion matrix");
  REQUIRE(at != std::string::npos);
  std::istringstream in(r.out.substr(at));
  std::string line;
  std::getline(in, line), std::getline(in, line);  // title, column numbers
  for (std::size_t t = 0; t < 3; ++t) {
    std::size_t label, a, b, c;
    in >> label >> a >> b >> c;
    CHECK(label == t);
    CHECK(a == m[t * 3]);
    CHECK(b == m[t * 3 + 1]);
    CHECK(c == m[t * 3 + 2]);
  }
}

TEST_CASE("cli: text class labels with --class-names, and --separator", "[tools]") {
  const fs::path d = scratch("class_names");
  REQUIRE(run(d, three_classes_net).status == 0);
  const auto& x = three_classes_x;
  const auto& cls = three_classes;
  const std::vector<std::string> name = {"cat", "dog", "emu"};
  // The same data three ways: class numbers with ',', names with ';', names in tabs.
  std::string numbers = "x1,x2,class\n", names = "x1;x2;class\n", tabs;
  for (std::size_t r = 0; r < x.size(); ++r) {
    const std::string a = std::to_string(x[r][0]), b = std::to_string(x[r][1]);
    numbers += a + "," + b + "," + std::to_string(cls[r]) + "\n";
    names += a + ";" + b + ";" + name[cls[r]] + "\n";
    tabs += a + "\t" + b + "\t\"" + name[cls[r]] + "\"\n";
  }
  write(d / "numbers.csv", numbers);
  write(d / "names.csv", names);
  write(d / "tabs.tsv", tabs);
  const Result by_number =
      run(d, "eval m.dpn --data numbers.csv --class-column --loss softmax-ce --precision double");
  REQUIRE(by_number.status == 0);
  const Result by_name = run(d,
                             "eval m.dpn --data names.csv --class-column class --class-names "
                             "cat,dog,emu --loss softmax-ce --precision double");
  REQUIRE(by_name.status == 0);
  const Result by_tab = run(d,
                            "eval m.dpn --data tabs.tsv --separator tab --class-column 3 "
                            "--class-names cat,dog,emu --loss softmax-ce --precision double");
  REQUIRE(by_tab.status == 0);
  CHECK(value_after(by_name.out, "loss") == value_after(by_number.out, "loss"));
  CHECK(value_after(by_tab.out, "loss") == value_after(by_number.out, "loss"));
  // The confusion matrix is labelled with the names, counts as by number.
  const auto matrix = [](const std::string& out) {
    std::istringstream in(out.substr(out.find("confusion matrix")));
    std::string line, word;
    std::getline(in, line);
    std::vector<std::string> words;
    for (int k = 0; k < 4 && std::getline(in, line); ++k) {  // column labels, 3 rows
      std::istringstream fields(line);
      while (fields >> word) words.push_back(word);
    }
    return words;
  };
  const auto numbered = matrix(by_number.out), named = matrix(by_name.out);
  REQUIRE(numbered.size() == 15);  // 3 column labels, 3 rows of a label and 3 counts
  REQUIRE(named.size() == 15);
  for (std::size_t k = 0; k < 15; ++k) {
    const bool is_label = k < 3 || (k - 3) % 4 == 0;
    if (!is_label) CHECK(named[k] == numbered[k]);
  }
  CHECK(named[0] == "cat");
  CHECK(named[2] == "emu");
  CHECK(named[3] == "cat");
  CHECK(named[11] == "emu");

  // predict --class --class-names prints the names of the classes by number.
  std::string x_only;
  for (const auto& row : x) x_only += std::to_string(row[0]) + ";" + std::to_string(row[1]) + "\n";
  write(d / "x.csv", x_only);
  const Result cn = run(d, "predict m.dpn --data x.csv --class --class-names cat,dog,emu");
  REQUIRE(cn.status == 0);
  const Network<double> net = load(d / "m.dpn");
  std::istringstream lines(cn.out);
  for (const auto& row : x) {
    const auto y = memo_outputs(net, row);
    std::string got;
    std::getline(lines, got);
    CHECK(got == name[static_cast<std::size_t>(std::max_element(y.begin(), y.end()) - y.begin())]);
  }

  // Two names for one sigmoid output: the first is class 0 (target 0), the second 1.
  REQUIRE(run(d, "new --layers 2,3,1 --hidden tanh --output-activation sigmoid --seed 5 -o b.dpn")
              .status == 0);
  write(d / "yn.csv", "a,b,answer\n0,0,no\n0,1,yes\n1,0,yes\n1,1,no\n");
  write(d / "01.csv", "a,b,answer\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
  const Result yn =
      run(d, "eval b.dpn --data yn.csv --class-column --class-names no,yes --loss bce");
  REQUIRE(yn.status == 0);
  CHECK(value_after(yn.out, "loss") ==
        value_after(run(d, "eval b.dpn --data 01.csv --loss bce").out, "loss"));
  CHECK(yn.out.find(" no ") != std::string::npos);
}

TEST_CASE("cli: one epoch of one mini-batch equals the memo's Algorithm 1", "[tools]") {
  const fs::path d = scratch("train_step");
  REQUIRE(
      run(d,
          "new --layers 2,3,1 --hidden tanh --output-activation identity --init glorot --seed 4 "
          "-o m.dpn")
          .status == 0);
  const std::vector<double> in = {0.1, 0.2, -0.5, 1, 1.5, -1, 0, 0.3, -0.7, -0.2, 2, 0.5};
  const std::vector<double> target = {0.5, -1, 1, 0.25, 0, 2};
  std::string csv;
  for (std::size_t r = 0; r < 6; ++r)
    csv += std::to_string(in[2 * r]) + "," + std::to_string(in[2 * r + 1]) + "," +
           std::to_string(target[r]) + "\n";
  write(d / "d.csv", csv);
  const Result r =
      run(d,
          "train m.dpn --data d.csv --epochs 1 --batch 6 --no-shuffle --lr 0.1 --reduction sum "
          "--precision double --log log.csv -o t.dpn");
  REQUIRE(r.status == 0);
  Network<double> want = load(d / "m.dpn");
  const std::vector<std::size_t> rows = {0, 1, 2, 3, 4, 5};
  const double E =
      dagprop::train_nn(want, in.data(), target.data(), rows.data(), 6, dagprop::Loss::sse, 0.1);
  const Network<double> got = load(d / "t.dpn");
  REQUIRE(got.params().size() == want.params().size());
  for (std::size_t k = 0; k < got.params().size(); ++k)
    CHECK(near(got.params()[k], want.params()[k]));
  CHECK(got.params() != load(d / "m.dpn").params());  // the step did something
  const auto log = parse_csv(slurp(d / "log.csv"));
  REQUIRE(log.size() == 2);  // header and epoch 1
  CHECK(log[1][0] == 1);
  CHECK(near(log[1][1], E / 6, 1e-8));  // mean E per run
}

TEST_CASE("cli: IDX data with divide:255 scaling saved in the model and used by eval", "[tools]") {
  const fs::path d = scratch("idx");
  const std::vector<std::uint8_t> pixels = {0,   255, 10, 20,  200, 100, 50, 0,  30, 30, 30, 30,
                                            255, 0,   0,  255, 128, 64,  32, 16, 1,  2,  3,  250};
  const std::vector<std::uint8_t> labels = {0, 1, 2, 0, 1, 2};
  write_idx_u8(d / "img.idx", {6, 2, 2}, pixels);
  write_idx_u8(d / "lab.idx", {6}, labels);
  REQUIRE(run(d, "new --layers 4,3 --output-activation identity --init glorot --seed 8 -o m.dpn")
              .status == 0);
  const Result t = run(d,
                       "train m.dpn --data img.idx --labels lab.idx --scale divide:255 "
                       "--loss softmax-ce --epochs 3 --batch 2 --lr 0.05 --precision double "
                       "-o t.dpn");
  REQUIRE(t.status == 0);
  CHECK(count_lines(t.out) == 4);  // three epoch lines and "wrote t.dpn"
  CHECK(t.out.find("  acc ") != std::string::npos);
  CHECK(run(d, "inspect t.dpn").out.find("scaling divide") != std::string::npos);
  const Result e = run(d,
                       "eval t.dpn --data img.idx --labels lab.idx --loss softmax-ce "
                       "--precision double");
  REQUIRE(e.status == 0);
  const Network<double> net = load(d / "t.dpn");
  double E = 0;
  for (std::size_t r = 0; r < 6; ++r) {
    std::vector<double> x(4);
    for (std::size_t c = 0; c < 4; ++c) x[c] = pixels[r * 4 + c] / 255.0;
    const auto y = memo_outputs(net, x);
    double z = 0;
    for (double v : y) z += std::exp(v);
    E += std::log(z) - y[labels[r]];
  }
  CHECK(near(value_after(e.out, "loss"), E / 6, 1e-8));
  CHECK(value_after(e.out, "runs") == 6);
}

TEST_CASE("cli: standardize is fitted on the training data and replayed by predict", "[tools]") {
  const fs::path d = scratch("standardize");
  write(d / "train.csv", "1,10,0.5\n2,30,1\n3,20,-1\n6,40,0\n");
  write(d / "x.csv", "2.5,25\n-1,0\n");
  REQUIRE(run(d, "new --layers 2,3,1 --hidden tanh --init glorot --seed 6 -o m.dpn").status == 0);
  REQUIRE(run(d,
              "train m.dpn --data train.csv --scale standardize --epochs 2 --batch 2 "
              "--precision double -o t.dpn")
              .status == 0);
  const Result r = run(d, "predict t.dpn --data x.csv --precision double");
  REQUIRE(r.status == 0);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 2);
  // Means 3 and 25; population standard deviations sqrt(3.5) and sqrt(125).
  const Network<double> net = load(d / "t.dpn");
  CHECK(near(rows[0][0], memo_outputs(net, {-0.5 / std::sqrt(3.5), 0})[0]));
  CHECK(near(rows[1][0], memo_outputs(net, {-4 / std::sqrt(3.5), -25 / std::sqrt(125.0)})[0]));
  // eval refuses a standardize it would have to fit on evaluation data.
  const Result bad = run(d, "predict m.dpn --data x.csv --scale standardize");
  CHECK(bad.status == 1);
  CHECK(bad.err.find("fitted on the training set") != std::string::npos);
}

TEST_CASE("cli: dot parses back, import reads a hand-written DOT, convert keeps values",
          "[tools]") {
  const fs::path d = scratch("dot");
  REQUIRE(run(d, "new --layers 2,3,2 --hidden sigmoid --init glorot --seed 9 -o m.dpn").status ==
          0);
  const Result r = run(d, "dot m.dpn");
  REQUIRE(r.status == 0);
  std::istringstream dot(r.out);
  const Network<double> back = dagprop::compile<double>(dagprop::io::read_dot(dot, "stdout"));
  const Network<double> net = load(d / "m.dpn");
  REQUIRE(back.num_connections() == net.num_connections());
  for (dagprop::UnitId i = 0; i < net.num_units(); ++i)
    for (std::size_t c = net.first(i); c < net.first(i + 1); ++c)
      CHECK(back.weight(net.source(c), i) == net.w()[c]);

  write(d / "g.dot",
        "digraph g {\n a [role=input, index=0]; b [role=input, index=1];\n"
        " h [role=hidden, activation=tanh, bias=0.5];\n"
        " o [role=output, activation=identity, bias=-1];\n"
        " a -> h [weight=2]; b -> h [weight=-3]; h -> o [weight=0.25]; a -> o [weight=1.5];\n}\n");
  REQUIRE(run(d, "import g.dot -o g.dpn").status == 0);
  write(d / "x.csv", "1,2\n");
  const auto y = parse_csv(run(d, "predict g.dpn --data x.csv --precision double").out);
  REQUIRE(y.size() == 1);
  CHECK(near(y[0][0], 0.25 * std::tanh(2 * 1 - 3 * 2 + 0.5) + 1.5 * 1 - 1));

  REQUIRE(run(d, "convert m.dpn --format text -o c.dpn").status == 0);
  CHECK(run(d, "inspect c.dpn").out.find("format text archive") != std::string::npos);
  CHECK(load(d / "c.dpn").params() == net.params());
}

TEST_CASE("cli: new names its units, and dot then import keeps the names", "[tools]") {
  const fs::path d = scratch("new_names");
  REQUIRE(run(d, "new --layers 2,3,2,2 --hidden tanh --seed 4 -o m.dpn").status == 0);
  const Network<double> net = load(d / "m.dpn");
  const std::vector<std::string> want = {"x1",   "x2",   "h1_1", "h1_2", "h1_3",
                                         "h2_1", "h2_2", "y1",   "y2"};
  REQUIRE(net.num_units() == want.size());
  const dagprop::Topology t = net.to_topology();
  for (dagprop::UnitId i = 0; i < t.num_units(); ++i) CHECK(t.name(i) == want[i]);
  CHECK(t.name(t.inputs()[1]) == "x2");
  CHECK(t.name(t.outputs()[1]) == "y2");
  // The DOT shows the names as ids and labels, never Graphviz's "\N" or u<id>.
  const Result dot = run(d, "dot m.dpn");
  REQUIRE(dot.status == 0);
  CHECK_THAT(dot.out, Catch::Contains("\nh2_1 [activation=tanh") && Catch::Contains("label=y2,") &&
                          Catch::Contains("\nx1->h1_1  [weight=") && !Catch::Contains("\\N") &&
                          !Catch::Contains("u0"));
  write(d / "m.dot", dot.out);
  REQUIRE(run(d, "import m.dot -o back.dpn").status == 0);
  CHECK(run(d, "dot back.dpn").out == dot.out);
  CHECK(load(d / "back.dpn").params() == net.params());
  CHECK_THAT(run(d, "inspect m.dpn").out, Catch::Contains("input columns 1:x1 2:x2\n") &&
                                              Catch::Contains("output columns 1:y1 2:y2\n"));
  // Messages and edits name units by these names.
  const Result e = run(d, "edit m.dpn -o e.dpn --disconnect x2:h1_3");
  CHECK(e.status == 0);
  CHECK_THAT(e.out, Catch::StartsWith("disconnected 'x2' -> 'h1_3' (w was "));
  // --skip names the same way.
  REQUIRE(run(d, "new --skip --layers 2,2,1 -o s.dpn").status == 0);
  const dagprop::Topology s = load(d / "s.dpn").to_topology();
  CHECK(s.name(2) == "h1_1");
  CHECK(s.name(4) == "y1");
}

TEST_CASE("cli: gradcheck agrees with central differences", "[tools]") {
  const fs::path d = scratch("gradcheck");
  REQUIRE(run(d,
              "new --layers 3,4,2 --hidden tanh --output-activation sigmoid --init glorot --seed 1 "
              "-o m.dpn")
              .status == 0);
  write(d / "d.csv", "0.5,-1,2,1,0\n1,0.5,-0.5,0,1\n-1,2,0.25,1,1\n0.1,0.2,0.3,0,0\n");
  const Result r = run(d, "gradcheck m.dpn --data d.csv --loss bce --samples 3");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("checked 26 of 26 parameters on 3 runs") != std::string::npos);
  const double rel = value_after(r.out, "largest relative error");
  CHECK(rel >= 0);
  CHECK(rel < 1e-5);
  const Result strict = run(d, "gradcheck m.dpn --data d.csv --loss bce --tolerance 0");
  CHECK(strict.status == (rel > 0 ? 1 : 0));
}

TEST_CASE("cli: a resumed training ends where an uninterrupted one does", "[tools]") {
  const fs::path d = scratch("resume");
  REQUIRE(run(d, "new --layers 2,4,1 --hidden tanh --init glorot --seed 2 -o m.dpn").status == 0);
  write(d / "d.csv", "0,0,0\n0,1,1\n1,0,1\n1,1,0\n0.5,0.5,0.5\n0.2,0.9,0.3\n");
  const std::string common = "--data d.csv --batch 2 --lr 0.2 --precision double --seed 3 ";
  REQUIRE(run(d, "train m.dpn " + common + "--epochs 3 -o straight.dpn").status == 0);
  REQUIRE(run(d, "train m.dpn " + common + "--epochs 1 --checkpoint ck.dpc -o half.dpn").status ==
          0);
  const Result r = run(d, "train --resume ck.dpc " + common + "--epochs 3 -o resumed.dpn");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("epoch 2/3") != std::string::npos);
  CHECK(r.out.find("epoch 1/3") == std::string::npos);
  CHECK(load(d / "resumed.dpn").params() == load(d / "straight.dpn").params());
  CHECK(load(d / "half.dpn").params() != load(d / "straight.dpn").params());
}

TEST_CASE("cli: user errors exit 1 with one clear line", "[tools]") {
  const fs::path d = scratch("errors");
  REQUIRE(run(d, "new --layers 3,2,1 --hidden relu --seed 1 -o m.dpn").status == 0);
  write(d / "d.csv", "1,2,3\n4,5,6\n");  // 2 inputs + 1 target: the network has 3 inputs
  const auto expect_error = [&](const std::string& args, const std::string& message) {
    const Result r = run(d, args);
    INFO(args << "\nstderr: " << r.err);
    CHECK(r.status == 1);
    CHECK(r.err.rfind("dagprop: error: ", 0) == 0);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(count_lines(r.err) == 1);
  };
  expect_error("eval missing.dpn --data d.csv", "missing.dpn");
  expect_error("eval m.dpn --data missing.csv", "missing.csv");
  expect_error("new --layers 2,1 --bogus -o x.dpn", "unrecognised option '--bogus'");
  expect_error("eval m.dpn", "'--data' is required");
  expect_error("eval m.dpn --data d.csv",
               "the first line has 3 columns, but the network's 3 inputs and 1 target column "
               "make 4");
  expect_error("new --layers 2,1 --hidden nope -o x.dpn", "nope");
  expect_error("frobnicate", "unknown command 'frobnicate'");
  expect_error("train m.dpn --data d.csv --loss hinge -o x.dpn", "hinge");
  expect_error("inspect d.csv", "d.csv");
  CHECK(!fs::exists(d / "x.dpn"));

  // Divergence: numeric_error's message, exit 1, the output file unchanged.
  write(d / "big.csv", "1,2,3,100\n-4,5,6,-200\n7,-8,9,300\n");
  REQUIRE(run(d, "new --layers 3,8,1 --hidden relu --seed 1 -o out.dpn").status == 0);
  const std::string before = slurp(d / "out.dpn");
  expect_error("train m.dpn --data big.csv --lr 1e6 --epochs 20 -o out.dpn", "diverged");
  CHECK(slurp(d / "out.dpn") == before);

  const Result help = run(d, "train --help");
  CHECK(help.status == 0);
  CHECK(help.out.rfind("usage: dagprop train", 0) == 0);
  CHECK(help.out.find("--validation") != std::string::npos);
}

#endif  // DAGPROP_CLI_PATH
