// Adversarial tests of the `dagprop` command line: flags with values that are
// negative, not finite, zero, huge or empty; outputs that cannot be written or
// would overwrite an input; inputs that are folders, empty, or files of the
// wrong kind; losses that do not fit the network; resumed runs with flags the
// checkpoint overrides. Each must end with exit status 1, one line
// "dagprop: error: ..." naming the problem, and no file written or changed.
#ifdef DAGPROP_CLI_PATH

#include <algorithm>
#include <map>

#include <catch2/catch.hpp>

#include "dagprop/io/model.hpp"
#include "tools/cli_run.hpp"
#include "tools/expect_error.hpp"

using namespace cli_test;

namespace {

// A folder with m.dpn (3 inputs, relu, 1 identity output), s.dpn (3 inputs,
// 2 sigmoid outputs), d.csv (3 inputs + 1 target), d2.csv (3 inputs + 2
// targets), x.csv (3 inputs), an empty file and a sub-folder.
fs::path fixture(const std::string& name) {
  const fs::path d = scratch(name);
  REQUIRE(run(d, "new --layers 3,4,1 --hidden relu --seed 1 -o m.dpn").status == 0);
  REQUIRE(run(d, "new --layers 3,4,2 --hidden tanh --output-activation sigmoid --seed 2 -o s.dpn")
              .status == 0);
  write(d / "d.csv", "1,2,3,0.5\n4,5,6,-1\n7,8,9,2\n0,1,0,1\n");
  write(d / "d2.csv", "1,2,3,0,1\n4,5,6,1,0\n7,8,9,1,1\n0,1,0,0,0\n");
  write(d / "x.csv", "1,2,3\n4,5,6\n");
  write(d / "empty.csv", "");
  fs::create_directories(d / "folder");
  return d;
}

}  // namespace

TEST_CASE("cli errors: numbers that are negative, not finite or out of range name their flag",
          "[tools][cli_errors]") {
  const fs::path d = fixture("numbers");
  const std::string train = "train m.dpn --data d.csv -o out.dpn ";
  // Boost would read -1 as 2^64 - 1 for an unsigned flag.
  expect_error(d, train + "--epochs -1", "--epochs: expected a non-negative integer, got '-1'");
  expect_error(d, train + "--batch -1", "--batch: expected a non-negative integer");
  expect_error(d, train + "--patience -1", "--patience: expected a non-negative integer");
  expect_error(d, train + "--seed -1", "--seed: expected a non-negative integer");
  expect_error(d, train + "--threads -2", "--threads: expected a non-negative integer");
  expect_error(d, train + "--epochs 0", "--epochs: expected 1 to 2^20 (1048576), got 0");
  expect_error(d, train + "--epochs 4294967296", "--epochs: expected 1 to 2^20 (1048576)");
  expect_error(d, train + "--batch 0", "--batch: expected 1 to 2^24 runs, got 0");
  expect_error(d, train + "--batch 99999999999", "--batch: expected 1 to 2^24");
  expect_error(d, train + "--threads 100000", "--threads: expected 0 (all cores) to 4096");
  expect_error(d, train + "--epochs 18446744073709551616", "'--epochs' is invalid");
  expect_error(d, train + "--epochs 3x", "('3x') for option '--epochs' is invalid");
  expect_error(d, train + "--lr 0.1.2", "('0.1.2') for option '--lr' is invalid");
  expect_error(d, train + "--lr nan", "--lr: expected a finite number, got 'nan'");
  expect_error(d, train + "--lr inf", "--lr: expected a finite number, got 'inf'");
  expect_error(d, train + "--lr 0", "--lr: expected a positive number, got 0");
  expect_error(d, train + "--lr -0.5", "--lr: expected a positive number, got -0.5");
  expect_error(d, train + "--clip-value nan", "--clip-value: expected a finite number");
  expect_error(d, train + "--clip-norm -1", "--clip-norm: expected >= 0");
  expect_error(d, train + "--dropout 1", "--dropout: expected a rate in [0, 1), got 1");
  expect_error(d, train + "--weight-decay -1", "--weight-decay: expected >= 0, got -1");
  expect_error(d, train + "--optimizer momentum --momentum 1",
               "--momentum: expected a value in [0, 1), got 1");
  expect_error(d, train + "--optimizer adam --momentum 0.5",
               "--momentum: only the momentum and nesterov optimizers use it, but --optimizer is "
               "'adam'");
  expect_error(d, train + "--validation 1", "--validation: expected a fraction in [0, 1), got 1");
  expect_error(d, train + "--validation 1e-300", "leaves 0 validation rows");
  expect_error(d, train + "--epochs 1 --epochs 2", "'--epochs' cannot be specified more than once");
  expect_error(d, train + "--schedule exp:1e-300 --epochs 3",
               "--schedule exp:1e-300: the learning rate 0.1 becomes 0 at epoch 3 of 3");
  expect_error(d, train + "--scale divide:0", "--scale divide:N needs a finite non-zero number");
  expect_error(d, train + "--scale ''", "--scale: the value is empty");
  expect_error(d, train + "--targets ''", "--targets: the value is empty");
  expect_error(d, train + "--format xmll", "unknown archive kind 'xmll'");
  expect_error(d, "eval m.dpn --data d.csv --threads 5000", "--threads: expected 0 (all cores)");
  expect_error(d, "predict m.dpn --data x.csv --threads 5000", "--threads: expected 0");
  const std::string check = "gradcheck s.dpn --data d2.csv --loss bce ";
  expect_error(d, check + "--samples 0", "--samples must be at least 1");
  expect_error(d, check + "--samples -3", "--samples: expected a non-negative integer");
  expect_error(d, check + "--params 0", "--params must be at least 1");
  expect_error(d, check + "--step 0", "--step must be in (0, 1), got 0");
  expect_error(d, check + "--step 1e300", "--step must be in (0, 1), got 1e+300");
  expect_error(d, check + "--step inf", "--step: expected a finite number");
  // A NaN tolerance made every check pass; a negative one every check fail.
  expect_error(d, check + "--tolerance nan", "--tolerance: expected a finite number");
  expect_error(d, check + "--tolerance -1", "--tolerance must be at least 0, got -1");
  expect_error(d, "new --layers 3,1 --seed -1 -o n.dpn", "--seed: expected a non-negative integer");
}

TEST_CASE("cli errors: layer specs that are empty, zero or too large", "[tools][cli_errors]") {
  const fs::path d = scratch("layers");
  expect_error(d, "new --layers 0 -o n.dpn", "--layers: every level needs at least one unit");
  expect_error(d, "new --layers , -o n.dpn", "--layers: expected a comma-separated list");
  expect_error(d, "new --layers '' -o n.dpn", "--layers: expected a comma-separated list");
  expect_error(d, "new --layers 99999999 -o n.dpn", "need at least an input and an output level");
  expect_error(d, "new --layers 3,-2 -o n.dpn", "--layers: expected a non-negative integer");
  expect_error(d, "new --layers 18446744073709551616,1 -o n.dpn",
               "--layers: expected a non-negative integer");
  // Refused before anything is built (these would take minutes and gigabytes).
  expect_error(d, "new --layers 99999999,1 -o n.dpn", "more than 16777216 units");
  expect_error(d, "new --layers 100000,100000 -o n.dpn", "more than 8388608 connections");
  // issue 11: below the old cap of 2^28, this one died out of memory at 3.8 GB
  expect_error(d, "new --layers 16384,16384 -o n.dpn", "more than 8388608 connections");
  expect_error(d, "new --skip --layers 2000,2000,2000 -o n.dpn", "more than 8388608 connections");
  expect_error(d, "new --layers 3,1 --hidden relux -o n.dpn", "unknown activation 'relux'");
  expect_error(d, "new --layers 3,1 --init glorrot -o n.dpn", "unknown initialisation 'glorrot'");
  expect_error(d, "new --layers 3,1 --format bin -o n.dpn", "unknown archive kind 'bin'");
  expect_error(d, "new --layers 3,1", "'--output' is required");
  CHECK(run(d, "new --layers 3,1 -o n.dpn").status == 0);  // the control
}

TEST_CASE("cli errors: outputs that cannot be written or would destroy an input",
          "[tools][cli_errors]") {
  const fs::path d = fixture("outputs");
  expect_error(d, "new --layers 3,1 -o missing/n.dpn", "-o: the folder missing of");
  expect_error(d, "new --layers 3,1 -o folder", "-o: folder is a folder, not a file");
  expect_error(d, "new --layers 3,1 -o folder/", "is not a file name");
  expect_error(d, "new --layers 3,1 -o ''", "-o: the file name is empty");
  const std::string train = "train m.dpn --data d.csv --epochs 1 ";
  expect_error(d, train + "-o missing/out.dpn", "-o: the folder missing of missing/out.dpn");
  expect_error(d, train + "-o out.dpn --log missing/log.csv", "--log: the folder missing");
  expect_error(d, train + "-o out.dpn --plot folder", "--plot: folder is a folder");
  expect_error(d, train + "-o out.dpn --checkpoint ''", "--checkpoint: the file name is empty");
  // Outputs over inputs, and two outputs into one file.
  expect_error(d, train + "-o d.csv", "-o d.csv is the same file as --data d.csv");
  expect_error(d, train + "-o out.dpn --log d.csv", "--log d.csv is the same file as --data");
  expect_error(d, train + "-o out.dpn --checkpoint m.dpn",
               "--checkpoint m.dpn is the same file as the model file m.dpn");
  expect_error(d, train + "-o out.dpn --checkpoint ./out.dpn",
               "--checkpoint ./out.dpn is the same file as -o out.dpn");
  expect_error(d, train + "-o out.dpn --log l.csv --plot l.csv",
               "--plot l.csv is the same file as --log l.csv");
  expect_error(d, "predict m.dpn --data x.csv -o x.csv", "-o x.csv is the same file as --data");
  expect_error(d, "predict m.dpn --data x.csv -o m.dpn", "is the same file as the model file");
  expect_error(d, "predict m.dpn --data x.csv -o ''", "-o: the file name is empty");
  // The atomic rename of a save would replace the device itself (as root).
  expect_error(d, "predict m.dpn --data x.csv -o /dev/null", "/dev/null is not a regular file");
  expect_error(d, "new --layers 3,1 -o /dev/null", "-o: /dev/null is not a regular file");
  expect_error(d, "dot m.dpn -o m.dpn", "-o m.dpn is the same file as the model file m.dpn");
  expect_error(d, "dot m.dpn -o ../outputs/m.dpn", "is the same file as the model file");
  write(d / "g.dot", "digraph g { a [role=input]; o [role=output]; a -> o; }\n");
  expect_error(d, "import g.dot -o g.dot", "-o g.dot is the same file as the network file g.dot");
  expect_error(d, "convert m.dpn --format text -o missing/c.dpn", "-o: the folder missing");
  // Training into the model it started from stays allowed (atomic replace).
  const std::string before = slurp(d / "m.dpn");
  REQUIRE(run(d, train + "--lr 0.001 -o m.dpn").status == 0);
  CHECK(slurp(d / "m.dpn") != before);
}

TEST_CASE("cli errors: inputs that are folders, empty, missing or of the wrong kind",
          "[tools][cli_errors]") {
  const fs::path d = fixture("inputs");
  REQUIRE(run(d, "train m.dpn --data d.csv --epochs 1 --checkpoint ck.dpc -o t.dpn").status == 0);
  expect_error(d, "eval m.dpn --data folder", "folder");
  expect_error(d, "eval m.dpn --data empty.csv", "empty.csv");
  expect_error(d, "eval m.dpn --data missing.csv", "missing.csv: cannot open");
  expect_error(d, "eval m.dpn --data ''", "--data: the value is empty");
  expect_error(d, "predict m.dpn --data empty.csv", "empty.csv");
  for (const std::string cmd : {"inspect folder", "eval folder --data d.csv", "dot folder",
                                "convert folder --format text -o c.dpn", "import folder -o i.dpn"})
    expect_error(d, cmd, "folder: is a folder, not a file");
  expect_error(d, "inspect empty.csv", "empty.csv");
  expect_error(d, "eval ck.dpc --data d.csv", "ck.dpc: is a checkpoint file, expected a model");
  expect_error(d, "dot ck.dpc", "ck.dpc: is a checkpoint file");
  expect_error(d, "convert ck.dpc --format text -o c.dpn", "ck.dpc: is a checkpoint file");
  expect_error(d, "train ck.dpc --data d.csv -o o.dpn", "ck.dpc: is a checkpoint file");
  expect_error(d, "train --resume m.dpn --data d.csv -o o.dpn",
               "m.dpn: is a model file, expected a checkpoint");
  expect_error(d, "train --resume folder --data d.csv -o o.dpn", "folder: is a folder");
  expect_error(d, "eval m.dpn --data d2.csv",
               "the first line has 5 columns, but the network's 3 inputs and 1 target column "
               "make 4");
  expect_error(d, "predict m.dpn --data d.csv",
               "the data have 4 input columns but the network has 3 inputs");
  expect_error(d, "eval m.dpn --data d.csv --targets 9", "d.csv");
  expect_error(d, "eval m.dpn --data d.csv --class-column 0", "columns are numbered from 1");
  expect_error(d, "eval m.dpn --data d.csv --class-column ''",
               "--class-column: the value is empty");
  expect_error(d, "", "no command given");
  // Header names are read as the CSV reader reads the file: gzip, a byte-order
  // mark, ';' separators and quoted names too.
  REQUIRE(std::system(("cd '" + d.string() + "' && printf 'a,b,c,t\\n1,2,3,4\\n' | gzip > h.csv.gz")
                          .c_str()) == 0);
  write(d / "h.csv", "\xEF\xBB\xBF\"a\";\"b\";\"c\";\"t\"\n1;2;3;4\n");
  const Result by_number = run(d, "eval m.dpn --data h.csv.gz --targets 4");
  REQUIRE(by_number.status == 0);
  CHECK(run(d, "eval m.dpn --data h.csv.gz --targets t").out == by_number.out);
  CHECK(run(d, "eval m.dpn --data h.csv --targets t").out == by_number.out);
  expect_error(d, "eval m.dpn --data h.csv.gz --targets zz",
               "--targets: no column named 'zz' in the header of h.csv.gz");
}

TEST_CASE("cli errors: class names and separators that do not fit the data",
          "[tools][cli_errors]") {
  const fs::path d = fixture("class_names");
  write(d / "t.csv", "a,b,c,label\n1,2,3,yes\n4,5,6,no\n");
  expect_error(d, "eval m.dpn --data t.csv --class-names no,yes",
               "--class-names goes with --class-column");
  expect_error(d, "eval m.dpn --data t.csv --class-column --class-names no",
               "--class-names gives 1 names but the network has 1 output: give two");
  expect_error(d, "eval s.dpn --data t.csv --class-column --class-names a,b,c",
               "--class-names gives 3 names but the network has 2 outputs");
  expect_error(d, "eval m.dpn --data t.csv --class-column --class-names no,no",
               "--class-names: 'no' is given twice");
  expect_error(d, "eval m.dpn --data t.csv --class-column --class-names no,",
               "--class-names: expected a comma-separated list");
  expect_error(d, "eval m.dpn --data t.csv --class-column --class-names ''",
               "--class-names: the value is empty");
  expect_error(d, "eval m.dpn --data t.csv --class-column --class-names no,maybe",
               "t.csv: row 2, column 4 (\"label\"): class \"yes\" is not one of the 2 class names");
  expect_error(d, "eval s.dpn --data t.csv --class-column",
               "text labels need class names: --class-names)");
  // One output's class column holds classes 0 and 1, numbers or two names.
  expect_error(d, "eval m.dpn --data t.csv --class-column",
               "class \"yes\" is not a number: the class column holds integers 0 .. 1");
  expect_error(d, "predict m.dpn --data x.csv --class-names no,yes",
               "--class-names goes with --class");
  expect_error(d, "predict s.dpn --data x.csv --class --class-names no,yes,maybe",
               "--class-names gives 3 names but the network has 2 outputs");
  expect_error(d, "eval m.dpn --data d.csv --separator '|'",
               "--separator: expected , ; tab space whitespace or auto, got '|'");
  expect_error(d, "eval m.dpn --data d.csv --separator ';'",
               "d.csv: no input columns left: the file has 1 columns and all are targets");
  expect_error(d, "eval m.dpn --data d.csv --separator ''", "--separator: the value is empty");
  // Data are read from regular files (a pipe could be read once only), and a
  // named pipe nobody writes to is refused at once, not waited on.
  REQUIRE(std::system(("mkfifo '" + (d / "pipe.csv").string() + "'").c_str()) == 0);
  expect_error(d, "eval m.dpn --data pipe.csv", "pipe.csv: is a pipe, not a regular file");
  expect_error(d, "predict m.dpn --data /dev/null", "/dev/null: is a device, not a regular file");
  // issue 11: every other file argument waited on the pipe for ever
  write_idx_u8(d / "img.idx", {4, 3}, std::vector<std::uint8_t>(12, 1));
  for (const std::string cmd :
       {"inspect pipe.csv", "predict pipe.csv --data x.csv", "eval pipe.csv --data d.csv",
        "train --resume pipe.csv --data d.csv -o o.dpn",
        "eval s.dpn --data img.idx --labels pipe.csv", "import pipe.csv -o i.dpn", "dot pipe.csv",
        "convert pipe.csv --format text -o c.dpn"})
    expect_error(d, cmd, "pipe.csv: is a pipe, not a regular file");
  // and a device that never ends is refused before it is read
  expect_error(d, "import /dev/zero -o i.dpn", "/dev/zero: is a device, not a regular file");
}

TEST_CASE("cli errors: predict and eval never print a non-finite output", "[tools][cli_errors]") {
  // issue 11: a weight beyond float's range printed nan (exit 0), --class
  // printed class 0 and eval "loss nan"
  const fs::path d = fixture("overflow");
  write(d / "big.dot", "digraph { x [role=input]; y [role=output]; x -> y [weight=1e300] }");
  write(d / "one.csv", "1\n2\n");
  write(d / "one_t.csv", "1,0\n2,1\n");
  REQUIRE(run(d, "import big.dot -o big.dpn").status == 0);
  for (const std::string cmd :
       {"predict big.dpn --data one.csv", "predict big.dpn --data one.csv --class",
        "eval big.dpn --data one_t.csv"})
    expect_error(d, cmd, "the weight on 'x' -> 'y' = 1e+300 does not fit in float");
  const Result r = run(d, "predict big.dpn --data one.csv --precision double");
  CHECK(r.status == 0);
  CHECK(parse_csv(r.out) == std::vector<std::vector<double>>{{1e300}, {2 * 1e300}});
  // in double the output itself overflows on row 2 (2e300 * 1e8): named with the row
  write(d / "inf.dot",
        "digraph { x [role=input]; h [activation=identity]; y [role=output];\n"
        "x -> h [weight=1e300]; h -> y [weight=1e8] }");
  REQUIRE(run(d, "import inf.dot -o inf.dpn").status == 0);
  expect_error(d, "predict inf.dpn --data one.csv --precision double",
               "one.csv: row 2: output 0 ('y') is inf in double");
  expect_error(d, "eval inf.dpn --data one_t.csv --precision double",
               "one_t.csv: row 2: output 0 ('y') is inf in double");
}

TEST_CASE("cli errors: losses that do not fit the network's outputs", "[tools][cli_errors]") {
  const fs::path d = fixture("losses");
  // softmax of one output is always 1: its loss is 0 and nothing is learned.
  expect_error(d, "train m.dpn --data d.csv --loss softmax-ce -o o.dpn",
               "--loss: softmax-ce needs at least two outputs");
  expect_error(d, "eval m.dpn --data d.csv --loss softmax-ce", "needs at least two outputs");
  // bce reads y as a probability: identity outputs made gradcheck report
  // large errors and eval a loss of sigmoid(x) with an accuracy of x.
  expect_error(d, "train m.dpn --data d.csv --loss bce -o o.dpn",
               "--loss: bce needs sigmoid output units, but output 0 (unit 'y1') is identity");
  expect_error(d, "eval m.dpn --data d.csv --loss bce", "--loss: bce needs sigmoid output units");
  expect_error(d, "gradcheck m.dpn --data d.csv --loss bce", "needs sigmoid output units");
  CHECK(run(d, "eval s.dpn --data d2.csv --loss bce").status == 0);  // the control
}

TEST_CASE("cli errors: a resumed run refuses flags its checkpoint overrides",
          "[tools][cli_errors]") {
  const fs::path d = fixture("resume");
  REQUIRE(run(d,
              "train m.dpn --data d.csv --epochs 2 --batch 2 --lr 0.01 --checkpoint ck.dpc "
              "-o t.dpn")
              .status == 0);
  const std::string resume = "train --resume ck.dpc --data d.csv -o r.dpn ";
  expect_error(d, resume + "--epochs 2", "the checkpoint ck.dpc has completed 2 epochs already");
  expect_error(d, resume + "--epochs 3 --lr 0.5",
               "--lr 0.5 differs from the checkpoint's 0.01: a resumed run keeps");
  expect_error(d, resume + "--epochs 3 --batch 3", "--batch 3 differs from the checkpoint's 2");
  expect_error(d, resume + "--epochs 3 --optimizer adam",
               "--optimizer adam differs from the checkpoint's sgd");
  expect_error(d, resume + "--epochs 3 --loss bce", "--loss bce differs");
  expect_error(d, resume + "--epochs 3 --scale divide:2", "--scale cannot change when resuming");
  expect_error(d, "train --resume ck.dpc --data d.csv --epochs 3 -o ck.dpc",
               "-o ck.dpc is the same file as --resume ck.dpc");
  // issue 11: --momentum, --weight-decay and --precision were ignored silently
  expect_error(d, resume + "--epochs 3 --optimizer momentum --momentum 0.1",
               "--optimizer momentum differs from the checkpoint's sgd");
  expect_error(d, resume + "--epochs 3 --momentum 0.1",
               "--momentum: only the momentum and nesterov optimizers use it, but the "
               "checkpoint's optimizer is 'sgd'");
  expect_error(d, resume + "--epochs 3 --beta2 0.9",
               "--beta2: only adam and adamw use it, but the checkpoint's optimizer is 'sgd'");
  expect_error(d, resume + "--epochs 3 --epsilon 1e-8",
               "--epsilon: only adam, adamw and rmsprop use it, but the checkpoint's optimizer "
               "is 'sgd'");
  expect_error(d, resume + "--epochs 3 --weight-decay 3",
               "--weight-decay 3 differs from the checkpoint's 0");
  expect_error(d, resume + "--epochs 3 --precision double",
               "--precision double differs from the checkpoint's float");
  REQUIRE(run(d,
              "train m.dpn --data d.csv --epochs 1 --optimizer adam --weight-decay 0.5 "
              "--precision double --checkpoint adam.dpc -o a.dpn")
              .status == 0);
  const std::string adam = "train --resume adam.dpc --data d.csv --epochs 2 -o r.dpn ";
  const std::pair<const char*, const char*> adam_cases[] = {
      {"--momentum 0.5",
       "--momentum: only the momentum and nesterov optimizers use it, but the checkpoint's "
       "optimizer is 'adam'"},
      // --beta1, --beta2 and --epsilon were checked against the default sgd
      {"--beta1 0.5", "--beta1 0.5 differs from the checkpoint's 0.9: a resumed run keeps"},
      {"--beta2 0.99", "--beta2 0.99 differs from the checkpoint's 0.999"},
      {"--epsilon 1e-6", "--epsilon 1e-06 differs from the checkpoint's 1e-08"},
      {"--weight-decay 0.25", "--weight-decay 0.25 differs from the checkpoint's 0.5"},
      {"--precision float", "--precision float differs from the checkpoint's double"}};
  for (const auto& [flags, message] : adam_cases) expect_error(d, adam + flags, message);
  // the checkpoint's precision is kept: a double run resumed goes on in double,
  // as the same run made in one go
  REQUIRE(run(d, adam + "--weight-decay 0.5 --beta1 0.9 --epsilon 1e-8").status == 0);  // double
  REQUIRE(run(d,
              "train m.dpn --data d.csv --epochs 2 --optimizer adam --weight-decay 0.5 "
              "--precision double -o whole.dpn")
              .status == 0);
  CHECK(slurp(d / "r.dpn") == slurp(d / "whole.dpn"));
  // The same values, and checkpoints going on in the file resumed from, are fine.
  CHECK(run(d, resume + "--epochs 3 --lr 0.01 --batch 2 --checkpoint ck.dpc").status == 0);
}

TEST_CASE("cli: a --batch larger than the data set trains as one batch of the whole set",
          "[tools][cli_errors]") {
  const fs::path d = fixture("big_batch");
  const std::string common = "train m.dpn --data d.csv --epochs 3 --precision double ";
  REQUIRE(run(d, common + "--batch 4 -o a.dpn").status == 0);
  REQUIRE(run(d, common + "--batch 16777216 -o b.dpn").status == 0);  // 2^24: no huge buffers
  CHECK(dagprop::io::load_network<double>((d / "a.dpn").string()).params() ==
        dagprop::io::load_network<double>((d / "b.dpn").string()).params());
}

TEST_CASE("cli errors: divergence leaves the output untouched, a failed stdout is an error",
          "[tools][cli_errors]") {
  const fs::path d = fixture("diverge");
  write(d / "out.dpn", "old contents");
  // A rate that is no float.
  expect_error(d, "train m.dpn --data d.csv --epochs 1 --batch 4 --lr 1e300 -o out.dpn",
               "learning rate must be positive and finite in float, got 1e+300");
  CHECK(slurp(d / "out.dpn") == "old contents");
  // One batch: the loss and gradient are finite, the update overflows.
  expect_error(d, "train m.dpn --data d.csv --epochs 1 --batch 4 --lr 1e38 -o out.dpn",
               "training diverged at epoch 1, batch 1 of 1: the gradient was finite but the sgd "
               "update with learning rate 1e+38 made the ");
  CHECK(slurp(d / "out.dpn") == "old contents");
  // A full disk (or any write error) on stdout is exit status 1, not 0.
  const Result r = run(d, "predict m.dpn --data x.csv >/dev/full");
  CHECK(r.status == 1);
  CHECK(r.err.find("dagprop: error: cannot write to the standard output") == 0);
  CHECK(run(d, "dot m.dpn >/dev/full").status == 1);
}

TEST_CASE("cli errors: export-c refuses bad names, files and flags, and its input as output",
          "[tools][cli_errors][cexport]") {
  const fs::path d = fixture("export_c");
  expect_error(d, "export-c m.dpn -o net.h", "-o: export to C: expected a file name ending in .c");
  expect_error(d, "export-c m.dpn -o net.c --name 1net", "--name: export to C: the name '1net'");
  expect_error(d, "export-c m.dpn -o net.c --name ''", "--name");
  expect_error(d, "export-c m.dpn -o net.c --precision half",
               "--precision: expected float or double, got 'half'");
  expect_error(d, "export-c m.dpn -o net.c --shape round",
               "--shape: expected automatic, straight-line or arrays, got 'round'");
  expect_error(d, "export-c missing.dpn -o net.c", "missing.dpn");
  expect_error(d, "export-c m.dpn -o folder/", "-o");
  fs::copy_file(d / "m.dpn", d / "model.h");  // the header would overwrite the model
  expect_error(d, "export-c model.h -o model.c", "is the same file as the model file model.h");
}

#endif  // DAGPROP_CLI_PATH
