// C source for a network: NAME.c and NAME.h with NAME_run(in, out), which
// computes what predict() computes, in float or double, with math.h only: no
// allocation, no globals written, thread-safe, C99 and C++. Up to
// c_export_straight_max_connections connections (the switch is in
// generate_c) each unit is one statement; above, loops over static const
// arrays. It neither compiles the C nor reads model files (model.hpp does).
#pragma once

#include <cstddef>
#include <string>

#include "dagprop/activation.hpp"
#include "dagprop/io/scaling.hpp"
#include "dagprop/network.hpp"

namespace dagprop::io {

// Networks with at most this many connections become straight-line code (one
// statement per unit, weights as literals); larger ones loops over arrays.
inline constexpr std::size_t c_export_straight_max_connections = 1024;

enum class CShape {
  automatic,  // straight_line up to c_export_straight_max_connections, else arrays
  straight_line,
  arrays,
};
std::string to_string(CShape shape);  // "automatic", "straight-line", "arrays"

struct CExportOptions {
  std::string name;  // prefix of every C name (NAME_run ...); see check_c_name
  CShape shape = CShape::automatic;
  // x' = (x - offset) / scale of each input before the network (the model's
  // saved scaler); null or kind none: inputs used as given.
  const Scaler* input_scaler = nullptr;
  // raw y = y' scale + offset of each output after the network; null or kind
  // none: outputs returned as computed.
  const Scaler* output_descale = nullptr;
};

struct CSource {
  std::string header;                    // NAME.h
  std::string source;                    // NAME.c, which includes the header by `header_file`
  CShape shape = CShape::straight_line;  // the shape chosen
};

// Throws invalid_argument unless `name` is a C identifier that makes no
// reserved name: ASCII letters, digits and '_', not starting with a digit or '_'.
void check_c_name(const std::string& name);
// NAME from an output file name: the stem of "dir/my-net.c" is "my-net", made
// a C identifier ("my_net"; "net_" before a leading digit or an empty stem).
std::string c_name_from_path(const std::string& c_path);

// The C function `static T NAME_f_<activation>(T x)` computing f as
// activate<T>() does (T float or double by `double_precision`); invalid_argument
// for an activation that has no C form.
std::string c_activation_function(Activation f, bool double_precision, const std::string& name);

// The two files for `net` in T's precision (float or double): NAME.h
// declares `void NAME_run(const T *in, T *out)` and `void NAME_run_ws(const T
// *in, T *out, T *work)` (work: NAME_UNITS values, for callers whose stack is
// small) and documents the input and output order with the units' names.
// invalid_argument on a bad name, a scaler that does not fit the inputs or
// outputs, or an activation without a C form.
template <class T>
CSource generate_c(const Network<T>& net, const CExportOptions& options,
                   const std::string& header_file);

// Writes `c_path` (which must end in ".c") and the header next to it (".h"),
// each atomically (atomic_file.hpp); an empty options.name is taken from
// c_path. io_error naming the file when it cannot be written.
template <class T>
CShape export_c(const std::string& c_path, const Network<T>& net, CExportOptions options);

// The header's path for a ".c" path: "dir/net.c" -> "dir/net.h";
// invalid_argument when c_path does not end in ".c".
std::string c_header_path(const std::string& c_path);

}  // namespace dagprop::io
