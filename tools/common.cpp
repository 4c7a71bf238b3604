// Argument parsing, data loading and atomic text output shared by the
// subcommands. Model files are in model_file.cpp; nothing here prints except
// parse() on --help.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "dagprop/evaluate.hpp"
#include "dagprop/io/atomic_file.hpp"
#include "dagprop/io/data.hpp"
#include "dagprop/io/input_file.hpp"
#include "dagprop/topology.hpp"

namespace dagprop::cli {

namespace fs = std::filesystem;

namespace {

// Boost's lexical_cast reads "-1" as an unsigned number (2^64 - 1) and "nan"
// or "inf" as doubles: refuse both here, naming the flag.
void check_numbers(const po::parsed_options& parsed, const po::options_description& desc,
                   const po::variables_map& vm) {
  for (const po::option& o : parsed.options) {
    if (o.unregistered || o.string_key.empty() || o.position_key >= 0) continue;
    const po::option_description* d = desc.find_nothrow(o.string_key, false);
    if (!d) continue;
    const po::value_semantic* sem = d->semantic().get();
    const std::string flag = "--" + o.string_key;
    if (dynamic_cast<const po::typed_value<std::size_t>*>(sem) ||
        dynamic_cast<const po::typed_value<std::uint64_t>*>(sem)) {
      for (const std::string& v : o.value)
        if (v.find('-') != std::string::npos)
          throw usage_error(flag + ": expected a non-negative integer, got '" + v + "'");
    } else if (dynamic_cast<const po::typed_value<double>*>(sem) && vm.count(o.string_key)) {
      const double x = vm[o.string_key].as<double>();
      if (!std::isfinite(x))
        throw usage_error(flag + ": expected a finite number, got '" +
                          (o.value.empty() ? std::string() : o.value.front()) + "'");
    }
  }
}

}  // namespace

bool parse(const Args& args, po::options_description& desc,
           const po::positional_options_description& pos, po::variables_map& vm,
           const std::string& usage) {
  desc.add_options()("help,h", "print this help");
  const po::parsed_options parsed =
      po::command_line_parser(args).options(desc).positional(pos).run();
  po::store(parsed, vm);
  if (vm.count("help")) {
    std::cout << "usage: " << usage << "\n\n" << desc << "\n";
    return false;
  }
  check_numbers(parsed, desc, vm);
  po::notify(vm);
  return true;
}

void check_input_file(const std::string& path) {
  io::check_input_file(path, "a file");
}

void check_output_path(const std::string& path, const std::string& what) {
  if (path.empty()) throw usage_error(what + ": the file name is empty");
  const fs::path p(path);
  if (!p.has_filename() || p.filename() == "." || p.filename() == "..")
    throw usage_error(what + ": '" + path + "' is not a file name");
  std::error_code ec;
  if (fs::is_directory(p, ec)) throw usage_error(what + ": " + path + " is a folder, not a file");
  // Saving renames a new file over the target: a device such as /dev/null or
  // /dev/stdout, a pipe or a socket would be replaced, not written to.
  const fs::file_status st = fs::status(p, ec);
  if (fs::exists(st) && !fs::is_regular_file(st))
    throw usage_error(what + ": " + path +
                      " is not a regular file (a device, pipe or socket would be replaced by the "
                      "saved file); leave the flag out to write to the standard output where "
                      "there is one");
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  if (!fs::is_directory(dir, ec))
    throw usage_error(what + ": the folder " + dir.string() + " of " + path + " does not exist");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw usage_error(what + ": cannot write into the folder " + dir.string() + " (" +
                      std::strerror(errno) + ")");
}

bool same_file(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  std::error_code ec;
  if (fs::equivalent(a, b, ec) && !ec) return true;
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec).lexically_normal();
  if (ec) return false;
  const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec), ec).lexically_normal();
  return !ec && ca == cb;
}

void check_not_same(const std::string& out, const std::string& out_flag, const std::string& in,
                    const std::string& in_flag) {
  if (same_file(out, in))
    throw usage_error(out_flag + " " + out + " is the same file as " + in_flag + " " + in +
                      "; writing it would destroy it");
}

void add_loss_option(po::options_description& desc, std::string& loss) {
  desc.add_options()("loss", po::value(&loss)->notifier(not_empty("--loss")),
                     "sse | softmax-ce | bce (default: the model's, else sse)");
}

void add_precision_option(po::options_description& desc, std::string& precision) {
  desc.add_options()("precision", po::value(&precision)->default_value(precision),
                     "float | double");
}

void add_threads_option(po::options_description& desc, std::size_t& threads) {
  desc.add_options()("threads", po::value(&threads)->default_value(0),
                     "worker threads (0: all cores)");
}

void check_precision(const std::string& precision) {
  if (precision != "float" && precision != "double")
    throw usage_error("--precision: expected float or double, got '" + precision + "'");
}

namespace {
// The flag that sets a TrainOptions field.
std::string flag_of(const std::string& field) {
  static const std::pair<const char*, const char*> flags[] = {
      {"batch_size", "--batch"},      {"learning_rate", "--lr"},     {"clip_norm", "--clip-norm"},
      {"clip_value", "--clip-value"}, {"unit_dropout", "--dropout"}, {"threads", "--threads"},
      {"epochs", "--epochs"},         {"schedule", "--schedule"},    {"loss", "--loss"},
      {"reduction", "--reduction"},   {"dropout", "--dropout"},      {"chunk_size", "chunk size"}};
  const std::string name = field.substr(0, field.find_first_of("[ "));  // unit_dropout[3]
  for (const auto& [f, flag] : flags)
    if (name == f) return flag;
  return field;
}
}  // namespace

void check_train_options(const TrainOptions& options) {
  if (const std::optional<OptionProblem> p = options.problem())
    throw usage_error(flag_of(p->field) + ": " + p->what);
}

void check_threads(std::size_t threads) {
  TrainOptions o;
  o.threads = threads;
  check_train_options(o);
}

void check_loss(const Network<double>& net, Loss loss) {
  try {
    dagprop::check_loss(net, loss, "--loss");
  } catch (const invalid_argument& e) {
    throw usage_error(e.what());
  }
}

void check_finite_inputs(const Dataset<double>& d, const std::string& path) {
  for (std::size_t k = 0; k < d.inputs.size(); ++k)
    if (!std::isfinite(d.inputs[k])) {
      const std::size_t r = k / d.num_inputs;
      std::ostringstream s;
      s << (d.source.empty() ? path + ": " + d.where(r) : d.where(r)) << ", input column "
        << k % d.num_inputs + 1 << " is " << d.inputs[k]
        << " after scaling; choose another --scale";
      throw usage_error(s.str());
    }
}

void check_targets(const Dataset<double>& d, Loss loss) {
  const std::size_t K = d.num_targets;
  if (loss == Loss::sse || K == 0) return;
  const std::string fix =
      "; for classes in one column use --class-column, for regression targets --loss sse";
  for (std::size_t r = 0; r < d.size(); ++r) {
    const double* t = d.targets.data() + r * K;
    double sum = 0;
    for (std::size_t k = 0; k < K; ++k) {
      if (!(t[k] >= 0 && t[k] <= 1))
        throw usage_error(d.where(r) + ", target " + std::to_string(k + 1) + " is " + number(t[k]) +
                          ": --loss " + std::string(to_string(loss)) + " needs targets in [0, 1]" +
                          fix);
      sum += t[k];
    }
    if (loss == Loss::softmax_ce && std::abs(sum - 1) > 1e-6)
      throw usage_error(d.where(r) + ": the targets sum to " + number(sum) +
                        ": --loss softmax-ce needs each row's targets to sum to 1 (one-hot "
                        "classes, or class probabilities)" +
                        fix);
  }
}

template <class T>
void check_finite_outputs(const Network<T>& net, const std::vector<T>& y, const Dataset<T>& data,
                          const char* cause) {
  const std::size_t K = net.num_outputs();
  for (std::size_t k = 0; k < y.size(); ++k)
    if (!std::isfinite(y[k])) {
      throw numeric_error(data.where(k / K) + ": output " + std::to_string(k % K) + " (" +
                          net.label(net.output(k % K)) + ") is " +
                          number(static_cast<double>(y[k])) + " in " +
                          (sizeof(T) == sizeof(float) ? "float" : "double") + " (" + cause + ")");
    }
}
template void check_finite_outputs(const Network<float>&, const std::vector<float>&,
                                   const Dataset<float>&, const char*);
template void check_finite_outputs(const Network<double>&, const std::vector<double>&,
                                   const Dataset<double>&, const char*);

std::function<void(const std::string&)> not_empty(const char* flag) {
  return [flag](const std::string& v) {
    if (v.empty()) throw usage_error(std::string(flag) + ": the value is empty");
  };
}

void add_data_options(po::options_description& desc, DataArgs& a, bool labeled) {
  desc.add_options()("data", po::value(&a.data)->required()->notifier(not_empty("--data")),
                     "data file: CSV, or IDX images (plain or gzip), told apart by content")(
      "scale", po::value(&a.scale)->notifier(not_empty("--scale")),
      "input scaling: none | divide:N | standardize (fitted when training and saved with "
      "the model; later commands apply the saved one)")(
      "separator", po::value(&a.separator)->notifier(not_empty("--separator")),
      "CSV field separator: , | ; | tab | space or whitespace (runs of spaces and tabs) | auto "
      "(default: auto, found from the first line)")(
      "skip-rows", po::value(&a.skip_rows)->default_value(0),
      "CSV lines to skip at the start, before the header or data (a metadata line)")(
      "max-values", po::value(&a.max_values)->default_value(a.max_values),
      "the most values (inputs and targets) the data may hold; more are refused before "
      "they are read (2^27: 1 GiB as double)");
  if (labeled)
    desc.add_options()("labels", po::value(&a.labels)->notifier(not_empty("--labels")),
                       "IDX labels file (with IDX --data)")(
        "targets", po::value(&a.targets)->notifier(not_empty("--targets")),
        "CSV target columns: comma-separated 1-based numbers or header names (default: the "
        "last K columns, K = the network's outputs)")(
        "class-column",
        po::value(&a.class_column)->implicit_value("last")->notifier(not_empty("--class-column")),
        "CSV: one class column of integers 0, 1, ... or text labels (default the last; or a "
        "1-based number or name), one-hot encoded when the network has several outputs")(
        "class-names", po::value(&a.class_names)->notifier(not_empty("--class-names")),
        "with --class-column: the text labels of classes 0, 1, ..., comma-separated (as many "
        "as the network's outputs, or two for one sigmoid output); train without it takes "
        "the sorted distinct text labels of the training file, saved with the model");
}

std::vector<std::string> split_list(const std::string& text, const char* what) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    std::string field = text.substr(start, comma == std::string::npos ? comma : comma - start);
    if (field.empty())
      throw usage_error(std::string(what) + ": expected a comma-separated list, got '" + text +
                        "'");
    out.push_back(field);
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

std::vector<std::string> parse_class_names(const std::string& list, std::size_t num_outputs) {
  std::vector<std::string> names = split_list(list, "--class-names");
  const std::size_t want = num_outputs == 1 ? 2 : num_outputs;
  if (names.size() != want)
    throw usage_error("--class-names gives " + std::to_string(names.size()) +
                      " names but the network has " + std::to_string(num_outputs) +
                      (num_outputs == 1 ? " output: give two (classes 0 and 1)" : " outputs"));
  for (std::size_t k = 0; k < names.size(); ++k)
    for (std::size_t q = 0; q < k; ++q)
      if (names[q] == names[k])
        throw usage_error("--class-names: '" + names[k] + "' is given twice");
  return names;
}

bool is_number(const std::string& field) {
  double v = 0;
  const auto r = std::from_chars(field.data(), field.data() + field.size(), v);
  return !field.empty() && r.ec == std::errc() && r.ptr == field.data() + field.size();
}

std::size_t parse_count(const std::string& text, const char* what) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw usage_error(std::string(what) + ": expected a non-negative integer, got '" + text + "'");
  return value;
}

namespace {

// Whether the fields of a first line are data: one of them is a number
// (read_csv's rule; a header has none).
bool is_data_line(const std::vector<std::string>& fields) {
  return std::any_of(fields.begin(), fields.end(), is_number);
}

// The fields of a plain CSV file's first line (for columns named by header).
// A 1-based column number or a header name -> 0-based index.
std::size_t column_index(const std::string& path, const io::CsvOptions& csv,
                         const std::string& spec, const char* what) {
  if (spec == "last") return io::last_column;
  if (spec.find_first_not_of("0123456789") == std::string::npos) {
    const std::size_t k = parse_count(spec, what);
    if (k == 0) throw usage_error(std::string(what) + ": columns are numbered from 1, got 0");
    return k - 1;
  }
  const auto names = io::read_csv_header(path, csv);
  for (std::size_t c = 0; c < names.size(); ++c)
    if (names[c] == spec) {
      for (std::size_t d = c + 1; d < names.size(); ++d)
        if (names[d] == spec)
          throw usage_error(std::string(what) + ": the header of " + path + " names columns " +
                            std::to_string(c + 1) + " and " + std::to_string(d + 1) + " '" +
                            printable(spec, 64) + "'; give the column's number");
      return c;
    }
  if (is_data_line(names))
    throw usage_error(std::string(what) + ": no column is named '" + printable(spec, 64) + "': " +
                      path + " has no header (its first line is data); give the column's number");
  throw usage_error(std::string(what) + ": no column named '" + spec + "' in the header of " +
                    path);
}

// `split`: how the columns were split (for CSV data), e.g. "the last 3 columns
// taken as targets (the network has 3 outputs)", as "; <split>", and where the
// split was the default, the flags that choose another.
std::string split_hint(const std::string& split) {
  if (split.empty()) return "";
  return "; " + split +
         (split.find("--class-column") == std::string::npos &&
                  split.find("--targets") == std::string::npos
              ? "; for one class column use --class-column, for other target columns --targets"
              : "");
}

void check_inputs(const Dataset<double>& d, const std::string& path, std::size_t num_inputs,
                  const std::string& split = "") {
  if (d.num_inputs == num_inputs) return;
  throw invalid_argument(path + ": the data have " + std::to_string(d.num_inputs) +
                         " input columns but the network has " + std::to_string(num_inputs) +
                         " inputs" + split_hint(split));
}

// The CLI's words for the CSV reader's options in its messages.
std::string flag_words(std::string text) {
  const std::pair<const char*, const char*> words[] = {
      {"CsvOptions::class_names, --class-names", "--class-names"},
      {"CsvOptions::class_column", "--class-column"},
      {"CsvOptions::separator", "--separator"},
      {"CsvOptions::max_line_bytes", "the cap per line"},
      {"CsvOptions::max_bytes", "the cap on the file"},
      {"CsvOptions::max_columns", "the cap on columns"}};
  for (const auto& [from, to] : words)
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at))
      text.replace(at, std::strlen(from), to);
  return text;
}

Dataset<double> read_data(const std::string& path, const io::DataOptions& o) {
  try {
    return io::load_data(path, o);
  } catch (const io_error& e) {
    throw io_error(flag_words(e.what()));
  }
}

// --separator as CsvOptions::separator.
char parse_separator(const std::string& spec) {
  if (spec.empty() || spec == "auto") return io::detect_separator;
  if (spec == "," || spec == ";") return spec[0];
  if (spec == "tab" || spec == "\t") return '\t';
  if (spec == "space" || spec == "whitespace") return io::whitespace_separator;
  throw usage_error("--separator: expected , ; tab space whitespace or auto, got '" + spec + "'");
}

// The CSV options every command shares: the separator. IDX data refuse CSV flags.
io::DataOptions data_options(const DataArgs& a, bool idx) {
  io::DataOptions o;
  o.csv.separator = parse_separator(a.separator);
  o.csv.skip_rows = a.skip_rows;
  o.csv.max_values = o.idx.max_values = a.max_values;
  if (idx && !a.separator.empty())
    throw usage_error("--separator goes with CSV data, but " + a.data + " is an IDX file");
  if (idx && a.skip_rows > 0)
    throw usage_error("--skip-rows goes with CSV data, but " + a.data + " is an IDX file");
  return o;
}

// FANN data hold their outputs: the CSV and IDX flags do not apply.
Dataset<double> load_fann_data(const DataArgs& a, std::size_t num_inputs, std::size_t num_outputs) {
  if (!a.labels.empty() || !a.targets.empty() || !a.class_column.empty() || !a.separator.empty())
    throw usage_error(
        "--labels, --targets, --class-column and --separator do not go with FANN "
        "data, which hold their outputs (" +
        a.data + ")");
  Dataset<double> d = io::load_data(a.data);
  if (d.num_targets != num_outputs)
    throw invalid_argument(a.data + ": the FANN data have " + std::to_string(d.num_targets) +
                           " outputs per pair but the network has " + std::to_string(num_outputs) +
                           " outputs");
  check_inputs(d, a.data, num_inputs);
  return d;
}

}  // namespace

namespace {

// The labels of IDX images: --labels, one-hot when the network has several outputs.
void set_idx_labels(const DataArgs& a, std::size_t num_outputs, io::DataOptions& o) {
  if (!a.class_column.empty() || !a.targets.empty())
    throw usage_error("--targets and --class-column go with CSV data, but " + a.data +
                      " is an IDX file");
  if (a.labels.empty())
    throw usage_error(a.data + " is an IDX file of inputs only; give its labels with --labels");
  o.idx_labels_path = a.labels;
  o.idx.one_hot = num_outputs > 1;
  o.idx.num_classes = num_outputs > 1 ? num_outputs : 10;
}

// The target columns of CSV data: --targets, --class-column (with its names),
// else the last num_outputs columns. Returns true for the class column of one
// output (classes 0 and 1, numbers or two names), whose one-hot reading
// binary_class() folds into the class.
bool set_csv_targets(const DataArgs& a, std::size_t num_outputs, io::DataOptions& o) {
  if (!a.labels.empty())
    throw usage_error("--labels goes with IDX data, but " + a.data + " is a CSV file");
  if (!a.targets.empty() && !a.class_column.empty())
    throw usage_error("--targets and --class-column exclude each other");
  if (!a.targets.empty()) {
    for (const auto& t : split_list(a.targets, "--targets"))
      o.csv.target_columns.push_back(column_index(a.data, o.csv, t, "--targets"));
    if (o.csv.target_columns.size() != num_outputs)
      throw usage_error("--targets names " + std::to_string(o.csv.target_columns.size()) +
                        " columns but the network has " + std::to_string(num_outputs) + " outputs");
    return false;
  }
  if (a.class_column.empty()) {
    o.csv.last_targets = num_outputs;
    return false;
  }
  o.csv.class_column = column_index(a.data, o.csv, a.class_column, "--class-column");
  if (!a.class_names.empty())
    o.csv.class_names = parse_class_names(a.class_names, num_outputs);
  else
    o.csv.num_classes = num_outputs == 1 ? 2 : num_outputs;
  return num_outputs == 1;
}

// One-hot [class 0, class 1] -> the class, 0 or 1.
void binary_class(Dataset<double>& d) {
  for (std::size_t r = 0; r < d.size(); ++r) d.targets[r] = d.targets[2 * r + 1];
  d.targets.resize(d.size());
  d.num_targets = 1;
}

// How the columns were split into inputs and targets, for a message on a
// count of inputs that does not fit the network.
std::string target_split(const DataArgs& a, const io::DataOptions& o, std::size_t num_outputs) {
  if (o.csv.last_targets > 0)
    return "the last " + std::to_string(num_outputs) + " column" +
           (num_outputs == 1 ? " was" : "s were") + " taken as targets (the network has " +
           std::to_string(num_outputs) + " output" + (num_outputs == 1 ? ")" : "s)");
  if (!a.targets.empty())
    return std::to_string(o.csv.target_columns.size()) +
           " columns were taken as targets (--targets)";
  if (!a.class_column.empty()) return "one column was taken as the class (--class-column)";
  return "";
}

// The first line's fields against the network's inputs and the target columns
// of `csv`, before any value is read: a file without its class column would
// otherwise have its last input read as the class, and refused for that.
void check_csv_columns(const std::string& path, const io::CsvOptions& csv, std::size_t num_inputs,
                       const std::string& split) {
  const std::size_t targets =
      csv.last_targets + csv.target_columns.size() + (csv.class_column ? 1 : 0);
  std::size_t columns = 0;
  try {
    columns = io::read_csv_header(path, csv).size();
  } catch (const io_error& e) {
    throw io_error(flag_words(e.what()));
  }
  if (columns == num_inputs + targets || columns <= targets) return;  // the reader says why
  throw invalid_argument(
      path + ": the first line has " + std::to_string(columns) + " column" +
      (columns == 1 ? "" : "s") + ", but the network's " + std::to_string(num_inputs) +
      " inputs and " + std::to_string(targets) + " target column" + (targets == 1 ? "" : "s") +
      " make " + std::to_string(num_inputs + targets) +
      (columns == num_inputs ? " (the file seems to hold the inputs only)" : "") +
      split_hint(split));
}

}  // namespace

Dataset<double> load_labeled(const DataArgs& a, std::size_t num_inputs, std::size_t num_outputs) {
  const io::DataFormatInfo info = io::detect_format(a.data);
  if (info.format == io::DataFormat::fann) return load_fann_data(a, num_inputs, num_outputs);
  io::DataOptions o = data_options(a, info.format == io::DataFormat::idx);
  if (!a.class_names.empty() && a.class_column.empty())
    throw usage_error("--class-names goes with --class-column");
  bool binary_class_column = false;  // one output's class column: the target is the class
  if (info.format == io::DataFormat::idx) {
    set_idx_labels(a, num_outputs, o);
  } else {
    binary_class_column = set_csv_targets(a, num_outputs, o);
    check_csv_columns(a.data, o.csv, num_inputs, target_split(a, o, num_outputs));
  }
  Dataset<double> d = read_data(a.data, o);
  if (binary_class_column) binary_class(d);
  check_inputs(d, a.data, num_inputs, target_split(a, o, num_outputs));
  return d;
}

std::vector<std::string> csv_class_labels(const DataArgs& a) {
  io::DataOptions o = data_options(a, false);
  o.csv.class_column = column_index(a.data, o.csv, a.class_column, "--class-column");
  o.csv.num_classes = 1;  // not used: the labels are read as text
  try {
    return io::read_csv_class_labels(a.data, o.csv, io::max_class_names, io::max_class_name_length);
  } catch (const io_error& e) {
    throw io_error(flag_words(e.what()));
  }
}

Dataset<double> load_inputs(const DataArgs& a, std::size_t num_inputs) {
  Dataset<double> d =
      read_data(a.data, data_options(a, io::detect_format(a.data).format == io::DataFormat::idx));
  check_inputs(d, a.data, num_inputs,
               d.num_inputs > num_inputs
                   ? "every column was taken as an input; name target columns to leave out with "
                     "--targets or --class-column"
                   : "");
  return d;
}

std::vector<std::string> input_column_names(const DataArgs& a, std::size_t num_inputs,
                                            std::size_t num_outputs) {
  std::vector<std::string> fields;
  io::DataOptions o;
  try {
    if (io::detect_format(a.data).format != io::DataFormat::csv) return {};
    o = data_options(a, false);
    fields = io::read_csv_header(a.data, o.csv);
    if (is_data_line(fields)) return {};
    if (fields.size() == num_inputs) return fields;  // a file of inputs only
    set_csv_targets(a, num_outputs, o);
  } catch (const error&) {  // the data were read already: nothing to add
    return {};
  }
  const std::size_t n = fields.size();
  std::vector<bool> target(n, false);
  const auto mark = [&](std::size_t c) {
    if (c == io::last_column && n > 0) c = n - 1;
    if (c < n) target[c] = true;
  };
  for (std::size_t c : o.csv.target_columns) mark(c);
  if (o.csv.class_column) mark(*o.csv.class_column);
  for (std::size_t k = 0; k < o.csv.last_targets && k < n; ++k) target[n - 1 - k] = true;
  std::vector<std::string> names;
  for (std::size_t c = 0; c < n; ++c)
    if (!target[c]) names.push_back(fields[c]);
  return names.size() == num_inputs ? names : std::vector<std::string>{};
}

void warn_input_names(const Network<double>& net, const std::vector<std::string>& names,
                      const std::string& path) {
  if (names.size() != net.num_inputs()) return;
  const Topology t = net.to_topology();
  const std::vector<UnitId> in = t.inputs();
  // A header name that is the name of another input: that column moved.
  for (std::size_t k = 0; k < in.size(); ++k) {
    if (names[k] == t.name(in[k])) continue;
    for (std::size_t j = 0; j < in.size(); ++j)
      if (j != k && names[k] == t.name(in[j])) {
        std::cerr << "dagprop: warning: " << path << ": input column " << k + 1 << " is named '"
                  << printable(names[k], 64) << "' in the header, which is the model's input "
                  << j + 1 << "; columns are read by position, not by name: reorder them\n";
        return;
      }
  }
}

io::Scaler make_scaler(const std::string& spec, const Dataset<double>& fit_on) {
  if (spec.empty() || spec == "none") return io::Scaler{};
  if (spec == "standardize") return io::fit_standardize(fit_on);
  if (spec.rfind("divide:", 0) == 0) {
    const std::string number = spec.substr(7);
    double c = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), c);
    if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(c) || c == 0)
      throw usage_error("--scale divide:N needs a finite non-zero number N, got '" + number + "'");
    return io::divide(fit_on.num_inputs, c);
  }
  throw usage_error("--scale: expected none, divide:N or standardize, got '" + spec + "'");
}

io::Scaler eval_scaler(const io::ModelMeta& meta, const std::string& spec,
                       const Dataset<double>& data) {
  const io::Scaler& saved = meta.input;
  const std::string saved_text =
      saved.kind == io::ScaleKind::divide
          ? "divide:" + number(saved.scale.empty() ? 1.0 : saved.scale.front())
          : std::string(io::to_string(saved.kind));
  const auto differs = [&] {
    return usage_error("--scale " + spec + " differs from the scaling saved with the model (" +
                       saved_text + "); leave --scale out to use the saved one");
  };
  if (saved.kind == io::ScaleKind::divide && spec.rfind("divide:", 0) == 0) {
    if (make_scaler(spec, data) != saved) throw differs();
    return saved;
  }
  if (saved.kind != io::ScaleKind::none) {
    if (!spec.empty() && spec != io::to_string(saved.kind)) throw differs();
    return saved;
  }
  if (spec == "standardize")
    throw usage_error(
        "--scale standardize must be fitted on the training set: give it to `dagprop train`, "
        "which saves it with the model");
  // A model dagprop trained without scaling saw its inputs as they are; one
  // never trained here (new, imported) may take a scaling now.
  if (meta.training && !spec.empty() && spec != "none") throw differs();
  return make_scaler(spec, data);
}

void write_text_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
  io::write_file_atomically(path, write);
}

std::string number(double v) {
  return number_text(v);
}

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

}  // namespace dagprop::cli
