// libFuzzer harness for the checkpoint loader. The first byte picks the mode:
// bit 0 clear: the rest is a whole file, as on disk (header and CRCs checked);
// bit 0 set: the rest is a payload, wrapped here in a checkpoint header with
// right CRCs (archive kind from bits 1-2, precision from bit 3), so that the
// mutations reach the Boost archive and the checks behind it. Any
// dagprop::error is a correct refusal; a crash, sanitizer report, huge
// allocation or other exception is a finding. A checkpoint that loads also
// has its optimizer state rebuilt (make_optimizer), which checks it.
// Run with -rss_limit_mb=2048 -malloc_limit_mb=1024.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include <unistd.h>

#include "dagprop/error.hpp"
#include "dagprop/io/checkpoint.hpp"
#include "dagprop/io/format.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/optimizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const std::string path = "/tmp/dagprop_fuzz_checkpoint_" + std::to_string(::getpid());
  const std::uint8_t mode = data[0];
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (mode & 1) {
    const auto kind = static_cast<dagprop::io::ArchiveKind>(1 + ((mode >> 1) & 3) % 3);
    const std::uint32_t precision = (mode & 8) ? 4 : 8;
    bytes = dagprop::io::encode_file(dagprop::io::FileContent::checkpoint, kind, precision, bytes);
  }
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  // As `train --resume` does: the optimizer is rebuilt from the state loaded.
  try {
    (void)dagprop::make_optimizer<double>(dagprop::io::load_checkpoint<double>(path).optimizer);
  } catch (const dagprop::error&) {
  }
  try {
    (void)dagprop::make_optimizer<float>(dagprop::io::load_checkpoint<float>(path).optimizer);
  } catch (const dagprop::error&) {
  }
  try {
    (void)dagprop::io::inspect_file(path);
  } catch (const dagprop::error&) {
  }
  return 0;
}
