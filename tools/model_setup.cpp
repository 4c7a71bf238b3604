// What a model file remembers of its training (io::TrainingSetup) turned into
// the flags of eval, predict and gradcheck, and built from the flags of train.
// A flag left out takes the model's value; one given must agree with it.
// It reads no data (only the first bytes of --data, to tell CSV from IDX).
#include <algorithm>

#include "cli.hpp"
#include "dagprop/evaluate.hpp"
#include "dagprop/io/data.hpp"

namespace dagprop::cli {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ",") + n;
  return s;
}

[[noreturn]] void contradicts(const std::string& flag, const std::string& given,
                              const io::TrainingSetup& t) {
  throw usage_error(flag + (given.empty() ? "" : " " + given) +
                    " contradicts the model, which was trained with " + describe(t) + "; leave " +
                    flag + " out to use the model's");
}

bool is_idx(const DataArgs& a) {
  return io::detect_format(a.data).format == io::DataFormat::idx;
}

}  // namespace

std::string describe(const io::TrainingSetup& t) {
  std::string s = "--loss " + std::string(to_string(t.loss)) + " --reduction " +
                  std::string(to_string(t.reduction));
  if (t.targets == io::TargetReading::class_column)
    s += " --class-column " + t.columns;
  else if (t.targets == io::TargetReading::idx_labels)
    s += " (IDX --labels)";
  else if (!t.columns.empty())
    s += " --targets " + t.columns;
  else
    s += " (targets: the last columns)";
  if (!t.class_names.empty()) s += " --class-names " + join(t.class_names);
  return s;
}

Loss resolve_loss(const io::ModelMeta& meta, const std::string& flag) {
  if (flag.empty()) return meta.training ? meta.training->loss : Loss::sse;
  const Loss l = parse_loss(flag);
  if (meta.training && meta.training->loss != l) contradicts("--loss", flag, *meta.training);
  return l;
}

void resolve_targets(const io::ModelMeta& meta, DataArgs& a) {
  if (!meta.training || meta.training->targets == io::TargetReading::idx_labels || is_idx(a))
    return;
  const io::TrainingSetup& t = *meta.training;
  if (t.targets == io::TargetReading::class_column) {
    if (!a.targets.empty()) contradicts("--targets", a.targets, t);
    if (a.class_column.empty()) a.class_column = t.columns;
    if (a.class_column != t.columns) contradicts("--class-column", a.class_column, t);
    if (!t.class_names.empty()) {
      if (a.class_names.empty()) a.class_names = join(t.class_names);
      if (a.class_names != join(t.class_names)) contradicts("--class-names", a.class_names, t);
    }
    return;
  }
  if (!a.class_column.empty()) contradicts("--class-column", a.class_column, t);
  if (a.targets.empty()) a.targets = t.columns;
  if (!t.columns.empty() && a.targets != t.columns) contradicts("--targets", a.targets, t);
}

std::vector<std::string> class_names_of(const io::ModelMeta& meta, const DataArgs& a,
                                        std::size_t num_outputs) {
  if (!a.class_names.empty()) return parse_class_names(a.class_names, num_outputs);
  return meta.training ? meta.training->class_names : std::vector<std::string>{};
}

bool class_targets(const io::ModelMeta& meta, const DataArgs& a, Loss loss) {
  return classifies(loss) || !a.class_column.empty() ||
         (meta.training && meta.training->targets != io::TargetReading::columns);
}

std::vector<std::string> infer_class_names(DataArgs& a, std::size_t num_outputs) {
  if (a.class_column.empty() || !a.class_names.empty() || is_idx(a) ||
      io::detect_format(a.data).format != io::DataFormat::csv)
    return {};
  const std::vector<std::string> labels = csv_class_labels(a);
  // Only labels that are all text: a number among them (a metadata line read
  // as data, a typo) is left to the CSV reader, whose error names its row.
  if (std::any_of(labels.begin(), labels.end(), is_number)) return {};
  const std::size_t want = num_outputs == 1 ? 2 : num_outputs;
  if (labels.size() != want)
    throw usage_error("--class-column " + a.class_column + " holds " +
                      std::to_string(labels.size()) + " distinct labels (" +
                      printable(join(labels), 120) + ") but the network's " +
                      std::to_string(num_outputs) + " output" + (num_outputs == 1 ? "" : "s") +
                      " take " + std::to_string(want) +
                      " classes; make a network of as many outputs, or name the classes with "
                      "--class-names");
  for (const std::string& l : labels)
    if (l.empty() || l.find(',') != std::string::npos)
      throw usage_error("--class-column " + a.class_column + ": the class label '" +
                        printable(l, 64) +
                        "' is empty or holds a comma, which --class-names cannot carry; "
                        "relabel the classes");
  a.class_names = join(labels);
  return labels;
}

io::TrainingSetup training_setup(const DataArgs& a, Loss loss, Reduction reduction) {
  io::TrainingSetup t;
  t.loss = loss;
  t.reduction = reduction;
  if (!a.labels.empty()) {
    t.targets = io::TargetReading::idx_labels;
  } else if (!a.class_column.empty()) {
    t.targets = io::TargetReading::class_column;
    t.columns = a.class_column;
  } else {
    t.targets = io::TargetReading::columns;
    t.columns = a.targets;
  }
  if (!a.class_names.empty()) t.class_names = split_list(a.class_names, "--class-names");
  return t;
}

}  // namespace dagprop::cli
