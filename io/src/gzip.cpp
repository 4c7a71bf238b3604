// Gzip input (see gzip.hpp). check_gzip_members is one pass of zlib over a
// gzip file before it is read: Boost 1.74's gzip filter checks each member's
// CRC-32 but not its length field (ISIZE), and it stops quietly at bytes that
// follow the last member; zlib checks both. The inflated bytes are discarded
// there: the readers decompress again through Boost with their own limits.
#include "gzip.hpp"

#include <zlib.h>

#include <boost/iostreams/filter/gzip.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <istream>
#include <string>

#include "dagprop/error.hpp"

namespace dagprop::io {
namespace {

constexpr int gzip_buffer = 1 << 16;

constexpr std::size_t chunk_bytes = std::size_t{1} << 16;
constexpr uLong gzip_header_bytes = 10;  // the fixed part of a member's header

// A zlib inflate stream for gzip members, ended on every path.
class GzipInflater {
 public:
  GzipInflater() {
    if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) throw io_error("zlib: cannot start inflate");
  }
  GzipInflater(const GzipInflater&) = delete;
  GzipInflater& operator=(const GzipInflater&) = delete;
  ~GzipInflater() { inflateEnd(&z_); }
  z_stream& stream() { return z_; }

 private:
  z_stream z_{};
};

// zlib's words for a damaged member, in gzip_failure_text's words for Boost's.
std::string member_failure(const z_stream& z, int rc, std::size_t member) {
  const std::string msg = z.msg != nullptr ? z.msg : "";
  std::string what = "zlib error " + std::to_string(rc) + (msg.empty() ? "" : " (" + msg + ")");
  if (msg == "incorrect data check") what = "CRC-32 mismatch: the data are damaged";
  if (msg == "incorrect length check") what = "length mismatch in the gzip footer (ISIZE)";
  if (msg == "incorrect header check" || msg == "unknown compression method" ||
      msg == "unknown header flags set" || msg == "header crc mismatch")
    what = "bad gzip header (" + msg + ")";
  return what + ", in gzip member " + std::to_string(member);
}

// Moves the bytes zlib has not taken to the front of `in` and reads after them.
void refill(std::istream& raw, std::array<unsigned char, chunk_bytes>& in, z_stream& z,
            const std::string& source) {
  const std::size_t kept = z.avail_in;
  if (kept > 0) std::copy_n(z.next_in, kept, in.data());
  raw.read(reinterpret_cast<char*>(in.data() + kept),
           static_cast<std::streamsize>(in.size() - kept));
  if (raw.bad()) throw io_error(source + ": read error");
  z.next_in = in.data();
  z.avail_in = static_cast<uInt>(kept + static_cast<std::size_t>(raw.gcount()));
}

bool starts_a_member(const unsigned char* p, std::size_t n) {
  return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

}  // namespace

void detail::push_gzip(boost::iostreams::filtering_istream& z, std::istream& in) {
  namespace bio = boost::iostreams;
  z.push(bio::gzip_decompressor(bio::zlib::default_window_bits, gzip_buffer), gzip_buffer);
  z.push(in, gzip_buffer);
  z.exceptions(std::ios::badbit);
}

std::string detail::gzip_failure_text(const std::exception& e) {
  namespace gz = boost::iostreams::gzip;
  if (const auto* g = dynamic_cast<const boost::iostreams::gzip_error*>(&e)) {
    switch (g->error()) {
      case gz::zlib_error:
        return "deflate data damaged or truncated (zlib error " +
               std::to_string(g->zlib_error_code()) + ")";
      case gz::bad_crc:
        return "CRC-32 mismatch: the data are damaged";
      case gz::bad_length:
        return "length mismatch in the gzip footer";
      case gz::bad_header:
        return "bad gzip header";
      case gz::bad_footer:
        return "truncated or bad gzip footer";
      case gz::bad_method:
        return "unsupported gzip compression method";
      default:
        break;
    }
  }
  if (const auto* z = dynamic_cast<const boost::iostreams::zlib_error*>(&e))
    return "zlib error " + std::to_string(z->error());
  return e.what();
}

void detail::check_gzip_members(std::istream& raw, const std::string& source,
                                std::uint64_t max_bytes) {
  const std::streampos start = raw.tellg();
  if (start == std::streampos(-1)) return;  // not seekable: Boost's checks only
  GzipInflater inflater;
  z_stream& z = inflater.stream();
  std::array<unsigned char, chunk_bytes> in{};
  std::array<unsigned char, chunk_bytes> out{};
  std::size_t member = 1;
  std::uint64_t inflated = 0;  // in members before this one
  bool inside = true;          // inside a member (the file starts with one)
  for (;;) {
    // Between members the next one's two magic bytes are needed at once.
    if (z.avail_in == 0 || (!inside && z.avail_in < 2)) {
      refill(raw, in, z, source);
      if (z.avail_in == 0) break;
    }
    if (!inside) {
      if (!starts_a_member(z.next_in, z.avail_in))
        throw io_error(source + ": corrupt gzip data: bytes follow the end of gzip member " +
                       std::to_string(member - 1));
      inside = true;
    }
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (inflated + z.total_out > max_bytes) {  // the reader refuses it at its cap
      inside = false;
      break;
    }
    if (rc == Z_STREAM_END) {
      inside = false;
      ++member;
      inflated += z.total_out;
      inflateReset(&z);
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      throw io_error(source + ": corrupt gzip data: " + member_failure(z, rc, member));
    }
  }
  if (inside && z.total_out == 0 && z.total_in < gzip_header_bytes)
    throw io_error(source + ": corrupt gzip data: bad gzip header (the file ends inside it)");
  if (inside)
    throw io_error(source + ": corrupt gzip data: the file ends inside gzip member " +
                   std::to_string(member) + " (truncated data or footer)");
  raw.clear();
  raw.seekg(start);
  if (!raw) throw io_error(source + ": read error (cannot rewind after the gzip check)");
}

}  // namespace dagprop::io
