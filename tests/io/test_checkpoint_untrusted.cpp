// Checkpoints from untrusted bytes (io/checkpoint.hpp): regressions for what
// fuzz/fuzz_checkpoint.cpp found behind valid CRCs. Each must be an io_error
// naming the file and the field, never an allocation of gigabytes or a read
// out of bounds (the ASan build of the suite checks the latter).
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/checkpoint.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/io/model.hpp"
#include "io/require_io_error.hpp"
#include "temp_dir.hpp"

using namespace dagprop;
using dagprop::io::ArchiveKind;

namespace {

io::Checkpoint<double> small_checkpoint() {
  Topology t;
  const UnitId x = t.add_input("x");
  const UnitId y = t.add_output(Activation::sigmoid, "y", 0.5);
  t.connect(x, y, -0.1);
  io::Checkpoint<double> ck;
  ck.network = compile<double>(t);
  ck.optimizer = {"sgd", {0.5}, {{1.0, 2.0}}};
  return ck;
}

// The payload of a valid checkpoint saved in `kind`.
std::string valid_payload(const test::TempDir& dir, ArchiveKind kind) {
  const std::string path = dir.file("valid.dpc");
  io::save_checkpoint(path, small_checkpoint(), kind);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return io::decode_file(bytes.str(), path).payload;
}

// A checkpoint file holding `payload` behind a valid header and CRCs.
std::string with_crcs(const test::TempDir& dir, ArchiveKind kind, const std::string& payload) {
  return dir.write("damaged.dpc", io::encode_file(io::FileContent::checkpoint, kind, 8, payload));
}

}  // namespace

TEST_CASE("a checkpoint with a huge archive signature length is refused before allocating",
          "[io][checkpoint]") {
  const test::TempDir dir("io-ck-untrusted");
  // fuzz_checkpoint: Boost's binary_iarchive read the signature's length
  // (here 2^32 + 1) and allocated it: malloc(4294967297).
  std::string payload = valid_payload(dir, ArchiveKind::binary);
  REQUIRE(payload.size() > 8);
  const std::uint64_t huge = (std::uint64_t{1} << 32) + 1;
  for (unsigned k = 0; k < 8; ++k) payload[k] = static_cast<char>((huge >> (8 * k)) & 0xffu);
  const std::string path = with_crcs(dir, ArchiveKind::binary, payload);
  test::require_io_error([&] { io::load_checkpoint<double>(path); },
                         {"damaged.dpc", "binary archive", "archive header", "signature"});
  test::require_io_error([&] { io::inspect_file(path); }, {"damaged.dpc", "signature"});

  // The same in a text archive: "4294967297 serialization::archive ...".
  std::string text = valid_payload(dir, ArchiveKind::text);
  REQUIRE(text.compare(0, 3, "22 ") == 0);
  text.replace(0, 2, "4294967297");
  const std::string text_path = with_crcs(dir, ArchiveKind::text, text);
  test::require_io_error([&] { io::load_checkpoint<float>(text_path); },
                         {"damaged.dpc", "text archive", "archive header", "signature"});
  // and a model file goes through the same check
  test::require_io_error(
      [&] {
        io::load_network<double>(dir.write(
            "damaged.dpn", io::encode_file(io::FileContent::model, ArchiveKind::text, 8, text)));
      },
      {"damaged.dpn", "signature"});
}

TEST_CASE("an XML checkpoint whose end tag is longer than expected is refused",
          "[io][checkpoint]") {
  const test::TempDir dir("io-ck-untrusted");
  const std::string payload = valid_payload(dir, ArchiveKind::xml);
  // fuzz_checkpoint: Boost 1.74's xml_iarchive::load_end read name[length of
  // the tag in the file] past the end of the literal "c" (global-buffer-overflow).
  const std::string good = "</c>";
  const auto at = payload.find(good);
  REQUIRE(at != std::string::npos);
  std::string longer = payload;
  longer.replace(at, good.size(), "</character_code>");
  test::require_io_error(
      [&] { io::load_checkpoint<double>(with_crcs(dir, ArchiveKind::xml, longer)); },
      {"damaged.dpc", "xml archive", "field 'c'"});
  // a tag name longer than any dagprop writes is refused before Boost reads it
  std::string very_long = payload;
  very_long.replace(at, good.size(), "</" + std::string(200, 'c') + ">");
  test::require_io_error(
      [&] { io::load_checkpoint<double>(with_crcs(dir, ArchiveKind::xml, very_long)); },
      {"damaged.dpc", "archive header", "XML tag name of 200 characters"});
  // the untouched payload still loads
  const auto back = io::load_checkpoint<double>(with_crcs(dir, ArchiveKind::xml, payload));
  CHECK(back.optimizer.name == "sgd");
  CHECK(back.optimizer.buffers == std::vector<std::vector<double>>{{1.0, 2.0}});
}

TEST_CASE("a checkpoint whose trainer state cannot be is refused, naming the field",
          "[io][checkpoint]") {
  const test::TempDir dir("io-ck-state");
  const std::string payload = valid_payload(dir, ArchiveKind::xml);
  // The XML payload names every field: replace one value behind valid CRCs.
  const auto with_field = [&](const std::string& field, const std::string& value) {
    const std::string open = "<" + field + ">", close = "</" + field + ">";
    const auto at = payload.find(open);
    REQUIRE(at != std::string::npos);
    const auto end = payload.find(close, at);
    REQUIRE(end != std::string::npos);
    std::string damaged = payload;
    damaged.replace(at + open.size(), end - at - open.size(), value);
    return with_crcs(dir, ArchiveKind::xml, damaged);
  };
  for (const char* seconds : {"-1", "nan", "inf"})
    test::require_io_error([&] { io::load_checkpoint<double>(with_field("seconds", seconds)); },
                           {"damaged.dpc", "seconds"});
  test::require_io_error([&] { io::load_checkpoint<double>(with_field("correct", "1")); },
                         {"damaged.dpc", "correct", "1 runs classified right of 0"});
  CHECK(io::load_checkpoint<double>(with_field("seconds", "12.5")).trainer.seconds == 12.5);

  // and the saver refuses to write such a state
  io::Checkpoint<double> ck = small_checkpoint();
  ck.trainer.seconds = -1;
  test::require_io_error([&] { io::save_checkpoint(dir.file("bad.dpc"), ck); },
                         {"bad.dpc", "seconds"});
  ck.trainer.seconds = 0;
  ck.trainer.correct = 3;
  ck.trainer.runs = 2;
  test::require_io_error([&] { io::save_checkpoint(dir.file("bad.dpc"), ck); },
                         {"bad.dpc", "more runs right than runs"});
}
