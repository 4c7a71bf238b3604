// Test helper: FANN itself, through tests/fann/fann_tool (path from CMake:
// DAGPROP_FANN_TOOL, defined only when FANN was found). Creates networks and
// data with FANN and evaluates networks with fann_run. No assertions here.
#pragma once

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

// The standard output of `fann_tool <args>`; empty when it fails.
inline std::string fann_tool(const std::string& args) {
#ifdef DAGPROP_FANN_TOOL
  const std::string cmd = std::string("'") + DAGPROP_FANN_TOOL + "' " + args;
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  return pclose(p) == 0 ? out : std::string();
#else
  (void)args;
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
// scaling) of every row of `inputs`, through the file `scratch`.
inline std::vector<std::vector<double>> fann_run(const std::string& net,
                                                 const std::vector<std::vector<double>>& inputs,
                                                 const std::string& scratch) {
  {
    std::ofstream f(scratch);
    f.precision(9);
    for (const auto& row : inputs) {
      for (double v : row) f << v << ' ';
      f << '\n';
    }
  }
  return number_rows(fann_tool("run '" + net + "' '" + scratch + "'"));
}

}  // namespace dagprop::test
