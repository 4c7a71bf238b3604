// The FANN side of `dagprop import` and `dagprop export-fann`: a FANN_FLO_2.1
// file as a model file (its input scaling saved with the model, its output
// scaling folded into the outputs), and a model file as a FANN network. The
// formats themselves are io's (dagprop/io/fann.hpp).
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "dagprop/io/fann.hpp"
#include "dagprop/io/model.hpp"

namespace dagprop::cli {

namespace {

// FANN's output scaling as the outputs' own affine map: each output is an
// identity unit of its own (read_fann's identity_outputs), raw = y' * scale +
// offset folded into its weights and bias. When model files hold a target
// scaler this is where the import should save it instead.
void fold_output_scaling(Topology& t, const io::Scaler& out) {
  if (out.kind == io::ScaleKind::none) return;
  const std::vector<UnitId> outputs = t.outputs();
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const UnitId o = outputs[k];
    t.for_each_upstream(o, [&](UnitId, double& w) { w *= out.scale[k]; });
    t.set_bias(o, t.bias(o) * out.scale[k] + out.offset[k]);
  }
}

}  // namespace

bool is_fann_network(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[5] = {};
  return in.read(head, 5) && std::string(head, 5) == "FANN_";
}

Network<double> import_fann(const std::string& path, io::Scaler& input_scaling) {
  io::FannNetwork f = io::read_fann(path, true);
  for (const std::string& note : f.notes) std::cerr << "dagprop: note: " << note << "\n";
  fold_output_scaling(f.topology, f.output_scaling);
  input_scaling = f.input_scaling;
  return compile<double>(f.topology);
}

int cmd_export_fann(const Args& args) {
  std::string model, out;
  po::options_description desc("dagprop export-fann");
  desc.add_options()("model", po::value(&model)->required(), "model file (positional)")(
      "output,o", po::value(&out)->required(), "FANN network file (.net) to write");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop export-fann MODEL -o OUT.net")) return 0;
  check_output_path(out, "-o");
  check_not_same(out, "-o", model, "the model");
  io::Scaler scaler;
  const Network<double> net = load_model(model, &scaler);
  io::write_fann(out, net, &scaler);
  std::cout << "wrote " << out << ": " << net.num_units() - net.num_inputs()
            << " FANN neurons (and bias neurons), " << net.num_connections()
            << " connections, scaling "
            << (scaler.kind == io::ScaleKind::none ? "none" : "included") << "\n";
  return 0;
}

}  // namespace dagprop::cli
