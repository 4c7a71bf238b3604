// Model metadata (io/model.hpp ModelMeta, format version 2): the input and
// target scalers and the training setup round-trip in every archive kind and
// in checkpoints; version-1 files load with no setup; every field is checked on
// save and on load; the target scaling and its inverse (scaling.hpp).
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

// x0, x1 -> y0, y1 (softmax-ce classifier or a two-target regression).
Network<double> two_by_two() {
  Topology t;
  const UnitId x0 = t.add_input("x0"), x1 = t.add_input("x1");
  const UnitId y0 = t.add_output(Activation::identity, "y0", 0.25);
  const UnitId y1 = t.add_output(Activation::identity, "y1", -0.5);
  t.connect(x0, y0, 1.5);
  t.connect(x1, y1, -2.0);
  t.connect(x0, y1, 0.125);
  return compile<double>(t);
}

io::Scaler scaler(std::vector<double> offset, std::vector<double> scale) {
  io::Scaler s;
  s.kind = io::ScaleKind::standardize;
  s.offset = std::move(offset);
  s.scale = std::move(scale);
  return s;
}

io::ModelMeta classifier_meta() {
  io::ModelMeta m;
  m.input = scaler({5.8, 3.05}, {0.825, 0.43});
  m.training = io::TrainingSetup{Loss::softmax_ce,
                                 Reduction::mean,
                                 io::TargetReading::class_column,
                                 "species",
                                 {"setosa", "other"}};
  return m;
}

io::ModelMeta regression_meta() {
  io::ModelMeta m;
  m.target = scaler({152.13, -1.0 / 3.0}, {77.0, 1e-3});
  m.training = io::TrainingSetup{Loss::sse, Reduction::sum, io::TargetReading::columns, "3,4", {}};
  return m;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEMPLATE_TEST_CASE("model metadata round-trip in every archive kind", "[io][model][meta]", float,
                   double) {
  const test::TempDir dir("io-meta");
  const auto kind = GENERATE(ArchiveKind::text, ArchiveKind::binary, ArchiveKind::xml);
  const io::ModelMeta meta = GENERATE(classifier_meta(), regression_meta(), io::ModelMeta{});
  const std::string path = dir.file("meta.dpn");
  const Network<TestType> net = two_by_two().cast<TestType>();
  io::save_model(path, net, meta, kind);
  io::ModelMeta back;
  const Network<TestType> loaded = io::load_model<TestType>(path, &back);
  CHECK(back == meta);
  CHECK(loaded.params() == net.params());
  CHECK(io::inspect_file(path).meta == meta);
  CHECK(io::inspect_file(path).format_version == 2);
  // The thin wrapper keeps only the input scaler.
  io::Scaler input;
  io::load_network<TestType>(path, &input);
  CHECK(input == meta.input);
}

TEST_CASE("a checkpoint keeps the model's metadata", "[io][checkpoint][meta]") {
  const test::TempDir dir("io-meta-ck");
  const std::string path = dir.file("meta.dpc");
  io::Checkpoint<double> ck;
  ck.network = two_by_two();
  ck.optimizer = {"sgd", {0.5}, {}};
  const io::ModelMeta m = regression_meta();
  ck.target_scaler = m.target;
  ck.training = m.training;
  io::save_checkpoint(path, ck, ArchiveKind::text);
  const auto back = io::load_checkpoint<double>(path);
  CHECK(back.target_scaler == m.target);
  CHECK(back.training == m.training);
  CHECK_FALSE(back.scaler.has_value());
}

TEST_CASE("the committed version-1 files load with no training setup", "[io][model][meta]") {
  const std::string dir = DAGPROP_TEST_DATA_DIR;
  io::ModelMeta m;
  io::load_model<double>(dir + "/model_v1_text_double.dpn", &m);
  CHECK(m.input.kind == io::ScaleKind::standardize);
  CHECK(m.input.offset == std::vector<double>{0.5, -2.0});
  CHECK(m.target.kind == io::ScaleKind::none);
  CHECK_FALSE(m.training.has_value());
  io::load_model<float>(dir + "/model_v1_binary_float.dpn", &m);
  CHECK(m.input.kind == io::ScaleKind::none);
  CHECK_FALSE(m.training.has_value());
  CHECK(io::inspect_file(dir + "/model_v1_xml_double.dpn").format_version == 1);
}

// Writes the committed file once: `dagprop_tests "[.generate-v2]"`.
TEST_CASE("generate the version-2 model file", "[.generate-v2]") {
  io::ModelMeta m = classifier_meta();
  m.target = scaler({0.0, 1.0}, {2.0, 4.0});
  io::save_model(std::string(DAGPROP_TEST_DATA_DIR) + "/model_v2_text_double.dpn", two_by_two(), m,
                 ArchiveKind::text);
}

TEST_CASE("the committed version-2 file loads with its metadata", "[io][model][meta]") {
  io::ModelMeta m;
  const auto net =
      io::load_model<double>(std::string(DAGPROP_TEST_DATA_DIR) + "/model_v2_text_double.dpn", &m);
  CHECK(net.params() == two_by_two().params());
  CHECK(m.input == scaler({5.8, 3.05}, {0.825, 0.43}));
  CHECK(m.target == scaler({0.0, 1.0}, {2.0, 4.0}));
  REQUIRE(m.training.has_value());
  CHECK(m.training->loss == Loss::softmax_ce);
  CHECK(m.training->reduction == Reduction::mean);
  CHECK(m.training->targets == io::TargetReading::class_column);
  CHECK(m.training->columns == "species");
  CHECK(m.training->class_names == std::vector<std::string>{"setosa", "other"});
}

TEST_CASE("metadata that do not fit the network are never saved", "[io][model][meta]") {
  const test::TempDir dir("io-meta-bad");
  const std::string path = dir.file("bad.dpn");
  const auto refuse = [&](const io::ModelMeta& m, const char* why) {
    test::require_io_error([&] { io::save_model(path, two_by_two(), m); },
                           {"bad.dpn", "metadata", why});
  };
  io::ModelMeta m = regression_meta();
  m.target.scale.pop_back();
  refuse(m, "target scaler");
  m = regression_meta();
  m.target.scale[1] = 0;
  refuse(m, "scale non-zero");
  m = classifier_meta();
  m.training->class_names = {"a", "b", "c"};
  refuse(m, "3 class names for 2 outputs");
  m.training->class_names = {"a", "a"};
  refuse(m, "'a' appears twice");
  m.training->class_names = {"a", ""};
  refuse(m, "class name 1 has 0 bytes");
  m.training->class_names = {"a", std::string(io::max_class_name_length + 1, 'x')};
  refuse(m, "class name 1 has 257 bytes");
  m = regression_meta();
  m.training->class_names = {"a", "b"};
  refuse(m, "class names with target columns");
  m = regression_meta();
  m.training->loss = static_cast<Loss>(7);
  refuse(m, "code is unknown");
}

TEST_CASE("damaged metadata codes are refused on load, naming the file", "[io][model][meta]") {
  // The text archive ends with the setup: has_setup loss reduction targets,
  // the columns text and the class names, written here as "1 0 0 0 0 0".
  const test::TempDir dir("io-meta-codes");
  io::ModelMeta m;
  m.training = io::TrainingSetup{};
  const std::string good = dir.file("good.dpn");
  io::save_model(good, two_by_two(), m, ArchiveKind::text);
  const std::string payload = io::decode_file(read_all(good), good).payload;
  const std::string tail = "1 0 0 0 0 0";
  const std::size_t at = payload.rfind(tail);
  REQUIRE(at != std::string::npos);
  REQUIRE(payload.find_first_not_of(" \n", at + tail.size()) == std::string::npos);
  const auto with_tail = [&](const std::string& t) {
    std::string p = payload;
    p.replace(at, tail.size(), t);
    return dir.write("bad.dpn", io::encode_file(io::FileContent::model, ArchiveKind::text, 8, p));
  };
  io::load_model<double>(with_tail("1 1 1 1 0 0"), &m);  // softmax-ce, mean, class column
  CHECK(m.training->loss == Loss::softmax_ce);
  test::require_io_error([&] { io::load_model<double>(with_tail("1 3 0 0 0 0")); },
                         {"bad.dpn", "loss code 3"});
  test::require_io_error([&] { io::load_model<double>(with_tail("1 0 2 0 0 0")); },
                         {"bad.dpn", "reduction code 2"});
  test::require_io_error([&] { io::load_model<double>(with_tail("1 0 0 9 0 0")); },
                         {"bad.dpn", "target reading code 9"});
  test::require_io_error([&] { io::load_model<double>(with_tail("2 0 0 0 0 0")); },
                         {"bad.dpn", "has_setup", "not 0/1"});
  // 70,000 class names: over the cap before a byte of them is read.
  test::require_io_error([&] { io::load_model<double>(with_tail("1 0 0 1 0 70000")); },
                         {"bad.dpn", "num_class_names", "cap of 65536"});
  // Two names for two outputs of a class column: "a" and "a" are refused.
  test::require_io_error([&] { io::load_model<double>(with_tail("1 0 0 1 0 2 1 97 1 97")); },
                         {"bad.dpn", "'a' appears twice"});
  test::require_io_error([&] { io::inspect_file(with_tail("1 0 0 1 0 1 1 97")); },
                         {"bad.dpn", "1 class names for 2 outputs"});
}

TEST_CASE("target scaling and its inverse", "[io][scaling][meta]") {
  Dataset<double> d;
  d.num_inputs = 1;
  d.num_targets = 2;
  d.inputs = {0, 1, 2, 3};
  d.targets = {25, 1, 75, 1, 100, 1, 200, 1};
  const io::Scaler s = io::fit_standardize_targets(d);
  // Column 0: mean 100, population deviation sqrt((75² + 25² + 0 + 100²) / 4) = sqrt(4062.5)
  CHECK(s.offset[0] == Approx(100.0));
  CHECK(s.scale[0] == Approx(63.737743919909));
  CHECK(s.offset[1] == 1.0);  // a constant column: offset exactly, scale 1
  CHECK(s.scale[1] == 1.0);
  Dataset<float> f = convert<float>(d);
  io::apply_targets(s, f);
  CHECK(f.targets[0] == Approx((25 - 100) / 63.737743919909));
  CHECK(f.targets[1] == 0.0f);
  CHECK(f.inputs == std::vector<float>{0, 1, 2, 3});  // inputs untouched
  io::unscale_outputs(s, f.targets.data(), f.size(), 2);
  for (std::size_t k = 0; k < d.targets.size(); ++k)
    CHECK(f.targets[k] == Approx(d.targets[k]).epsilon(1e-6));
  io::Scaler tiny = s;
  tiny.scale[0] = 1e-300;
  Dataset<float> g = convert<float>(d);
  REQUIRE_THROWS_WITH(io::apply_targets(tiny, g),
                      Catch::StartsWith("row 1, target column 1: target scaling of 25 "));
  CHECK(g.targets[0] == 25.0f);  // unchanged
}
