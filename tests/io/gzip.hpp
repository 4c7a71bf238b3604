// Test helper: the gzip file of some bytes (Boost.Iostreams' compressor), to
// feed the readers compressed input.
#pragma once

#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <string>

namespace dagprop::test {

inline std::string gzip(const std::string& bytes) {
  std::string out;
  {
    boost::iostreams::filtering_ostream z;
    z.push(boost::iostreams::gzip_compressor());
    z.push(boost::iostreams::back_inserter(out));
    z << bytes;
  }
  return out;
}

}  // namespace dagprop::test
