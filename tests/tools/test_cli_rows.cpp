// Data errors of the `dagprop` command line name the file and the row as the
// CSV reader counts rows (from 1, header, skipped and blank rows included):
// values out of the training precision, scaling out of range, divergence,
// outputs that overflow, labels out of range, for CSV, FANN and IDX files,
// also after a validation split. Only the error line is compared: the
// unscaled-inputs warning may come before it.
#ifdef DAGPROP_CLI_PATH

#include <catch2/catch.hpp>

#include "io/gzip.hpp"
#include "tools/cli_run.hpp"

using namespace cli_test;

namespace {

// Runs `args` in `dir` and requires exit status 1 with `message` as the last
// line of stderr, exactly.
void expect_last_line(const fs::path& dir, const std::string& args, const std::string& message) {
  const Result r = run(dir, args);
  INFO("dagprop " << args << "\nstderr: " << r.err);
  CHECK(r.status == 1);
  REQUIRE(!r.err.empty());
  const std::size_t start = r.err.rfind('\n', r.err.size() - 2);
  CHECK(r.err.substr(start == std::string::npos ? 0 : start + 1) ==
        "dagprop: error: " + message + "\n");
}

// x -> y (identity) with weight 10: a value of 1e308 overflows y's x in double.
fs::path fixture(const std::string& name) {
  const fs::path d = scratch(name);
  write(d / "ten.dot",
        "digraph { x [role=input]; y [role=output, activation=identity]; x -> y [weight=10] }");
  REQUIRE(run(d, "import ten.dot -o ten.dpn").status == 0);
  return d;
}

}  // namespace

TEST_CASE("cli rows: CSV data errors name the file row, header and skipped rows counted",
          "[tools][cli_rows]") {
  const fs::path d = fixture("csv");
  write(d / "d.csv", "# made by hand\nx,t\n1,0\n2,1\n1e308,0\n3,1\n");
  const std::string train = "train ten.dpn --data d.csv --skip-rows 1 --scale none --epochs 1 ";
  expect_last_line(d, train + "-o o.dpn",
                   "d.csv: row 5, input column 1: the value 1e+308 is out of the range of the "
                   "training precision (float)");
  expect_last_line(d, "eval ten.dpn --data d.csv --skip-rows 1",
                   "d.csv: row 5, input column 1: the value 1e+308 is out of the range of the "
                   "training precision (float)");
  expect_last_line(d, train + "--precision double --no-shuffle -o o.dpn",
                   "training diverged at epoch 1, batch 1 of 1 (learning rate 0.1): the loss is "
                   "not finite; first non-finite value: x = inf of unit 'y' on d.csv: row 5. "
                   "The weights are those before this batch; what usually helps: --reduction "
                   "mean (the default), a lower --lr, --clip-norm 1, --scale standardize for the "
                   "inputs, --scale-targets standardize for large regression targets");
  // scaling that leaves the range of double
  write(d / "s.csv", "x,t\n1,0\n1e10,1\n");
  expect_last_line(d, "train ten.dpn --data s.csv --scale divide:1e-300 --epochs 1 -o o.dpn",
                   "s.csv: row 3, input column 1: scaling (divide) of 1e+10 with offset 0 and "
                   "scale 1e-300 leaves the range of double");
  // the output overflows in double on file row 4 (data row 3)
  write(d / "o.csv", "x,t\n1,0\n2,1\n1e308,0\n");
  expect_last_line(d, "eval ten.dpn --data o.csv --precision double",
                   "o.csv: row 4: output 0 ('y') is inf in double (an overflow inside the "
                   "network)");
}

TEST_CASE("cli rows: after a validation split the rows keep their file numbers",
          "[tools][cli_rows]") {
  const fs::path d = fixture("split");
  // 8 rows; whichever part row 9 (the overflow) lands in, its number is kept
  write(d / "d.csv", "x,t\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n7,0\n1e308,1\n");
  const Result r = run(d,
                       "train ten.dpn --data d.csv --scale none --epochs 1 --validation 0.5 "
                       "-o o.dpn");
  INFO(r.err);
  CHECK(r.status == 1);
  CHECK(r.err.find("d.csv: row 9, input column 1: the value 1e+308 is out of the range of the "
                   "training precision (float)") != std::string::npos);
  const Result dbl = run(d,
                         "train ten.dpn --data d.csv --scale none --epochs 1 --validation 0.5 "
                         "--precision double --batch 1 -o o.dpn");
  INFO(dbl.err);
  CHECK(dbl.status == 1);
  CHECK(dbl.err.find("on d.csv: row 9.") != std::string::npos);
}

TEST_CASE("cli rows: FANN data count lines, IDX data count items", "[tools][cli_rows]") {
  const fs::path d = fixture("fann_idx");
  // header line 1, pairs on lines 2-3, 4-5, a blank line 6, the third pair on 7-8
  write(d / "f.data", "3 1 1\n1\n0\n2\n1\n\n1e308\n1\n");
  expect_last_line(d, "train ten.dpn --data f.data --scale none --epochs 1 -o o.dpn",
                   "f.data: row 7, input column 1: the value 1e+308 is out of the range of the "
                   "training precision (float)");
  REQUIRE(run(d, "new --layers 4,3 --seed 1 -o three.dpn").status == 0);
  write_idx_u8(d / "x.idx", {3, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  write_idx_u8(d / "y.idx", {3}, {0, 2, 7});
  expect_last_line(d, "eval three.dpn --data x.idx --labels y.idx",
                   "y.idx: row 3: label 7 out of range [0, 3)");
}

// A sanitizer reserves far more address space than a ulimit -v leaves.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DAGPROP_NO_ULIMIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define DAGPROP_NO_ULIMIT 1
#endif
#endif

#ifndef DAGPROP_NO_ULIMIT
TEST_CASE("cli rows: running out of memory while reading data is one clean line",
          "[tools][cli_rows]") {
  // 10^8 bytes of IDX (436 KB gzipped) are 800 MB as double: more than the
  // 700 MB of address space given, so the reader's allocation fails.
  const fs::path d = fixture("memory");
  REQUIRE(run(d, "new --layers 4,3 --seed 1 -o three.dpn").status == 0);
  std::string idx = {'\0', '\0', '\x08', '\x02', '\x01', '\x7d', '\x78', '\x40', 0, 0, 0, 4};
  idx.resize(idx.size() + 100000000, '\0');  // dims 25000000 x 4
  write(d / "big.idx.gz", dagprop::test::gzip(idx, 1));
  idx = {};
  const fs::path err = d / "stderr.txt";
  const std::string cmd = "cd '" + d.string() + "' && ulimit -v 700000 && '" + DAGPROP_CLI_PATH +
                          "' predict three.dpn --data big.idx.gz >/dev/null 2>'" + err.string() +
                          "'";
  const int status = std::system(cmd.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(slurp(err) ==
        "dagprop: error: big.idx.gz: out of memory reading 100000000 values (dims 25000000 x 4, "
        "as double)\n");
}
#endif

#endif
