// CSV options for files as scikit-learn ships them (io/csv.hpp): fields
// separated by runs of spaces and tabs (whitespace_separator), and skip_rows
// for a metadata first line; row numbers in messages still count every line.
#include <catch2/catch.hpp>

#include "io/csv_parse.hpp"

using namespace dagprop;

TEST_CASE("CSV: whitespace-separated fields, runs of spaces and tabs", "[io][csv]") {
  io::CsvOptions o;
  o.separator = io::whitespace_separator;
  o.last_targets = 1;
  const auto d = test::parse_csv("  1.5  -2\t 3 \n4 5e-1      6\n\"7\" 8 9\n", o);
  REQUIRE(d.num_inputs == 2);
  CHECK(d.inputs == std::vector<double>{1.5, -2, 4, 0.5, 7, 8});
  CHECK(d.targets == std::vector<double>{3, 6, 9});
  test::require_csv_error("1 2 3\n4 5\n", {"mem.csv", "row 2", "row 1 has 3"}, o);
  // Without the option, a space inside a field says what to do.
  test::require_csv_error("1,2\n3 4,5\n", {"row 2", "values separated by spaces", "whitespace"});
}

TEST_CASE("CSV: skip_rows skips a metadata line, rows still counted", "[io][csv]") {
  io::CsvOptions o;
  o.skip_rows = 1;
  o.class_column = io::last_column;
  o.num_classes = 3;
  // scikit-learn's iris.csv starts with "150,4,setosa,versicolor,virginica".
  const auto d = test::parse_csv(
      "3,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n"
      "4.9,3.0,1.4,0.2,2\n6.0,2.2,5.0,1.5,1\n",
      o);
  REQUIRE(d.size() == 3);
  CHECK(d.num_inputs == 4);
  CHECK(d.targets == std::vector<double>{1, 0, 0, 0, 0, 1, 0, 1, 0});
  test::require_csv_error("meta\n1,2,0\n3,x,1\n", {"mem.csv", "row 3", "column 2"}, o);
  o.skip_rows = 5;
  test::require_csv_error("meta\n1,2,0\n", {"mem.csv"}, o);  // nothing left: no data rows
}
