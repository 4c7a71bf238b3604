// Test helpers of the CSV tests: read a CSV text from memory, or require that
// reading it throws dagprop::io_error naming every one of the given parts.
#pragma once

#include <catch2/catch.hpp>
#include <initializer_list>
#include <sstream>
#include <string>

#include "dagprop/io/csv.hpp"
#include "io/require_io_error.hpp"

namespace dagprop::test {

inline Dataset<double> parse_csv(const std::string& text, const io::CsvOptions& options = {}) {
  std::istringstream in(text);
  return io::read_csv(in, "mem.csv", options);
}

inline void require_csv_error(const std::string& text, std::initializer_list<const char*> parts,
                              const io::CsvOptions& options = {}) {
  INFO("CSV text: " << text);
  require_io_error([&] { parse_csv(text, options); }, parts);
}

}  // namespace dagprop::test
