// Shared pieces of the `dagprop` command line: argument parsing with
// Boost.Program_options, the data options common to train/eval/predict/
// gradcheck, model file access and atomic writing of text outputs.
// It holds no subcommand logic (see cmd_*.cpp) and never exits the process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "dagprop/dataset.hpp"
#include "dagprop/error.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/io/scaling.hpp"
#include "dagprop/loss.hpp"
#include "dagprop/network.hpp"
#include "dagprop/trainer.hpp"

namespace dagprop::cli {

namespace po = boost::program_options;
using Args = std::vector<std::string>;

// A subcommand: its arguments after the subcommand's name; returns the exit status.
using Command = int (*)(const Args&);

int cmd_new(const Args&);
int cmd_import(const Args&);
int cmd_train(const Args&);
int cmd_eval(const Args&);
int cmd_predict(const Args&);
int cmd_inspect(const Args&);
int cmd_dot(const Args&);
int cmd_convert(const Args&);
int cmd_edit(const Args&);
int cmd_gradcheck(const Args&);
int cmd_export_c(const Args&);
int cmd_export_fann(const Args&);

// FANN networks (fann_import.cpp): whether a file starts as one, and one as a
// network computing FANN's raw outputs, its input scaling in `input_scaling`.
bool is_fann_network(const std::string& path);
Network<double> import_fann(const std::string& path, io::ModelMeta& meta);

// A mistake of the user that is not a library error (a bad flag value, a
// missing argument): printed as "dagprop: error: <what>", exit status 1.
class usage_error : public error {
 public:
  using error::error;
};

// Parses args against `desc` (plus --help) with the positional names in `pos`.
// Prints "usage: <usage>" and the options and returns false on --help.
// Refuses, naming the flag, a negative value of an unsigned option (which
// Boost would wrap around to a huge number) and a non-finite value of a
// floating-point option.
bool parse(const Args& args, po::options_description& desc,
           const po::positional_options_description& pos, po::variables_map& vm,
           const std::string& usage);

// A notifier refusing an empty value, which the commands would take for "not given".
std::function<void(const std::string&)> not_empty(const char* flag);

// The data options of train, eval, predict and gradcheck.
struct DataArgs {
  std::string data;          // --data: CSV or IDX (plain or gzip) or FANN .data, by content
  std::string labels;        // --labels: IDX labels
  std::string scale;         // --scale: none | divide:N | standardize ("" when not given)
  std::string targets;       // --targets: comma-separated 1-based columns or header names
  std::string class_column;  // --class-column [N]: "last" or a 1-based column or a name
  std::string class_names;   // --class-names: comma-separated text labels of the classes
  std::string
      separator;  // --separator: "," ";" "tab" "space" "whitespace" or "auto" ("" when not given)
  std::size_t skip_rows = 0;  // --skip-rows: CSV lines before the header or data
  std::uint64_t max_values = default_max_values;  // --max-values: the data set's cap
};
void add_data_options(po::options_description& desc, DataArgs& a, bool labeled);

// Reads a labeled data set for a network with `num_outputs` outputs: IDX
// images + labels (one-hot when num_outputs > 1), or CSV whose last
// num_outputs columns are targets unless --targets / --class-column say otherwise.
Dataset<double> load_labeled(const DataArgs& a, std::size_t num_inputs, std::size_t num_outputs);
// Reads inputs only (CSV columns, or IDX images).
Dataset<double> load_inputs(const DataArgs& a, std::size_t num_inputs);

// The header names of the input columns of CSV --data (its target columns
// left out as load_labeled leaves them, or all when the file holds the inputs
// only); empty when the file is not CSV, has no header or does not fit.
std::vector<std::string> input_column_names(const DataArgs& a, std::size_t num_inputs,
                                            std::size_t num_outputs);
// train, eval, predict: one warning line when the header names an input
// column after another of the model's inputs (a column that moved: columns
// are matched by position, and a moved one would go unnoticed).
void warn_input_names(const Network<double>& net, const std::vector<std::string>& names,
                      const std::string& path);
// "none", "divide:N" or "standardize" (fitted on `fit_on`).
io::Scaler make_scaler(const std::string& spec, const Dataset<double>& fit_on);
// The scaler to apply to evaluation data: the model's when it has one (a
// --scale given must be the same, divide:N with the same N); a model trained
// without scaling takes none; one never trained takes --scale none/divide:N on
// `data` (standardize is refused: it must be fitted when training).
io::Scaler eval_scaler(const io::ModelMeta& meta, const std::string& spec,
                       const Dataset<double>& data);

// Model files (through dagprop/io/model.hpp): load in double precision with
// the saved scaler; save atomically in the given format ("binary", "text", "xml")
// and in T's precision.
Network<double> load_model(const std::string& path, io::Scaler* scaler);
template <class T>
void save_model(const std::string& path, const Network<T>& net, const std::string& format,
                const io::Scaler* scaler);
// The same with everything a model file holds (io::ModelMeta).
Network<double> load_model(const std::string& path, io::ModelMeta& meta);
template <class T>
void save_model(const std::string& path, const Network<T>& net, const std::string& format,
                const io::ModelMeta& meta);

// What a model remembers of its training, applied to the flags of eval,
// predict and gradcheck (model_setup.cpp): a flag left out takes the model's
// value, a flag given must agree with it or is a usage_error saying what the
// model holds. resolve_loss: --loss `flag` ("" when not given), else the
// model's, else sse.
Loss resolve_loss(const io::ModelMeta& meta, const std::string& flag);
// --targets, --class-column and --class-names of CSV data from the model's setup.
void resolve_targets(const io::ModelMeta& meta, DataArgs& a);
// The class names to print: --class-names, else the model's (empty: numbers).
std::vector<std::string> class_names_of(const io::ModelMeta& meta, const DataArgs& a,
                                        std::size_t num_outputs);
// Whether the targets are classes: a classifying loss, or class targets
// (--class-column, IDX labels, or a model trained on them).
bool class_targets(const io::ModelMeta& meta, const DataArgs& a, Loss loss);
// The setup a training run saves with its model.
io::TrainingSetup training_setup(const DataArgs& a, Loss loss, Reduction reduction);
// The distinct labels of a CSV file's --class-column, sorted (common.cpp).
std::vector<std::string> csv_class_labels(const DataArgs& a);
// train: a --class-column of text labels without --class-names takes the
// sorted distinct labels of the training file as its class names (set in
// `a.class_names`; returned, empty when a label is a number or the data are
// not CSV). A usage_error when their count does not fit the outputs.
std::vector<std::string> infer_class_names(DataArgs& a, std::size_t num_outputs);
// One line of what the model holds: "loss softmax-ce, reduction mean, targets
// class-column last, classes setosa,versicolor,virginica".
std::string describe(const io::TrainingSetup& t);

// Writes a text file atomically: `write` fills a temporary file next to
// `path`, which is renamed over it only when everything was written.
void write_text_file(const std::string& path, const std::function<void(std::ostream&)>& write);

// Splits "a,b,c" at commas (empty fields are errors naming `what`).
std::vector<std::string> split_list(const std::string& text, const char* what);
// --class-names: the names of classes 0, 1, ..., distinct, as many as the
// network's outputs (one-hot), or two for a single output (its 0/1 target).
std::vector<std::string> parse_class_names(const std::string& list, std::size_t num_outputs);
std::size_t parse_count(const std::string& text, const char* what);
// Whether a whole CSV field is a number as from_chars reads one (a class
// label or header name that is a number).
bool is_number(const std::string& field);

// Throws io_error when the input file `path` is a folder (whose reading
// would fail with a misleading message about its size or content).
void check_input_file(const std::string& path);
// Checks before any work that `path` can be written by the flag `what`: a
// non-empty file name (not a folder, device, pipe or socket, which the atomic
// rename of a save would replace) in a folder that exists and is writable.
void check_output_path(const std::string& path, const std::string& what);
// Whether two paths name the same file (an existing file by identity, a new
// one by its normalised absolute path).
bool same_file(const std::string& a, const std::string& b);
// Throws usage_error when the output `out` (flag `out_flag`) names the same
// file as the input `in` (flag `in_flag`): writing it would destroy the input.
void check_not_same(const std::string& out, const std::string& out_flag, const std::string& in,
                    const std::string& in_flag);
// The options eval, predict, gradcheck and export-c share, added to `desc`
// with one help text each: --loss ("" when not given: the model's, else sse),
// --precision ("float" or "double"), --threads (0: all cores).
void add_loss_option(po::options_description& desc, std::string& loss);
void add_precision_option(po::options_description& desc, std::string& precision);
void add_threads_option(po::options_description& desc, std::size_t& threads);
// Throws usage_error unless precision is "float" or "double".
void check_precision(const std::string& precision);
// Calls run(float{}) or run(double{}) by --precision (checked): the one
// float/double dispatch of the commands.
template <class F>
void in_precision(const std::string& precision, F&& run) {
  check_precision(precision);
  if (precision == "float")
    run(float{});
  else
    run(double{});
}
// TrainOptions::check in the command line's words: "<flag>: <what>" as a
// usage_error, the flag of the field that is out of range.
void check_train_options(const TrainOptions& options);
// Throws usage_error unless threads is 0 (all cores) or at most max_threads.
void check_threads(std::size_t threads);
// Throws usage_error when the loss cannot be used with the network's outputs:
// bce needs sigmoid outputs, softmax-ce at least two outputs.
void check_loss(const Network<double>& net, Loss loss);
// Throws usage_error naming the row and target when the targets cannot be
// the loss's: bce needs each in [0, 1], softmax-ce each row a distribution
// (non-negative, summing to 1). sse takes any.
void check_targets(const Dataset<double>& d, Loss loss);
// Throws usage_error naming the row and column when an input value is not
// finite after scaling (a --scale divide:N with a tiny N overflows).
void check_finite_inputs(const Dataset<double>& d, const std::string& path);
// Throws numeric_error naming the row (as `data`, whose outputs `y` are,
// counts it in its file) and the output unit when a prediction y (rows x
// outputs) is not finite: an overflow in the network, never printed as a number.
// `cause` replaces "an overflow inside the network" in the message.
template <class T>
void check_finite_outputs(const Network<T>& net, const std::vector<T>& y, const Dataset<T>& data,
                          const char* cause = "an overflow inside the network");

// A number for messages: as short as "%g" writes it (0.1, 1e+300, nan).
std::string number(double v);

// Whether stderr is a terminal (progress bars only then).
bool stderr_is_terminal();

}  // namespace dagprop::cli
