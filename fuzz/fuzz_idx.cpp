// libFuzzer harness for the IDX reader: the whole input as one IDX file (plain
// or gzip), then split in two at a point given by the first byte as an images
// and a labels file. Catching dagprop::error is expected; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "dagprop/error.hpp"
#include "dagprop/io/idx.hpp"

namespace {

constexpr std::uint64_t max_bytes = std::uint64_t{64} << 20;  // keeps each run fast

void read_one(const std::string& bytes) {
  std::istringstream in(bytes);
  try {
    const dagprop::io::IdxArray a = dagprop::io::read_idx(in, "fuzz.idx", max_bytes);
    if (a.size() > 0) (void)a.value(a.size() - 1);
  } catch (const dagprop::error&) {
  }
}

void read_pair(const std::string& images, const std::string& labels, bool one_hot) {
  std::istringstream x(images), y(labels);
  dagprop::io::IdxOptions o;
  o.one_hot = one_hot;
  o.max_bytes = max_bytes;
  try {
    dagprop::io::read_idx_dataset(x, "images.idx", y, "labels.idx", o).check();
  } catch (const dagprop::error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string all(reinterpret_cast<const char*>(data), size);
  read_one(all);
  if (size < 2) return 0;
  const std::size_t cut = 1 + data[0] % (size - 1);
  read_pair(all.substr(1, cut - 1), all.substr(cut), (data[0] & 0x80) != 0);
  return 0;
}
