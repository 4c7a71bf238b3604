// Tests of the CSV reader (io/csv.hpp) on files as people and programs write
// them: Windows and old Mac line endings, byte-order marks, blank and ",,,"
// lines, quoting, ';' and tab separators (detected), every number form, text
// class labels, long lines, a comma-decimal locale. Expected values are written
// out by hand, never computed by the reader's own code.
#include <catch2/catch.hpp>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <locale>
#include <sstream>
#include <string>
#include <vector>

#include "dagprop/error.hpp"
#include "dagprop/io/csv.hpp"
#include "dagprop/io/data.hpp"
#include "dagprop/io/idx.hpp"
#include "io/csv_parse.hpp"
#include "io/gzip.hpp"
#include "io/require_io_error.hpp"
#include "temp_dir.hpp"

using dagprop::Dataset;
using dagprop::io::CsvHeader;
using dagprop::io::CsvOptions;
using dagprop::io::read_csv;
using dagprop::test::gzip;
using dagprop::test::parse_csv;
using dagprop::test::require_csv_error;
using dagprop::test::require_io_error;
using dagprop::test::TempDir;

namespace {

CsvOptions with_separator(char separator) {
  CsvOptions o;
  o.separator = separator;
  return o;
}

}  // namespace

TEST_CASE("CSV line endings: LF, CRLF, CR, mixed, no final line break", "[io][csv]") {
  const std::vector<double> expected = {1, 2, 3, 4, 5, 6};
  for (const char* text : {"a,b\n1,2\n3,4\n5,6\n", "a,b\r\n1,2\r\n3,4\r\n5,6\r\n",
                           "a,b\r1,2\r3,4\r5,6\r", "a,b\r\n1,2\n3,4\r5,6", "a,b\n1,2\n3,4\n5,6",
                           "a,b\r\n1,2\r\n3,4\r\n5,6", "a,b\r1,2\r3,4\r5,6"}) {
    INFO("text: " << text);
    const auto d = parse_csv(text);
    CHECK(d.num_inputs == 2);
    CHECK(d.inputs == expected);
  }
  SECTION("a CRLF split between two reads is one line break") {
    // The reader fills 64 KiB at a time: put a '\r' last in the first fill
    // (byte 65535) and its '\n' first in the second.
    std::string text = "x\n";
    std::size_t sevens = 0;
    while (text.size() + 3 <= 65535 - 10) {
      text += "7\r\n";
      ++sevens;
    }
    const std::string ones(65535 - text.size(), '1');
    text += ones + "\r\n9\r\n";
    REQUIRE(text[65535] == '\r');
    REQUIRE(text[65536] == '\n');
    const auto d = parse_csv(text);
    REQUIRE(d.num_inputs == 1);
    REQUIRE(d.size() == sevens + 2);
    CHECK(d.inputs[0] == 7);
    CHECK(d.inputs[sevens - 1] == 7);
    CHECK(d.inputs[sevens] == std::stod(ones));
    CHECK(d.inputs[sevens + 1] == 9);
  }
}

TEST_CASE("CSV byte-order marks and binary content", "[io][csv]") {
  SECTION("a UTF-8 BOM is skipped: it is not part of the first name or number") {
    const auto headerless = parse_csv(
        "\xEF\xBB\xBF"
        "1,2\n3,4\n");
    CHECK(headerless.size() == 2);  // not taken for a header that hides row 1
    CHECK(headerless.inputs == std::vector<double>{1, 2, 3, 4});
    require_csv_error(
        "\xEF\xBB\xBF"
        "a,b\r\nx,2\r\n",
        {"mem.csv: row 2, column 1 (\"a\")"});
    CsvOptions o;
    o.header = CsvHeader::absent;
    CHECK(parse_csv("\xEF\xBB\xBF"
                    "-1.5\n",
                    o)
              .inputs == std::vector<double>{-1.5});
    require_csv_error("\xEF\xBB\xBF", {"mem.csv: empty file"});
  }
  SECTION("UTF-16 text and NUL bytes are refused") {
    require_csv_error(std::string("\xFF\xFE"
                                  "a\0,\0b\0",
                                  8),
                      {"mem.csv", "UTF-16", "UTF-8"});
    require_csv_error(std::string("\xFE\xFF\0a\0,\0b", 8), {"mem.csv", "UTF-16"});
    require_csv_error(std::string("1,2\n3\0,\0"
                                  "4\n",
                                  10),
                      {"mem.csv: row 2, byte 2", "NUL byte", "not a text file"});
  }
}

TEST_CASE("CSV blank lines: before and after the rows, between them", "[io][csv]") {
  CHECK(parse_csv("\n\r\n  \na,b\n1,2\n").inputs == std::vector<double>{1, 2});
  CHECK(parse_csv("a,b\n1,2\n\n \t\n").inputs == std::vector<double>{1, 2});
  // Spreadsheets end a sheet with rows of empty cells: ",," is a blank line.
  CHECK(parse_csv("a,b,c\r\n1,2,3\r\n,,\r\n , ,\r\n").inputs == std::vector<double>{1, 2, 3});
  CHECK(parse_csv("a;b\n1;2\n;\n").inputs == std::vector<double>{1, 2});
  CHECK(parse_csv(";;\r\n,,\r\na;b\r\n1;2\r\n").inputs == std::vector<double>{1, 2});
  require_csv_error("a,b\n1,2\n\n3,4\n", {"mem.csv: row 3", "blank line before more data (row 4)"});
  require_csv_error("a,b\n1,2\n,\n3,4\n", {"mem.csv: row 3", "blank line before more data"});
  require_csv_error("a,b\n\n\n", {"mem.csv: no data rows after the header"});
}

TEST_CASE("CSV fields: spaces around them, quotes, quoted separators", "[io][csv]") {
  SECTION("spaces and tabs around fields and around quotes") {
    const auto d = parse_csv(" a ,\tb\t\n  1.5 ,\t-2\t\n \"3\" , \" 4 \" \n");
    CHECK(d.inputs == std::vector<double>{1.5, -2, 3, 4});
  }
  SECTION("quoted header names, and names with quotes and separators in messages") {
    require_csv_error("\"a, b\",\"say \"\"hi\"\"\"\n1,x\n",
                      {"row 2, column 2 (\"say \\x22hi\\x22\")", "expected a number"});
    require_csv_error("\"a, b\",c\nx,2\n", {"row 2, column 1 (\"a, b\")"});
  }
  SECTION("a quoted number may not hold a separator or span lines") {
    require_csv_error("a;b\n1;\"2,5\"\n", {"row 2, column 2", "\"2,5\"", "decimal comma"},
                      with_separator(';'));
    require_csv_error("a,b\n1,\"2\n3\"\n",
                      {"row 2, column 2", "unterminated quoted field", "may not span lines"});
  }
  SECTION("an unquoted label holding the separator makes the row ragged") {
    CsvOptions o;
    o.class_column = dagprop::io::last_column;
    o.class_names = {"a", "b, c"};
    require_csv_error("x,label\n1,a\n2,b, c\n",
                      {"row 3, column 3", "unexpected extra value", "must be double-quoted"}, o);
  }
}

TEST_CASE("CSV separators: comma, semicolon and tab detected from the first line", "[io][csv]") {
  SECTION("detected") {
    const auto semi = parse_csv("a;b;c\r\n1;2.5;-3\r\n4;5;6\r\n");
    CHECK(semi.num_inputs == 3);
    CHECK(semi.inputs == std::vector<double>{1, 2.5, -3, 4, 5, 6});
    const auto tab = parse_csv("a\tb\n1\t2\n");
    CHECK(tab.num_inputs == 2);
    CHECK(tab.inputs == std::vector<double>{1, 2});
    // Tabs that pad comma-separated fields are not separators.
    const auto padded = parse_csv("a,\tb\n1,\t2\n");
    CHECK(padded.num_inputs == 2);
    CHECK(padded.inputs == std::vector<double>{1, 2});
    // A quoted ';' or tab in the header does not count.
    const auto quoted = parse_csv("\"a;b\",\"c\td\"\n1,2\n");
    CHECK(quoted.num_inputs == 2);
    // One column: nothing to detect.
    CHECK(parse_csv("y\n1\n2\n").inputs == std::vector<double>{1, 2});
  }
  SECTION("a ';' file with decimal commas is refused, saying why") {
    require_csv_error("a;b\n1,5;2,25\n", {"mem.csv: row 2, column 1 (\"a\")",
                                          "expected a number, found \"1,5\"", "decimal comma"});
  }
  SECTION("an explicit separator is kept, and a field that looks otherwise says so") {
    require_csv_error("1;2\n3;4\n",
                      {"row 1, column 1", "\"1;2\"", "';'-separated", "CsvOptions::separator"}, [] {
                        CsvOptions o = with_separator(',');
                        o.header = CsvHeader::absent;
                        return o;
                      }());
    require_csv_error("x\ty\n1\t2\n", {"row 2, column 1", "tab-separated"}, with_separator(','));
    require_csv_error("x y\n1 2\n", {"row 2, column 1", "\"1 2\"", "spaces"});
  }
}

TEST_CASE("CSV numbers: the forms read, and the forms refused with row and column", "[io][csv]") {
  SECTION("accepted forms and their values") {
    const auto d = parse_csv("1e-3,-.5,+2,1.,1E+2,+.5,-0,007,.25e1,+1e-3\n");
    REQUIRE(d.num_inputs == 10);
    CHECK(d.inputs == std::vector<double>{0.001, -0.5, 2, 1, 100, 0.5, 0, 7, 2.5, 0.001});
    CHECK(std::signbit(d.inputs[6]));
  }
  SECTION("below the smallest double reads as 0, above the largest is refused") {
    const auto d = parse_csv("1e-400,-1e-400,0.00001e-320,4.9e-324,1e-320\n");
    REQUIRE(d.inputs.size() == 5);
    CHECK(d.inputs[0] == 0.0);
    CHECK_FALSE(std::signbit(d.inputs[0]));
    CHECK(d.inputs[1] == 0.0);
    CHECK(std::signbit(d.inputs[1]));
    CHECK(d.inputs[2] == 0.0);
    CHECK(d.inputs[3] == 4.9406564584124654e-324);  // the smallest subnormal
    CHECK(d.inputs[4] == 1e-320);
    require_csv_error("1,1e400\n", {"row 1, column 2", "out of the range of double"});
    require_csv_error("1,-1e309\n", {"row 1, column 2", "out of the range of double"});
    require_csv_error("1,100000e99999999999999999999\n", {"row 1, column 2", "out of the range"});
  }
  SECTION("refused forms name row and column") {
    struct Case {
      const char* field;
      const char* hint;
    };
    for (const Case c :
         {Case{"0x10", "hexadecimal"}, Case{"-0X1p3", "hexadecimal"}, Case{"1.2.3", ""},
          Case{"12abc", ""}, Case{"1e", ""}, Case{"e5", ""}, Case{"+-1", ""}, Case{"--1", ""},
          Case{"++1", ""}, Case{".", ""}, Case{"+", ""}, Case{"1_000", ""},
          Case{"NA", "missing values"}, Case{"null", "missing values"}, Case{"?", "missing values"},
          Case{"1 000", "spaces"}}) {
      const std::string text = "a,b,c\n1,2,3\n4,5," + std::string(c.field) + "\n";
      INFO("field: " << c.field);
      require_csv_error(
          text, {"mem.csv: row 3, column 3 (\"c\")", "expected a number, found", c.field, c.hint});
    }
  }
  SECTION("nan, inf and empty fields are refused as documented") {
    for (const char* field : {"nan", "NaN", "-nan", "inf", "-inf", "+inf", "Infinity", "INF"}) {
      INFO("field: " << field);
      require_csv_error("a,b\n1," + std::string(field) + "\n",
                        {"row 2, column 2 (\"b\")", "non-finite value", "not supported"});
    }
    require_csv_error("a,b\n1,\n", {"row 2, column 2", "empty value", "missing values"});
    require_csv_error("a,b\n ,2\n", {"row 2, column 1", "empty value"});
    require_csv_error("a,b\n1,\"\"\n", {"row 2, column 2", "empty value"});
  }
}

TEST_CASE("CSV shapes: ragged rows, a header alone, an empty file", "[io][csv]") {
  require_csv_error("a,b,c\r\n1,2,3\r\n4,5\r\n",
                    {"mem.csv: row 3, column 3 (\"c\")", "missing value", "2 columns"});
  require_csv_error("a,b\n1,2\n3,4,5\n", {"mem.csv: row 3, column 3", "unexpected extra value",
                                          "the separator, ',', was detected from row 1"});
  require_csv_error("a\tb\n1\t2\n3\n", {"row 3, column 2", "a tab, was detected"});
  // Every line ends with a separator: an empty last column.
  require_csv_error("a,b,\n1,2,\n",
                    {"mem.csv: row 2, column 3", "empty value", "end with a separator"});
  require_csv_error("a,b,c\r\n", {"mem.csv: no data rows after the header"});
  require_csv_error("a,b,c", {"mem.csv: no data rows after the header"});
  require_csv_error("", {"mem.csv: empty file"});
  require_csv_error("\r\n\r\n", {"mem.csv: empty file"});
}

TEST_CASE("CSV long lines: wide files read, lines above the limit refused", "[io][csv]") {
  const std::size_t columns = 60000;
  std::string header, row;
  for (std::size_t c = 0; c < columns; ++c) {
    header += (c ? ",c" : "c") + std::to_string(c);
    row += (c ? "," : "") + std::to_string(c % 1000) + ".25";  // about 420 KB
  }
  const auto d = parse_csv(header + "\n" + row + "\n" + row + "\n");
  REQUIRE(d.num_inputs == columns);
  REQUIRE(d.size() == 2);
  // Sum of (c % 1000) + 0.25 over 60000 columns: 60 * (0 + ... + 999) + 15000.
  double sum = 0;
  for (std::size_t c = 0; c < columns; ++c) sum += d.input(1)[c];
  CHECK(sum == 60.0 * 499500 + 15000);
  CsvOptions small;
  small.max_line_bytes = 1000;
  require_csv_error("a\n1\n" + row + "\n",
                    {"mem.csv: row 3", "longer than 1000 bytes", "CsvOptions::max_line_bytes"},
                    small);
  require_csv_error(std::string(2000, '1'), {"mem.csv: row 1", "longer than 1000"}, small);
}

TEST_CASE("CSV class column: integers or text labels named by the caller", "[io][csv]") {
  CsvOptions o;
  o.class_column = dagprop::io::last_column;
  o.class_names = {"setosa", "versicolor", "Iris, virginica"};
  SECTION("text labels become one-hot columns in the order of class_names") {
    const auto d = parse_csv(
        "sepal,petal,species\r\n5.1,1.4,setosa\r\n7.0,4.7,\"Iris, virginica\"\r\n"
        "6.4,4.5, versicolor \r\n",
        o);
    REQUIRE(d.num_inputs == 2);
    REQUIRE(d.num_targets == 3);
    CHECK(d.inputs == std::vector<double>{5.1, 1.4, 7.0, 4.7, 6.4, 4.5});
    CHECK(d.targets == std::vector<double>{1, 0, 0, 0, 0, 1, 0, 1, 0});
  }
  SECTION("without a header, a first row with a known label is data") {
    const auto d = parse_csv("5.1,1.4,setosa\n6.4,4.5,versicolor\n", o);
    REQUIRE(d.size() == 2);
    CHECK(d.targets == std::vector<double>{1, 0, 0, 0, 1, 0});
  }
  SECTION("an unknown label, and text labels without class_names, are refused") {
    require_csv_error(
        "x,species\n1,setosa\n2,Setosa\n",
        {"row 3, column 2 (\"species\")", "class \"Setosa\"", "not one of the 3 class names"}, o);
    CsvOptions numeric;
    numeric.class_column = 1;
    numeric.num_classes = 3;
    require_csv_error("x,species\n1,setosa\n",
                      {"row 2, column 2", "class \"setosa\"", "CsvOptions::class_names"}, numeric);
    require_csv_error("x,species\n1,\n", {"row 2, column 2", "empty value"}, numeric);
  }
  SECTION("1-based integer labels can be named as text") {
    CsvOptions one_based;
    one_based.class_column = 0;
    one_based.class_names = {"1", "2", "3"};
    const auto d = parse_csv("3,0.5\n1,0.25\n", one_based);
    CHECK(d.targets == std::vector<double>{0, 0, 1, 1, 0, 0});
    CHECK(d.inputs == std::vector<double>{0.5, 0.25});
  }
  SECTION("inconsistent class options are invalid_argument") {
    CsvOptions bad = o;
    bad.num_classes = 2;
    REQUIRE_THROWS_AS(parse_csv("1,setosa\n", bad), dagprop::invalid_argument);
    bad = o;
    bad.class_names.push_back("setosa");
    REQUIRE_THROWS_WITH(parse_csv("1,setosa\n", bad), Catch::Contains("given twice"));
    bad = o;
    bad.class_names.push_back("");
    REQUIRE_THROWS_AS(parse_csv("1,setosa\n", bad), dagprop::invalid_argument);
    bad = CsvOptions{};
    bad.class_names = {"a"};
    REQUIRE_THROWS_AS(parse_csv("1,a\n", bad), dagprop::invalid_argument);
  }
}

namespace {

// Sets LC_ALL and the global C++ locale for its lifetime, then restores both.
class LocaleGuard {
 public:
  explicit LocaleGuard(const char* name) : old_c_(std::setlocale(LC_ALL, nullptr)) {
    active_ = std::setlocale(LC_ALL, name) != nullptr;
    if (!active_) return;
    try {
      std::locale::global(std::locale(name));
    } catch (const std::runtime_error&) {
      // The C locale alone is what strtod and printf use; keep going.
    }
  }
  ~LocaleGuard() {
    std::setlocale(LC_ALL, old_c_.c_str());
    std::locale::global(old_cpp_);
  }
  LocaleGuard(const LocaleGuard&) = delete;
  LocaleGuard& operator=(const LocaleGuard&) = delete;
  bool active() const { return active_; }

 private:
  std::string old_c_;
  std::locale old_cpp_;
  bool active_ = false;
};

}  // namespace

TEST_CASE("CSV numbers do not depend on LC_NUMERIC", "[io][csv]") {
  const char* candidates[] = {"de_DE.UTF-8", "de_DE.utf8",  "de_DE",
                              "fr_FR.UTF-8", "fr_FR.utf8",  "nl_NL.UTF-8",
                              "ru_RU.UTF-8", "es_ES.UTF-8", "it_IT.UTF-8"};
  for (const char* name : candidates) {
    LocaleGuard guard(name);
    if (!guard.active() || std::string(std::localeconv()->decimal_point) != ",") continue;
    // The locale is in force: the C library now reads "1.5" as 1.
    REQUIRE(std::strtod("1.5", nullptr) == 1.0);
    const auto d = parse_csv("a;b;c\n1.5;-2.25e-1;3\n");
    CHECK(d.inputs == std::vector<double>{1.5, -0.225, 3});
    const auto comma = parse_csv("x,y\n0.1,1e3\n");
    CHECK(comma.inputs == std::vector<double>{0.1, 1000});
    require_csv_error("a;b\n1,5;2\n", {"row 2, column 1", "decimal comma"});
    return;
  }
  WARN("skipped: no comma-decimal locale is installed (e.g. de_DE.UTF-8; `locale -a`)");
}

TEST_CASE("CSV files from disk: a Windows export, gzip, a directory", "[io][csv]") {
  TempDir dir;
  const std::string text =
      "\xEF\xBB\xBF\"Sepal length\";\"Petal length\";\"Species\"\r\n"
      "5.1;1.4;\"setosa\"\r\n6.4;4.5;\"versicolor\"\r\n;;\r\n";
  dagprop::io::DataOptions o;
  o.csv.class_column = dagprop::io::last_column;
  o.csv.class_names = {"setosa", "versicolor"};
  for (const bool compressed : {false, true}) {
    const std::string path =
        dir.write(compressed ? "iris.csv.gz" : "iris.csv", compressed ? gzip(text) : text);
    const auto d = dagprop::io::load_data(path, o);
    CHECK(d.inputs == std::vector<double>{5.1, 1.4, 6.4, 4.5});
    CHECK(d.targets == std::vector<double>{1, 0, 0, 1});
  }
  const std::string bad = dir.write("bad.csv", "\xEF\xBB\xBFx;y\r\n1;2\r\n3;4,5\r\n");
  require_io_error([&] { read_csv(bad); },
                   {"bad.csv: row 3, column 2 (\"y\")", "\"4,5\"", "decimal comma"});
  const std::string folder = dir.path().string();
  require_io_error([&] { read_csv(folder); }, {folder.c_str(), "is a folder"});
  require_io_error([&] { dagprop::io::load_data(folder); }, {folder.c_str(), "is a folder"});
  require_io_error([&] { dagprop::io::detect_format(folder); }, {"is a folder"});
  require_io_error([&] { dagprop::io::read_idx(folder); }, {folder.c_str(), "is a folder"});
}

TEST_CASE("Gzip CSV: members read in turn, their lengths and what follows checked", "[io][csv]") {
  TempDir dir;
  // A first member of exactly 65,535 bytes leaves one byte of the second in
  // the 64 KiB the check reads first: the magic 0x1f 0x8b is split.
  std::string first;
  for (std::size_t width = 65000; width < 66000; ++width) {
    first = gzip("x,y\n" + std::string(width, '0') + "1,2\n", 0);
    if (first.size() == 65535) break;
  }
  REQUIRE(first.size() == 65535);
  const std::string second = gzip("3,4\n");
  const auto d = dagprop::io::load_data(dir.write("two.csv.gz", first + second));
  CHECK(d.inputs == std::vector<double>{1, 2, 3, 4});
  std::string length = second;
  length.back() = static_cast<char>(length.back() ^ 0x01);  // ISIZE of member 2
  require_io_error([&] { dagprop::io::load_data(dir.write("isize.csv.gz", first + length)); },
                   {"isize.csv.gz: corrupt gzip data: length mismatch", "member 2"});
  require_io_error([&] { dagprop::io::load_data(dir.write("tail.csv.gz", second + "\x1f")); },
                   {"tail.csv.gz: corrupt gzip data: bytes follow the end of gzip member 1"});
}

TEST_CASE("read_csv_header gives the names as read_csv splits them", "[io][csv]") {
  using dagprop::io::read_csv_header;
  auto header = [](const std::string& text) {
    std::istringstream in(text);
    return read_csv_header(in, "mem.csv");
  };
  using names = std::vector<std::string>;
  CHECK(header("a,b,t\n1,2,3\n") == names{"a", "b", "t"});
  CHECK(header("\xEF\xBB\xBF a ; \"b;c\" ;\"say \"\"t\"\"\"\r\n1;2;3\r\n") ==
        names{"a", "b;c", "say \"t\""});
  CHECK(header("\n\n,,\nx\ty\n1\t2\n") == names{"x", "y"});
  require_io_error([&] { header(""); }, {"mem.csv", "no header line"});
  require_io_error([&] { header("a,\"b\n"); }, {"mem.csv: row 1", "unterminated quoted field"});

  TempDir dir("csv-header");
  const std::string plain = dir.file("h.csv"), packed = dir.file("h.csv.gz");
  std::ofstream(plain, std::ios::binary) << "p,q\n1,2\n";
  std::ofstream(packed, std::ios::binary) << gzip("r;s\n1;2\n");
  CHECK(read_csv_header(plain) == names{"p", "q"});
  CHECK(read_csv_header(packed) == names{"r", "s"});
  require_io_error([&] { read_csv_header(dir.file("missing.csv")); }, {"missing.csv"});
}
