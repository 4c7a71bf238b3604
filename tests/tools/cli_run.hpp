// Helpers of the command-line tests: run the dagprop executable (path from
// CMake: DAGPROP_CLI_PATH) with popen, capture stdout, stderr and the exit
// status, and make files in a fresh folder per test. No assertions here.
#pragma once

#include <sys/wait.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <vector>
#include "temp_dir.hpp"

namespace cli_test {

namespace fs = std::filesystem;

struct Result {
  int status = -1;  // exit status; -1 when killed by a signal
  std::string out, err;
};

inline std::string slurp(const fs::path& p) {
  return dagprop::test::read_bytes(p);
}

// A fresh, empty folder under the build directory for one test.
inline fs::path scratch(const std::string& name) {
  static const dagprop::test::TempDir root("cli");  // one per test process
  return root.subdir(name);
}

// Runs `dagprop <args>` in `dir`.
inline Result run(const fs::path& dir, const std::string& args) {
  const fs::path err = dir / "stderr.txt";
  const std::string cmd = "cd '" + dir.string() + "' && '" + DAGPROP_CLI_PATH + "' " + args +
                          " 2>'" + err.string() + "'";
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.err = slurp(err);
  return r;
}

inline void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// An IDX file of unsigned bytes with the given dims (big-endian header).
inline void write_idx_u8(const fs::path& p, const std::vector<std::uint32_t>& dims,
                         const std::vector<std::uint8_t>& values) {
  std::string s{'\0', '\0', '\x08', static_cast<char>(dims.size())};
  for (std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      s.push_back(static_cast<char>((d >> shift) & 0xff));
  s.append(values.begin(), values.end());
  write(p, s);
}

// The numbers of each line of a CSV text.
inline std::vector<std::vector<double>> parse_csv(const std::string& text) {
  std::vector<std::vector<double>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::istringstream fields(line);
    std::string f;
    while (std::getline(fields, f, ',')) row.push_back(std::strtod(f.c_str(), nullptr));
    rows.push_back(row);
  }
  return rows;
}

// The number after "<key> " at the start of a line of `text`; NaN when absent.
inline double value_after(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + " ", 0) == 0) return std::strtod(line.c_str() + key.size() + 1, nullptr);
  return std::nan("");
}

}  // namespace cli_test
