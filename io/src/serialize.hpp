// Internal: the value types written into model and checkpoint payloads and
// their Boost.Serialization code. Every count is read before its elements and
// checked against a cap and against the payload size, strings are read char by
// char, enums and flags are plain integers checked by the caller; no pointers.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <locale>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/basic_archive.hpp>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>
#include <boost/archive/xml_iarchive.hpp>
#include <boost/archive/xml_oarchive.hpp>
#include <boost/serialization/nvp.hpp>
#include <boost/serialization/split_member.hpp>
#include <boost/serialization/version.hpp>

#include "archive_header.hpp"
#include "dagprop/error.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/io/scaling.hpp"
#include "dagprop/network.hpp"
#include "dagprop/trainer.hpp"

namespace dagprop::io::detail {

inline constexpr std::uint64_t max_name_length = max_name_bytes;  // limits.hpp
inline constexpr std::uint64_t max_units = dagprop::max_units;    // limits.hpp
// Containers grow as elements are actually read, so that a damaged count
// cannot allocate much more memory than the payload's size.
inline constexpr std::uint64_t reserve_cap = 1u << 16;

// Where loading stands: the cap on counts (the payload size: every element
// takes at least one byte) and the field being read, for messages.
struct LoadContext {
  std::uint64_t limit = 0;
  std::string field = "archive header";
};

[[noreturn]] inline void bad_field(const std::string& field, const std::string& why) {
  throw io_error("field '" + field + "': " + why);
}

template <class Ar, class V>
void put(Ar& ar, const char* name, const V& v) {
  ar << boost::serialization::make_nvp(name, v);
}

// An element name for loading, padded with zeros: Boost 1.74's
// xml_iarchive::load_end reads name[length of the end tag found in the file]
// before comparing, past the end of a short literal when the file's tag is
// longer (ASan: global-buffer-overflow). check_archive_header caps the tags of
// an XML payload at max_xml_name characters, so that the read stays in here.
struct LoadName {
  char text[max_xml_name + 1] = {};
  explicit LoadName(const char* name) {
    for (std::size_t k = 0; k < max_xml_name && name[k] != '\0'; ++k) text[k] = name[k];
  }
};

template <class Ar, class V>
V get(Ar& ar, const char* name, LoadContext& c) {
  c.field = name;
  V v{};
  const LoadName padded(name);
  ar >> boost::serialization::make_nvp(padded.text, v);
  return v;
}

// A count, checked against `cap` and the bytes of the payload.
template <class Ar>
std::uint64_t get_count(Ar& ar, const char* name, LoadContext& c, std::uint64_t cap) {
  const auto n = get<Ar, std::uint64_t>(ar, name, c);
  if (n > cap || n > c.limit)
    bad_field(name, std::to_string(n) + " exceeds " +
                        (n > cap ? "the cap of " + std::to_string(cap)
                                 : "the payload size of " + std::to_string(c.limit) + " bytes"));
  return n;
}

// A real number stored in the file's precision (4: float, 8: double); loading
// refuses non-finite values.
template <class Ar>
void put_real(Ar& ar, const char* name, double v, std::uint32_t precision) {
  if (precision == 4)
    put(ar, name, static_cast<float>(v));
  else
    put(ar, name, v);
}
template <class Ar>
double get_real(Ar& ar, const char* name, std::uint32_t precision, LoadContext& c) {
  const double v = precision == 4 ? static_cast<double>(get<Ar, float>(ar, name, c))
                                  : get<Ar, double>(ar, name, c);
  if (!std::isfinite(v)) bad_field(name, "value " + std::to_string(v) + " is not finite");
  return v;
}

template <class Ar>
void put_string(Ar& ar, const char* name, const std::string& s) {
  put(ar, name, std::uint64_t{s.size()});
  for (char ch : s) put(ar, "c", std::uint32_t{static_cast<unsigned char>(ch)});
}
template <class Ar>
std::string get_string(Ar& ar, const char* name, LoadContext& c,
                       std::uint64_t cap = max_name_length) {
  const auto n = get_count(ar, name, c, cap);
  std::string s;
  for (std::uint64_t k = 0; k < n; ++k) {
    const auto ch = get<Ar, std::uint32_t>(ar, "c", c);
    if (ch > 255) bad_field(name, "character code " + std::to_string(ch) + " is not a byte");
    s.push_back(static_cast<char>(static_cast<unsigned char>(ch)));
  }
  return s;
}

template <class Ar>
void put_reals(Ar& ar, const char* name, const std::vector<double>& v, std::uint32_t precision) {
  put(ar, name, std::uint64_t{v.size()});
  for (double x : v) put_real(ar, "x", x, precision);
}
template <class Ar>
std::vector<double> get_reals(Ar& ar, const char* name, std::uint32_t precision, LoadContext& c) {
  const auto n = get_count(ar, name, c, c.limit);
  std::vector<double> v;
  v.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n, reserve_cap)));
  for (std::uint64_t k = 0; k < n; ++k) v.push_back(get_real(ar, "x", precision, c));
  return v;
}

struct UnitRecord {
  std::uint32_t role = 0;        // Role
  std::uint32_t activation = 0;  // Activation
  std::uint64_t index = 0;       // number among inputs or outputs
  double bias = 0;               // b_i
  std::string name;
};

struct ConnectionRecord {
  std::uint64_t j = 0, i = 0;  // upstream j -> downstream i, Topology ids
  double w = 0;                // w_ij
};

struct ScalerRecord {
  std::uint32_t present = 0;          // 0 or 1
  std::uint32_t kind = 0;             // ScaleKind
  std::vector<double> offset, scale;  // [num_inputs] each (always stored as double)

  // Stored as flag `has` then, when present, kind, offset and scale; the
  // caller checks the kind and the values (from_model_data).
  template <class Ar>
  void put_to(Ar& ar, const char* has) const {
    put(ar, has, present);
    if (!present) return;
    put(ar, "scale_kind", kind);
    put_reals(ar, "offset", offset, 8);
    put_reals(ar, "scale", scale, 8);
  }
  template <class Ar>
  void get_from(Ar& ar, const char* has, LoadContext& c) {
    present = get<Ar, std::uint32_t>(ar, has, c);
    if (present > 1) bad_field(has, std::to_string(present) + " is not 0/1");
    if (!present) return;
    kind = get<Ar, std::uint32_t>(ar, "scale_kind", c);
    offset = get_reals(ar, "offset", 8, c);
    scale = get_reals(ar, "scale", 8, c);
  }
};

// ModelMeta's training setup (version 2): enum codes and strings as stored,
// checked by the caller (ModelMeta::check).
struct SetupRecord {
  std::uint32_t present = 0;  // 0 or 1
  std::uint32_t loss = 0, reduction = 0, targets = 0;
  std::string columns;
  std::vector<std::string> class_names;

  template <class Ar>
  void put_to(Ar& ar) const {
    put(ar, "has_setup", present);
    if (!present) return;
    put(ar, "loss", loss);
    put(ar, "reduction", reduction);
    put(ar, "targets", targets);
    put_string(ar, "columns", columns);
    put(ar, "num_class_names", std::uint64_t{class_names.size()});
    for (const auto& name : class_names) put_string(ar, "class_name", name);
  }
  template <class Ar>
  void get_from(Ar& ar, LoadContext& c) {
    present = get<Ar, std::uint32_t>(ar, "has_setup", c);
    if (present > 1) bad_field("has_setup", std::to_string(present) + " is not 0/1");
    if (!present) return;
    loss = get<Ar, std::uint32_t>(ar, "loss", c);
    reduction = get<Ar, std::uint32_t>(ar, "reduction", c);
    targets = get<Ar, std::uint32_t>(ar, "targets", c);
    columns = get_string(ar, "columns", c, max_columns_text);
    const auto n = get_count(ar, "num_class_names", c, max_class_names);
    class_names.clear();
    for (std::uint64_t k = 0; k < n; ++k)
      class_names.push_back(get_string(ar, "class_name", c, max_class_name_length));
  }
};

// A network as its Topology: units in Topology id order, connections grouped
// by downstream unit; values in `precision` on disk, double in memory.
struct ModelData {
  std::uint32_t precision = 8;
  std::vector<UnitRecord> units;              // [num_units]
  std::vector<ConnectionRecord> connections;  // [num_connections]
  ScalerRecord scaler;                        // the input scaler
  ScalerRecord target_scaler;                 // version 2 on
  SetupRecord setup;                          // version 2 on
  LoadContext* ctx = nullptr;                 // set before loading; not serialized

  template <class Ar>
  void save(Ar& ar, unsigned /*version*/) const {
    put(ar, "precision", precision);
    put(ar, "num_units", std::uint64_t{units.size()});
    for (const auto& u : units) {
      put(ar, "role", u.role);
      put(ar, "activation", u.activation);
      put(ar, "index", u.index);
      put_real(ar, "bias", u.bias, precision);
      put_string(ar, "name", u.name);
    }
    put(ar, "num_connections", std::uint64_t{connections.size()});
    for (const auto& e : connections) {
      put(ar, "j", e.j);
      put(ar, "i", e.i);
      put_real(ar, "w", e.w, precision);
    }
    scaler.put_to(ar, "has_scaler");
    target_scaler.put_to(ar, "has_target_scaler");
    setup.put_to(ar);
  }

  template <class Ar>
  void load(Ar& ar, unsigned version) {
    LoadContext& c = *ctx;
    if (version != 1 && version != 2)
      bad_field("ModelData version", std::to_string(version) + " is not 1 or 2");
    precision = get<Ar, std::uint32_t>(ar, "precision", c);
    if (precision != 4 && precision != 8)
      bad_field("precision", std::to_string(precision) + " bytes (expected 4 or 8)");
    const auto num_units = get_count(ar, "num_units", c, max_units);
    units.clear();
    units.reserve(static_cast<std::size_t>(std::min(num_units, reserve_cap)));
    for (std::uint64_t k = 0; k < num_units; ++k) {
      auto& u = units.emplace_back();
      u.role = get<Ar, std::uint32_t>(ar, "role", c);
      u.activation = get<Ar, std::uint32_t>(ar, "activation", c);
      u.index = get<Ar, std::uint64_t>(ar, "index", c);
      u.bias = get_real(ar, "bias", precision, c);
      u.name = get_string(ar, "name", c);
    }
    const auto num_connections = get_count(ar, "num_connections", c, max_units);
    connections.clear();
    connections.reserve(static_cast<std::size_t>(std::min(num_connections, reserve_cap)));
    for (std::uint64_t k = 0; k < num_connections; ++k) {
      auto& e = connections.emplace_back();
      e.j = get<Ar, std::uint64_t>(ar, "j", c);
      e.i = get<Ar, std::uint64_t>(ar, "i", c);
      e.w = get_real(ar, "w", precision, c);
    }
    scaler.get_from(ar, "has_scaler", c);
    target_scaler = ScalerRecord{};
    setup = SetupRecord{};
    if (version < 2) return;  // version 1: no target scaling, no training setup
    target_scaler.get_from(ar, "has_target_scaler", c);
    setup.get_from(ar, c);
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

// A model plus everything a trainer needs to resume bit-identically.
struct CheckpointData {
  ModelData model;
  std::string optimizer_name;
  std::vector<double> optimizer_scalars;               // always double
  std::vector<std::vector<double>> optimizer_buffers;  // in the model's precision on disk
  TrainerState trainer;
  TrainOptions options;  // all but the schedule, which the file holds as its spec:
  std::string schedule;  // parse_schedule reads it (checkpoint.cpp); "": constant
  LoadContext* ctx = nullptr;

  template <class Ar>
  void save(Ar& ar, unsigned /*version*/) const {
    put(ar, "model", model);
    put_string(ar, "optimizer", optimizer_name);
    put_reals(ar, "scalars", optimizer_scalars, 8);
    put(ar, "num_buffers", std::uint64_t{optimizer_buffers.size()});
    for (const auto& b : optimizer_buffers) put_reals(ar, "buffer", b, model.precision);
    put(ar, "epoch", std::uint64_t{trainer.epoch});
    put(ar, "batch", std::uint64_t{trainer.batch});
    put(ar, "epoch_rng", trainer.epoch_rng);
    put(ar, "loss_sum", trainer.loss_sum);
    put(ar, "correct", std::uint64_t{trainer.correct});
    put(ar, "runs", std::uint64_t{trainer.runs});
    put(ar, "seconds", trainer.seconds);
    put(ar, "epochs", std::uint64_t{options.epochs});
    put(ar, "batch_size", std::uint64_t{options.batch_size});
    put(ar, "chunk_size", std::uint64_t{options.chunk_size});
    put(ar, "learning_rate", options.learning_rate);
    put(ar, "loss", std::uint32_t{static_cast<std::uint8_t>(options.loss)});
    put(ar, "reduction", std::uint32_t{static_cast<std::uint8_t>(options.reduction)});
    put(ar, "seed", options.seed);
    put(ar, "shuffle", std::uint32_t{options.shuffle});
    put(ar, "threads", std::uint64_t{options.threads});
    put(ar, "input_gradient", std::uint32_t{options.input_gradient});
    put_string(ar, "schedule", schedule);
    put(ar, "clip_norm", options.clip_norm);
    put(ar, "clip_value", options.clip_value);
    put(ar, "dropout", options.dropout);
    put_reals(ar, "unit_dropout", options.unit_dropout, 8);
  }

  template <class Ar>
  void load(Ar& ar, unsigned version) {
    LoadContext& c = *ctx;
    if (version != 1) bad_field("CheckpointData version", std::to_string(version) + " is not 1");
    model.ctx = ctx;
    c.field = "model";
    const LoadName name("model");
    ar >> boost::serialization::make_nvp(name.text, model);
    optimizer_name = get_string(ar, "optimizer", c);
    optimizer_scalars = get_reals(ar, "scalars", 8, c);
    optimizer_buffers.resize(static_cast<std::size_t>(get_count(ar, "num_buffers", c, 64)));
    for (auto& b : optimizer_buffers) b = get_reals(ar, "buffer", model.precision, c);
    trainer.epoch = get_size(ar, "epoch", c);
    trainer.batch = get_size(ar, "batch", c);
    trainer.epoch_rng = get<Ar, std::uint64_t>(ar, "epoch_rng", c);
    trainer.loss_sum = get<Ar, double>(ar, "loss_sum", c);
    trainer.correct = get_size(ar, "correct", c);
    trainer.runs = get_size(ar, "runs", c);
    trainer.seconds = get<Ar, double>(ar, "seconds", c);
    options.epochs = get_size(ar, "epochs", c);
    options.batch_size = get_size(ar, "batch_size", c);
    options.chunk_size = get_size(ar, "chunk_size", c);
    options.learning_rate = get<Ar, double>(ar, "learning_rate", c);
    options.loss = static_cast<Loss>(get_small(ar, "loss", c, 2));
    options.reduction = static_cast<Reduction>(get_small(ar, "reduction", c, 1));
    options.seed = get<Ar, std::uint64_t>(ar, "seed", c);
    options.shuffle = get_small(ar, "shuffle", c, 1) != 0;
    options.threads = get_size(ar, "threads", c);
    options.input_gradient = get_small(ar, "input_gradient", c, 1) != 0;
    schedule = get_string(ar, "schedule", c);
    options.clip_norm = get<Ar, double>(ar, "clip_norm", c);
    options.clip_value = get<Ar, double>(ar, "clip_value", c);
    options.dropout = get<Ar, double>(ar, "dropout", c);
    options.unit_dropout = get_reals(ar, "unit_dropout", 8, c);
    if (!std::isfinite(trainer.loss_sum)) bad_field("loss_sum", "not finite");
    if (!(trainer.seconds >= 0) || !std::isfinite(trainer.seconds))
      bad_field("seconds", "not a finite number of seconds");
    if (trainer.correct > trainer.runs)
      bad_field("correct", std::to_string(trainer.correct) + " runs classified right of " +
                               std::to_string(trainer.runs));
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()

 private:
  template <class Ar>
  static std::size_t get_size(Ar& ar, const char* name, LoadContext& c) {
    return static_cast<std::size_t>(get<Ar, std::uint64_t>(ar, name, c));
  }
  template <class Ar>
  static std::uint8_t get_small(Ar& ar, const char* name, LoadContext& c, std::uint32_t max) {
    const auto v = get<Ar, std::uint32_t>(ar, name, c);
    if (v > max) bad_field(name, std::to_string(v) + " is out of range 0.." + std::to_string(max));
    return static_cast<std::uint8_t>(v);
  }
};

// The payload: `data` in a Boost archive of `kind`, root element `root`.
template <class Data>
std::string write_payload(const Data& data, ArchiveKind kind, const char* root) {
  std::ostringstream os(std::ios::binary);
  os.imbue(std::locale::classic());
  {
    if (kind == ArchiveKind::text) {
      boost::archive::text_oarchive ar(os);
      ar << boost::serialization::make_nvp(root, data);
    } else if (kind == ArchiveKind::xml) {
      boost::archive::xml_oarchive ar(os);
      ar << boost::serialization::make_nvp(root, data);
    } else {
      boost::archive::binary_oarchive ar(os);
      ar << boost::serialization::make_nvp(root, data);
    }
  }
  return os.str();
}

template <class Ar, class Data>
void read_archive(std::istringstream& is, const std::string& payload, Data& data, const char* root,
                  LoadContext& c) {
  Ar ar(is);
  c.field = root;
  const LoadName name(root);
  ar >> boost::serialization::make_nvp(name.text, data);
  // Nothing may follow the data (the XML archive's destructor reads its end
  // tag and must not fail: a throwing destructor would terminate).
  c.field = "end of archive";
  const std::streamoff pos = is.tellg();
  if (pos < 0) bad_field(c.field, "stream in error state");
  std::string rest = payload.substr(static_cast<std::size_t>(pos));
  const auto is_space = [](char ch) { return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t'; };
  std::string trimmed;
  for (char ch : rest)
    if (!is_space(ch)) trimmed.push_back(ch);
  const bool xml = std::is_same<Ar, boost::archive::xml_iarchive>::value;
  if (trimmed != (xml ? "</boost_serialization>" : ""))
    bad_field(c.field, std::to_string(rest.size()) + " unexpected bytes after the data");
}

// Fills `data` (whose ctx is set to a LoadContext here) from a payload; every
// exception becomes an io_error naming `source`, the field and the reason.
template <class Data>
void read_payload(const std::string& payload, ArchiveKind kind, Data& data, const char* root,
                  const std::string& source) {
  LoadContext c;
  c.limit = payload.size();
  data.ctx = &c;
  const std::string where = source + " (" + std::string(to_string(kind)) + " archive)";
  try {
    std::istringstream is(payload, std::ios::binary);
    is.imbue(std::locale::classic());
    check_archive_header(payload, kind);
    if (kind == ArchiveKind::text)
      read_archive<boost::archive::text_iarchive>(is, payload, data, root, c);
    else if (kind == ArchiveKind::xml)
      read_archive<boost::archive::xml_iarchive>(is, payload, data, root, c);
    else
      read_archive<boost::archive::binary_iarchive>(is, payload, data, root, c);
  } catch (const io_error& e) {
    throw io_error(where + ": " + e.what());
  } catch (const boost::archive::archive_exception& e) {
    throw io_error(where + ": field '" + c.field + "': " + e.what());
  } catch (const std::exception& e) {
    throw io_error(where + ": field '" + c.field + "': " + e.what());
  }
  data.ctx = nullptr;
}

// Network <-> ModelData (model.cpp). to_model_data refuses non-finite values
// and metadata that do not fit; from_model_data checks every index, role and
// activation before compile<T>() validates the graph, then the metadata
// (meta_from_records). Errors name `path`.
template <class T>
ModelData to_model_data(const Network<T>& net, const ModelMeta& meta, const std::string& path);
template <class T>
Network<T> from_model_data(const ModelData& d, ModelMeta* meta, const std::string& path);
// The metadata of `d` for a network of these counts, every code and value checked.
ModelMeta meta_from_records(const ModelData& d, std::size_t num_inputs, std::size_t num_outputs,
                            const std::string& path);

}  // namespace dagprop::io::detail

BOOST_CLASS_VERSION(dagprop::io::detail::ModelData, 2)
BOOST_CLASS_VERSION(dagprop::io::detail::CheckpointData, 1)
