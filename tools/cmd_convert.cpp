// `dagprop convert`: rewrites a model file in another archive format (text,
// binary or XML), keeping its values, its saved scaling and training setup exactly. It does
// not convert checkpoints.
#include <iostream>

#include "cli.hpp"
#include "dagprop/io/model.hpp"

namespace dagprop::cli {

int cmd_convert(const Args& args) {
  std::string model, format, out;
  po::options_description desc("dagprop convert");
  desc.add_options()("model", po::value(&model)->required(), "model file (positional)")(
      "format", po::value(&format)->required(), "text | binary | xml")(
      "output,o", po::value(&out)->required(), "model file to write");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop convert MODEL --format text|binary|xml -o OUT"))
    return 0;
  io::parse_archive_kind(format);
  check_output_path(out, "-o");  // the model itself may be rewritten in place
  check_input_file(model);
  io::ModelMeta meta;  // kept whole: scalers and training setup
  const bool single = io::inspect_file(model).precision == "float";  // keep the precision
  const Network<double> net = load_model(model, meta);
  if (single)
    save_model(out, net.cast<float>(), format, meta);
  else
    save_model(out, net, format, meta);
  std::cout << "wrote " << out << " (" << format << ")\n";
  return 0;
}

}  // namespace dagprop::cli
