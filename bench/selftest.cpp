// `dagprop_bench --selftest`: the C++ generators of W2, W3 and the W3 graph against
// constants printed by bench/anchors/print_reference.py (from common.py): first and
// last values as float32 bits, and FNV-1a hashes of everything. It times nothing.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <ostream>

#include "dagprop/network.hpp"
#include "workloads.hpp"

namespace dagprop::bench {

namespace {

std::uint32_t bits(float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

// 64-bit FNV-1a over the little-endian bytes of each value as uint32.
template <class It, class F>
std::uint64_t fnv1a(It first, It last, F to_u32) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (; first != last; ++first) {
    const std::uint32_t v = to_u32(*first);
    for (int k = 0; k < 4; ++k) {
      h ^= (v >> (8 * k)) & 0xFFu;
      h *= 0x100000001B3ull;
    }
  }
  return h;
}

struct Checker {
  std::ostream& out;
  int failures = 0;
  void check(const char* what, std::uint64_t found, std::uint64_t expected, bool hex = true) {
    const bool ok = found == expected;
    failures += ok ? 0 : 1;
    out << (ok ? "ok       " : "MISMATCH ") << what << ": found " << (hex ? std::hex : std::dec)
        << std::showbase << found << ", expected " << expected << std::dec << std::noshowbase
        << "\n";
  }
};

}  // namespace

int selftest(std::ostream& out) {
  Checker c{out};
  const auto float_bits = [](float v) { return bits(v); };

  // W2 (print_reference.py: first 4 rows, last row, hashes)
  const std::uint32_t w2_rows[5][3] = {{0x3f12ada3, 0x3fc860c9, 0x3b3dd149},
                                       {0x3f19d55b, 0x3fd57677, 0xbd60033e},
                                       {0xbf978785, 0xbf76b517, 0xbf073eb1},
                                       {0x3fb60b5c, 0x3fc04912, 0x3d8ac4a1},
                                       {0xbf3eac96, 0x3f106ba2, 0xbf12a37d}};
  const Dataset<float> w2 = make_w2_data();
  const std::size_t w2_row_of[5] = {0, 1, 2, 3, w2.size() - 1};
  for (std::size_t k = 0; k < 5; ++k) {
    const std::size_t r = w2_row_of[k];
    c.check("w2 x1 of a row", bits(w2.input(r)[0]), w2_rows[k][0]);
    c.check("w2 x2 of a row", bits(w2.input(r)[1]), w2_rows[k][1]);
    c.check("w2 y of a row", bits(w2.target(r)[0]), w2_rows[k][2]);
  }
  c.check("w2 hash of all x", fnv1a(w2.inputs.begin(), w2.inputs.end(), float_bits),
          0xa1d0db01ee8e506bull);
  c.check("w2 hash of all y", fnv1a(w2.targets.begin(), w2.targets.end(), float_bits),
          0xace9fdf0a2f197f6ull);

  // W3 data: x[0][0..3], y[0][0..1], x[8191][63], y[8191][9], hashes
  const Dataset<float> w3 = make_w3_data();
  const std::size_t last = w3.size() - 1;
  const float w3_found[8] = {w3.input(0)[0],     w3.input(0)[1],    w3.input(0)[2],
                             w3.input(0)[3],     w3.target(0)[0],   w3.target(0)[1],
                             w3.input(last)[63], w3.target(last)[9]};
  const std::uint32_t w3_expected[8] = {0xbe0c60e4, 0x3f48e98d, 0x3f37de34, 0xbc86c53d,
                                        0xbda51cab, 0x3e9e2a1a, 0x3f20a1a9, 0x3f4d6464};
  for (std::size_t k = 0; k < 8; ++k) c.check("w3 data value", bits(w3_found[k]), w3_expected[k]);
  c.check("w3 hash of all x", fnv1a(w3.inputs.begin(), w3.inputs.end(), float_bits),
          0x258f1b92e61cd7f7ull);
  c.check("w3 hash of all y", fnv1a(w3.targets.begin(), w3.targets.end(), float_bits),
          0x51d50f9a5d96b727ull);

  // W3 graph: sources of units 64, 65 and 2064 (the first output), hash, levels
  const std::size_t dag_lines[3][w3_fan_in] = {
      {45, 9,  1, 15, 22, 7,  56, 58, 50, 12, 63, 52, 3, 28, 42, 38,
       53, 40, 6, 19, 17, 20, 61, 23, 16, 49, 33, 37, 8, 18, 43, 24},
      {16, 44, 2,  62, 39, 36, 63, 4,  30, 27, 23, 8,  41, 33, 18, 31,
       10, 55, 42, 54, 48, 59, 21, 38, 25, 57, 35, 51, 5,  60, 17, 32},
      {138,  550, 1756, 1,    799,  966,  432, 22, 1515, 1767, 907, 31,   1825, 1836, 1468, 429,
       1459, 514, 788,  1174, 1055, 1706, 629, 93, 393,  1868, 220, 1784, 8,    371,  1024, 567}};
  const auto dag = make_w3_dag();
  const std::size_t dag_line_of[3] = {0, 1, w3_hidden};
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& s = dag[dag_line_of[k]];
    const bool same = s.size() == w3_fan_in && std::equal(s.begin(), s.end(), dag_lines[k]);
    c.check("w3 dag sources of a unit (1 = same)", same ? 1 : 0, 1, false);
  }
  std::vector<std::size_t> flat;
  for (const auto& s : dag) flat.insert(flat.end(), s.begin(), s.end());
  c.check(
      "w3 dag hash of all sources",
      fnv1a(flat.begin(), flat.end(), [](std::size_t v) { return static_cast<std::uint32_t>(v); }),
      0xbcc34e9c12e4c646ull);
  const Network<float> net = compile<float>(make_w3_topology(dag, 1));
  std::size_t max_level = 0;
  for (UnitId i = 0; i < net.num_units(); ++i) max_level = std::max(max_level, net.level(i));
  c.check("w3 max level", max_level, 192, false);
  c.check("w3 connections", net.num_connections(), 64320, false);
  out << (c.failures ? "selftest FAILED: " : "selftest passed: ") << c.failures << " mismatches\n";
  return c.failures;
}

}  // namespace dagprop::bench
