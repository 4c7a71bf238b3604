// Damaged model files (io/model.hpp): a corpus generated here - every
// truncation, every header bit flipped, payload bits flipped, absurd lengths,
// and edits behind valid CRCs (a cycle, NaN, huge counts, indices out of range,
// truncated archives) - must each throw a dagprop::error, never crash.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/checkpoint.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/io/model.hpp"
#include "temp_dir.hpp"

using namespace dagprop;
using dagprop::io::ArchiveKind;

namespace {

std::string temp_path(const std::string& name) {
  static const test::TempDir dir("io-damaged");  // one per test process
  return dir.file(name);
}

using test::read_bytes;

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// x0, x1 -> h -> y, x1 -> y; weights that are easy to find in the payload.
Network<double> small_net() {
  Topology t;
  const UnitId x0 = t.add_input("x0"), x1 = t.add_input("x1");
  const UnitId h = t.add_unit(Activation::sigmoid, Role::hidden, "h", 0.25);
  const UnitId y = t.add_output(Activation::identity, "y", -0.5);
  t.connect(x0, h, 0.75);
  t.connect(x1, h, -1.5);
  t.connect(h, y, 2.0e-7);
  t.connect(x1, y, 3.0);
  return compile<double>(t);
}

std::string saved(ArchiveKind kind) {
  const std::string path = temp_path("good.dpn");
  io::save_network(path, small_net(), kind);
  return read_bytes(path);
}

std::string payload_of(const std::string& file) {
  return io::decode_file(file, "good").payload;
}

// A file whose CRCs are right for `payload` (edits that Boost will parse).
std::string with_crcs(ArchiveKind kind, const std::string& payload) {
  return io::encode_file(io::FileContent::model, kind, 8, payload);
}

// Replaces the n-th (0-based) "<tag>...</tag>" element's text.
std::string edit_xml(std::string s, const std::string& tag, std::size_t n,
                     const std::string& value) {
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  std::size_t p = 0;
  for (std::size_t k = 0; k <= n; ++k) {
    p = s.find(open, p);
    REQUIRE(p != std::string::npos);
    p += open.size();
  }
  const std::size_t e = s.find(close, p);
  REQUIRE(e != std::string::npos);
  return s.replace(p, e - p, value);
}

void require_rejected(const std::string& bytes, const std::string& what) {
  const std::string path = temp_path("damaged.dpn");
  write_bytes(path, bytes);
  INFO(what);
  REQUIRE_THROWS_AS(io::load_network<double>(path), dagprop::error);
  REQUIRE_THROWS_AS(io::inspect_file(path), dagprop::error);
}

}  // namespace

TEST_CASE("damaged corpus: every truncation is rejected", "[io][damaged]") {
  std::size_t cases = 0;
  for (auto kind : {ArchiveKind::binary, ArchiveKind::text, ArchiveKind::xml}) {
    const std::string good = saved(kind);
    const std::size_t step = kind == ArchiveKind::binary ? 1 : 7;
    for (std::size_t len = 0; len < good.size(); len += step, ++cases)
      require_rejected(good.substr(0, len), "truncated to " + std::to_string(len));
  }
  CHECK(cases >= 200);
}

TEST_CASE("damaged corpus: every header bit and payload bits flipped", "[io][damaged]") {
  std::size_t cases = 0;
  for (auto kind : {ArchiveKind::binary, ArchiveKind::xml}) {
    const std::string good = saved(kind);
    for (std::size_t bit = 0; bit < 8 * io::header_size; ++bit, ++cases) {
      std::string bad = good;
      bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
      require_rejected(bad, "header bit " + std::to_string(bit));
    }
    for (std::size_t bit = 8 * io::header_size; bit < 8 * good.size(); bit += 37, ++cases) {
      std::string bad = good;
      bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
      require_rejected(bad, "payload bit " + std::to_string(bit));
    }
    require_rejected(good + "x", "one byte appended");
  }
  CHECK(cases >= 512);
}

TEST_CASE("damaged corpus: absurd payload lengths", "[io][damaged]") {
  const std::string good = saved(ArchiveKind::binary);
  for (std::uint64_t length : {std::uint64_t{1} << 60, std::uint64_t{1} << 31, std::uint64_t{0},
                               std::uint64_t(good.size() - io::header_size + 1)}) {
    std::string bad = good;
    for (int k = 0; k < 8; ++k)
      bad[16 + static_cast<std::size_t>(k)] = static_cast<char>(length >> (8 * k));
    require_rejected(bad, "length without CRC fix");
    const std::uint32_t crc = io::crc32(bad.data(), 28);  // a consistent header
    for (int k = 0; k < 4; ++k)
      bad[28 + static_cast<std::size_t>(k)] = static_cast<char>(crc >> (8 * k));
    require_rejected(bad, "length " + std::to_string(length));
  }
  const std::string path = temp_path("damaged.dpn");
  std::string bad = good;
  for (int k = 0; k < 8; ++k)
    bad[16 + static_cast<std::size_t>(k)] = static_cast<char>((std::uint64_t{1} << 60) >> (8 * k));
  const std::uint32_t crc = io::crc32(bad.data(), 28);
  for (int k = 0; k < 4; ++k)
    bad[28 + static_cast<std::size_t>(k)] = static_cast<char>(crc >> (8 * k));
  write_bytes(path, bad);
  REQUIRE_THROWS_WITH(io::load_network<double>(path), Catch::Contains("payload length"));
}

TEST_CASE("damaged corpus: edits behind valid CRCs reach the payload checks", "[io][damaged]") {
  const std::string xml = payload_of(saved(ArchiveKind::xml));
  const std::string path = temp_path("edited.dpn");
  struct Edit {
    std::string tag;
    std::size_t n;
    std::string value, message;
  };
  // Connections in file order: x0 -> h, x1 -> h (into h = 2), h -> y, x1 -> y (into y = 3).
  const Edit edits[] = {
      {"j", 0, "3", "cycle"},  // y -> h while h -> y: a cycle
      {"i", 0, "0", "connected to itself"},
      {"j", 1, "9", "out of range"},
      {"num_units", 0, "1000000000000", "num_units"},
      {"num_connections", 0, "99999999", "num_connections"},
      {"name", 0, "100000", "name"},
      {"role", 3, "7", "role"},
      {"activation", 2, "99", "activation"},
      {"index", 0, "5", "index"},
      {"index", 1, "0", "already taken"},
      {"precision", 0, "4", "precision"},
      {"precision", 0, "3", "precision"},
      {"has_scaler", 0, "2", "has_scaler"},
      {"w", 0, "nan", "w"},
      {"w", 0, "1e999", "w"},
      {"bias", 2, "inf", "bias"},
      {"c", 0, "300", "character code"},
  };
  for (const auto& e : edits) {
    write_bytes(path, with_crcs(ArchiveKind::xml, edit_xml(xml, e.tag, e.n, e.value)));
    INFO(e.tag << " #" << e.n << " = " << e.value);
    REQUIRE_THROWS_AS(io::load_network<double>(path), dagprop::error);
    CHECK_THROWS_WITH(io::load_network<double>(path),
                      Catch::Contains(e.message) && Catch::Contains(path));
  }
  // Every truncation of each archive kind, CRCs fixed: Boost itself must fail cleanly.
  std::size_t cases = 0;
  for (auto kind : {ArchiveKind::binary, ArchiveKind::text, ArchiveKind::xml}) {
    const std::string payload = payload_of(saved(kind));
    for (std::size_t len = 0; len < payload.size(); len += kind == ArchiveKind::binary ? 1 : 5) {
      ++cases;
      require_rejected(with_crcs(kind, payload.substr(0, len)),
                       "payload cut at " + std::to_string(len));
    }
    require_rejected(with_crcs(kind, payload + "garbage"), "trailing garbage");
  }
  CHECK(cases >= 100);
}

TEST_CASE("damaged corpus: a NaN weight in a binary payload with fixed CRCs", "[io][damaged]") {
  std::string payload = payload_of(saved(ArchiveKind::binary));
  const double w = 2.0e-7, nan = std::numeric_limits<double>::quiet_NaN();
  char pattern[8], replacement[8];
  std::memcpy(pattern, &w, 8);
  std::memcpy(replacement, &nan, 8);
  const auto p = payload.find(std::string(pattern, 8));
  REQUIRE(p != std::string::npos);
  payload.replace(p, 8, std::string(replacement, 8));
  const std::string path = temp_path("nan.dpn");
  write_bytes(path, with_crcs(ArchiveKind::binary, payload));
  REQUIRE_THROWS_AS(io::load_network<double>(path), dagprop::error);
  REQUIRE_THROWS_WITH(io::load_network<double>(path), Catch::Contains("not finite"));
}

TEST_CASE("damaged corpus: wrong kind of file", "[io][damaged]") {
  const std::string path = temp_path("wrong.dpn");
  io::Checkpoint<double> ck{small_net(), {"sgd", {0.1}, {}}, {}, {}, {}, {}, {}};
  io::save_checkpoint(path, ck);
  REQUIRE_THROWS_WITH(io::load_network<double>(path), Catch::Contains("checkpoint file"));
  io::save_network(path, small_net());
  REQUIRE_THROWS_AS(io::load_checkpoint<double>(path), io_error);
  write_bytes(path, "digraph { a -> b }\n" + std::string(40, ' '));
  REQUIRE_THROWS_WITH(io::load_network<double>(path), Catch::Contains("magic"));
  REQUIRE_THROWS_AS(io::load_network<double>(temp_path("does-not-exist.dpn")), io_error);
}
