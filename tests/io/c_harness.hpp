// Test helper: compiles C exported by io/c_export.hpp with a system compiler
// (std::system) together with a generated main() that runs each network on
// rows of inputs read from a binary file and writes the outputs to another.
// It computes no expected values and makes no assertions.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "temp_dir.hpp"

namespace dagprop::test {

// The compilers the exported code must satisfy, with warnings as errors.
struct CCompiler {
  const char* name;
  const char* command;
};
inline const CCompiler c_compilers[] = {
    {"gcc",
     "gcc -std=c99 -Wall -Wextra -pedantic -Werror -Wshadow -Wconversion "
     "-Wdouble-promotion -O2"},
    {"clang", "clang -std=c99 -Wall -Wextra -pedantic -Werror -Wshadow -Wconversion -O2"},
    {"g++", "g++ -x c++ -std=c++17 -Wall -Wextra -pedantic -Werror -Wshadow -O2"},
};

// An exported network of the harness: NAME.c and NAME.h in the folder.
struct CNet {
  std::string name;
  std::size_t rows = 0;  // input rows it gets, in turn after the previous network's
};

// main() of the harness: argv[1] holds, network after network, rows x NAME_INPUTS
// values of type T; each row goes through NAME_run (even rows) or NAME_run_ws
// (odd rows), and the outputs are written to argv[2] in the same order.
template <class T>
std::string c_harness_source(const std::vector<CNet>& nets) {
  const char* t = std::is_same_v<T, float> ? "float" : "double";
  std::ostringstream c;
  c << "#include <stdio.h>\n";
  for (const CNet& n : nets) c << "#include \"" << n.name << ".h\"\n";
  for (const CNet& n : nets) {
    const std::string& m = n.name;
    c << "\nstatic int run_" << m << "(FILE *in, FILE *out)\n{\n  " << t << " x[" << m
      << "_INPUTS], y[" << m << "_OUTPUTS], work[" << m << "_UNITS];\n"
      << "  for (long r = 0; r < " << n.rows << "L; ++r) {\n"
      << "    if (fread(x, sizeof x[0], " << m << "_INPUTS, in) != " << m << "_INPUTS) return 1;\n"
      << "    if (r % 2) " << m << "_run_ws(x, y, work); else " << m << "_run(x, y);\n"
      << "    if (fwrite(y, sizeof y[0], " << m << "_OUTPUTS, out) != " << m
      << "_OUTPUTS) return 1;\n  }\n  return 0;\n}\n";
  }
  c << "\nint main(int argc, char **argv)\n{\n  FILE *in, *out;\n  int bad = 0;\n"
    << "  if (argc != 3) return 2;\n  in = fopen(argv[1], \"rb\");\n"
    << "  out = fopen(argv[2], \"wb\");\n  if (!in || !out) return 2;\n";
  for (const CNet& n : nets) c << "  bad = bad || run_" << n.name << "(in, out);\n";
  c << "  if (fclose(out) != 0) bad = 1;\n  fclose(in);\n  return bad;\n}\n";
  return c.str();
}

// Compiles harness.c and every NAME.c of `nets` in `dir` into dir/harness with
// `compiler`; returns "" on success, else the command and what the compiler said.
inline std::string compile_c(const std::filesystem::path& dir, const CCompiler& compiler,
                             const std::vector<CNet>& nets) {
  std::string cmd = "cd '" + dir.string() + "' && " + compiler.command + " -o harness harness.c";
  for (const CNet& n : nets) cmd += " " + n.name + ".c";
  cmd += " -lm > compiler.txt 2>&1";
  if (std::system(cmd.c_str()) == 0) return "";
  return cmd + "\n" + read_bytes(dir / "compiler.txt");
}

// Runs dir/harness on `inputs`; returns the `outputs` values it wrote, or an
// empty vector when it failed or wrote another number of values.
template <class T>
std::vector<T> run_c(const std::filesystem::path& dir, const std::vector<T>& inputs,
                     std::size_t outputs) {
  std::ofstream(dir / "in.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(inputs.data()),
             static_cast<std::streamsize>(inputs.size() * sizeof(T)));
  const std::string cmd = "cd '" + dir.string() + "' && ./harness in.bin out.bin";
  if (std::system(cmd.c_str()) != 0) return {};
  const std::string bytes = read_bytes(dir / "out.bin");
  if (bytes.size() != outputs * sizeof(T)) return {};
  std::vector<T> out(outputs);
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

}  // namespace dagprop::test
