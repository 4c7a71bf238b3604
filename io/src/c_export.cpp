// generate_c / export_c: a compiled Network as C99 text. Sums follow the
// engine's order (a sparse unit: two partial sums over alternate connections,
// then the bias; a unit of a dense group: the bias, then each connection in
// turn), activations are one table of C bodies. It does not run a compiler.
#include "dagprop/io/c_export.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <locale>
#include <sstream>
#include <type_traits>
#include <vector>

#include "dagprop/error.hpp"
#include "dagprop/io/atomic_file.hpp"

namespace dagprop::io {

namespace {

// One activation in C: the body of `static T NAME_f_<name>(T x)`, written as
// activate<T>() and activate_array<T>() compute f. In a body `$T` is the type,
// `@` the suffix of float functions and literals ("f" or nothing), `$0` and
// `$1` the constants, converted to T as the engine converts them.
struct CActivation {
  Activation f;
  const char* body;
  const char* float_body;  // float's body where activate_array<float> differs; else null
  std::array<double, 2> constants;
};

// The logistic function from e^-|x|, as detail::logistic.
#define DAGPROP_C_LOGISTIC_E "const $T e = exp@(-fabs@(x));\n  "
// x clamped to ±cap as detail::clamp_to, into c.
#define DAGPROP_C_CLAMP(cap) "const $T c = x < -" cap " ? -" cap " : x > " cap " ? " cap " : x;\n  "
// NEAT-python's 5x clamped to ±60, from x clamped to ±13 first (detail::neat_z5), into z.
#define DAGPROP_C_NEAT_Z5                                           \
  "const $T x13 = x < -13.0@ ? -13.0@ : x > 13.0@ ? 13.0@ : x;\n  " \
  "const $T z5 = 5.0@ * x13;\n  "                                   \
  "const $T z = z5 < -60.0@ ? -60.0@ : z5 > 60.0@ ? 60.0@ : z5;\n  "
const CActivation c_activations[] = {
    {Activation::identity, "return x;", nullptr, {}},
    {Activation::sigmoid,
     "return 1.0@ / (1.0@ + exp@(-x));",
     DAGPROP_C_LOGISTIC_E "const $T inv = 1.0@ / (1.0@ + e);\n  return x >= 0.0@ ? inv : e * inv;",
     {}},
    {Activation::tanh, "return tanh@(x);", nullptr, {}},
    {Activation::relu, "return x >= 0.0@ ? x : 0.0@;", nullptr, {}},
    {Activation::leaky_relu, "return x >= 0.0@ ? x : $0 * x;", nullptr, {leaky_relu_slope, 0}},
    {Activation::softplus, "return (x > 0.0@ ? x : 0.0@) + log1p@(exp@(-fabs@(x)));", nullptr, {}},
    {Activation::elu, "return x >= 0.0@ ? x : expm1@(x);", nullptr, {}},
    {Activation::selu,
     "return x >= 0.0@ ? $0 * x : $1 * expm1@(x);",
     nullptr,
     {selu_scale, selu_scale* selu_alpha}},
    {Activation::silu,
     DAGPROP_C_LOGISTIC_E "return x * (x >= 0.0@ ? 1.0@ / (1.0@ + e) : e / (1.0@ + e));",
     nullptr,
     {}},
    {Activation::gelu, "return x * (0.5@ * erfc@($0 * x));", nullptr, {-0.70710678118654752440, 0}},
    {Activation::gaussian,
     "const $T m = fabs@(x);\n  const $T a = 40.0@ < m ? 40.0@ : m;\n  return exp@(-a * a);",
     nullptr,
     {}},
    {Activation::sin, "return sin@(x);", nullptr, {}},
    {Activation::abs, "return fabs@(x);", nullptr, {}},
    {Activation::hard_tanh, "return x < -1.0@ ? -1.0@ : x > 1.0@ ? 1.0@ : x;", nullptr, {}},
    {Activation::softsign, "return x / (1.0@ + fabs@(x));", nullptr, {}},
    // square and cube cap |x| where the power is still finite in T (as the engine does).
    {Activation::square,
     DAGPROP_C_CLAMP("1.3e154") "return c * c;",
     DAGPROP_C_CLAMP("1.8e19f") "return c * c;",
     {}},
    {Activation::cube,
     DAGPROP_C_CLAMP("5.6e102") "return c * c * c;",
     DAGPROP_C_CLAMP("6.9e12f") "return c * c * c;",
     {}},
    {Activation::exp, "return exp@(x < -60.0@ ? -60.0@ : x > 60.0@ ? 60.0@ : x);", nullptr, {}},
    {Activation::hat, "return fabs@(x) < 1.0@ ? 1.0@ - fabs@(x) : 0.0@;", nullptr, {}},
    {Activation::lelu, "return x >= 0.0@ ? x : $0 * x;", nullptr, {lelu_slope, 0}},
    {Activation::neat_sin, DAGPROP_C_NEAT_Z5 "return sin@(z);", nullptr, {}},
    {Activation::neat_softplus,
     DAGPROP_C_NEAT_Z5 "return 0.2@ * ((z > 0.0@ ? z : 0.0@) + log1p@(exp@(-fabs@(z))));",
     nullptr,
     {}},
    {Activation::neat_sigmoid, DAGPROP_C_NEAT_Z5 "return 1.0@ / (1.0@ + exp@(-z));", nullptr, {}},
    {Activation::neat_gauss,
     "const $T z = x < -$0 ? -$0 : x > $0 ? $0 : x;\n  return exp@(-5.0@ * (z * z));",
     nullptr,
     {neat_gauss_clamp, 0}},
};
#undef DAGPROP_C_CLAMP
#undef DAGPROP_C_NEAT_Z5
#undef DAGPROP_C_LOGISTIC_E

const CActivation& c_activation(Activation f) {
  for (const CActivation& a : c_activations)
    if (a.f == f) return a;
  throw invalid_argument("export to C: activation code " + std::to_string(static_cast<int>(f)) +
                         " has no C form (add it to c_activations in c_export.cpp)");
}

// A C literal of v that reads back to exactly v in T: 9 significant digits
// for float (with the suffix f), 17 for double; always with '.' or an exponent.
template <class T>
std::string literal(T v) {
  char buf[64];
  const int digits = std::is_same_v<T, float> ? 9 : 17;
  const auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, digits).ptr;
  std::string s(buf, end);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  if (std::is_same_v<T, float>) s += 'f';
  return s;
}

std::string literal(unsigned long v) {
  return std::to_string(v);
}

template <class T>
const char* c_type() {
  return std::is_same_v<T, float> ? "float" : "double";
}

// Text safe inside a C block comment: printable ASCII is kept except '\\'
// (a line splice before a newline); other bytes, and the second character of
// "*/", "/*" and "??" (a trigraph), are written as \xNN.
std::string comment_text(const std::string& s) {
  std::string out;
  char prev = 0;
  for (const char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    const bool pair =
        (prev == '*' && ch == '/') || (prev == '/' && ch == '*') || (prev == '?' && ch == '?');
    if (u < 0x20 || u > 0x7e || ch == '\\' || pair) {
      static const char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
      prev = 0;
    } else {
      out += ch;
      prev = ch;
    }
  }
  return out;
}

template <class T>
std::string unit_label(const Network<T>& net, UnitId i) {
  const std::string& n = net.name(i);
  return comment_text(n.empty() ? "u" + std::to_string(net.topology_id(i)) : n);
}

template <class T>
std::string activation_function(const CActivation& a, const std::string& name) {
  const bool single = std::is_same_v<T, float>;
  const std::string body = single && a.float_body ? a.float_body : a.body;
  std::string out;
  for (std::size_t k = 0; k < body.size(); ++k) {
    const char ch = body[k];
    if (ch == '@') {
      if (single) out += 'f';
    } else if (ch == '$' && k + 1 < body.size() && body[k + 1] == 'T') {
      out += c_type<T>(), ++k;
    } else if (ch == '$' && k + 1 < body.size() && (body[k + 1] == '0' || body[k + 1] == '1')) {
      out += literal(static_cast<T>(a.constants[body[k + 1] == '0' ? 0 : 1])), ++k;
    } else {
      out += ch;
    }
  }
  return "static " + std::string(c_type<T>()) + " " + name + "_f_" + std::string(to_string(a.f)) +
         "(" + c_type<T>() + " x)\n{\n  " + out + "\n}\n";
}

// ---- the pieces of NAME.c --------------------------------------------------

template <class T>
class Generator {
 public:
  Generator(const Network<T>& net, const CExportOptions& opt, const std::string& header_file)
      : net_(net), opt_(opt), header_file_(header_file), n_(opt.name) {}

  CSource run(CShape shape) {
    CSource s;
    s.shape = shape;
    s.header = header(shape);
    std::ostringstream c;
    c.imbue(std::locale::classic());  // no digit grouping in the numbers
    c << "/* " << comment_text(header_file_.substr(0, header_file_.size() - 2))
      << ".c: generated by dagprop export-c (see " << comment_text(header_file_) << "). */\n"
      << "#include <math.h>\n\n#include \"" << header_file_ << "\"\n\n";
    activations(c);
    scaling(c);
    if (shape == CShape::arrays) array_data(c);
    c << "void " << n_ << "_run_ws(const " << T_ << " *in, " << T_ << " *out, " << T_
      << " *work)\n{\n  " << T_ << " *const y = work;\n";
    inputs(c);
    if (shape == CShape::arrays)
      array_units(c);
    else
      straight_units(c);
    outputs(c);
    c << "}\n\nvoid " << n_ << "_run(const " << T_ << " *in, " << T_ << " *out)\n{\n  " << T_
      << " work[" << n_ << "_UNITS];\n  " << n_ << "_run_ws(in, out, work);\n}\n";
    s.source = c.str();
    return s;
  }

 private:
  bool scaled(const Scaler* s) const { return s && s->kind != ScaleKind::none; }

  std::string header(CShape shape) const;
  void activations(std::ostream& c) const;
  void scaling(std::ostream& c) const;
  void inputs(std::ostream& c) const;
  void outputs(std::ostream& c) const;
  void straight_units(std::ostream& c) const;
  void array_data(std::ostream& c) const;
  void array_units(std::ostream& c) const;
  std::string sum_terms(UnitId i, std::size_t c0, std::size_t step, bool& first) const;

  const Network<T>& net_;
  const CExportOptions& opt_;
  const std::string header_file_;
  const std::string n_;
  const char* const T_ = c_type<T>();
};

template <class T>
std::string Generator<T>::header(CShape shape) const {
  const std::size_t units = net_.num_units();
  std::ostringstream h;
  h.imbue(std::locale::classic());
  h << "/* " << comment_text(header_file_) << ": a dagprop network as one C function (" << T_
    << ", " << to_string(shape) << " code; generated by dagprop export-c).\n"
    << " * " << units << " units, " << net_.num_connections() << " connections.\n *\n"
    << " * void " << n_ << "_run(const " << T_ << " *in, " << T_ << " *out);\n"
    << " *   in: " << n_ << "_INPUTS values, as `dagprop predict` reads them"
    << (scaled(opt_.input_scaler) ? " (the model's input scaling is applied inside)" : "")
    << ";\n *   out: " << n_ << "_OUTPUTS values, as `dagprop predict` prints them"
    << (scaled(opt_.output_descale) ? " (de-scaled inside)" : "") << ".\n"
    << " *   Holds " << n_ << "_UNITS values (" << units * sizeof(T) << " bytes) on the stack; "
    << n_ << "_run_ws takes them from the caller's\n"
    << " *   `work` instead. No allocation and no global written: callable from any thread.\n"
    << " *\n * Inputs:\n";
  for (std::size_t k = 0; k < net_.num_inputs(); ++k)
    h << " *   in[" << k << "]  " << unit_label(net_, k) << "\n";
  h << " * Outputs:\n";
  for (std::size_t k = 0; k < net_.num_outputs(); ++k)
    h << " *   out[" << k << "]  " << unit_label(net_, net_.output(k)) << " ("
      << to_string(net_.activation(net_.output(k))) << ")\n";
  const std::string guard = "DAGPROP_" + n_ + "_H";
  h << " */\n#ifndef " << guard << "\n#define " << guard << "\n\n"
    << "#define " << n_ << "_INPUTS " << net_.num_inputs() << "\n#define " << n_ << "_OUTPUTS "
    << net_.num_outputs() << "\n#define " << n_ << "_UNITS " << units << "\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
    << "void " << n_ << "_run(const " << T_ << " *in, " << T_ << " *out);\n"
    << "void " << n_ << "_run_ws(const " << T_ << " *in, " << T_ << " *out, " << T_
    << " *work);\n\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  return h.str();
}

template <class T>
void Generator<T>::activations(std::ostream& c) const {
  std::vector<bool> used(num_activations + 1, false);
  for (UnitId i = net_.num_inputs(); i < net_.num_units(); ++i) {
    const auto k = static_cast<std::size_t>(net_.activation(i));
    if (used[std::min(k, num_activations)]) continue;
    used[std::min(k, num_activations)] = true;
    c << activation_function<T>(c_activation(net_.activation(i)), n_) << "\n";
  }
}

// static const arrays named NAME_<what> of doubles or Ts.
template <class V>
void array(std::ostream& c, const std::string& type, const std::string& name, const V& values) {
  c << "static const " << type << " " << name << "[" << values.size() << "] = {";
  for (std::size_t k = 0; k < values.size(); ++k)
    c << (k % 8 ? " " : "\n  ") << literal(values[k]) << (k + 1 < values.size() ? "," : "");
  c << "\n};\n";
}

template <class T>
void Generator<T>::scaling(std::ostream& c) const {
  if (scaled(opt_.input_scaler)) {
    array(c, "double", n_ + "_in_offset", opt_.input_scaler->offset);
    array(c, "double", n_ + "_in_scale", opt_.input_scaler->scale);
  }
  std::vector<unsigned long> out;
  for (UnitId o : net_.outputs()) out.push_back(o);
  c << "static const unsigned long " << n_ << "_outputs[" << out.size() << "] = {";
  for (std::size_t k = 0; k < out.size(); ++k) c << (k ? ", " : "") << out[k];
  c << "};\n";
  if (scaled(opt_.output_descale)) {
    array(c, "double", n_ + "_out_offset", opt_.output_descale->offset);
    array(c, "double", n_ + "_out_scale", opt_.output_descale->scale);
  }
  c << "\n";
}

// y[i] = x_i of each input, scaled in double as scaling.hpp does.
template <class T>
void Generator<T>::inputs(std::ostream& c) const {
  c << "  for (unsigned long i = 0; i < " << n_ << "_INPUTS; ++i)\n    y[i] = ";
  if (!scaled(opt_.input_scaler))
    c << "in[i];\n";
  else if (std::is_same_v<T, float>)
    c << "(float)(((double)in[i] - " << n_ << "_in_offset[i]) / " << n_ << "_in_scale[i]);\n";
  else
    c << "(in[i] - " << n_ << "_in_offset[i]) / " << n_ << "_in_scale[i];\n";
}

template <class T>
void Generator<T>::outputs(std::ostream& c) const {
  c << "  for (unsigned long k = 0; k < " << n_ << "_OUTPUTS; ++k)\n    out[k] = ";
  const std::string yk = "y[" + n_ + "_outputs[k]]";
  if (!scaled(opt_.output_descale))
    c << yk << ";\n";
  else if (std::is_same_v<T, float>)
    c << "(float)((double)" << yk << " * " << n_ << "_out_scale[k] + " << n_
      << "_out_offset[k]);\n";
  else
    c << yk << " * " << n_ << "_out_scale[k] + " << n_ << "_out_offset[k];\n";
}

// " + w * y[j]" for connections c0, c0 + step, ... of unit i (the first
// without a sign when `first`), a line break every four terms.
template <class T>
std::string Generator<T>::sum_terms(UnitId i, std::size_t c0, std::size_t step, bool& first) const {
  std::string s;
  std::size_t n = 0;
  for (std::size_t c = c0; c < net_.first(i + 1); c += step, ++n) {
    const T w = net_.w()[c];
    if (n && n % 4 == 0) s += "\n      ";
    if (first)
      s += literal(w);
    else
      s += (std::signbit(w) ? " - " : " + ") + literal(std::signbit(w) ? -w : w);
    s += " * y[" + std::to_string(net_.source(c)) + "]";
    first = false;
  }
  return s;
}

template <class T>
void Generator<T>::straight_units(std::ostream& c) const {
  for (const Group& g : net_.groups())
    for (UnitId i = g.first; i < g.last; ++i) {
      const T b = net_.b()[i];
      const std::string bias =
          (std::signbit(b) ? " - " : " + ") + literal(std::signbit(b) ? -b : b);
      c << "  /* " << unit_label(net_, i) << " */\n  y[" << i << "] = " << n_ << "_f_"
        << to_string(net_.activation(i)) << "(";
      if (g.dense) {  // b_i, then each w_ij y_j in turn
        bool first = false;
        c << literal(b) << sum_terms(i, net_.first(i), 1, first);
      } else {  // (even connections) + (odd connections) + b_i
        bool first = true;
        const std::string even = sum_terms(i, net_.first(i), 2, first);
        first = true;
        const std::string odd = sum_terms(i, net_.first(i) + 1, 2, first);
        c << "(" << (even.empty() ? literal(T(0)) : even) << ")";
        if (!odd.empty()) c << " + (" << odd << ")";
        c << bias;
      }
      c << ");\n";
    }
}

// The arrays of the loops: biases (from the first unit not an input), the
// weights of dense groups (row-major, group after group), the sources and
// weights of the other units as compressed rows, and the two loops that read
// them (those needed).
template <class T>
void Generator<T>::array_data(std::ostream& c) const {
  std::vector<T> b(net_.b() + net_.num_inputs(), net_.b() + net_.num_units()), dense_w, sparse_w;
  std::vector<unsigned long> sparse_first(net_.num_units() + 1, 0), sparse_src;
  for (const Group& g : net_.groups()) {
    for (UnitId i = g.first; i < g.last; ++i) {
      for (std::size_t k = net_.first(i); k < net_.first(i + 1); ++k) {
        (g.dense ? dense_w : sparse_w).push_back(net_.w()[k]);
        if (!g.dense) sparse_src.push_back(net_.source(k));
      }
      sparse_first[i + 1] = sparse_src.size();
    }
  }
  array(c, T_, n_ + "_b", b);
  const std::string f = "(*f)(" + std::string(T_) + ")";
  if (!dense_w.empty()) {
    array(c, T_, n_ + "_dense_w", dense_w);
    c << "\n/* y_i = f(b_i + w_i0 y_j0 + w_i1 y_(j0+1) + ...) for i in [first, last): the\n"
         "   sources of each are j0 .. j0+nj-1, its weights the next nj values of w. */\n"
      << "static void " << n_ << "_dense(" << T_
      << " *y, unsigned long first, unsigned long last, const " << T_
      << " *w,\n  unsigned long j0, unsigned long nj, " << T_ << " " << f << ")\n{\n"
      << "  for (unsigned long i = first; i < last; ++i, w += nj) {\n    " << T_ << " x = " << n_
      << "_b[i - " << n_
      << "_INPUTS];\n    for (unsigned long k = 0; k < nj; ++k)\n      x += w[k] * y[j0 + k];\n"
      << "    y[i] = f(x);\n  }\n}\n\n";
  }
  if (!sparse_w.empty()) {
    array(c, "unsigned long", n_ + "_first", sparse_first);
    array(c, "unsigned long", n_ + "_src", sparse_src);
    array(c, T_, n_ + "_w", sparse_w);
    const std::string w = n_ + "_w", src = n_ + "_src";
    c << "\n/* y_i = f((w y over the even connections) + (the odd ones) + b_i) for i in\n"
         "   [first, last), connections "
      << n_ << "_first[i] .. " << n_ << "_first[i+1]-1. */\n"
      << "static void " << n_ << "_sparse(" << T_
      << " *y, unsigned long first, unsigned long last, " << T_ << " " << f << ")\n{\n"
      << "  for (unsigned long i = first; i < last; ++i) {\n    unsigned long c = " << n_
      << "_first[i];\n    const unsigned long end = " << n_ << "_first[i + 1];\n    " << T_
      << " a0 = " << literal(T(0)) << ", a1 = " << literal(T(0)) << ";\n"
      << "    for (; c + 2 <= end; c += 2) {\n      a0 += " << w << "[c] * y[" << src
      << "[c]];\n      a1 += " << w << "[c + 1] * y[" << src << "[c + 1]];\n    }\n"
      << "    if (c < end)\n      a0 += " << w << "[c] * y[" << src << "[c]];\n"
      << "    y[i] = f((a0 + a1) + " << n_ << "_b[i - " << n_ << "_INPUTS]);\n  }\n}\n\n";
  }
}

// One call per run of units of one group sharing an activation.
template <class T>
void Generator<T>::array_units(std::ostream& c) const {
  std::size_t dense_offset = 0;
  for (const Group& g : net_.groups()) {
    const std::size_t nj = g.src_last - g.src_first;
    for (UnitId i = g.first; i < g.last;) {
      UnitId last = i + 1;
      while (last < g.last && net_.activation(last) == net_.activation(i)) ++last;
      const std::string f = n_ + "_f_" + std::string(to_string(net_.activation(i)));
      c << "  /* " << unit_label(net_, i)
        << (last - i > 1 ? " .. " + unit_label(net_, last - 1) : "") << " */\n";
      if (g.dense)
        c << "  " << n_ << "_dense(y, " << i << ", " << last << ", " << n_ << "_dense_w + "
          << dense_offset + (i - g.first) * nj << ", " << g.src_first << ", " << nj << ", " << f
          << ");\n";
      else
        c << "  " << n_ << "_sparse(y, " << i << ", " << last << ", " << f << ");\n";
      i = last;
    }
    if (g.dense) dense_offset += (g.last - g.first) * nj;
  }
}

void check_scaler(const Scaler* s, std::size_t n, const char* what) {
  if (!s || s->kind == ScaleKind::none) return;
  try {
    s->check(n);
  } catch (const invalid_argument& e) {
    throw invalid_argument(std::string("export to C: the ") + what + " does not fit: " + e.what());
  }
}

// A value that is not finite in T (a double model's weight beyond float's
// range, cast) has no C literal: invalid_argument naming its unit.
template <class T>
void check_finite(const Network<T>& net) {
  const char* type = c_type<T>();
  for (UnitId i = net.num_inputs(); i < net.num_units(); ++i) {
    const std::string unit = "unit " + unit_label(net, i);
    if (!std::isfinite(net.b()[i]))
      throw invalid_argument("export to C: the bias of " + unit + " is not finite in " + type);
    for (std::size_t c = net.first(i); c < net.first(i + 1); ++c)
      if (!std::isfinite(net.w()[c]))
        throw invalid_argument("export to C: the weight from " + unit_label(net, net.source(c)) +
                               " into " + unit + " is not finite in " + type);
  }
}

bool is_letter(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}
bool is_identifier_char(char ch) {
  return is_letter(ch) || (ch >= '0' && ch <= '9') || ch == '_';
}

// Longer names are refused: NAME_run_ws and the rest stay readable and far
// from any compiler's limit.
constexpr std::size_t max_c_name = 200;

}  // namespace

std::string to_string(CShape shape) {
  switch (shape) {
    case CShape::automatic:
      return "automatic";
    case CShape::straight_line:
      return "straight-line";
    case CShape::arrays:
      return "arrays";
  }
  return "shape " + std::to_string(static_cast<int>(shape));
}

void check_c_name(const std::string& name) {
  bool ok = !name.empty() && is_letter(name[0]) && name.size() <= max_c_name;
  for (char ch : name) ok = ok && is_identifier_char(ch);
  if (!ok)
    throw invalid_argument("export to C: the name '" + comment_text(name) +
                           "' is not usable: expected a C identifier of ASCII letters, digits "
                           "and '_', starting with a letter, at most " +
                           std::to_string(max_c_name) + " characters");
}

std::string c_name_from_path(const std::string& c_path) {
  std::string stem = c_path.substr(c_path.find_last_of('/') + 1);
  if (stem.size() >= 2 && stem.compare(stem.size() - 2, 2, ".c") == 0) stem.resize(stem.size() - 2);
  std::string name;
  for (char ch : stem) name += is_identifier_char(ch) ? ch : '_';
  while (!name.empty() && name[0] == '_') name.erase(0, 1);
  if (name.empty() || !is_letter(name[0])) name = "net_" + name;
  if (name.size() > max_c_name) name.resize(max_c_name);
  return name;
}

std::string c_activation_function(Activation f, bool double_precision, const std::string& name) {
  check_c_name(name);
  const CActivation& a = c_activation(f);
  return double_precision ? activation_function<double>(a, name)
                          : activation_function<float>(a, name);
}

std::string c_header_path(const std::string& c_path) {
  const std::size_t base = c_path.find_last_of('/') + 1;
  if (c_path.size() < base + 3 || c_path.compare(c_path.size() - 2, 2, ".c") != 0)
    throw invalid_argument("export to C: expected a file name ending in .c, got '" +
                           comment_text(c_path) + "'");
  return c_path.substr(0, c_path.size() - 2) + ".h";
}

template <class T>
CSource generate_c(const Network<T>& net, const CExportOptions& options,
                   const std::string& header_file) {
  check_c_name(options.name);
  for (char ch : header_file)
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e ||
        ch == '"' || ch == '\\' || ch == '/' || ch == '?')
      throw invalid_argument("export to C: the header's file name '" + comment_text(header_file) +
                             "' cannot be #included (expected printable ASCII without \", \\, "
                             "? or /)");
  if (header_file.size() < 3 || header_file.compare(header_file.size() - 2, 2, ".h") != 0)
    throw invalid_argument("export to C: expected a header file name ending in .h, got '" +
                           comment_text(header_file) + "'");
  check_scaler(options.input_scaler, net.num_inputs(), "input scaler");
  check_scaler(options.output_descale, net.num_outputs(), "output de-scaler");
  for (UnitId i = net.num_inputs(); i < net.num_units(); ++i) c_activation(net.activation(i));
  check_finite(net);
  CShape shape = options.shape;
  if (shape == CShape::automatic)  // the size switch between the two shapes
    shape = net.num_connections() <= c_export_straight_max_connections ? CShape::straight_line
                                                                       : CShape::arrays;
  return Generator<T>(net, options, header_file).run(shape);
}

template <class T>
CShape export_c(const std::string& c_path, const Network<T>& net, CExportOptions options) {
  const std::string h_path = c_header_path(c_path);
  if (options.name.empty()) options.name = c_name_from_path(c_path);
  const CSource s = generate_c(net, options, h_path.substr(h_path.find_last_of('/') + 1));
  write_file_atomically(h_path, s.header);
  write_file_atomically(c_path, s.source);
  return s.shape;
}

template CSource generate_c(const Network<float>&, const CExportOptions&, const std::string&);
template CSource generate_c(const Network<double>&, const CExportOptions&, const std::string&);
template CShape export_c(const std::string&, const Network<float>&, CExportOptions);
template CShape export_c(const std::string&, const Network<double>&, CExportOptions);

}  // namespace dagprop::io
