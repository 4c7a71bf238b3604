// The 32-byte header of model and checkpoint files: encoding, and the checks
// made in load order (size, header, header CRC, version and
// flags, length, payload CRC). It never looks inside the payload.
#include "dagprop/io/format.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>

#include <boost/crc.hpp>

#include "dagprop/error.hpp"
#include "dagprop/io/input_file.hpp"

namespace dagprop::io {

namespace {

void put_u32(char* p, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) p[k] = static_cast<char>((v >> (8 * k)) & 0xffu);
}
void put_u64(char* p, std::uint64_t v) {
  for (int k = 0; k < 8; ++k) p[k] = static_cast<char>((v >> (8 * k)) & 0xffu);
}
std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(p[k]);
  return v;
}
std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int k = 7; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(p[k]);
  return v;
}

[[noreturn]] void fail(const std::string& source, const std::string& field,
                       const std::string& why) {
  throw io_error(source + ": header field '" + field + "': " + why);
}

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

}  // namespace

std::string_view to_string(ArchiveKind kind) {
  return archive_kind_names.name_of(kind);
}

ArchiveKind parse_archive_kind(std::string_view name) {
  return archive_kind_names.read(name);
}

std::uint32_t crc32(const void* data, std::size_t n) {
  boost::crc_32_type crc;
  crc.process_bytes(data, n);
  return crc.checksum();
}

std::string encode_file(FileContent content, ArchiveKind kind, std::uint32_t precision_bytes,
                        const std::string& payload) {
  if (payload.size() > max_payload_bytes)
    throw io_error("payload of " + std::to_string(payload.size()) + " bytes exceeds the cap of " +
                   std::to_string(max_payload_bytes) + " bytes");
  std::string out(header_size, '\0');
  const auto& magic = content == FileContent::checkpoint ? checkpoint_magic : model_magic;
  std::memcpy(out.data(), magic.data(), magic.size());
  put_u32(&out[8], format_version);
  put_u32(&out[12], static_cast<std::uint32_t>(kind) | static_cast<std::uint32_t>(content) << 8 |
                        precision_bytes << 16);
  put_u64(&out[16], payload.size());
  put_u32(&out[24], crc32(payload.data(), payload.size()));
  put_u32(&out[28], crc32(out.data(), 28));
  out += payload;
  return out;
}

Container decode_file(std::string bytes, const std::string& source, const FileContent* expected) {
  if (bytes.size() < header_size)
    throw io_error(source + ": file of " + std::to_string(bytes.size()) +
                   " bytes is too short for dagprop's " + std::to_string(header_size) +
                   "-byte header");
  const char* h = bytes.data();
  FileContent content;
  if (std::memcmp(h, model_magic.data(), 8) == 0)
    content = FileContent::model;
  else if (std::memcmp(h, checkpoint_magic.data(), 8) == 0)
    content = FileContent::checkpoint;
  else
    fail(source, "magic", "not a dagprop model or checkpoint file");
  const std::uint32_t header_crc = get_u32(h + 28), computed = crc32(h, 28);
  if (header_crc != computed)
    fail(source, "header CRC",
         "stored " + hex(header_crc) + ", computed " + hex(computed) + " (damaged header)");
  Container c;
  c.header.version = get_u32(h + 8);
  if (c.header.version == 0 || c.header.version > format_version)
    fail(source, "format version",
         "file has version " + std::to_string(c.header.version) + ", this dagprop reads 1.." +
             std::to_string(format_version) +
             (c.header.version > format_version ? " (written by a newer dagprop: update it)" : ""));
  const std::uint32_t flags = get_u32(h + 12);
  const std::uint32_t kind = flags & 0xffu, stored_content = (flags >> 8) & 0xffu,
                      precision = (flags >> 16) & 0xffu;
  if (!archive_kind_names.from_number(kind))
    fail(source, "flags", "archive kind " + std::to_string(kind));
  if (stored_content != static_cast<std::uint32_t>(content))
    fail(source, "flags", "content " + std::to_string(stored_content) + " contradicts the magic");
  if (precision != 4 && precision != 8)
    fail(source, "flags", "precision of " + std::to_string(precision) + " bytes (expected 4 or 8)");
  if ((flags >> 24) != 0) fail(source, "flags", "unknown flag bits " + hex(flags));
  c.header.kind = static_cast<ArchiveKind>(kind);
  c.header.content = content;
  c.header.precision_bytes = precision;
  if (expected && *expected != content)
    throw io_error(source + ": is a " + (content == FileContent::model ? "model" : "checkpoint") +
                   " file, expected a " +
                   (*expected == FileContent::model ? "model" : "checkpoint") + " file");
  c.header.payload_bytes = get_u64(h + 16);
  if (c.header.payload_bytes > max_payload_bytes)
    fail(source, "payload length",
         std::to_string(c.header.payload_bytes) + " bytes exceeds the cap of " +
             std::to_string(max_payload_bytes));
  if (c.header.payload_bytes != bytes.size() - header_size)
    fail(source, "payload length",
         "header says " + std::to_string(c.header.payload_bytes) + " bytes, the file holds " +
             std::to_string(bytes.size() - header_size) + " (truncated or extended file)");
  c.header.payload_crc = get_u32(h + 24);
  const std::uint32_t payload_crc = crc32(h + header_size, bytes.size() - header_size);
  if (payload_crc != c.header.payload_crc)
    fail(source, "payload CRC",
         "stored " + hex(c.header.payload_crc) + ", computed " + hex(payload_crc) +
             " (damaged payload)");
  bytes.erase(0, header_size);
  c.payload = std::move(bytes);
  return c;
}

std::string read_file_bytes(const std::string& path) {
  std::ifstream in = open_input_file(path, "a dagprop file");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw io_error(path + ": cannot determine the file size");
  if (static_cast<std::uint64_t>(size) > header_size + max_payload_bytes)
    throw io_error(path + ": file of " + std::to_string(size) + " bytes exceeds the cap of " +
                   std::to_string(header_size + max_payload_bytes) + " bytes");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) throw io_error(path + ": read failed");
  return bytes;
}

}  // namespace dagprop::io
