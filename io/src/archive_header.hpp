// Internal: the checks made on a model or checkpoint payload before Boost reads
// a byte of it. A payload must begin (and an XML one end) exactly as Boost
// writes it, with a Boost archive library version this build reads. It does
// not look inside the data; serialize.hpp does that while Boost reads.
#pragma once

#include <cstddef>
#include <string>

#include "dagprop/io/format.hpp"

namespace dagprop::io::detail {

// XML element names are read into a buffer of this many characters (LoadName).
inline constexpr std::size_t max_xml_name = 63;
// The oldest Boost archive library version read: Boost 1.74 writes 18, and
// every file dagprop wrote has 18 or later.
inline constexpr unsigned min_archive_version = 18;

// The newest Boost archive library version read: the running Boost's own.
unsigned max_archive_version();

// Throws io_error ("field 'archive header': ...") unless `payload` starts as
// Boost writes an archive of `kind` - signature, then a library version in
// [min_archive_version, max_archive_version()] - and, for XML, has Boost's
// prolog on its three lines, ends with "</boost_serialization>" and newlines,
// and no element name longer than max_xml_name.
void check_archive_header(const std::string& payload, ArchiveKind kind);

}  // namespace dagprop::io::detail
