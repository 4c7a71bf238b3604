// Safe saving (io/atomic_file.hpp): a failing write leaves the target and no
// temporary file; a child process killed (SIGKILL) at random moments while it
// saves a model over and over always leaves a file that loads, old or new.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/atomic_file.hpp"
#include "dagprop/io/model.hpp"
#include "temp_dir.hpp"

using namespace dagprop;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
  static const test::TempDir root("io-atomic");  // one per test process
  return root.subdir(name);
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::size_t count_files(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

}  // namespace

TEST_CASE("write_file_atomically replaces the file or leaves it untouched", "[io][atomic]") {
  const auto dir = fresh_dir("test-io-atomic");
  const std::string path = (dir / "f.bin").string();
  io::write_file_atomically(path, std::string("old"));
  CHECK(read_all(path) == "old");
  io::write_file_atomically(path, [](std::ostream& out) { out << "new content"; });
  CHECK(read_all(path) == "new content");
  REQUIRE_THROWS_AS(io::write_file_atomically(path,
                                              [](std::ostream& out) {
                                                out << "partial";
                                                throw io_error("writer failed");
                                              }),
                    io_error);
  CHECK(read_all(path) == "new content");
  CHECK(count_files(dir) == 1);  // no temporary file left behind
  REQUIRE_THROWS_WITH(io::write_file_atomically((dir / "no" / "such" / "f").string(), "x"),
                      Catch::Contains("no/such/f"));
  // a target that is a folder or a pipe is refused before anything is written
  fs::create_directories(dir / "folder" / "inside");
  REQUIRE_THROWS_WITH(io::write_file_atomically((dir / "folder").string(), "x"),
                      Catch::Contains("folder: cannot save: it exists and is not a regular file "
                                      "(a folder)"));
  CHECK(fs::is_directory(dir / "folder" / "inside"));
  const std::string fifo = (dir / "pipe").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  REQUIRE_THROWS_WITH(io::write_file_atomically(fifo, "x"),
                      Catch::Contains("pipe: cannot save: it exists and is not a regular file "
                                      "(a device, pipe or socket)"));
  CHECK(fs::is_fifo(fifo));
  CHECK(count_files(dir) == 3);  // f.bin, folder, pipe: no temporary file
}

TEST_CASE("a save killed at any moment leaves the old or the new model", "[io][atomic]") {
  const auto dir = fresh_dir("test-io-kill");
  const std::string path = (dir / "model.dpn").string();
  // ~100k parameters: a save takes a few milliseconds
  Topology ta = make_mlp({100, 400, 150, 10}, Activation::tanh, Activation::identity);
  initialize(ta, InitScheme::glorot_uniform, 1);
  Topology tb = ta;
  initialize(tb, InitScheme::glorot_uniform, 2);
  const Network<float> a = compile<float>(ta), b = compile<float>(tb);
  io::save_network(path, a);
  const std::size_t bytes = a.params().size() * sizeof(float);
  // Kill times scale with the time of one save here (the machine may be busy).
  const auto t0 = std::chrono::steady_clock::now();
  io::save_network((dir / "timing.dpn").string(), b);
  const auto save_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count());
  SplitMix64 rng(42);
  std::size_t completed = 0;  // saves the children finished (they report each on a pipe)
  for (int round = 0; round < 12; ++round) {
    int done[2];
    REQUIRE(::pipe(done) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // saves b and a alternately until killed
      ::close(done[0]);
      for (int k = 0;; ++k) {
        try {
          io::save_network(path, k % 2 ? a : b,
                           k % 3 ? io::ArchiveKind::binary : io::ArchiveKind::text);
        } catch (...) {
          ::_exit(3);
        }
        if (::write(done[1], "s", 1) != 1) ::_exit(4);
      }
    }
    ::close(done[1]);
    if (round % 4 == 3) {  // wait until one save is complete, then kill during the next
      char c;
      REQUIRE(::read(done[0], &c, 1) == 1);
      ++completed;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng.below(3 * save_us + 1)));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    char buf[64];
    for (ssize_t n; (n = ::read(done[0], buf, sizeof buf)) > 0;)
      completed += static_cast<std::size_t>(n);
    ::close(done[0]);
    const Network<float> back = io::load_network<float>(path);
    REQUIRE(back.params().size() == a.params().size());
    const bool is_a = std::memcmp(back.params().data(), a.params().data(), bytes) == 0;
    const bool is_b = std::memcmp(back.params().data(), b.params().data(), bytes) == 0;
    REQUIRE((is_a || is_b));
  }
  CHECK(completed > 0);  // the children did replace the file, and were killed mid-save too
  fs::remove_all(dir);   // killed children leave temporary files; never the target torn
}

TEST_CASE("a save through a symlink writes the link's target", "[io][atomic]") {
  // issue 11: the link was replaced by a regular file
  const fs::path dir = fresh_dir("symlink");
  fs::create_directories(dir / "real");
  io::write_file_atomically((dir / "real" / "model.dpn").string(), "old");
  fs::create_symlink("real/model.dpn", dir / "link.dpn");
  fs::create_symlink("link.dpn", dir / "chain.dpn");  // a link to a link
  io::write_file_atomically((dir / "chain.dpn").string(), "new");
  CHECK(fs::is_symlink(dir / "link.dpn"));
  CHECK(fs::is_symlink(dir / "chain.dpn"));
  CHECK(read_all(dir / "real" / "model.dpn") == "new");
  CHECK(count_files(dir / "real") == 1);  // the temporary was made and renamed there
  CHECK(count_files(dir) == 3);
  // a dangling link creates its target
  fs::create_symlink("real/fresh.dpn", dir / "dangling.dpn");
  io::write_file_atomically((dir / "dangling.dpn").string(), "made");
  CHECK(fs::is_symlink(dir / "dangling.dpn"));
  CHECK(read_all(dir / "real" / "fresh.dpn") == "made");
}

TEST_CASE("stale temporaries of a killed save are removed by the next save", "[io][atomic]") {
  // issue 11: about one kill -9 in ten left a model.dpn.tmp.XXXXXX for ever
  const fs::path dir = fresh_dir("stale");
  const auto make = [&](const std::string& name, std::chrono::minutes age) {
    std::ofstream(dir / name) << "torn";
    fs::last_write_time(dir / name, fs::file_time_type::clock::now() - age);
  };
  make("m.dpn.tmp.a1B2c3", std::chrono::minutes(60));      // ours, old: removed
  make("m.dpn.tmp.Zz9Yy8", std::chrono::minutes(11));      // ours, old: removed
  make("m.dpn.tmp.fresh1", std::chrono::minutes(1));       // maybe a save in progress: kept
  make("other.dpn.tmp.a1B2c3", std::chrono::minutes(60));  // another target's: kept
  make("m.dpn.tmp.toolong7", std::chrono::minutes(60));    // not mkstemp's name: kept
  make("m.dpn.tmp.a-b_c.", std::chrono::minutes(60));      // not mkstemp's letters: kept
  io::write_file_atomically((dir / "m.dpn").string(), "saved");
  CHECK(read_all(dir / "m.dpn") == "saved");
  CHECK_FALSE(fs::exists(dir / "m.dpn.tmp.a1B2c3"));
  CHECK_FALSE(fs::exists(dir / "m.dpn.tmp.Zz9Yy8"));
  CHECK(fs::exists(dir / "m.dpn.tmp.fresh1"));
  CHECK(fs::exists(dir / "other.dpn.tmp.a1B2c3"));
  CHECK(fs::exists(dir / "m.dpn.tmp.toolong7"));
  CHECK(fs::exists(dir / "m.dpn.tmp.a-b_c."));
  CHECK(count_files(dir) == 5);
}
