// `dagprop inspect`: what a model (or checkpoint) file holds: file format and
// version, units per role and activation, connections, levels, parameters,
// the saved input and target scaling, the training setup, and the input and
// output columns with their unit names; with --units, a table of every unit
// (what `dagprop edit` names). It reads; it never writes.
#include <algorithm>
#include <iostream>
#include <map>

#include "cli.hpp"
#include "dagprop/io/checkpoint.hpp"
#include "dagprop/io/model.hpp"

namespace dagprop::cli {

namespace {

// One row per unit in Topology id order (the order of the file, and the ids
// `dagprop edit` takes): id, name, role, input/output number, activation,
// level, fan-in |S_i| and fan-out |D_i|, in aligned columns.
void print_units(std::ostream& out, const Network<double>& net) {
  std::vector<std::size_t> fan_out(net.num_units(), 0);
  for (std::size_t c = 0; c < net.num_connections(); ++c) ++fan_out[net.source(c)];
  std::vector<UnitId> by_id(net.num_units());
  for (UnitId k = 0; k < net.num_units(); ++k) by_id[net.topology_id(k)] = k;
  std::vector<std::vector<std::string>> rows = {
      {"id", "name", "role", "number", "activation", "level", "fan-in", "fan-out"}};
  for (UnitId v = 0; v < net.num_units(); ++v) {
    const UnitId k = by_id[v];
    const Role role = net.role(k);
    std::string index = "-";
    if (role == Role::input) index = std::to_string(k);
    if (role == Role::output)
      index = std::to_string(static_cast<std::size_t>(
          std::find(net.outputs().begin(), net.outputs().end(), k) - net.outputs().begin()));
    rows.push_back({std::to_string(v), net.name(k).empty() ? "-" : net.name(k),
                    std::string(to_string(role)), index,
                    role == Role::input ? "-" : std::string(to_string(net.activation(k))),
                    std::to_string(net.level(k)), std::to_string(net.first(k + 1) - net.first(k)),
                    std::to_string(fan_out[k])});
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c)
      line += r[c] + (c + 1 < r.size() ? std::string(width[c] - r[c].size() + 2, ' ') : "");
    out << line << "\n";
  }
}

// What the model holds besides the network (io::ModelMeta).
void print_meta(const io::ModelMeta& m) {
  std::cout << "scaling " << io::to_string(m.input.kind) << "\n"
            << "target scaling " << io::to_string(m.target.kind);
  for (std::size_t k = 0; k < m.target.offset.size(); ++k)
    std::cout << (k ? ", " : " (y = y' * scale + offset: ") << number(m.target.scale[k]) << " * y'"
              << k << " + " << number(m.target.offset[k])
              << (k + 1 == m.target.offset.size() ? ")" : "");
  std::cout << "\n";
  if (!m.training) {
    std::cout << "training setup none (not trained by dagprop train, or an older file)\n";
    return;
  }
  const io::TrainingSetup& t = *m.training;
  std::cout << "loss " << to_string(t.loss) << "\nreduction " << to_string(t.reduction)
            << "\ntargets " << io::to_string(t.targets)
            << (t.columns.empty() ? "" : " " + t.columns) << "\n";
  if (!t.class_names.empty()) {
    std::cout << "class names";
    for (const auto& n : t.class_names) std::cout << " " << n;
    std::cout << "\n";
  }
}

// "input columns 1:x0 2:x1 ..." (the first 32) and the same for the outputs.
void print_columns(const Network<double>& net) {
  const auto list = [&](const char* what, const std::vector<UnitId>& units) {
    std::cout << what;
    for (std::size_t k = 0; k < units.size() && k < 32; ++k) {
      const std::string& name = net.name(units[k]);
      std::cout << " " << k + 1 << ":" << (name.empty() ? "#" + std::to_string(units[k]) : name);
    }
    std::cout << (units.size() > 32 ? " ..." : "") << "\n";
  };
  std::vector<UnitId> inputs;
  for (UnitId i = 0; i < net.num_units(); ++i)
    if (net.role(i) == Role::input) inputs.push_back(i);
  list("input columns", inputs);
  list("output columns", net.outputs());
}

}  // namespace

int cmd_inspect(const Args& args) {
  std::string model;
  po::options_description desc("dagprop inspect");
  desc.add_options()("model", po::value(&model)->required(), "model or checkpoint file")(
      "units", "list every unit: id, name, role, number, activation, level, fan-in, fan-out");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, "dagprop inspect MODEL [--units]")) return 0;

  check_input_file(model);
  const io::ModelInfo info = io::inspect_file(model);
  if (vm.count("units")) {
    print_units(std::cout, info.is_checkpoint ? io::load_checkpoint<double>(model).network
                                              : io::load_network<double>(model));
    return 0;
  }
  std::cout << "file " << model << "\n"
            << "content " << (info.is_checkpoint ? "checkpoint" : "model") << "\n"
            << "format " << io::to_string(info.kind) << " archive, version " << info.format_version
            << ", " << info.precision << " values, " << info.payload_bytes << " payload bytes\n";
  if (info.is_checkpoint) {
    std::cout << "optimizer " << info.optimizer << "\nepochs completed " << info.epoch
              << "\nbatches completed in the current epoch " << info.batch << "\n"
              << "units " << info.num_units << "\nconnections " << info.num_connections
              << "\ninputs " << info.num_inputs << "\noutputs " << info.num_outputs << "\n";
    print_meta(info.meta);
    return 0;
  }
  const Network<double> net = io::load_network<double>(model);
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
            << "\nparameters " << net.num_parameters() << "\n";
  print_meta(info.meta);
  print_columns(net);
  return 0;
}

}  // namespace dagprop::cli
