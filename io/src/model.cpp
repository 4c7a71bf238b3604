// Model files: Network <-> ModelData (serialize.hpp) <-> payload <-> file.
// Loading checks the header (format.cpp), then the payload's counts and
// values, then the graph (compile). It does not know about training state.
#include "dagprop/io/model.hpp"

#include <cmath>

#include "dagprop/io/atomic_file.hpp"
#include "serialize.hpp"

namespace dagprop::io {

namespace detail {

template <class T>
ModelData to_model_data(const Network<T>& net, const Scaler* scaler, const std::string& path) {
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
  if (scaler && scaler->kind != ScaleKind::none) {
    try {
      scaler->check(net.num_inputs());
    } catch (const error& e) {
      throw io_error(path + ": cannot save the scaler: " + e.what());
    }
    d.scaler.present = 1;
    d.scaler.kind = static_cast<std::uint32_t>(scaler->kind);
    d.scaler.offset = scaler->offset;
    d.scaler.scale = scaler->scale;
  }
  return d;
}

template <class T>
Network<T> from_model_data(const ModelData& d, Scaler* scaler, const std::string& path) {
  const auto bad = [&](const std::string& field, const std::string& why) {
    return io_error(path + ": field '" + field + "': " + why);
  };
  const std::size_t n = d.units.size();
  std::size_t counts[3] = {0, 0, 0};
  for (std::size_t v = 0; v < n; ++v) {
    const auto& u = d.units[v];
    if (u.role > 2)
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
  if (scaler) {
    Scaler s;
    if (d.scaler.present) {
      if (d.scaler.kind > 2)
        throw bad("scale_kind", "code " + std::to_string(d.scaler.kind) + " is not a ScaleKind");
      s.kind = static_cast<ScaleKind>(d.scaler.kind);
      s.offset = d.scaler.offset;
      s.scale = d.scaler.scale;
      try {
        s.check(net.num_inputs());
      } catch (const error& e) {
        throw bad("scaler", e.what());
      }
    }
    *scaler = std::move(s);
  }
  return net;
}

template ModelData to_model_data(const Network<float>&, const Scaler*, const std::string&);
template ModelData to_model_data(const Network<double>&, const Scaler*, const std::string&);
template Network<float> from_model_data(const ModelData&, Scaler*, const std::string&);
template Network<double> from_model_data(const ModelData&, Scaler*, const std::string&);

}  // namespace detail

template <class T>
void save_network(const std::string& path, const Network<T>& net, ArchiveKind kind,
                  const Scaler* scaler) {
  const detail::ModelData d = detail::to_model_data(net, scaler, path);
  const std::string payload = detail::write_payload(d, kind, "model");
  write_file_atomically(path, encode_file(FileContent::model, kind, sizeof(T), payload));
}

template <class T>
Network<T> load_network(const std::string& path, Scaler* scaler) {
  const FileContent expected = FileContent::model;
  const Container c = decode_file(read_file_bytes(path), path, &expected);
  detail::ModelData d;
  detail::read_payload(c.payload, c.header.kind, d, "model", path);
  if (d.precision != c.header.precision_bytes)
    throw io_error(path + ": field 'precision': payload says " + std::to_string(d.precision) +
                   " bytes, header says " + std::to_string(c.header.precision_bytes));
  return detail::from_model_data<T>(d, scaler, path);
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
  return info;
}

template void save_network(const std::string&, const Network<float>&, ArchiveKind, const Scaler*);
template void save_network(const std::string&, const Network<double>&, ArchiveKind, const Scaler*);
template Network<float> load_network(const std::string&, Scaler*);
template Network<double> load_network(const std::string&, Scaler*);

}  // namespace dagprop::io
