// import_network (import.hpp): a table of formats, each with a test of the
// first bytes and a reader of the whole text; adding a format is one entry.
#include "dagprop/io/import.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dagprop/error.hpp"
#include "dagprop/io/dot.hpp"
#include "dagprop/io/neat_json.hpp"

namespace dagprop::io {

namespace {

// `text` after a UTF-8 byte-order mark and white space.
std::string_view content_start(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const std::size_t k = text.find_first_not_of(" \t\r\n");
  return k == std::string_view::npos ? std::string_view() : text.substr(k);
}

bool starts_word(std::string_view s, std::string_view word) {
  if (s.size() < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if ((s[k] | 0x20) != word[k]) return false;  // DOT keywords are case-insensitive
  return s.size() == word.size() ||
         !(std::isalnum(static_cast<unsigned char>(s[word.size()])) || s[word.size()] == '_');
}

bool is_dot(std::string_view s) {
  return s.substr(0, 2) == "//" || s.substr(0, 2) == "/*" || s.substr(0, 1) == "#" ||
         starts_word(s, "strict") || starts_word(s, "digraph") || starts_word(s, "graph");
}

bool is_neat(std::string_view s) {
  return s.substr(0, 1) == "{";
}

Topology read_dot_text(const std::string& text, const std::string& path, const ImportOptions& o,
                       ModelMeta* meta) {
  std::istringstream in(text);
  return read_dot(in, path, o.scheme, o.seed, meta);
}

Topology read_neat_text(const std::string& text, const std::string& path, const ImportOptions&,
                        ModelMeta*) {
  return read_neat_json(text, path);
}

struct Format {
  std::string_view name;
  bool (*recognise)(std::string_view start);  // on content_start(text)
  // `meta`: what the file holds besides the network, when it can hold any.
  Topology (*read)(const std::string& text, const std::string& path, const ImportOptions& o,
                   ModelMeta* meta);
};
const Format formats[] = {
    {"dot", is_dot, read_dot_text},
    {"neat", is_neat, read_neat_text},
};

std::string format_names() {
  std::string all;
  for (const Format& f : formats) all += (all.empty() ? "" : ", ") + std::string(f.name);
  return all;
}

}  // namespace

std::vector<std::string_view> import_formats() {
  std::vector<std::string_view> names;
  for (const Format& f : formats) names.push_back(f.name);
  return names;
}

std::string_view detect_import_format(std::string_view text) {
  const std::string_view start = content_start(text);
  for (const Format& f : formats)
    if (f.recognise(start)) return f.name;
  return {};
}

std::string read_text_file(const std::string& path, std::size_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (fs::is_directory(st)) throw io_error(path + ": is a directory, not a file");
  if (fs::exists(st) && !fs::is_regular_file(st))
    throw io_error(path + ": is a pipe or a device, not a regular file; copy it to a file first");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(path + ": cannot open for reading");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw io_error(path + ": cannot determine the file size");
  if (size > max_bytes)
    throw io_error(path + ": file of " + std::to_string(size) + " bytes exceeds the cap of " +
                   std::to_string(max_bytes) + " bytes");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));  // a file that shrank meanwhile
  if (in.bad()) throw io_error(path + ": read failed");
  return text;
}

Topology import_network(const std::string& path, std::string_view format,
                        const ImportOptions& options, ModelMeta* meta) {
  const Format* chosen = nullptr;
  for (const Format& f : formats)
    if (f.name == format) chosen = &f;
  if (!chosen && format != "auto")
    throw io_error(path + ": unknown format '" + std::string(format) + "' (expected auto, " +
                   format_names() + ")");
  const std::string text = read_text_file(path, max_import_bytes);
  if (!chosen) {
    const std::string_view name = detect_import_format(text);
    for (const Format& f : formats)
      if (f.name == name) chosen = &f;
  }
  if (!chosen)
    throw io_error(path + ": cannot tell the network format from its first bytes '" +
                   printable(content_start(text), 24) +
                   "' (expected a DOT digraph or a neat-python " +
                   "JSON object); name it with --format " + format_names());
  if (meta) *meta = ModelMeta{};
  return chosen->read(text, path, options, meta);
}

}  // namespace dagprop::io
