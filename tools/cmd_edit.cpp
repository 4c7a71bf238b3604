// `dagprop edit`: structural edits on a model file, given as operations that
// are applied in the order written (engine: edit.hpp), then validated and
// saved atomically to another file, keeping the model's precision, archive
// kind and input scaling. It only parses the operations; it never trains.
#include <charconv>
#include <cmath>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "dagprop/edit.hpp"
#include "dagprop/io/model.hpp"

namespace dagprop::cli {

namespace {

const char* const usage_text =
    "dagprop edit MODEL -o OUT [--init SCHEME --seed N] OPERATIONS...\n\n"
    "Operations, applied in order (U: a unit's name, or its id N or uN as\n"
    "`dagprop inspect --units` lists them; A:B may also be written 'A->B'):\n"
    "  --add-unit NAME:ACT[:from=U[=W],...][:to=U[=W],...][:bias=B]\n"
    "                           a hidden unit fed by the `from` units, feeding the `to` units\n"
    "  --connect A:B[=W]        add the connection A -> B\n"
    "  --disconnect A:B         remove the connection A -> B\n"
    "  --split A:B[:ACT[:NAME]] replace A -> B by A -> NAME -> B (weight 1 in, the old\n"
    "                           weight out, bias 0; ACT identity, NAME s1, s2, ... by default)\n"
    "  --set-activation U=ACT   change a hidden or output unit's activation\n"
    "  --remove-unit U          remove a hidden unit and its connections (later ids shift)\n"
    "  --prune T                remove connections with |w| < T, then hidden units left\n"
    "                           without a path from an input or to an output\n"
    "A weight W not given is drawn by --init for the unit it enters.";

struct Context {
  Topology t;
  WeightSource weights;
};

double parse_number(const std::string& text, const std::string& what) {
  double v = 0;
  const char* first = text.data() + (text.size() > 1 && text[0] == '+' ? 1 : 0);
  const auto [end, ec] = std::from_chars(first, text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
    throw usage_error(what + ": expected a finite number, got '" + text + "'");
  return v;
}

// "a:b:c" (or, for a connection, "a->b:c") -> {"a", "b", "c"}; an empty field
// is an error.
std::vector<std::string> fields(std::string spec, const std::string& what, bool connection) {
  if (const auto arrow = spec.find("->"); connection && arrow != std::string::npos)
    spec.replace(arrow, 2, ":");
  std::vector<std::string> r;
  std::istringstream in(spec);
  for (std::string f; std::getline(in, f, ':');) r.push_back(f);
  if (!spec.empty() && spec.back() == ':') r.emplace_back();
  for (const auto& f : r)
    if (f.empty()) throw usage_error(what + ": an empty field (see dagprop edit --help)");
  if (r.empty()) throw usage_error(what + ": the value is empty");
  return r;
}

// "u" or "u=w": the text before the first '=' and the number after it.
std::pair<std::string, std::optional<double>> split_weight(const std::string& text,
                                                           const std::string& what) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) return {text, std::nullopt};
  return {text.substr(0, eq), parse_number(text.substr(eq + 1), what + " (weight)")};
}

std::string weight_text(const Topology& t, UnitId j, UnitId i) {
  return t.label(j) + " -> " + t.label(i) + " (w = " + number(t.weight(j, i)) + ")";
}

std::string add_unit_op(Context& c, const std::string& spec, const std::string& what) {
  const auto f = fields(spec, what, false);
  if (f.size() < 2) throw usage_error(what + ": expected NAME:ACT[:from=...][:to=...][:bias=B]");
  NewUnit u;
  u.name = f[0];
  u.activation = parse_activation(f[1]);
  for (std::size_t k = 2; k < f.size(); ++k) {
    const auto eq = f[k].find('=');
    const std::string key = f[k].substr(0, eq),
                      value = eq == std::string::npos ? "" : f[k].substr(eq + 1);
    if (key == "bias") {
      u.bias = parse_number(value, what + " (bias)");
    } else if (key == "from" || key == "to") {
      for (const auto& item : split_list(value, (what + " (" + key + ")").c_str())) {
        const auto [name, w] = split_weight(item, what);
        (key == "from" ? u.from : u.to).push_back(Link{find_unit(c.t, name), w});
      }
    } else {
      throw usage_error(what + ": unknown field '" + f[k] + "' (expected from=, to= or bias=)");
    }
  }
  const UnitId n = add_unit(c.t, u, &c.weights);
  std::string s = "added " + c.t.label(n) + " (" + std::string(to_string(u.activation)) + ")";
  for (UnitId j : c.t.upstream(n)) s += ", " + weight_text(c.t, j, n);
  for (UnitId i : c.t.downstream(n)) s += ", " + weight_text(c.t, n, i);
  return s;
}

// The first of PREFIX1, PREFIX2, ... that no unit has: a split's unit without
// a NAME gets one, so that `dot` and later edits can name it.
std::string unused_name(const Topology& t, const std::string& prefix) {
  for (std::size_t k = 1;; ++k)
    if (!t.find(prefix + std::to_string(k))) return prefix + std::to_string(k);
}

std::string connection_op(Context& c, const std::string& flag, const std::string& spec,
                          const std::string& what) {
  const auto f = fields(spec, what, true);
  const bool split = flag == "split";
  if (f.size() != 2 && !(split && f.size() <= 4))
    throw usage_error(what + (split ? ": expected A:B[:ACT[:NAME]]" : ": expected A:B[=W]"));
  const auto [to, w] = flag == "connect" ? split_weight(f[1], what)
                                         : std::pair<std::string, std::optional<double>>{f[1], {}};
  const UnitId j = find_unit(c.t, f[0]), i = find_unit(c.t, to);
  if (flag == "connect") {
    if (w)
      add_connection(c.t, j, i, *w);
    else
      add_connection(c.t, j, i, c.weights);
    return "connected " + weight_text(c.t, j, i);
  }
  if (flag == "disconnect") {
    const double old = remove_connection(c.t, j, i);
    return "disconnected " + c.t.label(j) + " -> " + c.t.label(i) + " (w was " + number(old) + ")";
  }
  const Activation fn = f.size() > 2 ? parse_activation(f[2]) : Activation::identity;
  const UnitId n = split_connection(c.t, j, i, fn, f.size() > 3 ? f[3] : unused_name(c.t, "s"));
  return "split " + c.t.label(j) + " -> " + c.t.label(i) + " by " + c.t.label(n) + " (" +
         std::string(to_string(fn)) + ")";
}

std::string unit_op(Context& c, const std::string& flag, const std::string& spec,
                    const std::string& what) {
  if (flag == "set-activation") {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) throw usage_error(what + ": expected U=ACT");
    const UnitId i = find_unit(c.t, spec.substr(0, eq));
    const Activation f = parse_activation(spec.substr(eq + 1));
    change_activation(c.t, i, f);
    return "set the activation of " + c.t.label(i) + " to " + std::string(to_string(f));
  }
  if (flag == "remove-unit") {
    const UnitId i = find_unit(c.t, spec);
    const std::string label = c.t.label(i);
    const std::size_t connections = c.t.num_connections();
    remove_unit(c.t, i);
    return "removed " + label + " and its " + std::to_string(connections - c.t.num_connections()) +
           " connections";
  }
  const PruneReport r = prune(c.t, parse_number(spec, what));
  std::string s = "pruned " + std::to_string(r.connections_removed) + " connections and " +
                  std::to_string(r.units_removed.size()) + " units";
  for (std::size_t k = 0; k < r.units_removed.size(); ++k)
    s += (k ? ", " : ": ") + r.units_removed[k];
  return s;
}

// Applies one operation; a library error is prefixed with the operation.
std::string apply(Context& c, const std::string& flag, const std::string& spec) {
  const std::string what = "--" + flag + " " + spec;
  try {
    if (flag == "add-unit") return add_unit_op(c, spec, what);
    if (flag == "connect" || flag == "disconnect" || flag == "split")
      return connection_op(c, flag, spec, what);
    return unit_op(c, flag, spec, what);
  } catch (const usage_error&) {
    throw;
  } catch (const error& e) {
    throw usage_error(what + ": " + e.what());
  }
}

struct Operation {
  const char* flag;
  const char* what;
};
const Operation operations[] = {
    {"add-unit", "NAME:ACT[:from=U[=W],...][:to=U[=W],...][:bias=B]: add a hidden unit"},
    {"connect", "A:B[=W]: add the connection A -> B"},
    {"disconnect", "A:B: remove the connection A -> B"},
    {"split", "A:B[:ACT[:NAME]]: split A -> B by a new unit"},
    {"set-activation", "U=ACT: change a unit's activation"},
    {"remove-unit", "U: remove a hidden unit and its connections"},
    {"prune", "T: remove |w| < T, then units left without a path"}};

}  // namespace

int cmd_edit(const Args& args) {
  std::string model, out, format, init = "glorot";
  std::uint64_t seed = 1;
  po::options_description desc("dagprop edit");
  desc.add_options()("model", po::value(&model)->required(), "model file (positional)")(
      "output,o", po::value(&out)->required()->notifier(not_empty("-o")),
      "model file to write (not the model itself)")(
      "format", po::value(&format), "file format: binary|text|xml (default: the model's)")(
      "init", po::value(&init)->default_value(init),
      "weights not given: glorot|glorot-uniform|glorot-normal|he|he-uniform|he-normal")(
      "seed", po::value(&seed)->default_value(seed), "seed of the weights not given");
  for (const Operation& op : operations)
    desc.add_options()(op.flag, po::value<std::vector<std::string>>()->composing(), op.what);
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse(args, desc, pos, vm, usage_text)) return 0;
  if (!format.empty()) io::parse_archive_kind(format);
  const InitScheme scheme = parse_init(init);
  check_output_path(out, "-o");
  check_not_same(out, "-o", model, "the model file");
  check_input_file(model);

  const io::ModelInfo info = io::inspect_file(model);
  if (info.is_checkpoint)
    throw usage_error(model + " is a checkpoint; edit the model file that training wrote");
  io::ModelMeta meta;  // kept whole: the inputs and outputs an edit keeps mean what they meant
  const Network<double> net = load_model(model, meta);
  Context c{net.to_topology(), WeightSource(scheme, seed)};
  std::size_t applied = 0;
  // Boost keeps the options in the order given: the operations run in it.
  for (const po::option& o :
       po::command_line_parser(args).options(desc).positional(pos).run().options)
    for (const Operation& op : operations)
      if (o.string_key == op.flag)
        for (const std::string& spec : o.value) {
          std::cout << apply(c, op.flag, spec) << "\n";
          ++applied;
        }
  if (applied == 0) throw usage_error("no operation given (see dagprop edit --help)");

  Network<double> edited;
  try {
    edited = compile<double>(c.t);
  } catch (const error& e) {
    throw usage_error(std::string("the edited network is not valid: ") + e.what());
  }
  const std::string kind = format.empty() ? std::string(io::to_string(info.kind)) : format;
  if (info.precision == "float")
    save_model(out, edited.cast<float>(), kind, meta);
  else
    save_model(out, edited, kind, meta);
  std::cout << "wrote " << out << ": " << edited.num_units() << " units, "
            << edited.num_connections() << " connections, " << edited.num_parameters()
            << " parameters\n";
  return 0;
}

}  // namespace dagprop::cli
