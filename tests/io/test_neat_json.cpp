// neat-python JSON import: outputs against tests/io/reference/neat_reference.py
// (neat-python's definitions of every activation and both aggregations, a
// disabled gene, a dangling output, a bias neuron), fine-tuning and writing the
// genes back, every refusal naming the file and the node, the JSON reader's
// limits, and import_network's format detection and file checks.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/import.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/io/neat_json.hpp"
#include "io/neat_reference.hpp"
#include "io/require_io_error.hpp"
#include "temp_dir.hpp"

using namespace dagprop;

namespace {

const neat_reference::Case& reference(const std::string& name) {
  for (const auto& c : neat_reference::cases)
    if (c.name == name) return c;
  FAIL("no reference case " << name);
  return neat_reference::cases[0];
}

// |a - r| <= 1e-9 max(1, |r|): absolute near 0, relative where large.
bool close(double a, double r) {
  return std::abs(a - r) <= 1e-9 * std::max(1.0, std::abs(r));
}

// `text` with its one occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string genome_json() {
  return reference("genome").json;
}

// Outputs of `net` on the reference's rows checked against its values.
void check_outputs(const Network<double>& net, const neat_reference::Case& c) {
  const std::size_t rows = c.x.size() / c.inputs;
  REQUIRE(net.num_inputs() == c.inputs);
  REQUIRE(net.num_outputs() == c.outputs);
  const std::vector<double> y = predict(net, c.x.data(), rows);
  std::size_t wrong = 0;
  for (std::size_t k = 0; k < y.size(); ++k)
    if (!close(y[k], c.y[k]) && wrong++ < 5)
      FAIL_CHECK("row " << k / c.outputs << ", output '" << net.name(net.output(k % c.outputs))
                        << "': dagprop " << y[k] << ", neat-python " << c.y[k]);
  CHECK(wrong == 0);
}

std::string refusal(const std::string& text) {
  try {
    io::read_neat_json(text, "bad.json");
  } catch (const io_error& e) {
    return e.what();
  }
  FAIL("accepted");
  return {};
}

}  // namespace

TEST_CASE("neat-python JSON: every activation and aggregation computes neat-python's outputs",
          "[io][neat]") {
  for (const auto& c : neat_reference::cases) {
    INFO("case " << c.name);
    test::TempDir dir("neat");
    const std::string path = dir.write(std::string(c.name) + ".json", c.json);
    const Topology t = io::read_neat_json(path);
    check_outputs(compile<double>(t), c);
    check_outputs(compile<double>(io::import_network(path)), c);  // told apart by content
  }
  // Every neat-python activation but inv and log, each an output, with sum and with mean.
  const auto& every = reference("every_activation");
  CHECK(every.outputs == 2 * 16);
  const io::NeatNetwork n = io::parse_neat_json(every.json, "every.json");
  std::size_t mean = 0;
  for (const auto& node : n.nodes) mean += node.aggregation == "mean";
  CHECK(mean == 16);
}

TEST_CASE("neat-python JSON: sigmoid and gauss keep their clamps, flat beyond them", "[io][neat]") {
  // One input feeding a sigmoid node (0) and a gauss node (1), weights 1, biases 0.
  const std::string node = R"({"id": ID, "type": "output", "activation": {"name": "ACT",
      "custom": false}, "aggregation": {"name": "sum", "custom": false}, "bias": 0.0,
      "response": 1.0})";
  const auto with = [&](const char* id, const char* act) {
    return replaced(replaced(node, "ID", id), "ACT", act);
  };
  const std::string text =
      R"({"format_version": "1.0", "network_type": "feedforward", "topology": {"num_inputs": 1,
      "num_outputs": 2, "input_keys": [-1], "output_keys": [0, 1]}, "nodes": [)" +
      with("0", "sigmoid") + ", " + with("1", "gauss") +
      R"(], "connections": [{"from": -1, "to": 0, "weight": 1.0, "enabled": true},
      {"from": -1, "to": 1, "weight": 1.0, "enabled": true}]})";
  const Network<double> net = compile<double>(io::read_neat_json(text, "clamps.json"));
  CHECK(net.activation(net.output(0)) == Activation::neat_sigmoid);
  CHECK(net.activation(net.output(1)) == Activation::neat_gauss);
  Run<double> run(net);
  Gradient<double> grad(net);
  const double target[2] = {0.5, 0.5};
  // Inside the clamps (5 * 0.1 and 0.1 within ±60 and ±3.4) both learn ...
  const double inside = 0.1;
  back_propagate(net, &inside, target, Loss::sse, run, grad);
  CHECK(std::abs(grad.db()[net.output(0)]) > 1e-3);
  CHECK(std::abs(grad.db()[net.output(1)]) > 1e-3);
  // ... beyond them neat-python's functions are constant, and so is dagprop's:
  // sigmoid(20) = 1 / (1 + e^-60) and gauss(20) = e^(-5 * 3.4^2), gradients exactly 0.
  for (double x : {20.0, -20.0}) {
    Gradient<double> beyond(net);
    back_propagate(net, &x, target, Loss::sse, run, beyond);
    CHECK(run.y[net.output(0)] == (x > 0 ? 1.0 : 1 / (1 + std::exp(60.0))));
    CHECK(run.y[net.output(1)] == Approx(std::exp(-57.8)).epsilon(1e-14));
    for (std::size_t k = 0; k < net.num_connections(); ++k) CHECK(beyond.dw()[k] == 0.0);
    CHECK(beyond.db()[net.output(0)] == 0.0);
    CHECK(beyond.db()[net.output(1)] == 0.0);
  }
}

TEST_CASE("neat-python JSON: node ids name the units, keys give the column order", "[io][neat]") {
  const Topology t = io::read_neat_json(genome_json(), "genome.json");
  const auto name = [&](UnitId i) { return t.name(i); };
  const std::vector<UnitId> in = t.inputs(), out = t.outputs();
  REQUIRE(in.size() == 3);
  CHECK(std::vector<std::string>{name(in[0]), name(in[1]), name(in[2])} ==
        std::vector<std::string>{"-1", "-3", "-2"});
  REQUIRE(out.size() == 3);
  CHECK(std::vector<std::string>{name(out[0]), name(out[1]), name(out[2])} ==
        std::vector<std::string>{"0", "1", "2"});
  // Disabled genes are not connections; the response 1.2 is folded into the
  // weight (249 -> 0: 1.2 * 2.5); neat_sigmoid keeps the steepness 5 itself.
  CHECK_FALSE(t.connected(*t.find("-2"), *t.find("0")));
  CHECK_FALSE(t.connected(*t.find("249"), *t.find("142")));
  CHECK(t.activation(*t.find("0")) == Activation::neat_sigmoid);
  CHECK(t.weight(*t.find("249"), *t.find("0")) == Approx(1.2 * 2.5).epsilon(1e-15));
  CHECK(t.bias(*t.find("0")) == Approx(-0.9741713191653999).epsilon(1e-15));
  // mean over the two connections into 142, tanh's steepness 2.5, response 0.8
  CHECK(t.weight(*t.find("-1"), *t.find("142")) == Approx(2.5 * 0.8 * 0.7 / 2).epsilon(1e-15));
  CHECK(t.num_connections() == 15);
}

TEST_CASE("neat-python JSON: a dangling output and a bias neuron are constant units",
          "[io][neat]") {
  const Network<double> net = compile<double>(io::read_neat_json(genome_json(), "genome.json"));
  const auto& c = reference("genome");
  const std::size_t rows = c.x.size() / c.inputs;
  const std::vector<double> y = predict(net, c.x.data(), rows);
  // Output 2 is identity with bias 0.25 and nothing upstream: 0.25 on every row.
  for (std::size_t r = 0; r < rows; ++r) CHECK(y[r * 3 + 2] == 0.25);
  const UnitId bias_neuron = [&] {
    for (UnitId i = 0; i < net.num_units(); ++i)
      if (net.name(i) == "77") return i;
    return net.num_units();
  }();
  REQUIRE(bias_neuron < net.num_units());
  CHECK(net.first(bias_neuron) == net.first(bias_neuron + 1));  // S_i is empty
  CHECK(net.level(bias_neuron) == 1);

  // A prune at 0 keeps the bias neuron (it feeds outputs 0 and 1) and the
  // dangling output: the pruned genome still computes neat-python's values.
  Topology pruned = io::read_neat_json(genome_json(), "genome.json");
  const PruneReport r = prune(pruned, 0.0);
  CHECK(r.units_removed.empty());
  CHECK(r.connections_removed == 0);
  check_outputs(compile<double>(pruned), c);
}

TEST_CASE("neat-python JSON: fine-tuned, saved, reloaded and written back as genes",
          "[io][neat][trainer]") {
  const auto& c = reference("genome");
  io::NeatNetwork genes = io::parse_neat_json(c.json, "genome.json");
  Network<double> net = compile<double>(io::to_topology(genes, "genome.json"));
  // Targets: a smooth function of the inputs the genome does not yet compute.
  SplitMix64 rng(5);
  Dataset<double> data;
  data.num_inputs = 3, data.num_targets = 3;
  for (int r = 0; r < 256; ++r) {
    const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1), d = rng.uniform(-1, 1);
    data.inputs.insert(data.inputs.end(), {a, b, d});
    data.targets.insert(data.targets.end(), {0.5 + 0.4 * a * b, std::exp(-(a - d) * (a - d)), 0.1});
  }
  const double before = evaluate(net, data, Loss::sse).loss;
  TrainOptions o;
  o.epochs = 20;
  o.batch_size = 16;
  o.learning_rate = 0.01;
  OptimizerOptions adam;
  adam.name = "adam";
  Trainer<double>(net, o, make_optimizer<double>(adam)).fit(data);
  const double after = evaluate(net, data, Loss::sse).loss;
  CHECK(after < 0.7 * before);

  test::TempDir dir("neat-tune");
  io::save_network(dir.file("tuned.dpn"), net, io::ArchiveKind::binary);
  const Network<double> back = io::load_network<double>(dir.file("tuned.dpn"));
  CHECK(predict(back, data.inputs.data(), data.size()) ==
        predict(net, data.inputs.data(), data.size()));

  // Back into the genes: neat-python's own formula on them gives the tuned network.
  io::update_genes(genes, net.to_topology());
  std::ostringstream json;
  io::write_neat_json(json, genes);
  const io::NeatNetwork again = io::parse_neat_json(json.str(), "tuned.json");
  REQUIRE(again.nodes.size() == genes.nodes.size());
  for (std::size_t k = 0; k < genes.nodes.size(); ++k) {
    CHECK(again.nodes[k].id == genes.nodes[k].id);
    CHECK(again.nodes[k].bias == genes.nodes[k].bias);  // written exactly
    CHECK(again.nodes[k].response == genes.nodes[k].response);
    CHECK(again.nodes[k].aggregation == genes.nodes[k].aggregation);
  }
  CHECK(again.connections.size() == genes.connections.size());
  CHECK(again.connections[8].weight == 5.0);  // the disabled gene is kept as it was
  CHECK_FALSE(again.connections[8].enabled);
  CHECK(again.metadata.find("tests/io/reference") != std::string::npos);
  const Network<double> rebuilt = compile<double>(io::to_topology(again, "tuned.json"));
  const auto y = predict(net, data.inputs.data(), data.size());
  const auto z = predict(rebuilt, data.inputs.data(), data.size());
  for (std::size_t k = 0; k < y.size(); ++k) CHECK(close(z[k], y[k]));
}

TEST_CASE("neat-python JSON: what dagprop cannot compute is refused, naming the node",
          "[io][neat]") {
  using Catch::Contains;
  const std::string g = genome_json();
  const std::string tanh = "\"name\": \"tanh\"";
  CHECK_THAT(refusal(replaced(g, tanh, "\"name\": \"inv\"")),
             Contains("bad.json:") && Contains("node 142") && Contains("'inv'"));
  CHECK_THAT(refusal(replaced(g, tanh, "\"name\": \"log\"")),
             Contains("node 142") && Contains("'log'"));
  CHECK_THAT(refusal(replaced(g, tanh, "\"name\": \"my_act\"")), Contains("'my_act'"));
  const std::string odd = refusal(replaced(g, tanh, "\"name\": \"a\\nb\""));  // one line
  CHECK_THAT(odd, Contains("'a\\nb'"));
  CHECK(odd.find('\n') == std::string::npos);
  CHECK_THAT(refusal(replaced(g, "\"name\": \"mean\"", "\"name\": \"product\"")),
             Contains("node 142") && Contains("aggregation 'product'"));
  CHECK_THAT(refusal(replaced(g, "\"name\": \"clamped\",\n        \"custom\": false",
                              "\"name\": \"clamped\",\n        \"custom\": true")),
             Contains("node 311") && Contains("custom"));
  for (const char* type : {"recurrent", "ctrnn", "iznn"})
    CHECK_THAT(refusal(replaced(g, "\"feedforward\"", std::string("\"") + type + "\"")),
               Contains(std::string("network_type '") + type + "'"));
  CHECK_THAT(refusal(replaced(g, "\"format_version\": \"1.0\"", "\"format_version\": \"2.0\"")),
             Contains("format_version '2.0'"));
  const std::string conns = "\"connections\": [";
  CHECK_THAT(refusal(replaced(g, conns,
                              conns + "{\"from\": 0, \"to\": 249, \"weight\": 1.0, "
                                      "\"enabled\": true},")),
             Contains("cycle") && Contains("'249'") && Contains("'0'"));
  CHECK_THAT(refusal(replaced(g, conns,
                              conns + "{\"from\": 999, \"to\": 0, \"weight\": 1.0, "
                                      "\"enabled\": true},")),
             Contains("connection 999 -> 0") && Contains("node 999 does not exist"));
  CHECK_THAT(refusal(replaced(g, conns,
                              conns + "{\"from\": 0, \"to\": -3, \"weight\": 1.0, "
                                      "\"enabled\": true},")),
             Contains("enters input -3"));
  CHECK_THAT(refusal(replaced(g, conns,
                              conns + "{\"from\": -1, \"to\": 249, \"weight\": 1.0, "
                                      "\"enabled\": true},")),
             Contains("connection -1 -> 249") && Contains("second enabled connection"));
  CHECK_THAT(refusal(replaced(g, "\"id\": 311", "\"id\": 142")),
             Contains("node 142") && Contains("second node"));
  CHECK_THAT(refusal(replaced(g, "\"id\": 311", "\"id\": 311.5")), Contains("'311.5'"));
  const std::string five =
      replaced(replaced(g, "\"output_keys\": [\n      0,", "\"output_keys\": [\n      5, 0,"),
               "\"num_outputs\": 3", "\"num_outputs\": 4");
  CHECK_THAT(refusal(five), Contains("output key 5 has no node"));
  CHECK_THAT(refusal(replaced(g, "\"num_outputs\": 3", "\"num_outputs\": 2")),
             Contains("topology.num_outputs is 2, but 3 keys are listed"));
  CHECK_THAT(refusal(replaced(g, "\"bias\": 0.05,", "\"bias\": 0.05, \"bias\": 1,")),
             Contains("distinct member names") && Contains("'bias'"));
  CHECK_THAT(refusal(replaced(g, "\"bias\": 0.05,", "\"bias\": NaN,")),
             Contains("node 311") && Contains("'bias' is NaN, expected a finite number"));
  CHECK_THAT(refusal(replaced(g, "\"weight\": 1.1,", "\"weight\": -Infinity,")),
             Contains("'weight' is -Infinity"));
  CHECK_THAT(refusal(replaced(g, "\"bias\": 0.05,", "\"bias\": 1e999,")), Contains("'1e999'"));
  CHECK_THAT(refusal(replaced(g, "\"bias\": 0.05,", "\"bias\": \"0.05\",")),
             Contains("node 311") && Contains("'bias' should be a number"));
  CHECK_THAT(refusal(replaced(g, "\"bias\": 0.05,\n      \"response\": 1.3", "\"bias\": 0.05")),
             Contains("node 311") && Contains("'response'"));
  CHECK_THAT(refusal(replaced(g, "\"id\": 2,\n      \"type\": \"output\"",
                              "\"id\": 2,\n      \"type\": \"hidden\"")),
             Contains("node 2") && Contains("type 'hidden'"));
}

TEST_CASE("neat-python JSON: the reader gives line:column and keeps to its caps", "[io][neat]") {
  using Catch::Contains;
  CHECK_THAT(refusal("{\n  \"format_version\": \"1.0\",\n  \"x\": [1, 2,]\n}"),
             Contains("bad.json:3:14: JSON: expected a value"));
  CHECK_THAT(refusal("{\"a\": 01}"), Contains("bad.json:1:7") && Contains("leading zeros"));
  CHECK_THAT(refusal("{\"a\": \"x\ny\"}"), Contains("bad.json:1:9"));
  CHECK_THAT(refusal("{\"a\": 1} 2"), Contains("bad.json:1:10") && Contains("end of the text"));
  CHECK_THAT(refusal(""), Contains("bad.json:1:1") && Contains("the end of the text"));
  CHECK_THAT(refusal("[1, 2]"), Contains("expected a JSON object"));
  // A number past a double's range is shown by its first 40 bytes, not all of them.
  const std::string huge = refusal("{\"a\": 1" + std::string(1000000, '0') + "}");
  CHECK_THAT(huge, Contains("within the range of a double") && Contains("'1000000000"));
  CHECK(huge.size() < 200);
  CHECK_THAT(refusal("{\"a\": \"\\ud800x\"}"), Contains("low surrogate"));
  // Nesting beyond 64 levels, refused without recursion (10^6 levels would overflow a stack).
  CHECK_THAT(refusal(std::string(1000000, '[')), Contains("nested at most 64"));
  CHECK_THAT(refusal("{\"a\": \"" + std::string(70000, 'x') + "\"}"),
             Contains("strings of at most"));
  std::string many = "{\"a\": [";
  for (int k = 0; k < (1 << 21); ++k) many += "0,";
  CHECK_THAT(refusal(many + "0]}"), Contains("values"));
  // Escapes and numbers that are valid: a document otherwise complete reads.
  const std::string g = genome_json();
  const Topology t = io::read_neat_json(
      replaced(replaced(g, "\"bias\": 0.05,", "\"bias\": 5E-2,"),
               "\"note\": \"tests/io/reference\"", "\"note\": \"\\u00e9\\ud83d\\ude00\\n\\\"\""),
      "ok.json");
  CHECK(t.bias(*t.find("311")) == 0.05);  // clamped: steepness 1
}

TEST_CASE("neat-python JSON: Python's NaN and Infinity in the metadata are kept verbatim",
          "[io][neat]") {
  // json.dumps writes a non-finite fitness as -Infinity or NaN; the network
  // itself does not depend on it.
  const std::string meta = "\"fitness\": -Infinity, \"best\": [NaN, Infinity], ";
  const std::string g = replaced(genome_json(), "\"note\": \"tests/io/reference\"",
                                 meta + "\"note\": \"tests/io/reference\"");
  const io::NeatNetwork n = io::parse_neat_json(g, "meta.json");
  CHECK(n.metadata.find(meta) != std::string::npos);
  check_outputs(compile<double>(io::to_topology(n, "meta.json")), reference("genome"));
  std::ostringstream back;
  io::write_neat_json(back, n);
  CHECK(back.str().find(meta) != std::string::npos);
  CHECK(io::parse_neat_json(back.str(), "back.json").metadata == n.metadata);
}

TEST_CASE("import_network tells DOT and neat-python JSON apart and checks the file",
          "[io][neat][import]") {
  test::TempDir dir("import");
  const std::string json = dir.write("g.json", "\xEF\xBB\xBF\n  " + genome_json());
  const std::string dot =
      dir.write("g.dot", "// a comment\ndigraph { a [role=input]; o [role=output]; a -> o; }\n");
  CHECK(io::detect_import_format(test::read_bytes(json)) == "neat");
  CHECK(io::detect_import_format(test::read_bytes(dot)) == "dot");
  CHECK(io::detect_import_format("strict digraph {}") == "dot");
  CHECK(io::detect_import_format("digraphs") == "");
  CHECK(io::import_network(json).num_units() == 10);
  CHECK(io::import_network(dot, "dot").num_units() == 2);
  test::require_io_error([&] { io::import_network(dot, "neat"); }, {"g.dot:1:1", "JSON"});
  test::require_io_error([&] { io::import_network(json, "onnx"); },
                         {"g.json", "unknown format 'onnx'", "dot, neat"});
  const std::string odd = dir.write("odd.txt", "hello");
  test::require_io_error([&] { io::import_network(odd); }, {"odd.txt", "'hello'", "--format"});
  test::require_io_error([&] { io::import_network(dir.path().string()); }, {"directory"});
  test::require_io_error([&] { io::import_network("/dev/zero"); }, {"/dev/zero", "regular file"});
  test::require_io_error([&] { io::import_network(dir.file("missing.json")); }, {"missing.json"});
  const std::string big = dir.write("big.json", "{");
  std::filesystem::resize_file(big, io::max_import_bytes + 1);  // sparse: nothing is written
  test::require_io_error([&] { io::import_network(big); }, {"big.json", "exceeds the cap"});
}
