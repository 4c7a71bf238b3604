// Test helper of the command-line tests: expect_error runs `dagprop ARGS`
// and requires the refusal every user error gets: exit status 1, one line
// "dagprop: error: ..." holding the message, and no file of the folder
// created, changed or removed.
#pragma once

#include <algorithm>
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "tools/cli_run.hpp"

namespace cli_test {

// Every file of `dir` (not stderr.txt, which run() rewrites) with its bytes.
inline std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename() != "stderr.txt")
      files[fs::relative(e.path(), dir).string()] = slurp(e.path());
  return files;
}

// Runs `args` in `dir` and checks: status 1, one line "dagprop: error: "
// containing `message`, and no file of `dir` created, changed or removed.
inline void expect_error(const fs::path& dir, const std::string& args, const std::string& message) {
  const auto before = snapshot(dir);
  const Result r = run(dir, args);
  INFO("dagprop " << args << "\nstderr: " << r.err);
  CHECK(r.status == 1);
  CHECK(r.err.rfind("dagprop: error: ", 0) == 0);
  CHECK(r.err.find(message) != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(snapshot(dir) == before);
}

}  // namespace cli_test
