// Strict archive headers (io/src/archive_header.cpp): a model or checkpoint
// payload must begin as Boost writes it - the signature and a library version
// from 18 to the running Boost's - and an XML one must have Boost's prolog on
// its three lines and end with "</boost_serialization>" and newlines. Each
// damaged file here has valid CRCs, so that only the archive check refuses it.
#include <boost/archive/basic_archive.hpp>
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/checkpoint.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/io/model.hpp"
#include "temp_dir.hpp"

using namespace dagprop;
using dagprop::io::ArchiveKind;
using dagprop::io::FileContent;

namespace {

std::string temp_path(const std::string& name) {
  static const test::TempDir dir("io-strict");  // one per test process
  return dir.file(name);
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

Network<double> small_net() {
  Topology t;
  const UnitId x = t.add_input("x");
  const UnitId h = t.add_unit(Activation::tanh, Role::hidden, "h", 0.25);
  const UnitId y = t.add_output(Activation::identity, "y", -0.5);
  t.connect(x, h, 0.75);
  t.connect(h, y, 2.0);
  t.connect(x, y, -1.5);
  return compile<double>(t);
}

std::string model_payload(ArchiveKind kind) {
  const std::string path = temp_path("good.dpn");
  io::save_network(path, small_net(), kind);
  return io::decode_file(test::read_bytes(path), path).payload;
}

io::Checkpoint<double> small_checkpoint() {
  io::Checkpoint<double> ck;
  ck.network = small_net();
  ck.optimizer = {"sgd", {0.1}, {}};
  ck.options.epochs = 3;
  return ck;
}

std::string checkpoint_payload(ArchiveKind kind) {
  const std::string path = temp_path("good.dpc");
  io::save_checkpoint(path, small_checkpoint(), kind);
  return io::decode_file(test::read_bytes(path), path).payload;
}

// Writes `payload` behind a header with valid CRCs; returns the file's path.
std::string file_of(FileContent content, ArchiveKind kind, const std::string& payload) {
  const std::string path = temp_path(content == FileContent::model ? "edited.dpn" : "edited.dpc");
  write_bytes(path, io::encode_file(content, kind, 8, payload));
  return path;
}

// `s` with its first `from` replaced by `to` (which must be there).
std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const std::size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

std::string version_text() {
  const boost::serialization::library_version_type v = boost::archive::BOOST_ARCHIVE_VERSION();
  const std::uint_least16_t n = v;  // through the const conversion
  return std::to_string(n);
}

void require_model_refused(ArchiveKind kind, const std::string& payload,
                           const std::string& message) {
  const std::string path = file_of(FileContent::model, kind, payload);
  INFO(payload.substr(0, 160));
  REQUIRE_THROWS_AS(io::load_network<double>(path), io_error);
  REQUIRE_THROWS_WITH(io::load_network<double>(path),
                      Catch::Contains("field 'archive header': " + message));
}

}  // namespace

TEST_CASE("strict archives: what dagprop writes loads, in every kind", "[io][strict]") {
  for (const ArchiveKind kind : {ArchiveKind::text, ArchiveKind::binary, ArchiveKind::xml}) {
    INFO(io::to_string(kind));
    const Network<double> back =
        io::load_network<double>(file_of(FileContent::model, kind, model_payload(kind)));
    CHECK(back.params() == small_net().params());
    const auto ck = io::load_checkpoint<double>(
        file_of(FileContent::checkpoint, kind, checkpoint_payload(kind)));
    CHECK(ck.network.params() == small_net().params());
    CHECK(ck.options.epochs == 3);
  }
  const std::string dir = DAGPROP_TEST_DATA_DIR;
  for (const char* name :
       {"model_v1_text_double.dpn", "model_v1_xml_double.dpn", "model_v2_text_double.dpn"})
    CHECK(io::load_network<double>(dir + "/" + name).num_units() == 4);
  CHECK(io::load_network<float>(dir + "/model_v1_binary_float.dpn").num_units() == 4);
}

TEST_CASE("strict archives: text and binary library versions outside 18 to Boost's",
          "[io][strict]") {
  const std::string text = model_payload(ArchiveKind::text);
  const std::string start = "22 serialization::archive " + version_text() + " ";
  REQUIRE(text.rfind(start, 0) == 0);
  const std::string range = "expected 18 to " + version_text();
  for (const char* v : {"0", "3", "17", "99999"})
    require_model_refused(
        ArchiveKind::text,
        replaced(text, start, std::string("22 serialization::archive ") + v + " "),
        "Boost archive library version " + std::string(v) + ", " + range);
  require_model_refused(ArchiveKind::text, replaced(text, start, "22 serialization::archive 018 "),
                        "expected the Boost archive library version at byte 26, found '018 ");
  require_model_refused(ArchiveKind::text, replaced(text, start, "22 serialization::archive 18\n"),
                        "expected a blank after the Boost archive library version");
  require_model_refused(ArchiveKind::text, replaced(text, start, "22 serialization::archive  18 "),
                        "expected the Boost archive library version at byte 26");
  require_model_refused(ArchiveKind::text, replaced(text, "22 ", "22  "),
                        "the Boost text archive signature");

  std::string binary = model_payload(ArchiveKind::binary);
  const std::size_t at = sizeof(std::size_t) + std::strlen("serialization::archive");
  for (const std::uint16_t v : {std::uint16_t{3}, std::uint16_t{0}, std::uint16_t{1000}}) {
    std::memcpy(&binary[at], &v, sizeof v);
    require_model_refused(ArchiveKind::binary, binary,
                          "Boost archive library version " + std::to_string(v) + ", " + range);
  }
}

TEST_CASE("strict archives: the XML prolog and end exactly as Boost writes them", "[io][strict]") {
  const std::string xml = model_payload(ArchiveKind::xml);
  const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\" ?>\n";
  const std::string doctype = "<!DOCTYPE boost_serialization>\n";
  const std::string root = "<boost_serialization signature=\"serialization::archive\" version=\"" +
                           version_text() + "\">\n";
  REQUIRE(xml.rfind(decl + doctype + root, 0) == 0);
  const std::string end = "</boost_serialization>\n";
  REQUIRE(xml.size() > end.size());
  REQUIRE(xml.find(end) != std::string::npos);

  const std::string range = "expected 18 to " + version_text();
  for (const char* v : {"0", "3", "17", "100"})
    require_model_refused(
        ArchiveKind::xml,
        replaced(xml, "version=\"" + version_text() + "\">", std::string("version=\"") + v + "\">"),
        "Boost archive library version " + std::string(v) + ", " + range);
  require_model_refused(ArchiveKind::xml,
                        replaced(xml, "version=\"" + version_text() + "\">", "version=\"018\">"),
                        "expected the Boost archive library version");
  require_model_refused(
      ArchiveKind::xml,
      replaced(xml, "version=\"" + version_text() + "\">", "version=\"" + version_text() + "\" >"),
      "XML line 3 must end '\">' after the version");
  // the prolog: another declaration, a blank line before it, CR LF line ends
  require_model_refused(ArchiveKind::xml,
                        replaced(xml, decl, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
                        "XML line 1 must begin '<?xml version=\"1.0\" encoding=\"UTF-8\" "
                        "standalone=\"yes\" ?>' as Boost writes it, found '<?xml version");
  require_model_refused(ArchiveKind::xml, "\n" + xml, "XML line 1 must begin");
  require_model_refused(ArchiveKind::xml,
                        replaced(xml, doctype, "<!DOCTYPE boost_serialization>\r\n"),
                        "XML line 2 must begin '<!DOCTYPE boost_serialization>'");
  require_model_refused(ArchiveKind::xml, replaced(xml, doctype, ""),
                        "XML line 2 must begin '<!DOCTYPE boost_serialization>' as Boost writes "
                        "it, found '<boost_serialization signature=");
  require_model_refused(ArchiveKind::xml,
                        replaced(xml, "signature=\"serialization::archive\"",
                                 "signature=\"serialization::archive\"  "),
                        "XML line 3 must begin");
  // the end tag: with a blank, split across lines, missing, not last, no newline
  const std::string last =
      "the XML archive must end with a line '</boost_serialization>' as Boost writes it";
  const std::string body = xml.substr(0, xml.rfind("</boost_serialization>"));
  for (const std::string& tail :
       {std::string("</ boost_serialization>\n"), std::string("</boost_serialization\n>\n"),
        std::string("</boost_serialization >\n"), std::string("</boost_serialization>"),
        std::string("</boost_serialization>\n \n"), std::string("</boost_serialization>\r\n"),
        std::string("</boost_serialization>\n<x/>\n"), std::string("")})
    require_model_refused(ArchiveKind::xml, body + tail, last);
  require_model_refused(ArchiveKind::xml,
                        body.substr(0, body.size() - 1) + " </boost_serialization>\n", last);
  // the control: the same body with Boost's end, one newline or several, loads
  for (const char* tail : {"</boost_serialization>\n", "</boost_serialization>\n\n\n"})
    CHECK(io::load_network<double>(file_of(FileContent::model, ArchiveKind::xml, body + tail))
              .params() == small_net().params());
}

TEST_CASE("strict archives: checkpoints are checked as models are", "[io][strict]") {
  const std::string xml = checkpoint_payload(ArchiveKind::xml);
  const std::string body = xml.substr(0, xml.rfind("</boost_serialization>"));
  const std::string path =
      file_of(FileContent::checkpoint, ArchiveKind::xml, body + "</ boost_serialization>\n");
  REQUIRE_THROWS_WITH(io::load_checkpoint<double>(path),
                      Catch::Contains("field 'archive header': the XML archive must end"));
  const std::string text = checkpoint_payload(ArchiveKind::text);
  const std::string old = replaced(text, "archive " + version_text() + " ", "archive 3 ");
  REQUIRE_THROWS_WITH(
      io::load_checkpoint<double>(file_of(FileContent::checkpoint, ArchiveKind::text, old)),
      Catch::Contains("field 'archive header': Boost archive library version 3"));
}
