// Tests of the train command's progress bar (tools/progress.cpp, compiled into
// the test executable): what one redraw shows, the ETA of the whole run from
// the time measured here, nothing when disabled, and the erasing sequence.
#include <chrono>
#include <cmath>
#include <regex>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "progress.hpp"

using dagprop::cli::ProgressBar;

TEST_CASE("progress bar: bar, percent, loss and the run's ETA", "[tools][progress]") {
  std::ostringstream out;
  ProgressBar bar(out, true);
  const auto t0 = std::chrono::steady_clock::now();
  bar.update(1, 4, 0, 2, 10, 0.5);  // epoch 1 of 4, batch 1 of 2
  const auto sleep = std::chrono::milliseconds(1100);
  std::this_thread::sleep_for(sleep);
  out.str("");
  bar.update(1, 4, 1, 2, 10, 1.5);  // the last batch of an epoch is always drawn
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string text = out.str();
  INFO(text);
  CHECK(text.rfind("\repoch 1/4 [" + std::string(30, '#') + "] 100%", 0) == 0);
  CHECK_THAT(text, Catch::Contains("  loss 1  ETA "));  // (10 * 0.5 + 10 * 1.5) / 20
  CHECK_THAT(text, Catch::EndsWith("\033[K"));
  // 2 of 8 mini-batches done in `elapsed` seconds: 6 left take 3 times as long.
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex("ETA ([0-9]+)m([0-9]{2})s")));
  const double eta = std::stod(m[1]) * 60 + std::stod(m[2]);
  CHECK(eta >= std::floor(3 * std::chrono::duration<double>(sleep).count()));
  CHECK(eta <= 3 * elapsed);
  out.str("");
  bar.clear();
  CHECK(out.str() == "\r\033[K");
  out.str("");
  bar.clear();  // nothing shown: nothing to erase
  CHECK(out.str().empty());
}

TEST_CASE("progress bar: prints nothing when disabled", "[tools][progress]") {
  std::ostringstream out;
  ProgressBar bar(out, false);
  bar.update(1, 1, 0, 1, 4, 0.25);
  bar.clear();
  CHECK(out.str().empty());
}
