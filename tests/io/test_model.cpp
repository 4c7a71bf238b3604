// Model files (io/model.hpp): bit-exact round trips in the three archive kinds,
// float and double, across precisions; the scaler; refusals to save
// non-finite values; inspect_file; the committed version-1 files; newer versions.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/io/model.hpp"
#include "engine/random_dag.hpp"
#include "temp_dir.hpp"

using namespace dagprop;
using dagprop::io::ArchiveKind;

namespace {

std::string temp_path(const std::string& name) {
  static const test::TempDir dir("io-model");  // one per test process
  return dir.file(name);
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

template <class T>
void require_same_structure(const Network<T>& a, const Network<T>& b) {
  REQUIRE(a.num_units() == b.num_units());
  REQUIRE(a.num_connections() == b.num_connections());
  REQUIRE(a.num_inputs() == b.num_inputs());
  REQUIRE(a.outputs() == b.outputs());
  for (UnitId i = 0; i < a.num_units(); ++i) {
    CHECK(a.role(i) == b.role(i));
    CHECK(a.activation(i) == b.activation(i));
    CHECK(a.name(i) == b.name(i));
    CHECK(a.topology_id(i) == b.topology_id(i));
    CHECK(a.first(i) == b.first(i));
  }
  for (std::size_t c = 0; c < a.num_connections(); ++c) CHECK(a.source(c) == b.source(c));
}

// The fixed network of the committed version-1 files: x0, x1 -> h (tanh) -> y
// (identity), plus the skip x1 -> y; values chosen to need every digit.
Topology v1_topology() {
  Topology t;
  const UnitId x0 = t.add_input("x0"), x1 = t.add_input("x1");
  const UnitId y = t.add_output(Activation::identity, "y", -0.3);
  const UnitId h = t.add_unit(Activation::tanh, Role::hidden, "h", 0.1);
  t.connect(x0, h, 0.5);
  t.connect(x1, h, -1.25);
  t.connect(h, y, 1.0 / 3.0);
  t.connect(x1, y, 2.0e-7);
  return t;
}

io::Scaler v1_scaler() {
  io::Scaler s;
  s.kind = io::ScaleKind::standardize;
  s.offset = {0.5, -2.0};
  s.scale = {0.1, 4.0};
  return s;
}

}  // namespace

TEMPLATE_TEST_CASE("model files round-trip bit-exactly in every archive kind", "[io][model]", float,
                   double) {
  const auto kind = GENERATE(ArchiveKind::text, ArchiveKind::binary, ArchiveKind::xml);
  const auto seed = GENERATE(1u, 2u, 3u);
  auto t = test::random_dag(seed, Loss::sse).topology;
  // values that need max_digits10 to print exactly
  t.set_bias(t.num_units() - 1, 0.1 + 1e-12);
  Network<TestType> net = compile<TestType>(t);
  REQUIRE(net.num_connections() >= 6);  // the values below are all weights
  net.params()[0] = std::nextafter(TestType(1) / TestType(3), TestType(1));
  net.params()[1] = std::numeric_limits<TestType>::denorm_min();
  net.params()[2] = std::numeric_limits<TestType>::max();
  net.params()[3] = -TestType(0);
  net.params()[4] = std::numeric_limits<TestType>::lowest();
  net.params()[5] = std::numeric_limits<TestType>::min();
  const std::string path = temp_path("roundtrip.dpn");
  io::save_network(path, net, kind);
  const Network<TestType> back = io::load_network<TestType>(path);
  require_same_structure(net, back);
  CHECK(same_bits(net.params(), back.params()));
  CHECK(io::inspect_file(path).kind == kind);
}

TEST_CASE("a float file loads into double exactly, a double file into float rounded",
          "[io][model]") {
  const auto t = test::random_dag(7, Loss::sse).topology;
  const Network<float> f = compile<float>(t);
  const std::string path = temp_path("precision.dpn");
  io::save_network(path, f, ArchiveKind::text);
  const Network<double> d = io::load_network<double>(path);
  require_same_structure(f.cast<double>(), d);
  CHECK(same_bits(f.cast<double>().params(), d.params()));

  const Network<double> d2 = compile<double>(t);
  io::save_network(path, d2, ArchiveKind::binary);
  const Network<float> f2 = io::load_network<float>(path);
  CHECK(same_bits(d2.cast<float>().params(), f2.params()));
}

TEST_CASE("the scaler is stored with the model", "[io][model]") {
  const auto net = compile<double>(v1_topology());
  const std::string path = temp_path("scaler.dpn");
  const auto kind = GENERATE(ArchiveKind::text, ArchiveKind::binary, ArchiveKind::xml);
  const io::Scaler s = v1_scaler();
  io::save_network(path, net, kind, &s);
  io::Scaler back;
  io::load_network<double>(path, &back);
  CHECK(back == s);
  CHECK(io::inspect_file(path).has_scaler);
  io::save_network(path, net, kind);  // none stored: the caller's scaler becomes none
  io::load_network<double>(path, &back);
  CHECK(back.kind == io::ScaleKind::none);
  io::Scaler wrong = s;
  wrong.offset.pop_back();
  REQUIRE_THROWS_AS(io::save_network(path, net, kind, &wrong), io_error);
}

TEST_CASE("non-finite values are never saved and the old file stays", "[io][model]") {
  auto net = compile<double>(v1_topology());
  const std::string path = temp_path("nonfinite.dpn");
  io::save_network(path, net);
  const auto before = io::load_network<double>(path);
  net.params()[1] = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_AS(io::save_network(path, net), io_error);
  net.params()[1] = 0;
  net.b()[net.num_units() - 1] = std::numeric_limits<double>::infinity();
  REQUIRE_THROWS_WITH(io::save_network(path, net), Catch::Contains("non-finite bias"));
  CHECK(same_bits(io::load_network<double>(path).params(), before.params()));
}

TEST_CASE("inspect_file reports what the file holds", "[io][model]") {
  const auto net = compile<float>(v1_topology());
  const std::string path = temp_path("inspect.dpn");
  io::save_network(path, net, ArchiveKind::xml);
  const auto info = io::inspect_file(path);
  CHECK(info.format_version == 2);
  CHECK(info.kind == ArchiveKind::xml);
  CHECK_FALSE(info.is_checkpoint);
  CHECK(info.precision == "float");
  CHECK(info.num_units == 4);
  CHECK(info.num_connections == 4);
  CHECK(info.num_inputs == 2);
  CHECK(info.num_outputs == 1);
  CHECK_FALSE(info.has_scaler);
  CHECK(info.payload_bytes + io::header_size == std::filesystem::file_size(path));
}

TEST_CASE("a file of a newer format version is refused, saying so", "[io][model]") {
  const std::string path = temp_path("newer.dpn");
  io::save_network(path, compile<double>(v1_topology()));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string bytes = buffer.str();
  in.close();
  auto c = io::decode_file(bytes, path);
  std::string rewritten = io::encode_file(io::FileContent::model, c.header.kind, 8, c.payload);
  rewritten[8] = 3;  // version 3, header CRC fixed below
  const std::uint32_t crc = io::crc32(rewritten.data(), 28);
  for (int k = 0; k < 4; ++k)
    rewritten[28 + static_cast<std::size_t>(k)] = static_cast<char>(crc >> (8 * k));
  std::ofstream(path, std::ios::binary) << rewritten;
  REQUIRE_THROWS_WITH(io::load_network<double>(path),
                      Catch::Contains("newer dagprop") && Catch::Contains("version 3"));
}

// The committed version-1 files were written by dagprop's format version 1
// (this code writes version 2); they stay as they are.
TEST_CASE("the committed version-1 files load with their values", "[io][model]") {
  const std::string dir = DAGPROP_TEST_DATA_DIR;
  const auto check = [](const auto& net, auto tol_type) {
    using T = decltype(tol_type);
    const Topology t = net.to_topology();
    REQUIRE(t.num_units() == 4);
    REQUIRE(t.num_inputs() == 2);
    CHECK(t.name(0) == "x0");
    CHECK(t.name(1) == "x1");
    CHECK(t.name(2) == "y");
    CHECK(t.name(3) == "h");
    CHECK(t.role(2) == Role::output);
    CHECK(t.activation(3) == Activation::tanh);
    CHECK(t.weight(0, 3) == static_cast<double>(T(0.5)));
    CHECK(t.weight(1, 3) == static_cast<double>(T(-1.25)));
    CHECK(t.weight(3, 2) == static_cast<double>(T(1.0 / 3.0)));
    CHECK(t.weight(1, 2) == static_cast<double>(T(2.0e-7)));
    CHECK(t.bias(3) == static_cast<double>(T(0.1)));
    CHECK(t.bias(2) == static_cast<double>(T(-0.3)));
  };
  io::Scaler s;
  check(io::load_network<double>(dir + "/model_v1_text_double.dpn", &s), double{});
  CHECK(s == v1_scaler());
  check(io::load_network<float>(dir + "/model_v1_binary_float.dpn", &s), float{});
  CHECK(s.kind == io::ScaleKind::none);
  check(io::load_network<double>(dir + "/model_v1_xml_double.dpn"), double{});
  CHECK(io::inspect_file(dir + "/model_v1_binary_float.dpn").precision == "float");
}
