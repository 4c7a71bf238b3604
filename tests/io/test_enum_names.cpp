// The name tables of io's enums: archive kinds, IDX element types, scalings and
// target readings go both ways; a number read from a file is checked against
// the table (the IDX type byte, the archive kind in a model file's flags).
#include <catch2/catch.hpp>
#include <string>

#include "dagprop/io/format.hpp"
#include "dagprop/io/idx.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/io/scaling.hpp"

using namespace dagprop::io;
using Catch::Matchers::Equals;

TEST_CASE("each io enum's code and name go both ways", "[enum_names][io]") {
  CHECK(to_string(ArchiveKind::binary) == "binary");
  CHECK(parse_archive_kind("xml") == ArchiveKind::xml);
  CHECK(to_string(IdxType::f64) == "f64");
  CHECK(to_string(ScaleKind::divide) == "divide");
  CHECK(parse_scale_kind("none") == ScaleKind::none);
  CHECK(to_string(TargetReading::class_column) == "class-column");
}

TEST_CASE("io codes read from files are checked against their tables", "[enum_names][io]") {
  // ArchiveKind counts from 1; IDX types are the bytes 0x08, 0x09, 0x0B..0x0E.
  CHECK_FALSE(archive_kind_names.from_number(0).has_value());
  CHECK(archive_kind_names.from_number(3) == ArchiveKind::xml);
  CHECK_FALSE(archive_kind_names.from_number(4).has_value());
  CHECK(idx_type_names.from_number(0x0B) == IdxType::i16);
  CHECK_FALSE(idx_type_names.from_number(0x0A).has_value());
  CHECK_FALSE(scale_kind_names.from_number(4).has_value());
  CHECK_FALSE(target_reading_names.from_number(3).has_value());
  CHECK_THROWS_WITH(to_string(static_cast<ArchiveKind>(9)), Equals("unknown archive kind code 9"));
  CHECK_THROWS_WITH(to_string(static_cast<IdxType>(0x0A)),
                    Equals("unknown IDX element type code 10"));
  CHECK_THROWS_AS(to_string(static_cast<ScaleKind>(7)), dagprop::invalid_argument);
}

TEST_CASE("unknown io names are refused naming the accepted ones", "[enum_names][io]") {
  CHECK_THROWS_WITH(parse_archive_kind("bin"),
                    Equals("unknown archive kind 'bin' (expected text, binary or xml)"));
  CHECK_THROWS_WITH(parse_scale_kind("minmax"),
                    Equals("unknown scaling \"minmax\": expected none, divide, standardize or "
                           "affine"));
}
