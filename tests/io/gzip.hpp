// Test helper: the gzip file of some bytes (Boost.Iostreams' compressor), to
// feed the readers compressed input.
#pragma once

#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <string>

namespace dagprop::test {

// level 0 stores the bytes, so the file's size follows from theirs.
inline std::string gzip(const std::string& bytes,
                        int level = boost::iostreams::gzip::default_compression) {
  std::string out;
  {
    boost::iostreams::filtering_ostream z;
    z.push(boost::iostreams::gzip_compressor(boost::iostreams::gzip_params(level)));
    z.push(boost::iostreams::back_inserter(out));
    z << bytes;
  }
  return out;
}

}  // namespace dagprop::test
