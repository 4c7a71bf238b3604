// What a model file remembers of its training (io::TrainingSetup) turned into
// the flags of eval, predict and gradcheck, and built from the flags of train.
// A flag left out takes the model's value; one given must agree with it.
// It reads no data (only the first bytes of --data, to tell CSV from IDX).
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
