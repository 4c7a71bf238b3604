// `dagprop new`: a layered network (sizes, hidden and output activations,
// seeded initialisation, named units), or with --skip a densely connected DAG
// where every unit feeds every unit of every later level. It does not train.
#include <iostream>

#include "cli.hpp"
#include "dagprop/init.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/topology.hpp"

namespace dagprop::cli {

namespace {

// What `new` builds at most: far below dagprop::max_units (what the 32-bit
// unit ids of Network hold), and within memory: building and saving takes some
// 200 bytes per connection (Topology, Network, model records: 812 MB for
// 2048,2048), so 2^23 connections stay near 1.6 GB (2^28 of them, allowed
// before, died out of memory).
constexpr std::size_t max_new_units = std::size_t{1} << 24;
constexpr std::size_t max_new_connections = std::size_t{1} << 23;

struct NewArgs {
  std::string layers, hidden = "relu", output = "identity", init = "he", out, format = "binary";
  std::uint64_t seed = 1;
  bool skip = false;
};

// Parses the flags; false on --help.
bool parse_new_args(const Args& args, NewArgs& a) {
  po::options_description desc("dagprop new");
  const std::string activations = activation_names.expected();
  desc.add_options()("layers", po::value(&a.layers)->required(),
                     "units per level, inputs first, e.g. 784,256,128,10")(
      "hidden-activation,hidden", po::value(&a.hidden)->default_value(a.hidden),
      ("activation of hidden units (--hidden for short): " + activations).c_str())(
      "output-activation", po::value(&a.output)->default_value(a.output),
      "activation of output units")("init", po::value(&a.init)->default_value(a.init),
                                    "weights: glorot|glorot-uniform|glorot-normal|he|he-uniform|"
                                    "he-normal")("seed", po::value(&a.seed)->default_value(a.seed),
                                                 "seed of the initialisation")(
      "skip", po::bool_switch(&a.skip),
      "connect every unit to every unit of every later level (a dense DAG)")(
      "format", po::value(&a.format)->default_value(a.format), "file format: binary|text|xml")(
      "output,o", po::value(&a.out)->required(), "model file to write");
  po::variables_map vm;
  return parse(args, desc, {}, vm, "dagprop new --layers N0,N1,...,NL [options] -o FILE");
}

// --output names the model file, as in every other command; an activation
// there is the old spelling of --output-activation.
void check_not_an_activation(const std::string& out) {
  bool activation_name = true;
  try {
    parse_activation(out);
  } catch (const error&) {
    activation_name = false;
  }
  if (activation_name)
    throw usage_error("--output " + out +
                      ": --output (-o) is the model file to write; for the activation of the "
                      "output units use --output-activation " +
                      out);
}

// The units per level of --layers: at least two levels of at least one unit.
std::vector<std::size_t> parse_layers(const std::string& layers) {
  std::vector<std::size_t> sizes;
  for (const auto& s : split_list(layers, "--layers")) {
    sizes.push_back(parse_count(s, "--layers"));
    if (sizes.back() == 0) throw usage_error("--layers: every level needs at least one unit");
  }
  if (sizes.size() < 2)
    throw usage_error("--layers: need at least an input and an output level, got '" + layers + "'");
  return sizes;
}

// Counted before anything is built (each count is capped, so none overflows).
void check_new_size(const std::vector<std::size_t>& sizes, bool skip, const std::string& layers) {
  std::size_t units = 0, connections = 0;
  for (std::size_t l = 0; l < sizes.size(); ++l) {
    const std::size_t from = l == 0 ? 0 : skip ? units : sizes[l - 1];
    if (sizes[l] > max_new_units || units + sizes[l] > max_new_units)
      throw usage_error("--layers " + layers + ": more than " + std::to_string(max_new_units) +
                        " units, too many for one network");
    if (from > 0 && sizes[l] > (max_new_connections - connections) / from)
      throw usage_error("--layers " + layers + ": more than " +
                        std::to_string(max_new_connections) +
                        " connections, too many for one network");
    units += sizes[l];
    connections += from * sizes[l];
  }
}

// Dense levels: each fed by the level before, or with skip by every level
// before. Units are named, so that `dot`, `inspect --units`, `edit` and error
// messages can say which: inputs x1..xn, hidden units h<level>_<k>, outputs
// y1..yK (plain DOT identifiers, counted from 1 like the CLI's columns).
Topology layered(const std::vector<std::size_t>& sizes, bool skip, Activation f_hidden,
                 Activation f_output) {
  Topology t;
  std::vector<UnitId> previous, all;
  for (std::size_t k = 0; k < sizes[0]; ++k)
    previous.push_back(t.add_input("x" + std::to_string(k + 1)));
  all = previous;
  for (std::size_t l = 1; l < sizes.size(); ++l) {
    const bool last = l + 1 == sizes.size();
    previous = add_dense_layer(t, skip ? all : previous, sizes[l], last ? f_output : f_hidden,
                               last ? Role::output : Role::hidden);
    const std::string prefix = last ? "y" : "h" + std::to_string(l) + "_";
    for (std::size_t k = 0; k < previous.size(); ++k)
      t.set_name(previous[k], prefix + std::to_string(k + 1));
    all.insert(all.end(), previous.begin(), previous.end());
  }
  return t;
}

}  // namespace

int cmd_new(const Args& args) {
  NewArgs a;
  if (!parse_new_args(args, a)) return 0;
  check_not_an_activation(a.out);
  const std::vector<std::size_t> sizes = parse_layers(a.layers);
  const Activation f_hidden = parse_activation(a.hidden), f_output = parse_activation(a.output);
  const InitScheme scheme = parse_init(a.init);
  io::parse_archive_kind(a.format);
  check_output_path(a.out, "-o");
  check_new_size(sizes, a.skip, a.layers);

  Topology t = layered(sizes, a.skip, f_hidden, f_output);
  initialize(t, scheme, a.seed);
  const Network<double> net = compile<double>(t);
  save_model(a.out, net, a.format, nullptr);
  std::cout << "wrote " << a.out << ": " << net.num_units() << " units, " << net.num_connections()
            << " connections, " << net.num_parameters() << " parameters\n";
  return 0;
}

}  // namespace dagprop::cli
