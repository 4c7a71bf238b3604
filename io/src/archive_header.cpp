// check_archive_header (see archive_header.hpp): the archive's first bytes and
// the XML prolog and end compared with what Boost writes, before Boost reads.
// Boost itself reads old library versions (0 to 3 take other code paths) and
// XML loosely (an end tag with a blank, or split across lines); we refuse both.
#include "archive_header.hpp"

#include <boost/archive/basic_archive.hpp>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "dagprop/error.hpp"

namespace dagprop::io::detail {

namespace {

[[noreturn]] void bad_header(const std::string& why) {
  throw io_error("field 'archive header': " + why);
}

// The line of `s` starting at `at` (without its newline), for messages.
std::string line_at(std::string_view s, std::size_t at) {
  if (at >= s.size()) return "the end of the archive";
  const std::size_t end = s.find('\n', at);
  return "'" + printable(s.substr(at, end == std::string_view::npos ? end : end - at), 80) + "'";
}

void check_version(unsigned long long v) {
  if (v < min_archive_version || v > max_archive_version())
    bad_header("Boost archive library version " + std::to_string(v) + ", expected " +
               std::to_string(min_archive_version) + " to " +
               std::to_string(max_archive_version()) +
               " (the versions Boost writes and this build reads)");
}

// A version as Boost's text and XML archives write it: 1 to 5 digits, no
// leading zero. Returns the position after it.
std::size_t read_version(std::string_view s, std::size_t at, unsigned long long& v) {
  std::size_t end = at;
  while (end < s.size() && end - at < 6 && s[end] >= '0' && s[end] <= '9') ++end;
  if (end == at || end - at > 5 || (s[at] == '0' && end - at > 1))
    bad_header("expected the Boost archive library version at byte " + std::to_string(at) +
               ", found " + line_at(s, at));
  v = 0;
  for (std::size_t k = at; k < end; ++k) v = v * 10 + static_cast<unsigned>(s[k] - '0');
  return end;
}

void check_text(std::string_view s, const std::string& signature) {
  const std::string start = std::to_string(signature.size()) + " " + signature + " ";
  if (s.compare(0, start.size(), start) != 0)
    bad_header("the Boost text archive signature '" + start + "' is missing or damaged");
  unsigned long long v = 0;
  const std::size_t end = read_version(s, start.size(), v);
  if (end >= s.size() || s[end] != ' ')
    bad_header("expected a blank after the Boost archive library version, found " +
               line_at(s, end));
  check_version(v);
}

void check_binary(std::string_view s, const std::string& signature) {
  const std::size_t n = signature.size();  // written as a native std::size_t
  std::string start(reinterpret_cast<const char*>(&n), sizeof n);
  start += signature;
  if (s.compare(0, start.size(), start) != 0)
    bad_header("the Boost binary archive signature '" + signature + "' is missing or damaged");
  if (s.size() < start.size() + 2) bad_header("the archive ends before its library version");
  std::uint16_t v = 0;  // a native 16-bit library version since Boost 1.44
  std::memcpy(&v, s.data() + start.size(), sizeof v);
  check_version(v);
}

// The element names' lengths: Boost reads a name into a fixed buffer (LoadName).
void check_xml_names(std::string_view s) {
  for (std::size_t p = s.find('<'); p != std::string_view::npos; p = s.find('<', p)) {
    std::size_t e = ++p;
    if (e < s.size() && s[e] == '/') p = ++e;
    while (e < s.size() && s[e] != '>' && s[e] != '/' && s[e] != ' ' && s[e] != '\t' &&
           s[e] != '\n' && s[e] != '\r')
      ++e;
    if (e - p > max_xml_name)
      bad_header("an XML tag name of " + std::to_string(e - p) + " characters at byte " +
                 std::to_string(p) + " exceeds the cap of " + std::to_string(max_xml_name));
  }
}

void check_xml(std::string_view s, const std::string& signature) {
  const std::string lines[] = {"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\" ?>\n",
                               "<!DOCTYPE boost_serialization>\n",
                               "<boost_serialization signature=\"" + signature + "\" version=\""};
  std::size_t at = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    if (s.compare(at, lines[k].size(), lines[k]) != 0)
      bad_header("XML line " + std::to_string(k + 1) + " must begin '" +
                 printable(lines[k].substr(0, lines[k].size() - (k < 2 ? 1 : 0))) +
                 "' as Boost writes it, found " + line_at(s, at));
    at += lines[k].size();
  }
  unsigned long long v = 0;
  at = read_version(s, at, v);
  if (s.compare(at, 3, "\">\n") != 0)
    bad_header("XML line 3 must end '\">' after the version, found " + line_at(s, at));
  check_version(v);
  std::size_t end = s.size();
  while (end > 0 && s[end - 1] == '\n') --end;
  const std::string_view close = "\n</boost_serialization>";
  if (end == s.size() || end < close.size() || s.substr(end - close.size(), close.size()) != close)
    bad_header("the XML archive must end with a line '</boost_serialization>' as Boost writes it");
  check_xml_names(s);
}

}  // namespace

unsigned max_archive_version() {
  const boost::serialization::library_version_type v = boost::archive::BOOST_ARCHIVE_VERSION();
  const std::uint_least16_t n = v;  // through the const conversion
  return n;
}

void check_archive_header(const std::string& payload, ArchiveKind kind) {
  const std::string signature = boost::archive::BOOST_ARCHIVE_SIGNATURE();
  switch (kind) {
    case ArchiveKind::text:
      return check_text(payload, signature);
    case ArchiveKind::binary:
      return check_binary(payload, signature);
    case ArchiveKind::xml:
      return check_xml(payload, signature);
  }
  bad_header("unknown archive kind");
}

}  // namespace dagprop::io::detail
