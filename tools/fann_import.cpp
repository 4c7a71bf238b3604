// The FANN side of `dagprop import` and `dagprop export-fann`: a FANN_FLO_2.1
// file as a model file (its input and output scaling saved with the model as
// the input and target scaling), and a model file as a FANN network. The
// formats themselves are io's (dagprop/io/fann.hpp).
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "dagprop/io/fann.hpp"
#include "dagprop/io/model.hpp"

namespace dagprop::cli {

bool is_fann_network(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[5] = {};
  return in.read(head, 5) && std::string(head, 5) == "FANN_";
}

Network<double> import_fann(const std::string& path, io::ModelMeta& meta) {
  io::FannNetwork f = io::read_fann(path, true);
  for (const std::string& note : f.notes) std::cerr << "dagprop: note: " << note << "\n";
  // fann_scale_input -> fann_run -> fann_descale_output: the model's input
  // scaling and target scaling (raw y = y' * scale + offset), so that predict
  // takes raw inputs and gives raw outputs and export-fann writes both back.
  meta.input = f.input_scaling;
  meta.target = f.output_scaling;
  return compile<double>(f.topology);
}

int cmd_export_fann(const Args& args) {
  std::string model, out;
  bool fixed_point = false;
  po::options_description desc("dagprop export-fann");
  desc.add_options()("model", po::value(&model)->required(), "model file (positional)")(
      "output,o", po::value(&out)->required(), "FANN network file (.net) to write")(
      "fixed-point", po::bool_switch(&fixed_point),
      "for FANN's fixed-point runtime (fann_save_to_fixed): linear neurons keep steepness 1, "
      "gaussian/softsign/sin are refused");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop export-fann MODEL -o OUT.net [--fixed-point]")) return 0;
  check_output_path(out, "-o");
  check_not_same(out, "-o", model, "the model");
  io::ModelMeta meta;
  const Network<double> net = load_model(model, meta);
  io::write_fann(out, net, &meta.input, &meta.target,
                 fixed_point ? io::FannRuntime::fixed_point : io::FannRuntime::floating_point);
  const io::Scaler& scaler = meta.input;
  std::cout << "wrote " << out << ": " << net.num_units() - net.num_inputs()
            << " FANN neurons (and bias neurons), " << net.num_connections()
            << " connections, scaling "
            << (scaler.kind == io::ScaleKind::none ? "none" : "included") << "\n";
  return 0;
}

}  // namespace dagprop::cli
