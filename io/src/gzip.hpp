// Gzip input for the data readers (CSV, FANN data, IDX), internal to io:
// Boost's decompressing filter set up once, its errors in words, and a check
// of every member's CRC-32 and length field, which Boost 1.74 does not make.
#pragma once

#include <boost/iostreams/filtering_stream.hpp>
#include <cstdint>
#include <exception>
#include <istream>
#include <string>

namespace dagprop::io::detail {

// Sets up `z` to decompress `in` with 64 KiB buffers (Boost's default of 128
// bytes per filter is slow), gzip errors raised as exceptions.
void push_gzip(boost::iostreams::filtering_istream& z, std::istream& in);

// What went wrong in a gzip stream, in words (for the readers' messages).
std::string gzip_failure_text(const std::exception& e);

// Inflates the gzip file `raw` from its position once, member by member, and
// throws io_error naming `source` when a member's CRC-32 or length (ISIZE)
// field does not match, the file ends inside a member, or bytes that are not
// a gzip member follow one; then rewinds `raw`. A stream that cannot seek is
// left to Boost's checks, and the check stops past `max_bytes` inflated (the
// reader's own cap, which then refuses the file), so it costs no more than the read.
void check_gzip_members(std::istream& raw, const std::string& source, std::uint64_t max_bytes);

}  // namespace dagprop::io::detail
