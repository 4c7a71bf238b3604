// What a model file holds besides the network (ModelMeta, model.hpp), as DOT
// attributes, so that `dagprop dot` then `dagprop import` gives back the model:
//  - per unit: offset= and scale= on input nodes (the input scaling) and on
//    output nodes (the target scaling), x' = (x - offset) / scale;
//  - graph [...]: dagprop_input_scaling and dagprop_target_scaling (the
//    ScaleKind; absent: none), dagprop_loss, dagprop_reduction, dagprop_targets
//    (the training setup: all three or none), dagprop_columns and
//    dagprop_class_names (optional; names joined by ',', with '%', ',', '"',
//    '\' and control bytes written %XX so that any name survives DOT quoting).
// It does not parse DOT (dot.cpp does) and reads no file.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dagprop/io/model.hpp"

namespace dagprop::io::detail {

// A finite number as DOT holds it ("1.5", "-2", "1e-3"), or nullopt.
std::optional<double> parse_dot_number(const std::string& s);
// The fewest digits that read back to `v` (quoted when it has an exponent,
// which DOT numerals lack).
void put_dot_number(std::string& out, double v);

// Whether `name` is a graph attribute of this file's (a "dagprop_" name).
bool is_meta_attribute(const std::string& name);

// The graph [...] statement of `meta` ("" when it holds nothing), ending in a newline.
std::string meta_graph_statement(const ModelMeta& meta);
// ", offset=..., scale=..." for the unit that is input or output `index` of
// `role`, when `meta` scales it; "" otherwise.
std::string meta_unit_attributes(const ModelMeta& meta, Role role, std::size_t index);

// A graph attribute as read, with the line it was set on (0: unknown).
struct MetaAttribute {
  std::string value;
  std::size_t line = 0;
};
// An input or output node's offset= and scale= as read, by index.
struct UnitScaling {
  std::string node;  // the node id, for messages
  std::optional<std::string> offset, scale;
};

// The ModelMeta the attributes describe, checked as untrusted: an io_error
// naming `source`, the attribute, and the node or line for an unknown dagprop_
// attribute, a value that does not parse, offset/scale on some units but not
// all, or metadata that do not fit the network (ModelMeta::check).
ModelMeta read_dot_meta(const std::map<std::string, MetaAttribute>& graph,
                        const std::vector<UnitScaling>& inputs,
                        const std::vector<UnitScaling>& outputs, const std::string& source);

}  // namespace dagprop::io::detail
