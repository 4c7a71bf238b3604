// Where a data set's rows came from (Dataset::source, row_number, where): each
// reader counts rows as its errors do (1-based; CSV headers and skipped rows,
// FANN lines, IDX items), and select_rows, convert and the scalers carry them
// into their results and messages.
#include <catch2/catch.hpp>
#include <sstream>

#include "dagprop/dataset.hpp"
#include "dagprop/io/csv.hpp"
#include "dagprop/io/fann_data.hpp"
#include "dagprop/io/idx.hpp"
#include "dagprop/io/scaling.hpp"

using dagprop::Dataset;

namespace {

// The row numbers of every row of `d`, as where() names them.
std::vector<std::string> wheres(const Dataset<double>& d) {
  std::vector<std::string> w;
  for (std::size_t r = 0; r < d.size(); ++r) w.push_back(d.where(r));
  return w;
}

Dataset<double> csv(const std::string& text, const dagprop::io::CsvOptions& o = {}) {
  std::istringstream in(text);
  return dagprop::io::read_csv(in, "d.csv", o);
}

Dataset<double> fann(const std::string& text) {
  std::istringstream in(text);
  return dagprop::io::read_fann_data(in, "f.data", text.size());
}

}  // namespace

TEST_CASE("data rows: CSV rows count the header and skipped rows", "[io][data_rows]") {
  CHECK(wheres(csv("1,2\n3,4\n")) == std::vector<std::string>{"d.csv: row 1", "d.csv: row 2"});
  CHECK(wheres(csv("a,b\n1,2\n3,4\n")) == std::vector<std::string>{"d.csv: row 2", "d.csv: row 3"});
  dagprop::io::CsvOptions skip;
  skip.skip_rows = 2;
  // two skipped rows, a blank line, the header: the data start on row 5
  CHECK(wheres(csv("meta\nmore\n\na,b\n1,2\n3,4\n", skip)) ==
        std::vector<std::string>{"d.csv: row 5", "d.csv: row 6"});
}

TEST_CASE("data rows: FANN data name the line of each pair's inputs", "[io][data_rows]") {
  CHECK(wheres(fann("2 1 1\n1\n0\n2\n1\n")) ==
        std::vector<std::string>{"f.data: row 2", "f.data: row 4"});
  const Dataset<double> blank = fann("3 1 1\n1\n0\n\n2\n1\n3\n0\n");
  CHECK(wheres(blank) ==
        std::vector<std::string>{"f.data: row 2", "f.data: row 5", "f.data: row 7"});
  CHECK(wheres(fann("2 2 0\n1 2\n3 4\n")) ==
        std::vector<std::string>{"f.data: row 2", "f.data: row 3"});
}

TEST_CASE("data rows: IDX rows are the items, from 1", "[io][data_rows]") {
  dagprop::io::IdxArray images;
  images.type = dagprop::io::IdxType::u8;
  images.dims = {3, 2};
  images.bytes = {1, 2, 3, 4, 5, 6};
  const Dataset<double> d = dagprop::io::make_idx_inputs(images, "i.idx", 1.0);
  CHECK(wheres(d) == std::vector<std::string>{"i.idx: row 1", "i.idx: row 2", "i.idx: row 3"});
}

TEST_CASE("data rows: select_rows and convert keep the rows' numbers", "[io][data_rows]") {
  const Dataset<double> d = csv("a\n1\n2\n1e300\n4\n");  // rows 2 to 5
  const std::size_t pick[] = {2, 0};
  const Dataset<double> s = dagprop::select_rows(d, pick, 2);
  CHECK(s.inputs == std::vector<double>{1e300, 1});
  CHECK(wheres(s) == std::vector<std::string>{"d.csv: row 4", "d.csv: row 2"});
  const std::size_t again[] = {1};
  CHECK(wheres(dagprop::select_rows(s, again, 1)) == std::vector<std::string>{"d.csv: row 2"});
  REQUIRE_THROWS_WITH(dagprop::convert<float>(s),
                      "d.csv: row 4, input column 1: the value 1.0000000000000001e+300 is out "
                      "of the range of the training precision (float)");
  const Dataset<float> f = dagprop::convert<float>(dagprop::select_rows(d, pick + 1, 1));
  CHECK(f.where(0) == "d.csv: row 2");
  Dataset<double> plain;  // no file: the row alone, from 1
  plain.num_inputs = 1;
  plain.inputs = {1, 2};
  CHECK(plain.where(1) == "row 2");
}

TEST_CASE("data rows: scaling errors name the file, the row and the column from 1",
          "[io][data_rows][scaling]") {
  Dataset<double> d = csv("a,b,t\n1,2,0\n3,1e10,1\n");
  const dagprop::io::Scaler tiny = dagprop::io::divide(3, 1e-300);
  REQUIRE_THROWS_WITH(dagprop::io::apply(tiny, d),
                      "d.csv: row 3, input column 2: scaling (divide) of 1e+10 with offset 0 and "
                      "scale 1e-300 leaves the range of double");
  dagprop::io::CsvOptions two;
  two.last_targets = 2;
  Dataset<double> t = csv("x,t,u\n1,2,0\n3,4,1e300\n", two);
  dagprop::io::Scaler targets = dagprop::io::divide(2, 1e-300);
  REQUIRE_THROWS_WITH(dagprop::io::apply_targets(targets, t),
                      Catch::StartsWith("d.csv: row 3, target column 2: target scaling of 1e+300"));
}
