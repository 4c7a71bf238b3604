// libFuzzer harness for the model and checkpoint loaders: the input is a whole
// file. Any dagprop::error is a correct refusal; a crash, sanitizer report or
// huge allocation is a finding. Run with -rss_limit_mb=2048 -malloc_limit_mb=512.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include <unistd.h>

#include "dagprop/error.hpp"
#include "dagprop/io/checkpoint.hpp"
#include "dagprop/io/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/dagprop_fuzz_model_" + std::to_string(::getpid());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    dagprop::io::Scaler s;
    (void)dagprop::io::load_network<float>(path, &s);
  } catch (const dagprop::error&) {
  }
  try {
    (void)dagprop::io::load_checkpoint<double>(path);
  } catch (const dagprop::error&) {
  }
  try {
    (void)dagprop::io::inspect_file(path);
  } catch (const dagprop::error&) {
  }
  return 0;
}
