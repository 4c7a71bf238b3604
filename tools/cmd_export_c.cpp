// `dagprop export-c`: a model file as NAME.c and NAME.h, one C99 function
// NAME_run(in, out) computing what `dagprop predict` prints, the saved input
// scaling applied inside (dagprop/io/c_export.hpp). It compiles nothing.
#include <iostream>

#include "cli.hpp"
#include "dagprop/io/c_export.hpp"

namespace dagprop::cli {

namespace {

io::CShape parse_shape(const std::string& text) {
  for (io::CShape s : {io::CShape::automatic, io::CShape::straight_line, io::CShape::arrays})
    if (text == io::to_string(s)) return s;
  throw usage_error("--shape: expected automatic, straight-line or arrays, got '" + text + "'");
}

// The library's invalid_argument for a flag's value, as a usage error naming the flag.
template <class F>
auto checked_flag(const char* flag, F f) {
  try {
    return f();
  } catch (const invalid_argument& e) {
    throw usage_error(std::string(flag) + ": " + e.what());
  }
}

}  // namespace

int cmd_export_c(const Args& args) {
  std::string model, out, name, precision = "float", shape = "automatic";
  const std::string shape_help =
      "automatic | straight-line | arrays (automatic: straight-line up to " +
      std::to_string(io::c_export_straight_max_connections) + " connections, arrays above)";
  po::options_description desc("dagprop export-c");
  desc.add_options()("model", po::value(&model)->required(), "model file (positional)")(
      "output,o", po::value(&out)->required(),
      "C file to write (NAME.c; the header NAME.h is written next to it)")(
      "name", po::value(&name)->notifier(not_empty("--name")),
      "prefix of the C names (NAME_run; default: from the output file name)")(
      "precision", po::value(&precision)->default_value(precision), "float | double")(
      "shape", po::value(&shape)->default_value(shape), shape_help.c_str());
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop export-c MODEL -o NAME.c [options]")) return 0;
  check_precision(precision);
  io::CExportOptions opt;
  opt.shape = parse_shape(shape);
  opt.name = name.empty() ? io::c_name_from_path(out) : name;
  checked_flag("--name", [&] { io::check_c_name(opt.name); });
  const std::string header = checked_flag("-o", [&] { return io::c_header_path(out); });
  check_output_path(out, "-o");
  check_output_path(header, "-o (its header)");
  check_not_same(out, "-o", model, "the model file");
  check_not_same(header, "-o (its header)", model, "the model file");

  io::ModelMeta saved;
  const Network<double> net = load_model(model, saved);
  opt.input_scaler = &saved.input;
  if (saved.target.kind != io::ScaleKind::none) opt.output_descale = &saved.target;
  const io::CShape made = precision == "float" ? io::export_c(out, net.cast<float>(), opt)
                                               : io::export_c(out, net, opt);
  std::cout << "wrote " << out << " and " << header << " (" << opt.name << "_run, " << precision
            << ", " << io::to_string(made) << ")\n";
  return 0;
}

}  // namespace dagprop::cli
