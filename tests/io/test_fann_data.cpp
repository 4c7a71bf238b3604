// FANN data files (.data): told apart from CSV by content, read to the values
// FANN's own fann_read_train_from_file reads (fann_tool), damaged files refused
// naming the line. The FANN comparison is skipped when FANN is absent.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "dagprop/io/data.hpp"
#include "dagprop/io/fann_data.hpp"
#include "io/fann_run.hpp"
#include "io/require_io_error.hpp"
#include "temp_dir.hpp"

namespace {

using namespace dagprop;

std::string write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

TEST_CASE("FANN data read as FANN reads them", "[io][fann]") {
  if (!test::have_fann()) return test::fann_missing();
  test::TempDir dir("fann-data");
  const std::string path = dir.file("train.data");
  REQUIRE(test::fann_tool("data '" + path + "' 17 3 2 5").empty());
  REQUIRE(io::detect_format(path).format == io::DataFormat::fann);
  const Dataset<double> d = io::load_data(path);
  const auto rows = test::number_rows(test::fann_tool("dump '" + path + "'"));
  REQUIRE(d.size() == 17);
  REQUIRE(d.num_inputs == 3);
  REQUIRE(d.num_targets == 2);
  REQUIRE(rows.size() == 17);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    REQUIRE(rows[r].size() == 5);
    for (std::size_t c = 0; c < 3; ++c)
      CHECK(static_cast<float>(d.input(r)[c]) == static_cast<float>(rows[r][c]));
    for (std::size_t c = 0; c < 2; ++c)
      CHECK(static_cast<float>(d.target(r)[c]) == static_cast<float>(rows[r][3 + c]));
  }
}

TEST_CASE("FANN data: header, pairs, blank lines and CR", "[io][fann]") {
  test::TempDir dir("fann-data");
  const std::string path = write(dir, "a.data", "2 2 1\r\n0.5 -1\r\n1\r\n\r\n-2e-3\t4\n0 \n");
  REQUIRE(io::detect_format(path).format == io::DataFormat::fann);
  const Dataset<double> d = io::load_data(path);
  REQUIRE(d.inputs == std::vector<double>{0.5, -1, -2e-3, 4});
  REQUIRE(d.targets == std::vector<double>{1, 0});
  // Lines ending in CR alone (old Mac files), which FANN's fscanf also reads.
  const std::string cr = write(dir, "cr.data", "2 2 1\r0.5 -1\r1\r\r-2e-3\t4\r0 \r");
  REQUIRE(io::detect_format(cr).format == io::DataFormat::fann);
  const Dataset<double> c = io::load_data(cr);
  CHECK(c.inputs == d.inputs);
  CHECK(c.targets == d.targets);
  // A NUL byte in a value is shown escaped: the message goes on after it.
  test::require_io_error(
      [&] {
        io::load_data(write(dir, "nul.data",
                            std::string("1 1 1\n0.5\0"
                                        "7\n1\n",
                                        14)));
      },
      {"line 2", "\"0.5\\x007\" is not a finite number"});
  // Inputs only (0 outputs) are a data set without targets.
  const Dataset<double> x = io::load_data(write(dir, "b.data", "1 3 0\n1 2 3\n"));
  REQUIRE(x.num_targets == 0);
  REQUIRE(x.inputs == std::vector<double>{1, 2, 3});
  // CSV stays CSV: commas, a header of names, one column.
  for (const char* csv : {"1,2,3\n4,5,6\n", "a b c\n1 2 3\n", "5\n6\n", "1 2\n3 4\n"})
    REQUIRE(io::detect_format(write(dir, "c.csv", csv)).format == io::DataFormat::csv);
  test::require_io_error([&] { io::read_csv_header(path); }, {"a.data", "FANN data"});
}

TEST_CASE("Damaged FANN data are refused naming the line", "[io][fann]") {
  struct Bad {
    const char* text;
    std::vector<const char*> parts;
  };
  const std::vector<Bad> bad = {
      {"2 2 1\n1 2\n3\n4 5\n", {"line 4", "the file ends before the outputs of pair 2"}},
      {"1 2 1\n1\n3\n", {"line 2", "inputs of pair 0", "1 numbers, expected 2"}},
      {"1 2 1\n1 2 3\n3\n", {"line 2", "more than 2 numbers"}},
      {"1 2 1\n1 x\n3\n", {"line 2", "\"x\" is not a finite number"}},
      {"1 2 1\n1 2\nnan\n", {"line 3", "outputs of pair 0", "not a finite number"}},
      {"1 2 1\n1 2\n3\n4 5\n", {"line 4", "more lines than the header's 1 pairs"}},
      {"1 0 1\n\n1\n", {"line 1", "0 inputs"}},
      {"1 2 99999999\n1 2\n3\n", {"line 1", "at most 65536 outputs"}},
      {"100000000 1000 1000\n1 2\n", {"line 1", "cannot fit in the file's"}},
      {"1 2 1 4\n1 2\n3\n", {"line 1", "unexpected \"4\""}},
  };
  test::TempDir dir("fann-data");
  for (const Bad& b : bad) {
    CAPTURE(b.text);
    const std::string path = write(dir, "bad.data", b.text);
    REQUIRE(io::detect_format(path).format == (std::string(b.text).rfind("1 2 1 4", 0) == 0
                                                   ? io::DataFormat::csv
                                                   : io::DataFormat::fann));
    test::require_io_error([&] { io::read_fann_data(path); }, {"bad.data"});
    for (const char* part : b.parts)
      test::require_io_error([&] { io::read_fann_data(path); }, {part});
  }
}
