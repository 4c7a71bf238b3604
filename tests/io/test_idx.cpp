// Tests of the IDX reader (io/idx.hpp) and of load_data on IDX (io/data.hpp):
// tiny files written here, plain and gzip, read back exactly; every refusal;
// damaged copies (each loads or throws dagprop::error); the real Fashion-MNIST.

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "dagprop/error.hpp"
#include "dagprop/io/data.hpp"
#include "dagprop/io/idx.hpp"
#include "io/gzip.hpp"
#include "io/require_io_error.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using dagprop::io::IdxArray;
using dagprop::io::IdxOptions;
using dagprop::io::IdxType;
using dagprop::io::read_idx;

namespace {

using dagprop::test::gzip;
using dagprop::test::TempDir;

// An IDX file's bytes: magic 0 0 type ndims, big-endian u32 dims, then `payload`.
std::string idx_file(std::uint8_t type, const std::vector<std::uint32_t>& dims,
                     const std::string& payload) {
  std::string s = {'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (const std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((d >> shift) & 0xff);
  return s + payload;
}

std::string bytes(std::initializer_list<int> values) {
  std::string s;
  for (const int v : values) s += static_cast<char>(v);
  return s;
}

std::string iota_bytes(std::size_t n) {
  std::string s;
  for (std::size_t k = 0; k < n; ++k) s += static_cast<char>(k);
  return s;
}

IdxArray parse(const std::string& data, std::uint64_t max_bytes = std::uint64_t{1} << 31) {
  std::istringstream in(data);
  return read_idx(in, "mem.idx", max_bytes);
}

dagprop::Dataset<double> pair(const std::string& images, const std::string& labels,
                              const IdxOptions& options = {}) {
  std::istringstream x(images), y(labels);
  return dagprop::io::read_idx_dataset(x, "images.idx", y, "labels.idx", options);
}

using dagprop::test::require_io_error;

void require_parse_error(const std::string& data, std::initializer_list<const char*> parts,
                         std::uint64_t max_bytes = std::uint64_t{1} << 31) {
  require_io_error([&] { parse(data, max_bytes); }, parts);
}

}  // namespace

TEST_CASE("IDX u8 arrays read back exactly, plain and gzip", "[io][idx]") {
  TempDir dir;
  const std::string plain = idx_file(0x08, {2, 2, 3}, iota_bytes(12));
  for (const bool compressed : {false, true}) {
    const std::string path = dir.write("a.idx", compressed ? gzip(plain) : plain);
    const IdxArray a = read_idx(path);
    REQUIRE(a.type == IdxType::u8);
    REQUIRE(a.dims == std::vector<std::size_t>{2, 2, 3});
    REQUIRE(a.size() == 12);
    REQUIRE(a.values() == std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  }
}

TEST_CASE("IDX element types are big-endian and signed where the format says", "[io][idx]") {
  REQUIRE(parse(idx_file(0x09, {3}, bytes({0xff, 0x80, 0x7f}))).values() ==
          std::vector<double>{-1, -128, 127});
  REQUIRE(parse(idx_file(0x0B, {2}, bytes({0xff, 0xfe, 0x01, 0x00}))).values() ==
          std::vector<double>{-2, 256});
  REQUIRE(parse(idx_file(0x0C, {2}, bytes({0x80, 0, 0, 0, 0, 1, 0, 2}))).values() ==
          std::vector<double>{-2147483648.0, 65538});
  const IdxArray f = parse(idx_file(0x0D, {1}, bytes({0x3f, 0xc0, 0, 0})));  // 1.5f
  REQUIRE(f.type == IdxType::f32);
  REQUIRE(f.value(0) == 1.5);
  const IdxArray d = parse(idx_file(0x0E, {1}, bytes({0xc0, 0x02, 0, 0, 0, 0, 0, 0})));  // -2.25
  REQUIRE(d.value(0) == -2.25);
  REQUIRE(dagprop::io::element_size(IdxType::f64) == 8);
  REQUIRE(dagprop::io::to_string(IdxType::i16) == "i16");
}

TEST_CASE("IDX images and labels pair into a data set", "[io][idx]") {
  const std::string images =
      idx_file(0x08, {3, 2, 2}, bytes({0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 255}));
  const std::string labels = idx_file(0x08, {3}, bytes({2, 0, 1}));
  IdxOptions o;
  o.scale = 0.5;
  o.num_classes = 3;
  const auto d = pair(images, gzip(labels), o);
  REQUIRE(d.size() == 3);
  REQUIRE(d.num_inputs == 4);
  REQUIRE(d.num_targets == 3);
  REQUIRE(d.inputs == std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 127.5});
  REQUIRE(d.targets == std::vector<double>{0, 0, 1, 1, 0, 0, 0, 1, 0});
  o.one_hot = false;
  const auto raw = pair(images, labels, o);
  REQUIRE(raw.num_targets == 1);
  REQUIRE(raw.targets == std::vector<double>{2, 0, 1});

  SECTION("refusals name the file and the numbers") {
    require_io_error(
        [&] {
          pair(images, idx_file(0x08, {2}, bytes({0, 1})));
        },
        {"labels.idx", "count mismatch: 2 labels for 3 images"});
    IdxOptions two;
    two.num_classes = 2;
    require_io_error([&] { pair(images, labels, two); },
                     {"labels.idx: row 1: label 2 out of range [0, 2)"});
    require_io_error(
        [&] {
          pair(images, idx_file(0x08, {3, 1}, bytes({0, 1, 2})));
        },
        {"labels.idx", "1 dimension", "3 x 1"});
    require_io_error(
        [&] {
          pair(images, idx_file(0x0D, {1}, bytes({0, 0, 0, 0})));
        },
        {"labels.idx", "integers", "f32"});
    require_io_error(
        [&] {
          pair(idx_file(0x08, {0, 4}, ""), idx_file(0x08, {0}, ""));
        },
        {"images.idx: no items"});
    require_io_error(
        [&] {
          pair(idx_file(0x0D, {1}, bytes({0x7f, 0x80, 0, 0})), idx_file(0x08, {1}, "\x01"));
        },
        {"images.idx: row 1, element 1: non-finite"});  // f32 +inf
  }
}

TEST_CASE("IDX refuses bad headers, sizes and tails", "[io][idx]") {
  const std::string valid = idx_file(0x08, {2, 3}, iota_bytes(6));
  SECTION("truncation, plain and gzip") {
    require_parse_error(valid.substr(0, valid.size() - 1),
                        {"mem.idx: truncated", "2 x 3 of u8 need 6 payload bytes", "has 5"});
    require_parse_error(valid.substr(0, 6), {"mem.idx: truncated", "dimensions"});
    require_parse_error(valid.substr(0, 2), {"mem.idx: truncated", "magic"});
    require_parse_error("", {"mem.idx: empty file"});
    const std::string unpacked = idx_file(0x08, {2, 3}, iota_bytes(5));
    require_parse_error(gzip(unpacked), {"mem.idx: truncated", "ends after 5"});
  }
  SECTION("wrong magic, type or ndims") {
    require_parse_error("\x01\x02" + valid.substr(2), {"not an IDX file", "0x01 0x02"});
    require_parse_error(std::string("\0a\0,\0b\0\n", 8), {"not an IDX file", "UTF-16 text?"});
    require_parse_error(bytes({0, 0, 0x0A, 1, 0, 0, 0, 0}), {"unknown IDX element type 0x0a"});
    require_parse_error(bytes({0, 0, 0x08, 0}), {"0 dimensions"});
  }
  SECTION("dims above the cap or overflowing 64 bits, before any allocation") {
    require_parse_error(idx_file(0x08, {0x80000000u, 0x80000000u}, "x"),
                        {"2147483648 x 2147483648", "4611686018427387904 bytes", "above the cap"});
    require_parse_error(idx_file(0x0E, {0xffffffffu, 0xffffffffu, 0xffffffffu}, ""),
                        {"overflow a 64-bit byte count"});
    require_parse_error(idx_file(0x08, {1000, 1000}, ""), {"1000000 bytes", "cap of 1000 bytes"},
                        1000);
    // A plain file claiming 64 MiB (below the caps) holds 10 bytes: refused by its size.
    require_parse_error(idx_file(0x08, {1u << 26}, iota_bytes(10)),
                        {"truncated", "the file has 10"});
    // A gzip stream claiming 1 MB (no size known): refused when the bytes stop.
    require_parse_error(gzip(idx_file(0x08, {1000, 1000}, iota_bytes(10))),
                        {"truncated", "need 1000000 payload bytes", "ends after 10"});
  }
  SECTION("trailing bytes, plain and gzip") {
    require_parse_error(valid + "z", {"mem.idx: 1 trailing bytes after the payload"});
    require_parse_error(gzip(valid + "zz"), {"mem.idx: trailing bytes after the payload"});
  }
  SECTION("corrupt gzip") {
    std::string z = gzip(valid);
    z[z.size() - 6] = static_cast<char>(z[z.size() - 6] ^ 0x01);  // the CRC-32
    require_parse_error(z, {"mem.idx: corrupt gzip data: CRC-32 mismatch"});
    const std::string intact = gzip(valid);
    require_parse_error(intact.substr(0, intact.size() - 2),
                        {"mem.idx: corrupt gzip data", "footer"});
    std::string length = intact;
    length[length.size() - 1] = static_cast<char>(length[length.size() - 1] ^ 0x01);  // ISIZE
    require_parse_error(length, {"mem.idx: corrupt gzip data: length mismatch", "ISIZE"});
    require_parse_error(intact + "x", {"mem.idx: corrupt gzip data: bytes follow", "member 1"});
    require_parse_error(intact + intact, {"mem.idx: trailing bytes after the payload"});
    require_parse_error(bytes({0x1f, 0x8b, 0x08}), {"mem.idx: corrupt gzip data: bad gzip header"});
  }
  SECTION("missing file") {
    require_io_error([] { read_idx("/nonexistent/dagprop.idx"); },
                     {"/nonexistent/dagprop.idx: cannot open"});
  }
}

TEST_CASE("load_data detects IDX, plain or gzip, with or without labels", "[io][idx]") {
  TempDir dir;
  const std::string images = idx_file(0x08, {2, 3}, bytes({1, 2, 3, 4, 5, 6}));
  const std::string labels = gzip(idx_file(0x08, {2}, bytes({9, 0})));
  for (const bool compressed : {false, true}) {
    const std::string path = dir.write("x.idx", compressed ? gzip(images) : images);
    const auto info = dagprop::io::detect_format(path);
    REQUIRE(info.format == dagprop::io::DataFormat::idx);
    REQUIRE(info.gzip == compressed);
    const auto inputs = dagprop::io::load_data(path);
    REQUIRE(inputs.num_inputs == 3);
    REQUIRE(inputs.num_targets == 0);
    REQUIRE(inputs.inputs == std::vector<double>{1, 2, 3, 4, 5, 6});
    dagprop::io::DataOptions o;
    o.idx_labels_path = dir.write("y.idx.gz", labels);
    const auto d = dagprop::io::load_data(path, o);
    REQUIRE(d.num_targets == 10);
    REQUIRE(d.targets[9] == 1);
    REQUIRE(d.targets[10] == 1);
    REQUIRE(std::accumulate(d.targets.begin(), d.targets.end(), 0.0) == 2);
  }
}

TEST_CASE("damaged IDX files load or throw dagprop::error, never crash", "[io][idx]") {
  const std::string plain = idx_file(0x08, {2, 3}, iota_bytes(6));
  const std::string packed = gzip(plain);
  std::size_t loaded = 0, refused = 0;
  const auto attempt = [&](const std::string& data) {
    try {
      parse(data);
      ++loaded;
    } catch (const dagprop::error&) {
      ++refused;
    }
  };
  SECTION("every truncation is refused") {
    for (std::size_t n = 0; n < plain.size(); ++n)
      REQUIRE_THROWS_AS(parse(plain.substr(0, n)), dagprop::io_error);
    for (std::size_t n = 0; n < packed.size(); ++n) {
      INFO("gzip truncated to " << n << " of " << packed.size() << " bytes");
      REQUIRE_THROWS_AS(parse(packed.substr(0, n)), dagprop::io_error);
    }
  }
  SECTION("every bit flip of the header, and of every gzip byte") {
    const std::size_t header_bytes = 4 + 4 * 2;
    for (std::size_t bit = 0; bit < header_bytes * 8; ++bit) {
      std::string flipped = plain;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
      attempt(flipped);
    }
    for (std::size_t bit = 0; bit < packed.size() * 8; ++bit) {
      std::string flipped = packed;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
      attempt(flipped);
    }
    CHECK(loaded + refused == (header_bytes + packed.size()) * 8);
    CHECK(loaded > 0);  // e.g. type 0x08 -> 0x09 keeps the size
    CHECK(refused > loaded);
  }
}

TEST_CASE("the Fashion-MNIST test set reads as 10000 x 784", "[io][idx][fmnist]") {
  const fs::path dir = DAGPROP_FMNIST_DIR;
  const fs::path images = dir / "t10k-images-idx3-ubyte.gz";
  const fs::path labels = dir / "t10k-labels-idx1-ubyte.gz";
  if (!fs::exists(images) || !fs::exists(labels)) {
    WARN("skipped: " << dir << " (Debian package dataset-fashion-mnist) is not installed");
    return;
  }
  const auto d = dagprop::io::read_idx_dataset(images.string(), labels.string());
  REQUIRE(d.size() == 10000);
  REQUIRE(d.num_inputs == 784);
  REQUIRE(d.num_targets == 10);
  // Reference values from /usr/bin/python3 with gzip and numpy:
  //   x = np.frombuffer(gzip.open(images).read(), np.uint8)[16:].reshape(10000, 784)
  //   y = np.frombuffer(gzip.open(labels).read(), np.uint8)[8:]
  //   y[0] == 9, y[1] == 2, x[0].sum() == 33456, x[9999].sum() == 24390,
  //   x.sum() == 573469082, np.bincount(y) == [1000] * 10
  REQUIRE(d.target(0)[9] == 1);
  REQUIRE(d.target(1)[2] == 1);
  REQUIRE(std::accumulate(d.input(0), d.input(0) + 784, 0.0) == 33456);
  REQUIRE(std::accumulate(d.input(9999), d.input(9999) + 784, 0.0) == 24390);
  REQUIRE(std::accumulate(d.inputs.begin(), d.inputs.end(), 0.0) == 573469082);
  std::vector<double> per_class(10, 0.0);
  for (std::size_t r = 0; r < d.size(); ++r)
    for (std::size_t k = 0; k < 10; ++k) per_class[k] += d.target(r)[k];
  REQUIRE(per_class == std::vector<double>(10, 1000.0));
}

namespace {

// Big-endian bytes of a 16-, 32- or 64-bit pattern, written out here.
std::string be16(std::uint32_t v) {
  return bytes({static_cast<int>(v >> 8 & 0xff), static_cast<int>(v & 0xff)});
}
std::string be32(std::uint32_t v) {
  return be16(v >> 16) + be16(v & 0xffff);
}
std::string be64(std::uint64_t v) {
  return be32(static_cast<std::uint32_t>(v >> 32)) + be32(static_cast<std::uint32_t>(v));
}

}  // namespace

TEST_CASE("IDX: every element type at its limits, plain and gzip", "[io][idx]") {
  struct Case {
    std::uint8_t type;
    std::string payload;
    std::vector<double> expected;  // written out by hand from the bit patterns
  };
  const std::vector<Case> cases = {
      {0x08, bytes({0, 1, 127, 128, 255}), {0, 1, 127, 128, 255}},
      {0x09, bytes({0, 1, 127, 128, 255}), {0, 1, 127, -128, -1}},
      {0x0B,
       be16(0) + be16(0x7fff) + be16(0x8000) + be16(0xffff) + be16(0x0102),
       {0, 32767, -32768, -1, 258}},
      {0x0C,
       be32(0x7fffffffu) + be32(0x80000000u) + be32(0xffffffffu) + be32(0x01020304u),
       {2147483647.0, -2147483648.0, -1, 16909060}},
      // 1.5f, -0.0f, the largest float, the smallest subnormal float, -0.1f
      {0x0D,
       be32(0x3fc00000u) + be32(0x80000000u) + be32(0x7f7fffffu) + be32(0x00000001u) +
           be32(0xbdcccccdu),
       {1.5, -0.0, 3.4028234663852886e38, 1.4012984643248171e-45, -0.10000000149011612}},
      // -2.25, 0.1, the largest double, the smallest subnormal double
      {0x0E,
       be64(0xc002000000000000u) + be64(0x3fb999999999999au) + be64(0x7fefffffffffffffu) + be64(1),
       {-2.25, 0.1, 1.7976931348623157e308, 4.9406564584124654e-324}},
  };
  TempDir dir;
  for (const Case& c : cases) {
    const auto n = static_cast<std::uint32_t>(c.expected.size());
    const std::string plain = idx_file(c.type, {n}, c.payload);
    for (const bool compressed : {false, true}) {
      INFO("type " << int{c.type} << (compressed ? " gzip" : " plain"));
      const std::string path = dir.write("t.idx", compressed ? gzip(plain) : plain);
      const IdxArray a = read_idx(path);
      REQUIRE(static_cast<int>(a.type) == c.type);
      REQUIRE(a.dims == std::vector<std::size_t>{n});
      CHECK(a.values() == c.expected);
      const auto d = dagprop::io::load_data(path);  // one input per item
      CHECK(d.num_inputs == 1);
      CHECK(d.inputs == c.expected);
    }
  }
  // Row-major order over several dimensions, i16: item 1 is {3, 4, 5} of 2 x 3.
  const IdxArray m = parse(
      idx_file(0x0B, {2, 1, 3}, be16(0) + be16(1) + be16(2) + be16(3) + be16(4) + be16(0xfffb)));
  CHECK(m.values() == std::vector<double>{0, 1, 2, 3, 4, -5});
  const auto d = dagprop::io::make_idx_inputs(m, "m.idx");
  CHECK(d.num_inputs == 3);
  CHECK(std::vector<double>(d.input(1), d.input(1) + 3) == std::vector<double>{3, 4, -5});
}

TEST_CASE("IDX: non-finite floats, zero dims, counts and labels that do not fit", "[io][idx]") {
  const std::string one_label = idx_file(0x08, {1}, bytes({0}));
  SECTION("nan and inf in f32 and f64 images are refused with item and element") {
    for (const std::string& bits :
         {be32(0x7fc00000u), be32(0xff800000u), be32(0x7f800001u)}) {  // nan, -inf, signalling
      const std::string images = idx_file(0x0D, {1, 2}, be32(0x3f800000u) + bits);
      require_io_error([&] { pair(images, one_label); },
                       {"images.idx: row 1, element 2: non-finite"});
      require_io_error([&] { pair(gzip(images), one_label); }, {"images.idx", "non-finite"});
    }
    const std::string f64 = idx_file(0x0E, {1, 1}, be64(0x7ff0000000000000u));  // +inf
    require_io_error([&] { pair(f64, one_label); }, {"images.idx: row 1, element 1", "non-finite"});
    // A finite float that the scale pushes past the range of double.
    IdxOptions big;
    big.scale = 1e300;
    require_io_error(
        [&] {
          pair(idx_file(0x0E, {1, 1}, be64(0x7fefffffffffffffu)), one_label, big);
        },
        {"images.idx: row 1, element 1: non-finite value after scaling"});
  }
  SECTION("zero dimensions: no items, or items of size 0") {
    require_io_error(
        [&] {
          pair(idx_file(0x08, {0, 28, 28}, ""), idx_file(0x08, {0}, ""));
        },
        {"images.idx: no items", "0 x 28 x 28"});
    require_io_error(
        [&] {
          pair(idx_file(0x08, {3, 0}, ""), idx_file(0x08, {3}, "xyz"));
        },
        {"images.idx: items of size 0", "3 x 0"});
    // A zero makes the product 0 whatever the other dims: no overflow, no allocation.
    const IdxArray empty = parse(idx_file(0x0E, {0xffffffffu, 0xffffffffu, 0xffffffffu, 0}, ""));
    CHECK(empty.size() == 0);
    CHECK(empty.bytes.empty());
    require_parse_error(idx_file(0x0E, {0xffffffffu, 0, 0xffffffffu}, "x"),
                        {"mem.idx: 1 trailing bytes"});
  }
  SECTION("products that overflow, or pass the cap only after several dims") {
    require_parse_error(idx_file(0x0C, {0x10000u, 0x10000u, 0x10000u, 0x10000u}, ""),
                        {"overflow a 64-bit byte count"});
    require_parse_error(idx_file(0x08, {0x10000u, 0x10000u, 0x10000u}, ""),
                        {"65536 x 65536 x 65536", "above the cap"});
    require_parse_error(gzip(idx_file(0x0D, {60000, 28, 28}, "")),
                        {"mem.idx", "60000 x 28 x 28", "188160000 bytes", "cap of 1000000"},
                        1000000);
  }
  SECTION("labels: more or fewer than the images, negative, wider types") {
    const std::string images = idx_file(0x08, {2, 1}, bytes({10, 20}));
    require_io_error(
        [&] {
          pair(images, idx_file(0x08, {3}, bytes({0, 1, 2})));
        },
        {"labels.idx", "count mismatch: 3 labels for 2 images"});
    require_io_error([&] { pair(images, gzip(idx_file(0x08, {1}, bytes({0})))); },
                     {"labels.idx", "count mismatch: 1 labels for 2 images"});
    require_io_error(
        [&] {
          pair(images, idx_file(0x09, {2}, bytes({1, 0xff})));
        },
        {"labels.idx: row 2: label -1 out of range [0, 10)"});
    const auto wide = pair(images, idx_file(0x0C, {2}, be32(9) + be32(3)));
    CHECK(wide.targets == std::vector<double>{0, 0, 0, 0, 0, 0, 0, 0, 0, 1,  //
                                              0, 0, 0, 1, 0, 0, 0, 0, 0, 0});
    IdxOptions raw;
    raw.one_hot = false;
    CHECK(pair(images, idx_file(0x0B, {2}, be16(0xffff) + be16(300)), raw).targets ==
          std::vector<double>{-1, 300});
  }
  SECTION("an IdxArray built by hand must match its dims") {
    IdxArray images = parse(idx_file(0x08, {2, 1}, bytes({1, 2})));
    IdxArray labels = parse(idx_file(0x08, {2}, bytes({0, 1})));
    labels.bytes.pop_back();
    REQUIRE_THROWS_AS(dagprop::io::make_idx_dataset(images, "x", labels, "y"),
                      dagprop::invalid_argument);
  }
  SECTION("bytes after a gzip member, and a stream of gzip members") {
    const std::string valid = idx_file(0x08, {2}, bytes({1, 2}));
    // Padding or junk after the gzip member is refused; a second member is read
    // (as gzip(1) does) and its bytes count as trailing payload.
    require_parse_error(gzip(valid) + std::string(8, '\0'), {"mem.idx: corrupt gzip data"});
    require_parse_error(gzip(valid) + "junk", {"mem.idx: corrupt gzip data"});
    CHECK(parse(gzip(valid) + gzip("")).values() == std::vector<double>{1, 2});
    require_parse_error(gzip(valid) + gzip("x"), {"mem.idx: trailing bytes after the payload"});
    const std::string halves =
        gzip(valid.substr(0, 5)) + gzip(valid.substr(5));  // one file in two members
    CHECK(parse(halves).values() == std::vector<double>{1, 2});
  }
}

TEST_CASE("the Fashion-MNIST training set reads as 60000 x 784", "[io][idx][fmnist]") {
  const fs::path dir = DAGPROP_FMNIST_DIR;
  const fs::path images = dir / "train-images-idx3-ubyte.gz";
  const fs::path labels = dir / "train-labels-idx1-ubyte.gz";
  if (!fs::exists(images) || !fs::exists(labels)) {
    WARN("skipped: " << dir << " (Debian package dataset-fashion-mnist) is not installed");
    return;
  }
  IdxOptions o;
  o.one_hot = false;
  const auto d = dagprop::io::read_idx_dataset(images.string(), labels.string(), o);
  REQUIRE(d.size() == 60000);
  REQUIRE(d.num_inputs == 784);
  // Reference values from /usr/bin/python3 with gzip alone (no numpy):
  //   x = gzip.open(images).read()[16:]; y = gzip.open(labels).read()[8:]
  //   y[0] == 9, y[1] == 0, y[59999] == 5, sum(x[0:784]) == 76247,
  //   sum(x[59999*784:]) == 16684, sum(x) == 3431114169,
  //   x[96], x[99], x[100] == 1, 13, 73; x[12345*784+400 : +405] == 191 185 187 193 190,
  //   6000 labels of each class
  CHECK(d.targets[0] == 9);
  CHECK(d.targets[1] == 0);
  CHECK(d.targets[59999] == 5);
  CHECK(d.input(0)[96] == 1);
  CHECK(d.input(0)[99] == 13);
  CHECK(d.input(0)[100] == 73);
  CHECK(std::vector<double>(d.input(12345) + 400, d.input(12345) + 405) ==
        std::vector<double>{191, 185, 187, 193, 190});
  CHECK(std::accumulate(d.input(0), d.input(0) + 784, 0.0) == 76247);
  CHECK(std::accumulate(d.input(59999), d.input(59999) + 784, 0.0) == 16684);
  CHECK(std::accumulate(d.inputs.begin(), d.inputs.end(), 0.0) == 3431114169.0);
  std::vector<double> per_class(10, 0.0);
  for (const double label : d.targets) per_class.at(static_cast<std::size_t>(label)) += 1;
  CHECK(per_class == std::vector<double>(10, 6000.0));
}

TEST_CASE("IDX: more values than the data-set cap are refused from the header", "[io][idx]") {
  // issue 11: a 261 KB gzip of a 256 x 1000 x 1000 u8 array (256 MB) took
  // 3.15 GB of memory as doubles; its header alone now says no
  const std::string bomb_header = idx_file(0x08, {256, 1000, 1000}, "");
  for (const std::string& data : {bomb_header, gzip(bomb_header + std::string(1 << 16, '\0'))})
    require_parse_error(data, {"mem.idx", "dims 256 x 1000 x 1000 hold 256000000 values",
                               "above the cap of 134217728 values (1024 MiB as double; raise it "
                               "with --max-values)"});
  // a lower cap, through the data-set options
  IdxOptions o;
  o.num_classes = 3;
  o.max_values = 5;
  require_io_error(
      [&] {
        pair(idx_file(0x08, {3, 2}, iota_bytes(6)), idx_file(0x08, {3}, bytes({0, 1, 2})), o);
      },
      {"images.idx", "hold 6 values", "above the cap of 5 values"});
  o.max_values = 6;
  CHECK(pair(idx_file(0x08, {3, 2}, iota_bytes(6)), idx_file(0x08, {3}, bytes({0, 1, 2})), o)
            .inputs == std::vector<double>{0, 1, 2, 3, 4, 5});
}
