// dagprop's own 32-byte file header, put before every model and checkpoint
// payload and checked before Boost.Serialization reads a byte.
// Little-endian, whatever the machine. It knows nothing of what the payload
// holds (see model.hpp, checkpoint.hpp). A CRC stops accidents, not an attacker.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dagprop/enum_names.hpp"

namespace dagprop::io {

// The Boost archive that holds the payload. Binary is native (not portable
// across platforms); text and XML are portable.
enum class ArchiveKind : std::uint32_t { text = 1, binary = 2, xml = 3 };
inline constexpr EnumNames<ArchiveKind, 3> archive_kind_names{
    "archive kind",
    {{ArchiveKind::text, "text"}, {ArchiveKind::binary, "binary"}, {ArchiveKind::xml, "xml"}}};
std::string_view to_string(ArchiveKind kind);           // "text", "binary", "xml"
ArchiveKind parse_archive_kind(std::string_view name);  // invalid_argument on other text

enum class FileContent : std::uint32_t { model = 1, checkpoint = 2 };

// The newest format this code writes and reads; older ones stay readable.
inline constexpr std::uint32_t format_version = 2;  // 2: ModelMeta (target scaling, training setup)
inline constexpr std::size_t header_size = 32;
inline constexpr std::uint64_t max_payload_bytes = std::uint64_t{1} << 30;  // 1 GiB
inline constexpr std::array<char, 8> model_magic = {'D', 'A', 'G', 'P', 'N', 'E', 'T', '\x1a'};
inline constexpr std::array<char, 8> checkpoint_magic = {'D', 'A', 'G', 'P', 'C', 'K', 'P', '\x1a'};

// The header's fields. Layout (offset: field):
//   0: magic, 8 bytes            8: format version, u32
//  12: flags, u32 = kind | content << 8 | precision bytes << 16 (other bits 0)
//  16: payload length, u64 (= file size - 32, at most max_payload_bytes)
//  24: CRC-32 of the payload    28: CRC-32 of bytes 0..27
struct FileHeader {
  std::uint32_t version = format_version;
  FileContent content = FileContent::model;
  ArchiveKind kind = ArchiveKind::binary;
  std::uint32_t precision_bytes = 8;  // 4: float, 8: double
  std::uint64_t payload_bytes = 0;
  std::uint32_t payload_crc = 0;
};

// A whole file: header (CRCs computed here) followed by the payload.
std::string encode_file(FileContent content, ArchiveKind kind, std::uint32_t precision_bytes,
                        const std::string& payload);

// A checked file: throws io_error naming `source` and the field when the size,
// magic, header CRC, version (newer than format_version is refused, saying so),
// flags, payload length or payload CRC is wrong. `expected` null accepts both
// contents.
struct Container {
  FileHeader header;
  std::string payload;
};
Container decode_file(std::string bytes, const std::string& source,
                      const FileContent* expected = nullptr);

// The bytes of a file, refusing (io_error) one larger than header_size +
// max_payload_bytes before reading it.
std::string read_file_bytes(const std::string& path);

// CRC-32 (boost::crc_32_type) of n bytes.
std::uint32_t crc32(const void* data, std::size_t n);

}  // namespace dagprop::io
