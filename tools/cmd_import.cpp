// `dagprop import`: a network from a Graphviz DOT file (units, roles,
// activations; weights from the file, or a seeded initialisation where the
// file gives none) or a FANN .net file (told apart by content), validated,
// compiled and saved as a model file.
#include <iostream>

#include "cli.hpp"
#include "dagprop/init.hpp"
#include "dagprop/io/dot.hpp"
#include "dagprop/io/format.hpp"

namespace dagprop::cli {

int cmd_import(const Args& args) {
  std::string dot, out, init = "he", format = "binary";
  std::uint64_t seed = 1;
  po::options_description desc("dagprop import");
  desc.add_options()("dot", po::value(&dot)->required(), "DOT or FANN .net file (positional)")(
      "init", po::value(&init)->default_value(init),
      "initialisation of weights the file does not give: glorot|he|...-uniform|...-normal")(
      "seed", po::value(&seed)->default_value(seed), "seed of the initialisation")(
      "format", po::value(&format)->default_value(format), "file format: binary|text|xml")(
      "output,o", po::value(&out)->required(), "model file to write");
  po::positional_options_description pos;
  pos.add("dot", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop import FILE.dot|FILE.net -o MODEL [options]")) return 0;
  const InitScheme scheme = parse_init(init);
  io::parse_archive_kind(format);
  check_output_path(out, "-o");
  check_not_same(out, "-o", dot, "the DOT file");
  check_input_file(dot);
  io::ModelMeta meta;
  Network<double> net;
  if (is_fann_network(dot)) {
    net = import_fann(dot, meta.input);
  } else {
    const Topology t = io::read_dot(dot, scheme, seed);
    for (UnitId i : io::units_reaching_no_output(t))
      std::cerr << "dagprop: warning: " << dot << ": unit " << t.label(i) << " ("
                << to_string(t.role(i)) << ") has no path to any output\n";
    net = compile<double>(t);
  }
  save_model(out, net, format, meta);
  std::cout << "wrote " << out << ": " << net.num_units() << " units, " << net.num_connections()
            << " connections, " << net.num_levels() << " levels\n";
  return 0;
}

}  // namespace dagprop::cli
