// ModelMeta <-> DOT attributes (dot_meta.hpp): written by write_dot, read back
// and checked by read_dot. Every value read is untrusted text.
#include "dot_meta.hpp"

#include <charconv>
#include <cmath>
#include <locale>
#include <sstream>
#include <string_view>

#include "dagprop/error.hpp"

namespace dagprop::io::detail {

namespace {

const char* const input_scaling = "dagprop_input_scaling";
const char* const target_scaling = "dagprop_target_scaling";
const char* const loss_attribute = "dagprop_loss";
const char* const reduction_attribute = "dagprop_reduction";
const char* const targets_attribute = "dagprop_targets";
const char* const columns_attribute = "dagprop_columns";
const char* const class_names_attribute = "dagprop_class_names";
const char* const known_attributes =
    "dagprop_input_scaling, dagprop_target_scaling, dagprop_loss, dagprop_reduction, "
    "dagprop_targets, dagprop_columns, dagprop_class_names";

// '%', ',', '"', '\' and control bytes as %XX: the text then needs no DOT
// escape and a list of names splits at its commas.
std::string encode(const std::string& s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '%' || c == ',' || c == '"' || c == '\\' || b < 0x20 || b == 0x7f) {
      out += '%';
      out += hex[b >> 4];
      out += hex[b & 15];
    } else {
      out += c;
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view s) {
  std::string out;
  for (std::size_t k = 0; k < s.size(); ++k) {
    if (s[k] != '%') {
      out += s[k];
      continue;
    }
    if (s.size() - k < 3) return std::nullopt;
    const int hi = hex_value(s[k + 1]), lo = hex_value(s[k + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    k += 2;
  }
  return out;
}

std::string quoted(const std::string& s) {  // s holds no '"' or '\' (encode)
  return "\"" + s + "\"";
}

std::string shown(const std::string& s) {
  return "'" + printable(s, 64) + "'";
}

// "source: line N: " or "source: ".
std::string where(const std::string& source, const MetaAttribute& a) {
  return source + ": " + (a.line ? "line " + std::to_string(a.line) + ": " : std::string());
}

TargetReading parse_target_reading(const std::string& s) {
  for (TargetReading r :
       {TargetReading::columns, TargetReading::class_column, TargetReading::idx_labels})
    if (to_string(r) == s) return r;
  throw invalid_argument("expected columns, class-column or idx-labels");
}

}  // namespace

std::optional<double> parse_dot_number(const std::string& s) {
  std::istringstream is(s);
  is.imbue(std::locale::classic());
  double v = 0;
  if (!(is >> v)) return std::nullopt;
  is >> std::ws;
  if (!is.eof() || !std::isfinite(v)) return std::nullopt;
  return v;
}

void put_dot_number(std::string& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
  const bool exponent = text.find('e') != std::string_view::npos;
  if (exponent) out += '"';
  out += text;
  if (exponent) out += '"';
}

bool is_meta_attribute(const std::string& name) {
  return name.compare(0, 8, "dagprop_") == 0;
}

// ---- writing ---------------------------------------------------------------

std::string meta_graph_statement(const ModelMeta& meta) {
  std::string s;  // attributes in name order, as write_dot writes a node's
  const auto add = [&](const char* name, const std::string& value) {
    s += (s.empty() ? "graph [" : ", ") + std::string(name) + "=" + value;
  };
  const TrainingSetup* t = meta.training ? &*meta.training : nullptr;
  if (t && !t->class_names.empty()) {
    std::string names;
    for (const std::string& n : t->class_names) names += (names.empty() ? "" : ",") + encode(n);
    add(class_names_attribute, quoted(names));
  }
  if (t && !t->columns.empty()) add(columns_attribute, quoted(encode(t->columns)));
  if (meta.input.kind != ScaleKind::none) add(input_scaling, to_string(meta.input.kind));
  if (t) add(loss_attribute, quoted(std::string(to_string(t->loss))));
  if (t) add(reduction_attribute, std::string(to_string(t->reduction)));
  if (meta.target.kind != ScaleKind::none) add(target_scaling, to_string(meta.target.kind));
  if (t) add(targets_attribute, quoted(std::string(to_string(t->targets))));
  return s.empty() ? s : s + "];\n";
}

std::string meta_unit_attributes(const ModelMeta& meta, Role role, std::size_t index) {
  const Scaler* s = role == Role::input    ? &meta.input
                    : role == Role::output ? &meta.target
                                           : nullptr;
  if (!s || s->kind == ScaleKind::none) return "";
  std::string text = ", offset=";
  put_dot_number(text, s->offset[index]);
  text += ", scale=";
  put_dot_number(text, s->scale[index]);
  return text;
}

// ---- reading ---------------------------------------------------------------

namespace {

// One scaler from its kind attribute and its units' offset= and scale=.
Scaler read_scaler(const std::map<std::string, MetaAttribute>& graph, const char* kind_name,
                   const std::vector<UnitScaling>& units, const char* units_name,
                   const std::string& source) {
  Scaler s;
  const auto it = graph.find(kind_name);
  if (it != graph.end()) {
    try {
      s.kind = parse_scale_kind(it->second.value);
    } catch (const error& e) {
      throw io_error(where(source, it->second) + kind_name + " " + shown(it->second.value) + ": " +
                     e.what());
    }
  }
  for (const UnitScaling& u : units) {
    const std::string node = source + ": node " + shown(u.node) + ": ";
    if (s.kind == ScaleKind::none) {
      if (u.offset || u.scale)
        throw io_error(node + (u.offset ? "offset" : "scale") + " without the graph attribute " +
                       kind_name + " (set it, e.g. " + kind_name + "=affine, or remove them)");
      continue;
    }
    const auto number = [&](const std::optional<std::string>& text, const char* what) {
      if (!text)
        throw io_error(node + "no " + what + "= although " + kind_name + " is " +
                       to_string(s.kind) + " (every " + units_name + " needs offset and scale)");
      const auto v = parse_dot_number(*text);
      if (!v) throw io_error(node + what + " " + shown(*text) + " is not a finite number");
      return *v;
    };
    s.offset.push_back(number(u.offset, "offset"));
    s.scale.push_back(number(u.scale, "scale"));
    if (s.scale.back() == 0) throw io_error(node + "scale is 0 (it divides)");
  }
  return s;
}

std::vector<std::string> read_class_names(const MetaAttribute& a, const std::string& source) {
  std::vector<std::string> names;
  if (a.value.empty()) return names;
  std::size_t count = 1;
  for (const char c : a.value) count += c == ',' ? 1 : 0;
  if (count > max_class_names)
    throw io_error(where(source, a) + class_names_attribute + " holds " + std::to_string(count) +
                   " names, over the cap of " + std::to_string(max_class_names));
  for (std::size_t begin = 0; begin <= a.value.size();) {
    std::size_t end = a.value.find(',', begin);
    if (end == std::string::npos) end = a.value.size();
    const auto name = decode(std::string_view(a.value).substr(begin, end - begin));
    if (!name)
      throw io_error(where(source, a) + class_names_attribute + ": name " +
                     std::to_string(names.size()) + " holds a '%' not followed by two hex digits");
    names.push_back(*name);
    begin = end + 1;
  }
  return names;
}

// The training setup: dagprop_loss, dagprop_reduction and dagprop_targets
// together, or none of them (and then no columns or class names).
std::optional<TrainingSetup> read_setup(const std::map<std::string, MetaAttribute>& graph,
                                        const std::string& source) {
  const char* parts[] = {loss_attribute, reduction_attribute, targets_attribute};
  std::size_t given = 0;
  for (const char* p : parts) given += graph.count(p);
  if (given == 0) {
    for (const char* p : {columns_attribute, class_names_attribute})
      if (graph.count(p))
        throw io_error(where(source, graph.at(p)) + p +
                       " without a training setup (dagprop_loss, dagprop_reduction, "
                       "dagprop_targets)");
    return std::nullopt;
  }
  for (const char* p : parts)
    if (!graph.count(p))
      throw io_error(source + ": graph attribute " + p +
                     " is missing (a training setup has dagprop_loss, dagprop_reduction and "
                     "dagprop_targets)");
  TrainingSetup t;
  const auto parse = [&](const char* name, const auto& f) {
    const MetaAttribute& a = graph.at(name);
    try {
      f(a.value);
    } catch (const error& e) {
      throw io_error(where(source, a) + name + " " + shown(a.value) + ": " + e.what());
    }
  };
  parse(loss_attribute, [&](const std::string& v) { t.loss = parse_loss(v); });
  parse(reduction_attribute, [&](const std::string& v) { t.reduction = parse_reduction(v); });
  parse(targets_attribute, [&](const std::string& v) { t.targets = parse_target_reading(v); });
  if (graph.count(columns_attribute)) {
    const MetaAttribute& a = graph.at(columns_attribute);
    const auto columns = decode(a.value);
    if (!columns)
      throw io_error(where(source, a) + columns_attribute +
                     " holds a '%' not followed by two hex digits");
    t.columns = *columns;
  }
  if (graph.count(class_names_attribute))
    t.class_names = read_class_names(graph.at(class_names_attribute), source);
  return t;
}

}  // namespace

ModelMeta read_dot_meta(const std::map<std::string, MetaAttribute>& graph,
                        const std::vector<UnitScaling>& inputs,
                        const std::vector<UnitScaling>& outputs, const std::string& source) {
  for (const auto& [name, a] : graph)
    if (name != input_scaling && name != target_scaling && name != loss_attribute &&
        name != reduction_attribute && name != targets_attribute && name != columns_attribute &&
        name != class_names_attribute)
      throw io_error(where(source, a) + "unknown graph attribute " + shown(name) +
                     " (dagprop reads " + known_attributes + ")");
  ModelMeta meta;
  meta.input = read_scaler(graph, input_scaling, inputs, "input", source);
  meta.target = read_scaler(graph, target_scaling, outputs, "output", source);
  meta.training = read_setup(graph, source);
  try {
    meta.check(inputs.size(), outputs.size());
  } catch (const error& e) {
    throw io_error(source + ": the model metadata in the graph attributes: " + e.what());
  }
  return meta;
}

}  // namespace dagprop::io::detail
