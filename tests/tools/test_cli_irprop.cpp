// `dagprop train --optimizer irprop-`: full batch (--batch above the data
// size, FANN's way) takes the steps of tests/engine/reference/irprop_reference.py,
// a checkpointed run resumes bit-identically, and its flags are checked:
// exit status 1 and one "dagprop: error:" line naming the flag.
#ifdef DAGPROP_CLI_PATH

#include <cmath>
#include <sstream>

#include <catch2/catch.hpp>

#include "dagprop/io/checkpoint.hpp"
#include "dagprop/io/dot.hpp"
#include "dagprop/io/model.hpp"
#include "engine/irprop_case.hpp"
#include "tools/cli_run.hpp"
#include "tools/expect_error.hpp"

using namespace cli_test;

namespace {

// The reference case as files in `d`: skip.dpn (through DOT) and d.csv.
void write_case(const fs::path& d) {
  std::ostringstream dot;
  dagprop::io::write_dot(dot, dagprop::test::irprop_topology());
  write(d / "skip.dot", dot.str());
  std::ostringstream csv;
  csv.precision(17);
  for (const auto& r : dagprop::test::irprop_rows)
    csv << r[0] << "," << r[1] << "," << r[2] << "\n";
  write(d / "d.csv", csv.str());
  REQUIRE(run(d, "import skip.dot -o skip.dpn").status == 0);
}

const std::string script_flags =
    "--optimizer irprop- --rprop-delta-min 0.02 --rprop-delta-max 0.15 --precision double ";

dagprop::Network<double> load(const fs::path& p) {
  return dagprop::io::load_network<double>(p.string());
}

}  // namespace

TEST_CASE("cli: irprop- on the full batch takes the reference script's steps", "[tools][irprop]") {
  const fs::path d = scratch("irprop-full");
  write_case(d);
  const Result r =
      run(d, "train skip.dpn --data d.csv --batch 1000 --epochs 12 " + script_flags + "-o out.dpn");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("epoch 12/12") != std::string::npos);
  const dagprop::Network<double> net = load(d / "out.dpn");
  const std::vector<std::size_t> order = dagprop::test::irprop_order(net);
  const std::vector<double>& want = dagprop::test::irprop_reference.at(6)[0];
  for (std::size_t k = 0; k < want.size(); ++k) {
    INFO("parameter " << k);
    CHECK(std::abs(net.params()[order[k]] - want[k]) <= 1e-12);
  }
}

TEST_CASE("cli: irprop- resumes from a checkpoint bit-identically", "[tools][irprop]") {
  const fs::path d = scratch("irprop-resume");
  write_case(d);
  const std::string common = "--data d.csv --batch 2 --seed 5 " + script_flags;
  REQUIRE(run(d, "train skip.dpn " + common + "--epochs 4 -o straight.dpn").status == 0);
  REQUIRE(
      run(d, "train skip.dpn " + common + "--epochs 2 --checkpoint ck.dpc -o half.dpn").status ==
      0);
  const Result r = run(d, "train --resume ck.dpc " + common + "--epochs 4 -o resumed.dpn");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("epoch 3/4") != std::string::npos);
  CHECK(load(d / "resumed.dpn").params() == load(d / "straight.dpn").params());
  CHECK(load(d / "half.dpn").params() != load(d / "straight.dpn").params());

  expect_error(d, "train --resume ck.dpc " + common + "--rprop-increase 1.3 --epochs 4 -o x.dpn",
               "--rprop-increase 1.3 differs from the checkpoint's 1.2");
  // Without --optimizer the checkpoint's irprop- takes its own constants again.
  const Result same =
      run(d, "train --resume ck.dpc --data d.csv --rprop-increase 1.2 --epochs 4 -o same.dpn");
  INFO(same.err);
  REQUIRE(same.status == 0);
  CHECK(load(d / "same.dpn").params() == load(d / "straight.dpn").params());
  // An --rprop-* flag on another optimizer's checkpoint is refused, not ignored.
  REQUIRE(run(d, "train skip.dpn --data d.csv --epochs 1 --checkpoint sgd.dpc -o s.dpn").status ==
          0);
  expect_error(d, "train --resume sgd.dpc --data d.csv --rprop-delta0 0.1 --epochs 2 -o x.dpn",
               "--rprop-delta0: only the irprop- optimizer uses it, but the checkpoint's is sgd");
  expect_error(d, "train --resume ck.dpc --data d.csv --lr 0.1 --epochs 4 -o x.dpn",
               "--lr: the checkpoint's optimizer irprop- has no learning rate");
  // A checkpoint whose step sizes leave [Δmin, Δmax] is refused, naming the file.
  auto ck = dagprop::io::load_checkpoint<double>((d / "ck.dpc").string());
  ck.optimizer.buffers.at(0).at(1) = 0.5;
  dagprop::io::save_checkpoint((d / "bad.dpc").string(), ck);
  expect_error(d, "train --resume bad.dpc --data d.csv --epochs 4 -o x.dpn",
               "bad.dpc: field 'optimizer': optimizer state of 'irprop-': step size 0.5 of "
               "parameter 1 is outside [Δmin, Δmax] = [0.02, 0.15]");
  CHECK(!fs::exists(d / "x.dpn"));
}

TEST_CASE("cli: irprop- flags are checked before any work", "[tools][irprop]") {
  const fs::path d = scratch("irprop-flags");
  write_case(d);
  const std::string t = "train skip.dpn --data d.csv -o x.dpn ";
  expect_error(d, t + "--rprop-increase 1.5",
               "--rprop-increase: only the irprop- optimizer uses it, but --optimizer is 'sgd'");
  expect_error(d, t + "--optimizer adam --rprop-delta0 0.2", "--rprop-delta0: only the irprop-");
  const std::pair<const char*, const char*> refused[] = {
      {"--lr 0.1", "--lr: irprop- has no learning rate"},
      {"--weight-decay 0.1", "--weight-decay: irprop- has no weight decay"},
      {"--schedule exp:0.9", "--schedule exp:0.9: irprop- has no learning rate"},
      {"--momentum 0.5", "--momentum: only the momentum"},
      {"--rprop-increase 1", "--rprop-increase: expected a factor > 1, got 1"},
      {"--rprop-decrease 1", "--rprop-decrease: expected a factor in (0, 1), got 1"},
      {"--rprop-decrease 0", "--rprop-decrease: expected a factor in (0, 1), got 0"},
      {"--rprop-delta-min -1", "--rprop-delta-min: expected >= 0, got -1"},
      {"--rprop-delta-max 0.05",
       "--rprop-delta0: expected > 0 and within [--rprop-delta-min, --rprop-delta-max] = [0, "
       "0.05], got 0.1"},
      {"--rprop-delta-min 0.2 --rprop-delta-max 0.1",
       "--rprop-delta-max 0.1: expected at least --rprop-delta-min 0.2"},
      {"--rprop-delta0 0", "--rprop-delta0: expected > 0"},
      {"--rprop-delta-max 1e300 --rprop-delta0 1",
       "--rprop-delta-max 1e+300: expected a number that float holds"},
      {"--rprop-delta-max inf", "rprop-delta-max"},
  };
  for (const auto& [flags, message] : refused)
    expect_error(d, t + "--optimizer irprop- " + flags, message);
  CHECK(!fs::exists(d / "x.dpn"));
  // Double holds it; and --lr left at its default is no error.
  CHECK(run(d, t + "--optimizer irprop- --rprop-delta-max 1e300 --precision double --epochs 1")
            .status == 0);
  const Result help = run(d, "train --help");
  CHECK(help.out.find("--rprop-delta-max") != std::string::npos);
  CHECK(help.out.find("irprop-") != std::string::npos);
}

#endif  // DAGPROP_CLI_PATH
