// DOT and the model metadata (dot.hpp, dot_meta.hpp): a trained model with
// input scaling, target scaling, a training setup and class names goes to DOT
// and back unchanged, predicting bit for bit the same; every malformed
// attribute value is refused naming the attribute and the node or line; DOT
// without the attributes reads as ModelMeta{}.
#include <catch2/catch.hpp>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/dot.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/io/scaling.hpp"
#include "io/require_io_error.hpp"

using namespace dagprop;

namespace {

std::string to_text(const Topology& t, const io::ModelMeta& meta) {
  std::ostringstream out;
  io::write_dot(out, t, meta);
  return out.str();
}

Topology from_text(const std::string& text, io::ModelMeta* meta) {
  std::istringstream in(text);
  return io::read_dot(in, "m.dot", InitScheme::glorot_uniform, 7, meta);
}

// 3 inputs, 4 tanh hidden units, 3 softmax outputs.
Topology classifier() {
  Topology t;
  std::vector<UnitId> in, hidden;
  for (const char* n : {"a", "b", "c"}) in.push_back(t.add_input(n));
  for (int k = 0; k < 4; ++k) hidden.push_back(t.add_unit(Activation::tanh, Role::hidden));
  for (const char* n : {"p", "q", "r"}) {
    const UnitId o = t.add_output(Activation::identity, n);
    for (UnitId h : hidden) t.connect(h, o);
  }
  for (UnitId h : hidden)
    for (UnitId x : in) t.connect(x, h);
  initialize(t, InitScheme::glorot_uniform, 3);
  return t;
}

// Rows of 3 inputs with a class 0..2 each, on scales far from 1 (so that the
// standardisation matters).
Dataset<double> rows(std::size_t n) {
  Dataset<double> d;
  d.num_inputs = 3, d.num_targets = 3;
  for (std::size_t r = 0; r < n; ++r) {
    const double u = static_cast<double>(r), c = static_cast<double>(r % 3);
    d.inputs.insert(d.inputs.end(), {100 + 3.7 * u + 40 * c, 0.001 * c - u * 1e-5, -7 + 2 * c});
    for (std::size_t k = 0; k < 3; ++k) d.targets.push_back(k == r % 3 ? 1.0 : 0.0);
  }
  return d;
}

io::ModelMeta trained_meta(const io::Scaler& input) {
  io::ModelMeta m;
  m.input = input;
  // Names that DOT and the list need to carry: a comma, a percent sign, a
  // quote, a backslash, a tab, UTF-8.
  m.training = io::TrainingSetup{Loss::softmax_ce,
                                 Reduction::mean,
                                 io::TargetReading::class_column,
                                 "species \"x\",%",
                                 {"set,osa", "50% \"v\"", "vir\\gin\tica\xC3\xA9"}};
  return m;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("DOT keeps a trained model's metadata and its predictions bit for bit",
          "[io][dot][meta]") {
  Dataset<double> data = rows(60);
  const io::Scaler scaler = io::fit_standardize(data);
  io::apply(scaler, data);
  Network<double> net = compile<double>(classifier());
  TrainOptions o;
  o.epochs = 5, o.batch_size = 8, o.threads = 1, o.learning_rate = 0.05;
  o.loss = Loss::softmax_ce, o.reduction = Reduction::mean;
  Trainer<double>(net, o).fit(data);
  const io::ModelMeta meta = trained_meta(scaler);
  const std::string text = to_text(net.to_topology(), meta);
  CHECK_THAT(text, Catch::Contains("dagprop_class_names=\"set%2Cosa,50%25 %22v%22,"
                                   "vir%5Cgin%09ica\xC3\xA9\""));
  io::ModelMeta back;
  const Network<double> again = compile<double>(from_text(text, &back));
  CHECK(back == meta);  // offsets and scales exactly: the fewest digits that read back
  REQUIRE(same_bits(again.params(), net.params()));
  Dataset<double> raw = rows(60);
  io::apply(back.input, raw);
  CHECK(same_bits(predict(net, raw.inputs.data(), raw.size(), 1),
                  predict(again, raw.inputs.data(), raw.size(), 1)));
  CHECK(to_text(again.to_topology(), back) == text);
}

TEST_CASE("DOT keeps a target scaling and a regression setup", "[io][dot][meta]") {
  Topology t;
  const UnitId x = t.add_input("x");
  const UnitId y0 = t.add_output(Activation::identity, "y0", 0.5);
  const UnitId y1 = t.add_output(Activation::identity, "y1", -0.25);
  t.connect(x, y0, 2.0), t.connect(x, y1, 1.0 / 3.0);
  io::ModelMeta meta;
  meta.input = io::divide(1, 255.0);
  meta.target.kind = io::ScaleKind::standardize;
  meta.target.offset = {152.13348416289594, -1e-300};
  meta.target.scale = {77.00574586945044, 1.0 / 3.0};
  meta.training = io::TrainingSetup{Loss::sse, Reduction::sum, io::TargetReading::columns, "", {}};
  const std::string text = to_text(t, meta);
  CHECK_THAT(text, Catch::Contains("dagprop_target_scaling=standardize") &&
                       Catch::Contains("offset=152.13348416289594, scale=77.00574586945044") &&
                       Catch::Contains("offset=0, scale=255") &&
                       !Catch::Contains("dagprop_columns") &&
                       !Catch::Contains("dagprop_class_names"));
  io::ModelMeta back;
  from_text(text, &back);
  CHECK(back == meta);
}

TEST_CASE("DOT without model metadata reads as ModelMeta{} and writes none", "[io][dot][meta]") {
  io::ModelMeta back;
  back.input = io::divide(1, 2.0);
  const Topology t = from_text("digraph { x [role=input]; y [role=output]; x -> y; }", &back);
  CHECK(back == io::ModelMeta{});
  CHECK(to_text(t, io::ModelMeta{}).find("graph [") == std::string::npos);
  CHECK(to_text(t, io::ModelMeta{}).find("offset") == std::string::npos);
}

TEST_CASE("malformed model metadata in DOT is refused naming the attribute and where",
          "[io][dot][meta]") {
  const auto dot = [](const std::string& graph, const std::string& x = "",
                      const std::string& y = "", const std::string& h = "") {
    return "digraph {\n" + graph + "\nx [role=input" + x + "];\nh [activation=tanh" + h +
           "];\ny [role=output" + y + "];\nx -> h -> y;\n}\n";
  };
  struct Case {
    std::string text, message;
  };
  const std::string setup = "dagprop_loss=sse, dagprop_reduction=sum, dagprop_targets=columns";
  const std::vector<Case> cases = {
      {dot("graph [dagprop_lose=sse];"),
       "m.dot: line 2: unknown graph attribute 'dagprop_lose' (dagprop reads"},
      {dot("graph [dagprop_input_scaling=stretch];", ", offset=1, scale=2"),
       "m.dot: line 2: dagprop_input_scaling 'stretch': "},
      {dot("", ", offset=1, scale=2"),
       "m.dot: node 'x': offset without the graph attribute dagprop_input_scaling"},
      {dot("graph [dagprop_input_scaling=standardize];", ", scale=2"),
       "m.dot: node 'x': no offset= although dagprop_input_scaling is standardize"},
      {dot("graph [dagprop_input_scaling=affine];", ", offset=one, scale=2"),
       "m.dot: node 'x': offset 'one' is not a finite number"},
      {dot("graph [dagprop_input_scaling=affine];", ", offset=1, scale=\"1e999\""),
       "m.dot: node 'x': scale '1e999' is not a finite number"},
      {dot("graph [dagprop_input_scaling=affine];", ", offset=1, scale=0"),
       "m.dot: node 'x': scale is 0"},
      {dot("graph [dagprop_target_scaling=affine];", "", ", offset=1"),
       "m.dot: node 'y': no scale= although dagprop_target_scaling is affine"},
      {dot("", "", "", ", offset=1"),
       "m.dot: node 'h': offset is read only on input and output nodes"},
      {dot("graph [dagprop_loss=sse, dagprop_reduction=sum];"),
       "m.dot: graph attribute dagprop_targets is missing"},
      {dot("graph [dagprop_loss=mse, dagprop_reduction=sum, dagprop_targets=columns];"),
       "m.dot: line 2: dagprop_loss 'mse': "},
      {dot("graph [dagprop_loss=sse,\n dagprop_reduction=average, dagprop_targets=columns];"),
       "m.dot: line 3: dagprop_reduction 'average': "},
      {dot("graph [" + setup + "];\ngraph [dagprop_targets=labels];"),
       "m.dot: line 3: dagprop_targets 'labels': expected columns, class-column or idx-labels"},
      {dot("graph [dagprop_class_names=\"a,b\"];"),
       "m.dot: line 2: dagprop_class_names without a training setup"},
      {dot("graph [" + setup + ", dagprop_columns=\"x%4\"];"),
       "m.dot: line 2: dagprop_columns holds a '%' not followed by two hex digits"},
      {dot("graph [dagprop_loss=bce, dagprop_reduction=sum, dagprop_targets=\"class-column\", "
           "dagprop_class_names=\"no,%zz\"];"),
       "m.dot: line 2: dagprop_class_names: name 1 holds a '%' not followed by two hex digits"},
      {dot("graph [dagprop_loss=bce, dagprop_reduction=sum, dagprop_targets=\"class-column\", "
           "dagprop_class_names=\"a,b,c\"];"),
       "m.dot: the model metadata in the graph attributes: training setup: 3 class names for 1 "
       "outputs (expected 2)"},
      {dot("graph [dagprop_loss=bce, dagprop_reduction=sum, dagprop_targets=\"class-column\", "
           "dagprop_class_names=\"a,a\"];"),
       "training setup: class name 'a' appears twice"},
      {dot("graph [" + setup + ", dagprop_class_names=\"a,b\"];"),
       "training setup: class names with target columns (not classes)"},
      {dot("dagprop_loss=sse; dagprop_reduction=sum; dagprop_targets=columns; dagprop_x=1"),
       "m.dot: line 2: unknown graph attribute 'dagprop_x'"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    io::ModelMeta meta;
    test::require_io_error([&] { from_text(c.text, &meta); }, {c.message.c_str()});
    // checked also when not wanted
    test::require_io_error([&] { from_text(c.text, nullptr); }, {c.message.c_str()});
  }
}

TEST_CASE("write_dot refuses metadata that do not fit the network", "[io][dot][meta]") {
  io::ModelMeta meta;
  meta.input = io::divide(2, 255.0);  // two inputs' scaling for a network of one
  const Topology t = from_text("digraph { x [role=input]; y [role=output]; x -> y; }", nullptr);
  std::ostringstream out;
  test::require_io_error([&] { io::write_dot(out, t, meta); },
                         {"write_dot: the model metadata: input scaler: "});
  CHECK(out.str().empty());
}
