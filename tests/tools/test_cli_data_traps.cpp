// The command line on the mistakes a newcomer makes with real data: class
// labels a single output cannot hold, targets its loss cannot take, a file
// without its class column, a --scale that is not the model's, a regression
// model asked for classes, labels left empty, a header naming a column twice.
// Each is refused with one line naming the row, column or flag, writing nothing.
#ifdef DAGPROP_CLI_PATH

#include <catch2/catch.hpp>

#include "tools/cli_run.hpp"
#include "tools/expect_error.hpp"

using namespace cli_test;

namespace {

// A folder with b.dpn (2 inputs, 1 sigmoid output), r.dpn (2 inputs, 1
// identity output), s.dpn (2 inputs, 3 identity outputs) and data files.
fs::path fixture(const std::string& name) {
  const fs::path d = scratch(name);
  REQUIRE(run(d, "new --layers 2,3,1 --output-activation sigmoid --seed 1 -o b.dpn").status == 0);
  REQUIRE(run(d, "new --layers 2,3,1 --seed 1 -o r.dpn").status == 0);
  REQUIRE(run(d, "new --layers 2,3,3 --seed 1 -o s.dpn").status == 0);
  write(d / "two.csv", "x,y,c\n0.1,0.2,0\n0.3,0.1,1\n0.5,0.9,1\n0.2,0.7,0\n");
  write(d / "three.csv", "x,y,c\n0.1,0.2,0\n0.3,0.1,1\n0.5,0.9,2\n0.2,0.7,0\n");
  write(d / "wide.csv", "x,y,t\n0.1,0.2,151\n0.3,0.1,75\n");
  write(d / "x.csv", "x,y\n0.1,0.2\n0.3,0.1\n");
  return d;
}

}  // namespace

TEST_CASE("cli traps: one output's class column holds classes 0 and 1 only", "[tools][traps]") {
  const fs::path d = fixture("traps_binary");
  const std::string train = "train b.dpn --loss bce --epochs 1 -o t.dpn --class-column --data ";
  expect_error(d, train + "three.csv",
               "three.csv: row 4, column 3 (\"c\"): class \"2\" out of range [0, 2)");
  write(d / "minus.csv", "x,y,c\n0.1,0.2,0\n0.3,0.1,-1\n");
  expect_error(d, train + "minus.csv", "row 3, column 3 (\"c\"): class \"-1\" out of range");
  // Classes 0 and 1 train, and eval reads the column as it was trained.
  REQUIRE(run(d, train + "two.csv").status == 0);
  const Result e = run(d, "eval t.dpn --data two.csv");
  REQUIRE(e.status == 0);
  CHECK_THAT(e.out, Catch::Contains("runs 4"));
  expect_error(d, "eval t.dpn --data three.csv", "class \"2\" out of range [0, 2)");
}

TEST_CASE("cli traps: bce and softmax-ce refuse targets they cannot take", "[tools][traps]") {
  const fs::path d = fixture("traps_targets");
  expect_error(d, "train b.dpn --loss bce --data wide.csv --epochs 1 -o t.dpn",
               "wide.csv: row 2, target 1 is 151: --loss bce needs targets in [0, 1]");
  expect_error(d, "eval b.dpn --loss bce --data wide.csv",
               "wide.csv: row 2, target 1 is 151: --loss bce needs targets in [0, 1]");
  // Three target columns that are not a distribution over the classes.
  write(d / "raw3.csv", "a,b,w,x,y\n1,2,191,36,50\n");
  expect_error(d, "train s.dpn --loss softmax-ce --data raw3.csv --epochs 1 -o t.dpn",
               "raw3.csv: row 2, target 1 is 191: --loss softmax-ce needs targets in [0, 1]");
  write(d / "sum3.csv", "a,b,w,x,y\n1,2,0.5,0.5,0\n1,2,0.5,0.25,0\n");
  expect_error(d, "train s.dpn --loss softmax-ce --data sum3.csv --epochs 1 -o t.dpn",
               "sum3.csv: row 3: the targets sum to 0.75: --loss softmax-ce needs each row's "
               "targets to sum to 1");
  // Soft labels that are a distribution train, as sse trains on any target.
  write(d / "soft3.csv", "a,b,w,x,y\n1,2,0.25,0.25,0.5\n0,1,0.1,0.8,0.1\n");
  CHECK(run(d, "train s.dpn --loss softmax-ce --data soft3.csv --epochs 1 -o t.dpn").status == 0);
  CHECK(run(d, "train r.dpn --data wide.csv --epochs 1 -o t.dpn").status == 0);
}

TEST_CASE("cli traps: a file without its class column is said to be one", "[tools][traps]") {
  const fs::path d = fixture("traps_columns");
  REQUIRE(
      run(d, "train b.dpn --loss bce --data two.csv --class-column --epochs 1 -o t.dpn").status ==
      0);
  // Before this was checked, column 2 was read as the class: "class "0.2" is not an integer".
  expect_error(d, "eval t.dpn --data x.csv",
               "x.csv: the first line has 2 columns, but the network's 2 inputs and 1 target "
               "column make 3 (the file seems to hold the inputs only); one column was taken "
               "as the class (--class-column)");
  write(d / "one.csv", "x\n0.1\n");
  expect_error(d, "predict t.dpn --data one.csv", "one.csv: no input columns left");
  CHECK(run(d, "predict t.dpn --data x.csv").status == 0);
  CHECK(run(d, "predict t.dpn --data two.csv").status == 0);
}

TEST_CASE("cli traps: --scale given again must be the model's own", "[tools][traps]") {
  const fs::path d = fixture("traps_scale");
  REQUIRE(run(d, "train r.dpn --data wide.csv --scale divide:5 --epochs 1 -o d5.dpn").status == 0);
  REQUIRE(run(d, "train r.dpn --data wide.csv --epochs 1 -o plain.dpn").status == 0);
  const Result same = run(d, "predict d5.dpn --data x.csv --scale divide:5");
  REQUIRE(same.status == 0);
  CHECK(same.out == run(d, "predict d5.dpn --data x.csv").out);
  expect_error(d, "predict d5.dpn --data x.csv --scale divide:1",
               "--scale divide:1 differs from the scaling saved with the model (divide:5)");
  expect_error(d, "eval d5.dpn --data wide.csv --scale divide:1",
               "--scale divide:1 differs from the scaling saved with the model (divide:5)");
  expect_error(d, "predict d5.dpn --data x.csv --scale none",
               "--scale none differs from the scaling saved with the model (divide:5)");
  // Trained without scaling: the model saw its inputs as they are.
  expect_error(d, "predict plain.dpn --data x.csv --scale divide:100",
               "--scale divide:100 differs from the scaling saved with the model (none)");
  CHECK(run(d, "predict plain.dpn --data x.csv --scale none").status == 0);
  // A model never trained here (new, imported) may take a scaling at predict.
  const Result untrained = run(d, "predict r.dpn --data x.csv --scale divide:10");
  REQUIRE(untrained.status == 0);
  write(d / "x10.csv", "x,y\n0.01,0.02\n0.03,0.01\n");
  CHECK(untrained.out == run(d, "predict r.dpn --data x10.csv").out);
}

TEST_CASE("cli traps: --class of a regression model, a resumed classifier", "[tools][traps]") {
  const fs::path d = fixture("traps_class");
  REQUIRE(run(d, "train r.dpn --data wide.csv --epochs 1 -o reg.dpn").status == 0);
  expect_error(d, "predict reg.dpn --data x.csv --class",
               "--class: reg.dpn was trained for regression");
  expect_error(d, "predict reg.dpn --data x.csv --classes",
               "--class: reg.dpn was trained for regression");
  // A resumed classifier keeps its loss: no warning that it trains with sse.
  REQUIRE(run(d,
              "train s.dpn --loss softmax-ce --data three.csv --class-column --epochs 1 "
              "--checkpoint c.dpc -o t.dpn")
              .status == 0);
  const Result resumed = run(d, "train --resume c.dpc --data three.csv --epochs 2 -o t2.dpn");
  REQUIRE(resumed.status == 0);
  CHECK(resumed.err.find("warning") == std::string::npos);
  CHECK(run(d, "predict t2.dpn --data x.csv --class").status == 0);
}

TEST_CASE("cli traps: empty labels, a header naming a column twice, column numbers from 1",
          "[tools][traps]") {
  const fs::path d = fixture("traps_labels");
  write(d / "empty.csv", "x,y,c\n0.1,0.2,a\n0.3,0.1,\n0.5,0.9,b\n");
  expect_error(d, "train b.dpn --loss bce --data empty.csv --class-column --epochs 1 -o t.dpn",
               "empty.csv: row 3, column 3 (\"c\"): empty value");
  write(d / "trailing.csv", "0.1,0.2,a,\n0.3,0.1,b,\n");
  expect_error(d, "train b.dpn --loss bce --data trailing.csv --class-column --epochs 1 -o t.dpn",
               "trailing.csv: row 1, column 4: empty value (missing values are not supported; or "
               "does every line end with a separator?)");
  write(d / "dup.csv", "a,b,a\n1,2,3\n");
  expect_error(d, "train r.dpn --data dup.csv --targets a --epochs 1 -o t.dpn",
               "--targets: the header of dup.csv names columns 1 and 3 'a'; give the column's "
               "number");
  write(d / "species.csv", "x,y,species\n0.1,0.2,setosa\n");
  expect_error(d, "train b.dpn --data species.csv --epochs 1 -o t.dpn",
               "species.csv: row 2, column 3 (\"species\"): expected a number, found \"setosa\" (a "
               "target column of text labels is a class column: --class-column)");
  write(d / "nohdr.csv", "0.1,0.2,0\n0.3,0.1,1\n");
  expect_error(d, "train b.dpn --loss bce --data nohdr.csv --class-column c --epochs 1 -o t.dpn",
               "--class-column: no column is named 'c': nohdr.csv has no header (its first line "
               "is data); give the column's number");
  expect_error(d, "train b.dpn --loss bce --data two.csv --class-column 6 --epochs 1 -o t.dpn",
               "two.csv: class column 6 (counting from 1) does not exist: the file has 3 columns");
}

TEST_CASE("cli traps: a trained model trains on with its own loss and reduction",
          "[tools][traps]") {
  const fs::path d = fixture("traps_again");
  REQUIRE(run(d,
              "train b.dpn --loss bce --reduction sum --lr 0.01 --data two.csv --class-column "
              "--epochs 1 -o t.dpn")
              .status == 0);
  REQUIRE(run(d, "train t.dpn --data two.csv --class-column --epochs 1 -o t2.dpn").status == 0);
  CHECK_THAT(run(d, "inspect t2.dpn").out, Catch::Contains("loss bce\nreduction sum\n"));
  REQUIRE(
      run(d, "train t.dpn --loss sse --data two.csv --class-column --epochs 1 -o t3.dpn").status ==
      0);
  CHECK_THAT(run(d, "inspect t3.dpn").out, Catch::Contains("loss sse\nreduction sum\n"));
}

TEST_CASE("cli traps: outputs past float once de-scaled, R² of a constant target",
          "[tools][traps]") {
  const fs::path d = scratch("traps_descale");
  REQUIRE(run(d, "new --layers 1,1 --output-activation identity -o m.dpn").status == 0);
  write(d / "d.csv", "x,t\n-1,-1e37\n0,0\n1,1e37\n0.5,5e36\n");
  REQUIRE(run(d,
              "train m.dpn --data d.csv --scale-targets standardize --precision double "
              "--epochs 1 -o t.dpn")
              .status == 0);
  write(d / "x.csv", "x\n0.5\n1e6\n");
  // y' of about 1e6 times the targets' deviation (about 7e36) is past float's 3.4e38.
  expect_error(d, "predict t.dpn --data x.csv --precision float",
               "x.csv: row 3: output 0 ('y1') is inf in float (once de-scaled to the targets' "
               "units; --precision double holds more)");
  CHECK(run(d, "predict t.dpn --data x.csv --precision double").status == 0);
  // 0.1 three times: a mean rounded off 0.1 must not make R² a huge negative number.
  for (const char* rows : {"x,t\n1,5\n", "x,t\n1,0.1\n2,0.1\n3,0.1\n"}) {
    write(d / "constant.csv", rows);
    const Result e = run(d, "eval t.dpn --data constant.csv");
    REQUIRE(e.status == 0);
    CHECK_THAT(e.out, Catch::Contains("\nr2 -\n"));
  }
}

TEST_CASE("cli traps: a header naming an input's column where another input was is warned about",
          "[tools][traps]") {
  const fs::path d = scratch("traps_names");
  write(d / "net.dot",
        "digraph { len [role=input]; wid [role=input]; y [role=output, activation=sigmoid]; "
        "len -> y [weight=0.5]; wid -> y [weight=-1]; }");
  REQUIRE(run(d, "import net.dot -o m.dpn").status == 0);
  write(d / "same.csv", "len,wid,c\n0.1,0.2,0\n0.3,0.1,1\n");
  write(d / "moved.csv", "wid,len,c\n0.2,0.1,0\n0.1,0.3,1\n");
  write(d / "other.csv", "a,b,c\n0.2,0.1,0\n0.1,0.3,1\n");
  const std::string warning =
      "dagprop: warning: moved.csv: input column 1 is named 'wid' in the header, which is the "
      "model's input 2; columns are read by position, not by name: reorder them\n";
  const std::string train = "train m.dpn --loss bce --class-column --epochs 1 -o t.dpn --data ";
  const Result trained = run(d, train + "moved.csv");
  REQUIRE(trained.status == 0);
  CHECK_THAT(trained.err, Catch::Contains(warning));
  for (const char* command : {"eval t.dpn --data moved.csv", "predict t.dpn --data moved.csv"}) {
    const Result r = run(d, command);
    INFO(command);
    CHECK(r.status == 0);
    CHECK(r.err == warning);
  }
  // The columns where they were, or named otherwise: nothing to say.
  for (const char* file : {"same.csv", "other.csv"}) {
    INFO(file);
    CHECK(run(d, std::string("eval t.dpn --data ") + file).err.empty());
    CHECK(run(d, std::string("predict t.dpn --data ") + file).err.empty());
    CHECK(run(d, train + file).err.empty());
  }
}

#endif  // DAGPROP_CLI_PATH
