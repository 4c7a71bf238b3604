// `dagprop inspect`: what a model (or checkpoint) file holds: file format and
// version, units per role and activation, connections, levels, parameters,
// and the saved input scaling. It reads; it never writes.
#include <iostream>
#include <map>

#include "cli.hpp"
#include "dagprop/io/model.hpp"

namespace dagprop::cli {

int cmd_inspect(const Args& args) {
  std::string model;
  po::options_description desc("dagprop inspect");
  desc.add_options()("model", po::value(&model)->required(), "model or checkpoint file");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop inspect MODEL")) return 0;

  check_input_file(model);
  const io::ModelInfo info = io::inspect_file(model);
  std::cout << "file " << model << "\n"
            << "content " << (info.is_checkpoint ? "checkpoint" : "model") << "\n"
            << "format " << io::to_string(info.kind) << " archive, version " << info.format_version
            << ", " << info.precision << " values, " << info.payload_bytes << " payload bytes\n";
  if (info.is_checkpoint) {
    std::cout << "optimizer " << info.optimizer << "\nepochs completed " << info.epoch
              << "\nbatches completed in the current epoch " << info.batch << "\n"
              << "units " << info.num_units << "\nconnections " << info.num_connections
              << "\ninputs " << info.num_inputs << "\noutputs " << info.num_outputs << "\n";
    return 0;
  }
  io::Scaler scaler;
  const Network<double> net = io::load_network<double>(model, &scaler);
  std::map<std::pair<int, std::string>, std::size_t> kinds;  // (role, activation) -> units
  for (UnitId i = 0; i < net.num_units(); ++i) {
    const bool input = net.role(i) == Role::input;
    ++kinds[{static_cast<int>(net.role(i)),
             input ? std::string("-") : std::string(to_string(net.activation(i)))}];
  }
  std::cout << "units " << net.num_units() << "\n";
  for (const auto& [key, n] : kinds) {
    const auto role = to_string(static_cast<Role>(key.first));
    std::cout << "  " << role << (key.second == "-" ? "" : " " + key.second) << " " << n << "\n";
  }
  std::cout << "inputs " << net.num_inputs() << "\noutputs " << net.num_outputs()
            << "\nconnections " << net.num_connections() << "\nlevels " << net.num_levels()
            << "\nparameters " << net.num_parameters() << "\nscaling " << io::to_string(scaler.kind)
            << "\n";
  return 0;
}

}  // namespace dagprop::cli
