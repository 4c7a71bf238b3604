// IDX reader (see idx.hpp): header first, element count with overflow checks
// against a cap, then exactly that many payload bytes, then nothing more. Gzip
// goes through Boost.Iostreams; the payload grows only as decompressed bytes
// arrive, so a small bomb cannot make a large allocation. It never prints.
#include "dagprop/io/idx.hpp"

#include <algorithm>
#include <boost/iostreams/filtering_stream.hpp>
#include <cmath>
#include <cstring>
#include <fstream>
#include <ios>
#include <istream>
#include <limits>
#include <new>

#include "dagprop/error.hpp"
#include "dagprop/io/data.hpp"
#include "dagprop/io/input_file.hpp"
#include "gzip.hpp"

namespace dagprop::io {
namespace {

constexpr std::size_t read_chunk = std::size_t{16} << 20;  // payload read in 16 MiB steps

std::string hex_byte(unsigned value) {
  constexpr char hex[] = "0123456789abcdef";
  return std::string("0x") + hex[(value >> 4) & 0xf] + hex[value & 0xf];
}

std::string dims_text(const std::vector<std::size_t>& dims) {
  std::string s;
  for (std::size_t k = 0; k < dims.size(); ++k) s += (k ? " x " : "") + std::to_string(dims[k]);
  return s;
}

std::uint32_t big_endian_u32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 |
         std::uint32_t{p[3]};
}

std::uint64_t big_endian_u64(const std::uint8_t* p) {
  return std::uint64_t{big_endian_u32(p)} << 32 | big_endian_u32(p + 4);
}

// Reads n bytes or throws, saying what was being read and how much arrived.
void read_exact(std::istream& in, std::uint8_t* dst, std::size_t n, const std::string& source,
                const std::string& what) {
  in.read(reinterpret_cast<char*>(dst), static_cast<std::streamsize>(n));
  if (in.bad()) throw io_error(source + ": read error in " + what);
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got != n)
    throw io_error(source + ": truncated: the file ends in " + what + " after " +
                   std::to_string(got) + " of " + std::to_string(n) + " bytes");
}

struct Header {
  IdxType type = IdxType::u8;
  std::vector<std::size_t> dims;  // [ndims]
  std::uint64_t payload_bytes = 0;
  std::uint64_t header_bytes = 0;
};

std::uint64_t payload_bytes(const Header& h, const std::string& source, std::uint64_t max_bytes,
                            std::uint64_t max_values) {
  std::uint64_t bytes = element_size(h.type);
  if (std::find(h.dims.begin(), h.dims.end(), std::size_t{0}) != h.dims.end())
    return 0;  // whatever the other dims: no overflow where there is nothing
  for (const std::size_t d : h.dims) {
    if (d != 0 && bytes > std::numeric_limits<std::uint64_t>::max() / d)
      throw io_error(source + ": dims " + dims_text(h.dims) + " overflow a 64-bit byte count");
    bytes *= d;
  }
  if (bytes > max_bytes || bytes > std::numeric_limits<std::size_t>::max())
    throw io_error(source + ": dims " + dims_text(h.dims) + " of " + to_string(h.type) + " need " +
                   std::to_string(bytes) + " bytes, above the cap of " + std::to_string(max_bytes) +
                   " bytes");
  if (bytes / element_size(h.type) > max_values)
    throw io_error(source + ": dims " + dims_text(h.dims) + " hold " +
                   std::to_string(bytes / element_size(h.type)) + " values, " +
                   values_cap_text(max_values));
  return bytes;
}

Header read_header(std::istream& in, const std::string& source, std::uint64_t max_bytes,
                   std::uint64_t max_values) {
  std::uint8_t magic[4] = {};
  read_exact(in, magic, 4, source, "the 4-byte magic number");
  if (magic[0] != 0 || magic[1] != 0)
    throw io_error(source + ": not an IDX file: it starts with " + hex_byte(magic[0]) + " " +
                   hex_byte(magic[1]) + ", expected 0x00 0x00" +
                   (magic[0] == 0 && magic[1] >= 0x20 && magic[1] < 0x7f
                        ? " (UTF-16 text? save a CSV file as UTF-8)"
                        : ""));
  if (!idx_type_names.from_number(magic[2]))
    throw io_error(source + ": unknown IDX element type " + hex_byte(magic[2]) +
                   " (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)");
  if (magic[3] == 0) throw io_error(source + ": IDX header has 0 dimensions");
  Header h;
  h.type = static_cast<IdxType>(magic[2]);
  std::vector<std::uint8_t> raw(std::size_t{4} * magic[3]);
  read_exact(in, raw.data(), raw.size(), source, "the dimensions");
  for (std::size_t k = 0; k < magic[3]; ++k) h.dims.push_back(big_endian_u32(&raw[4 * k]));
  h.header_bytes = 4 + raw.size();
  h.payload_bytes = payload_bytes(h, source, max_bytes, max_values);
  return h;
}

// Sets `left` to the bytes left in a seekable stream; false if it cannot seek.
bool bytes_left(std::istream& in, std::uint64_t& left) {
  const std::streampos here = in.tellg();
  if (here == std::streampos(-1)) {
    in.clear();
    return false;
  }
  in.seekg(0, std::ios::end);
  const std::streampos end = in.tellg();
  in.seekg(here);
  if (!in || end == std::streampos(-1) || end < here) {
    in.clear();
    in.seekg(here);
    return false;
  }
  left = static_cast<std::uint64_t>(end - here);
  return true;
}

void check_known_size(const Header& h, std::uint64_t left, const std::string& source) {
  const std::string need = "dims " + dims_text(h.dims) + " of " + to_string(h.type) + " need " +
                           std::to_string(h.payload_bytes) + " payload bytes";
  if (left < h.payload_bytes)
    throw io_error(source + ": truncated: " + need + ", the file has " + std::to_string(left));
  if (left > h.payload_bytes)
    throw io_error(source + ": " + std::to_string(left - h.payload_bytes) +
                   " trailing bytes after the payload (" + need + ")");
}

[[noreturn]] void out_of_memory(const std::string& source, std::uint64_t values,
                                const std::vector<std::size_t>& dims, const char* as) {
  throw io_error(source + ": out of memory reading " + std::to_string(values) + " values (dims " +
                 dims_text(dims) + ", " + as + ")");
}

std::vector<std::uint8_t> read_payload(std::istream& in, const Header& h,
                                       const std::string& source) {
  std::vector<std::uint8_t> bytes;
  const auto total = static_cast<std::size_t>(h.payload_bytes);
  while (bytes.size() < total) {
    const std::size_t old = bytes.size();
    const std::size_t n = std::min(read_chunk, total - old);
    try {
      bytes.resize(old + n);
    } catch (const std::bad_alloc&) {
      out_of_memory(source, total / element_size(h.type), h.dims, "as stored");
    }
    in.read(reinterpret_cast<char*>(bytes.data() + old), static_cast<std::streamsize>(n));
    if (in.bad()) throw io_error(source + ": read error in the payload");
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got != n)
      throw io_error(source + ": truncated: dims " + dims_text(h.dims) + " of " +
                     to_string(h.type) + " need " + std::to_string(total) +
                     " payload bytes, the file ends after " + std::to_string(old + got));
  }
  return bytes;
}

void check_end(std::istream& in, const std::string& source) {
  char extra = 0;
  in.read(&extra, 1);
  if (in.gcount() != 0) throw io_error(source + ": trailing bytes after the payload");
  if (in.bad()) throw io_error(source + ": read error after the payload");
}

IdxArray read_plain(std::istream& in, const std::string& source, std::uint64_t max_bytes,
                    std::uint64_t max_values, bool seekable) {
  std::uint64_t size = 0;
  const bool known = seekable && bytes_left(in, size);
  if (known && size == 0) throw io_error(source + ": empty file");
  Header h = read_header(in, source, max_bytes, max_values);
  if (known) check_known_size(h, size - h.header_bytes, source);
  IdxArray a;
  a.type = h.type;
  a.dims = std::move(h.dims);
  a.bytes = read_payload(in, h, source);
  check_end(in, source);
  return a;
}

IdxArray read_gzip(std::istream& in, const std::string& source, std::uint64_t max_bytes,
                   std::uint64_t max_values) {
  namespace bio = boost::iostreams;
  detail::check_gzip_members(in, source, max_bytes);
  try {
    bio::filtering_istream z;
    detail::push_gzip(z, in);  // a gzip error reaches us as itself, not as a short read
    return read_plain(z, source, max_bytes, max_values, false);
  } catch (const std::ios_base::failure& e) {
    throw io_error(source + ": corrupt gzip data: " + detail::gzip_failure_text(e));
  }
}

}  // namespace

std::size_t element_size(IdxType type) {
  switch (type) {
    case IdxType::u8:
    case IdxType::i8:
      return 1;
    case IdxType::i16:
      return 2;
    case IdxType::i32:
    case IdxType::f32:
      return 4;
    case IdxType::f64:
      return 8;
  }
  throw invalid_argument("element_size: unknown IdxType " + hex_byte(static_cast<unsigned>(type)));
}

std::string to_string(IdxType type) {
  return std::string(idx_type_names.name_of(type));
}

std::size_t IdxArray::size() const {
  std::size_t n = 1;
  for (const std::size_t d : dims) n *= d;
  return dims.empty() ? 0 : n;
}

double IdxArray::value(std::size_t i) const {
  const std::uint8_t* p = bytes.data() + i * element_size(type);
  switch (type) {
    case IdxType::u8:
      return p[0];
    case IdxType::i8:
      return static_cast<std::int8_t>(p[0]);
    case IdxType::i16:
      return static_cast<std::int16_t>(static_cast<std::uint16_t>(p[0] << 8 | p[1]));
    case IdxType::i32:
      return static_cast<std::int32_t>(big_endian_u32(p));
    case IdxType::f32: {
      const std::uint32_t bits = big_endian_u32(p);
      float f = 0;
      std::memcpy(&f, &bits, sizeof f);
      return static_cast<double>(f);
    }
    case IdxType::f64: {
      const std::uint64_t bits = big_endian_u64(p);
      double d = 0;
      std::memcpy(&d, &bits, sizeof d);
      return d;
    }
  }
  throw invalid_argument("IdxArray::value: unknown type");
}

std::vector<double> IdxArray::values() const {
  std::vector<double> out(size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = value(i);
  return out;
}

IdxArray read_idx(std::istream& in, const std::string& source, std::uint64_t max_bytes,
                  std::uint64_t max_values) {
  if (in.peek() == 0x1f) return read_gzip(in, source, max_bytes, max_values);
  if (in.bad()) throw io_error(source + ": read error");
  in.clear();  // peek at the end sets eofbit; read_header reports the empty file
  return read_plain(in, source, max_bytes, max_values, true);
}

IdxArray read_idx(const std::string& path, std::uint64_t max_bytes, std::uint64_t max_values) {
  std::ifstream in = open_input_file(path, "an IDX file");
  return read_idx(in, path, max_bytes, max_values);
}

Dataset<double> make_idx_inputs(const IdxArray& images, const std::string& source, double scale) {
  if (images.dims.empty() || images.bytes.size() != images.size() * element_size(images.type))
    throw invalid_argument(source + ": IdxArray bytes do not match its dims");
  const std::size_t rows = images.dims[0];
  if (rows == 0) throw io_error(source + ": no items (dims " + dims_text(images.dims) + ")");
  const std::size_t features = images.size() / rows;
  if (features == 0)
    throw io_error(source + ": items of size 0 (dims " + dims_text(images.dims) + ")");
  Dataset<double> d;
  d.num_inputs = features;
  d.source = source;  // row r is item r + 1
  try {
    d.inputs.resize(images.size());
  } catch (const std::bad_alloc&) {
    out_of_memory(source, images.size(), images.dims, "as double");
  }
  for (std::size_t i = 0; i < d.inputs.size(); ++i) {
    d.inputs[i] = images.value(i) * scale;
    if (!std::isfinite(d.inputs[i]))
      throw io_error(d.where(i / features) + ", element " + std::to_string(i % features + 1) +
                     ": non-finite value after scaling");
  }
  return d;
}

namespace {

void check_labels(const IdxArray& labels, const std::string& source, std::size_t rows) {
  if (labels.dims.empty() || labels.bytes.size() != labels.size() * element_size(labels.type))
    throw invalid_argument(source + ": IdxArray bytes do not match its dims");
  if (labels.dims.size() != 1)
    throw io_error(source + ": labels must have 1 dimension, found dims " + dims_text(labels.dims));
  if (labels.type == IdxType::f32 || labels.type == IdxType::f64)
    throw io_error(source + ": labels must be integers, found type " + to_string(labels.type));
  if (labels.dims[0] != rows)
    throw io_error(source + ": count mismatch: " + std::to_string(labels.dims[0]) + " labels for " +
                   std::to_string(rows) + " images");
}

}  // namespace

Dataset<double> make_idx_dataset(const IdxArray& images, const std::string& images_source,
                                 const IdxArray& labels, const std::string& labels_source,
                                 const IdxOptions& options) {
  if (options.one_hot && options.num_classes == 0)
    throw invalid_argument("IdxOptions: one_hot needs num_classes > 0");
  if (!images.dims.empty()) check_labels(labels, labels_source, images.dims[0]);
  Dataset<double> d = make_idx_inputs(images, images_source, options.scale);
  const std::size_t rows = d.size();
  d.num_targets = options.one_hot ? options.num_classes : 1;
  try {
    d.targets.assign(rows * d.num_targets, 0.0);
  } catch (const std::bad_alloc&) {
    out_of_memory(labels_source, rows * d.num_targets, labels.dims, "as double");
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const double label = labels.value(r);
    if (!options.one_hot) {
      d.targets[r] = label;
      continue;
    }
    if (label < 0 || label >= static_cast<double>(options.num_classes))
      throw io_error(labels_source + ": row " + std::to_string(r + 1) + ": label " +
                     std::to_string(static_cast<long long>(label)) + " out of range [0, " +
                     std::to_string(options.num_classes) + ")");
    d.targets[r * d.num_targets + static_cast<std::size_t>(label)] = 1.0;
  }
  return d;
}

Dataset<double> read_idx_dataset(std::istream& images, const std::string& images_source,
                                 std::istream& labels, const std::string& labels_source,
                                 const IdxOptions& options) {
  const IdxArray x = read_idx(images, images_source, options.max_bytes, options.max_values);
  const IdxArray y = read_idx(labels, labels_source, options.max_bytes, options.max_values);
  return make_idx_dataset(x, images_source, y, labels_source, options);
}

Dataset<double> read_idx_dataset(const std::string& images_path, const std::string& labels_path,
                                 const IdxOptions& options) {
  const IdxArray x = read_idx(images_path, options.max_bytes, options.max_values);
  const IdxArray y = read_idx(labels_path, options.max_bytes, options.max_values);
  return make_idx_dataset(x, images_path, y, labels_path, options);
}

}  // namespace dagprop::io
