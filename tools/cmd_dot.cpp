// `dagprop dot`: a model file as Graphviz DOT on stdout (or -o FILE), units
// with their role, activation and bias, connections with their weights, and
// the model's metadata (scaling, training setup, class names: dot.hpp), so
// that `dagprop import` reads the same model back. Drawing is Graphviz's job, not ours.
#include <iostream>

#include "cli.hpp"
#include "dagprop/io/dot.hpp"

namespace dagprop::cli {

int cmd_dot(const Args& args) {
  std::string model, out;
  po::options_description desc("dagprop dot");
  desc.add_options()("model", po::value(&model)->required(), "model file (positional)")(
      "output,o", po::value(&out), "DOT file to write (default: stdout)");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop dot MODEL [-o FILE]")) return 0;
  if (vm.count("output")) {
    check_output_path(out, "-o");
    check_not_same(out, "-o", model, "the model file");
  }
  io::ModelMeta meta;
  const Topology t = load_model(model, meta).to_topology();
  if (!vm.count("output"))
    io::write_dot(std::cout, t, meta);
  else
    write_text_file(out, [&](std::ostream& s) { io::write_dot(s, t, meta); });
  return 0;
}

}  // namespace dagprop::cli
