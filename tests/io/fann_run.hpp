// Test helper: FANN itself, through tests/fann/fann_tool (path from CMake:
// DAGPROP_FANN_TOOL, defined only when FANN was found). Creates networks and
// data with FANN and evaluates networks with fann_run. No assertions here.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace dagprop::test {

inline bool have_fann() {
#ifdef DAGPROP_FANN_TOOL
  return true;
#else
  return false;
#endif
}

// What a [fann] test does without FANN: says so, and passes.
inline void fann_missing() {
  WARN("skipped: FANN (libfloatfann, Debian libfann-dev) was not found");
}

inline bool have_double_fann() {
#ifdef DAGPROP_FANN_TOOL_DOUBLE
  return true;
#else
  return false;
#endif
}

// The standard output of `fann_tool <args>` (on libdoublefann when `in_double`
// and have_double_fann()); empty when it fails.
inline std::string fann_tool(const std::string& args, bool in_double = false) {
#ifdef DAGPROP_FANN_TOOL
  std::string tool = DAGPROP_FANN_TOOL;
#ifdef DAGPROP_FANN_TOOL_DOUBLE
  if (in_double) tool = DAGPROP_FANN_TOOL_DOUBLE;
#endif
  const std::string cmd = "'" + tool + "' " + args;
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  return pclose(p) == 0 ? out : std::string();
#else
  (void)args;
  (void)in_double;
  return {};
#endif
}

// The numbers of each line of `text`.
inline std::vector<std::vector<double>> number_rows(const std::string& text) {
  std::vector<std::vector<double>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<double> row;
    for (double v; fields >> v;) row.push_back(v);
    rows.push_back(row);
  }
  return rows;
}

// fann_run (with fann_scale_input / fann_descale_output when the network has
// scaling) of every row of `inputs`, through the file `scratch`; in float, or
// in double (libdoublefann) when `in_double`.
inline std::vector<std::vector<double>> fann_run(const std::string& net,
                                                 const std::vector<std::vector<double>>& inputs,
                                                 const std::string& scratch,
                                                 bool in_double = false) {
  {
    std::ofstream f(scratch);
    f.precision(17);
    for (const auto& row : inputs) {
      for (double v : row) f << v << ' ';
      f << '\n';
    }
  }
  return number_rows(fann_tool("run '" + net + "' '" + scratch + "'", in_double));
}

// The largest |a - b| / max(1, |b|) over all values (b: FANN's); infinity
// when the two do not have the same shape.
inline double deviation(const std::vector<std::vector<double>>& a,
                        const std::vector<std::vector<double>>& b) {
  if (a.size() != b.size()) return HUGE_VAL;
  double d = 0;
  for (std::size_t r = 0; r < a.size(); ++r) {
    if (a[r].size() != b[r].size()) return HUGE_VAL;
    for (std::size_t k = 0; k < a[r].size(); ++k)
      d = std::max(d, std::fabs(a[r][k] - b[r][k]) / std::max(1.0, std::fabs(b[r][k])));
  }
  return d;
}

}  // namespace dagprop::test
