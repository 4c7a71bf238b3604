// `dagprop import`: a network from a Graphviz DOT file (units, roles,
// activations; weights from the file, or a seeded initialisation where the
// file gives none) or a neat-python JSON export (io/import.hpp tells them apart
// by content), validated, compiled and saved as a model file.
#include <iostream>

#include "cli.hpp"
#include "dagprop/init.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/io/import.hpp"

namespace dagprop::cli {

int cmd_import(const Args& args) {
  std::string file, out, init = "he", format = "auto", archive = "binary";
  std::uint64_t seed = 1;
  po::options_description desc("dagprop import");
  desc.add_options()("file", po::value(&file)->required(),
                     "DOT or neat-python JSON file (positional)")(
      "format", po::value(&format)->default_value(format),
      "format of the file: auto (by content)|dot|neat")(
      "init", po::value(&init)->default_value(init),
      "initialisation of weights a DOT file does not give: glorot|he|...-uniform|...-normal")(
      "seed", po::value(&seed)->default_value(seed), "seed of the initialisation")(
      "archive", po::value(&archive)->default_value(archive),
      "model file archive: binary|text|xml")("output,o", po::value(&out)->required(),
                                             "model file to write");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm,
             "dagprop import FILE -o MODEL [--format auto|dot|neat] [options]"))
    return 0;
  const InitScheme scheme = parse_init(init);
  io::parse_archive_kind(archive);
  check_output_path(out, "-o");
  check_not_same(out, "-o", file, "the network file");
  check_input_file(file);
  const Topology t = io::import_network(file, format, io::ImportOptions{scheme, seed});
  const Network<double> net = compile<double>(t);
  save_model(out, net, archive, nullptr);
  std::cout << "wrote " << out << ": " << net.num_units() << " units, " << net.num_connections()
            << " connections, " << net.num_levels() << " levels\n";
  return 0;
}

}  // namespace dagprop::cli
