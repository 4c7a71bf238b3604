// Model files: Network + ModelMeta <-> ModelData (serialize.hpp) <-> payload
// <-> file. Loading checks the header (format.cpp), then the payload's counts
// and values, then the graph (compile), then the metadata. It does not know
// about training state (checkpoint.cpp).
#include "dagprop/io/model.hpp"

#include <cmath>
#include <optional>

#include "dagprop/io/atomic_file.hpp"
#include "dagprop/topology.hpp"
#include "serialize.hpp"

namespace dagprop::io {

std::string_view to_string(TargetReading r) {
  return target_reading_names.name_of(r);
}

void ModelMeta::check(std::size_t num_inputs, std::size_t num_outputs) const {
  const auto scaler = [](const Scaler& s, std::size_t n, const char* what) {
    try {
      s.check(n);
    } catch (const error& e) {
      throw invalid_argument(std::string(what) + ": " + e.what());
    }
  };
  scaler(input, num_inputs, "input scaler");
  scaler(target, num_outputs, "target scaler");
  if (!training) return;
  const TrainingSetup& t = *training;
  if (!loss_names.is_valid(t.loss) || !reduction_names.is_valid(t.reduction) ||
      !target_reading_names.is_valid(t.targets))
    throw invalid_argument("training setup: a loss, reduction or target reading code is unknown");
  if (t.columns.size() > max_columns_text)
    throw invalid_argument("training setup: the target columns text has " +
                           std::to_string(t.columns.size()) + " bytes, the cap is " +
                           std::to_string(max_columns_text));
  if (t.class_names.empty()) return;
  if (t.targets == TargetReading::columns)
    throw invalid_argument("training setup: class names with target columns (not classes)");
  const std::size_t want = num_outputs == 1 ? 2 : num_outputs;
  if (t.class_names.size() != want)
    throw invalid_argument("training setup: " + std::to_string(t.class_names.size()) +
                           " class names for " + std::to_string(num_outputs) +
                           " outputs (expected " + std::to_string(want) + ")");
  for (std::size_t k = 0; k < t.class_names.size(); ++k) {
    const std::string& name = t.class_names[k];
    if (name.empty() || name.size() > max_class_name_length)
      throw invalid_argument("training setup: class name " + std::to_string(k) + " has " +
                             std::to_string(name.size()) + " bytes (expected 1 to " +
                             std::to_string(max_class_name_length) + ")");
    for (std::size_t q = 0; q < k; ++q)
      if (t.class_names[q] == name)
        throw invalid_argument("training setup: class name '" + name + "' appears twice");
  }
}

namespace detail {

namespace {

ScalerRecord to_record(const Scaler& s) {
  ScalerRecord r;
  if (s.kind == ScaleKind::none) return r;
  r.present = 1;
  r.kind = static_cast<std::uint32_t>(s.kind);
  r.offset = s.offset;
  r.scale = s.scale;
  return r;
}

Scaler from_record(const ScalerRecord& r, const char* field) {
  Scaler s;
  if (!r.present) return s;
  const std::optional<ScaleKind> kind = scale_kind_names.from_number(r.kind);
  if (!kind) bad_field(field, "scale kind code " + std::to_string(r.kind) + " is not a ScaleKind");
  s.kind = *kind;
  s.offset = r.offset;
  s.scale = r.scale;
  return s;
}

}  // namespace

ModelMeta meta_from_records(const ModelData& d, std::size_t num_inputs, std::size_t num_outputs,
                            const std::string& path) {
  ModelMeta m;
  try {
    m.input = from_record(d.scaler, "scaler");
    m.target = from_record(d.target_scaler, "target_scaler");
    if (d.setup.present) {
      const SetupRecord& r = d.setup;
      if (!loss_names.from_number(r.loss) || !reduction_names.from_number(r.reduction) ||
          !target_reading_names.from_number(r.targets))
        bad_field("setup", "loss code " + std::to_string(r.loss) + ", reduction code " +
                               std::to_string(r.reduction) + ", target reading code " +
                               std::to_string(r.targets) + " (expected 0..2, 0..1, 0..2)");
      m.training = TrainingSetup{static_cast<Loss>(r.loss), static_cast<Reduction>(r.reduction),
                                 static_cast<TargetReading>(r.targets), r.columns, r.class_names};
    }
    m.check(num_inputs, num_outputs);
  } catch (const io_error& e) {
    throw io_error(path + ": " + e.what());
  } catch (const error& e) {
    throw io_error(path + ": field 'meta': " + e.what());
  }
  return m;
}

template <class T>
ModelData to_model_data(const Network<T>& net, const ModelMeta& meta, const std::string& path) {
  const Topology t = net.to_topology();
  const auto& g = t.graph();
  ModelData d;
  d.precision = sizeof(T);
  for (UnitId v = 0; v < t.num_units(); ++v) {
    if (g[v].name.size() > max_name_bytes)  // the loader's cap (serialize.hpp)
      throw io_error(path + ": cannot save: the name of unit " + std::to_string(v) + " has " +
                     std::to_string(g[v].name.size()) + " bytes, over the cap of " +
                     std::to_string(max_name_bytes) + " that loading enforces");
    if (!std::isfinite(g[v].bias))
      throw io_error(path + ": cannot save a non-finite bias (" + std::to_string(g[v].bias) +
                     ") of unit " + t.label(v));
    d.units.push_back(UnitRecord{static_cast<std::uint32_t>(g[v].role),
                                 static_cast<std::uint32_t>(g[v].activation), g[v].index, g[v].bias,
                                 g[v].name});
  }
  for (UnitId v = 0; v < t.num_units(); ++v)
    for (auto [e, end] = boost::in_edges(v, g); e != end; ++e) {
      const UnitId j = boost::source(*e, g);
      const double w = g[*e].weight;
      if (!std::isfinite(w))
        throw io_error(path + ": cannot save a non-finite weight (" + std::to_string(w) + ") on " +
                       t.label(j) + " -> " + t.label(v));
      d.connections.push_back(ConnectionRecord{j, v, w});
    }
  try {
    meta.check(net.num_inputs(), net.num_outputs());
  } catch (const error& e) {
    throw io_error(path + ": cannot save the model's metadata: " + e.what());
  }
  d.scaler = to_record(meta.input);
  d.target_scaler = to_record(meta.target);
  if (meta.training) {
    const TrainingSetup& setup = *meta.training;
    d.setup = SetupRecord{1,
                          static_cast<std::uint32_t>(setup.loss),
                          static_cast<std::uint32_t>(setup.reduction),
                          static_cast<std::uint32_t>(setup.targets),
                          setup.columns,
                          setup.class_names};
  }
  return d;
}

template <class T>
Network<T> from_model_data(const ModelData& d, ModelMeta* meta, const std::string& path) {
  const auto bad = [&](const std::string& field, const std::string& why) {
    return io_error(path + ": field '" + field + "': " + why);
  };
  const std::size_t n = d.units.size();
  std::size_t counts[3] = {0, 0, 0};
  for (std::size_t v = 0; v < n; ++v) {
    const auto& u = d.units[v];
    if (!role_names.from_number(u.role))
      throw bad("role", "unit " + std::to_string(v) + " has role code " + std::to_string(u.role));
    if (u.activation >= num_activations)
      throw bad("activation", "unit " + std::to_string(v) + " has activation code " +
                                  std::to_string(u.activation));
    ++counts[u.role];
  }
  Topology t;
  std::vector<char> seen_input(counts[0], 0), seen_output(counts[2], 0);
  for (std::size_t v = 0; v < n; ++v) {
    const auto& u = d.units[v];
    const auto role = static_cast<Role>(u.role);
    if (role == Role::input)
      t.add_input(u.name);
    else
      t.add_unit(static_cast<Activation>(u.activation), role, u.name, u.bias);
    if (role == Role::hidden) continue;
    auto& seen = role == Role::input ? seen_input : seen_output;
    if (u.index >= seen.size() || seen[u.index])
      throw bad("index", "unit " + std::to_string(v) + " (" + std::string(to_string(role)) +
                             ") has number " + std::to_string(u.index) +
                             (u.index >= seen.size()
                                  ? ", out of range 0.." + std::to_string(seen.size()) + "-1"
                                  : ", already taken"));
    seen[u.index] = 1;
    t.set_index(v, u.index);
  }
  for (std::size_t k = 0; k < d.connections.size(); ++k) {
    const auto& e = d.connections[k];
    if (e.j >= n || e.i >= n)
      throw bad("connection", "connection " + std::to_string(k) + " joins units " +
                                  std::to_string(e.j) + " -> " + std::to_string(e.i) +
                                  ", out of range 0.." + std::to_string(n) + "-1");
    t.connect(e.j, e.i, e.w);
  }
  Network<T> net;
  try {
    net = compile<T>(t);
  } catch (const error& e) {
    throw io_error(path + ": the stored network is not valid: " + e.what());
  }
  // Checked even when the caller does not want it: a file is valid or not.
  ModelMeta m = meta_from_records(d, net.num_inputs(), net.num_outputs(), path);
  if (meta) *meta = std::move(m);
  return net;
}

template ModelData to_model_data(const Network<float>&, const ModelMeta&, const std::string&);
template ModelData to_model_data(const Network<double>&, const ModelMeta&, const std::string&);
template Network<float> from_model_data(const ModelData&, ModelMeta*, const std::string&);
template Network<double> from_model_data(const ModelData&, ModelMeta*, const std::string&);

}  // namespace detail

template <class T>
void save_model(const std::string& path, const Network<T>& net, const ModelMeta& meta,
                ArchiveKind kind) {
  const detail::ModelData d = detail::to_model_data(net, meta, path);
  const std::string payload = detail::write_payload(d, kind, "model");
  write_file_atomically(path, encode_file(FileContent::model, kind, sizeof(T), payload));
}

template <class T>
void save_network(const std::string& path, const Network<T>& net, ArchiveKind kind,
                  const Scaler* scaler) {
  ModelMeta meta;
  if (scaler) meta.input = *scaler;
  save_model(path, net, meta, kind);
}

template <class T>
Network<T> load_network(const std::string& path, Scaler* scaler) {
  ModelMeta meta;
  Network<T> net = load_model<T>(path, &meta);
  if (scaler) *scaler = std::move(meta.input);
  return net;
}

template <class T>
Network<T> load_model(const std::string& path, ModelMeta* meta) {
  const FileContent expected = FileContent::model;
  const Container c = decode_file(read_file_bytes(path), path, &expected);
  detail::ModelData d;
  detail::read_payload(c.payload, c.header.kind, d, "model", path);
  if (d.precision != c.header.precision_bytes)
    throw io_error(path + ": field 'precision': payload says " + std::to_string(d.precision) +
                   " bytes, header says " + std::to_string(c.header.precision_bytes));
  return detail::from_model_data<T>(d, meta, path);
}

ModelInfo inspect_file(const std::string& path) {
  const Container c = decode_file(read_file_bytes(path), path);
  ModelInfo info;
  info.format_version = c.header.version;
  info.kind = c.header.kind;
  info.is_checkpoint = c.header.content == FileContent::checkpoint;
  info.precision = c.header.precision_bytes == 4 ? "float" : "double";
  info.payload_bytes = c.header.payload_bytes;
  detail::ModelData m;
  if (info.is_checkpoint) {
    detail::CheckpointData ck;
    detail::read_payload(c.payload, c.header.kind, ck, "checkpoint", path);
    m = std::move(ck.model);
    info.optimizer = ck.optimizer_name;
    info.epoch = ck.trainer.epoch;
    info.batch = ck.trainer.batch;
  } else {
    detail::read_payload(c.payload, c.header.kind, m, "model", path);
  }
  info.num_units = m.units.size();
  info.num_connections = m.connections.size();
  for (const auto& u : m.units) {
    info.num_inputs += u.role == static_cast<std::uint32_t>(Role::input);
    info.num_outputs += u.role == static_cast<std::uint32_t>(Role::output);
  }
  info.has_scaler = m.scaler.present != 0;
  info.meta = detail::meta_from_records(m, info.num_inputs, info.num_outputs, path);
  return info;
}

template void save_network(const std::string&, const Network<float>&, ArchiveKind, const Scaler*);
template void save_network(const std::string&, const Network<double>&, ArchiveKind, const Scaler*);
template Network<float> load_network(const std::string&, Scaler*);
template Network<double> load_network(const std::string&, Scaler*);
template void save_model(const std::string&, const Network<float>&, const ModelMeta&, ArchiveKind);
template void save_model(const std::string&, const Network<double>&, const ModelMeta&, ArchiveKind);
template Network<float> load_model(const std::string&, ModelMeta*);
template Network<double> load_model(const std::string&, ModelMeta*);

}  // namespace dagprop::io
