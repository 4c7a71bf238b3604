// `dagprop import`: a network from a Graphviz DOT file (units, roles,
// activations; weights from the file, or a seeded initialisation where the
// file gives none), a neat-python JSON export or a FANN 2.2 .net file, told
// apart by content (io/import.hpp; FANN in fann_import.cpp), validated,
// compiled and saved as a model file.
#include <iostream>

#include "cli.hpp"
#include "dagprop/init.hpp"
#include "dagprop/io/dot.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/io/import.hpp"

namespace dagprop::cli {

int cmd_import(const Args& args) {
  std::string file, out, init = "he", format = "auto", archive = "binary";
  std::uint64_t seed = 1;
  po::options_description desc("dagprop import");
  desc.add_options()("file", po::value(&file)->required(),
                     "DOT, neat-python JSON or FANN .net file (positional)")(
      "format", po::value(&format)->default_value(format),
      "format of the file: auto (by content)|dot|neat|fann")(
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
             "dagprop import FILE -o MODEL [--format auto|dot|neat|fann] [options]"))
    return 0;
  const InitScheme scheme = parse_init(init);
  io::parse_archive_kind(archive);
  check_output_path(out, "-o");
  check_not_same(out, "-o", file, "the network file");
  check_input_file(file);
  // A FANN file brings its input and output scaling, a DOT file from
  // `dagprop dot` all of the model's metadata.
  io::ModelMeta meta;
  Network<double> net;
  if (format == "fann" || (format == "auto" && is_fann_network(file))) {
    net = import_fann(file, meta);
  } else {
    const Topology t = [&] {
      try {
        return io::import_network(file, format, io::ImportOptions{scheme, seed}, &meta);
      } catch (const io_error&) {  // io's message names DOT and neat only
        const std::string text = io::read_text_file(file, io::max_import_bytes);
        if (format == "auto" && io::detect_import_format(text).empty())
          throw io_error(file + ": cannot tell the network format from its first bytes '" +
                         printable(std::string_view(text).substr(0, 24), 24) +
                         "' (expected a DOT digraph, a neat-python JSON object or a FANN "
                         "network, which starts FANN_FLO_2.1); name it with --format dot, neat "
                         "or fann");
        throw;
      }
    }();
    for (UnitId i : io::units_reaching_no_output(t))
      std::cerr << "dagprop: warning: " << file << ": unit " << t.label(i) << " ("
                << to_string(t.role(i)) << ") has no path to any output\n";
    net = compile<double>(t);
  }
  save_model(out, net, archive, meta);
  std::cout << "wrote " << out << ": " << net.num_units() << " units, " << net.num_connections()
            << " connections, " << net.num_levels() << " levels\n";
  return 0;
}

}  // namespace dagprop::cli
