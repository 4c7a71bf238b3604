// check_input_file and open_input_file (see input_file.hpp): stat() before
// open(), since open() itself hangs on a FIFO. It does not guard against a
// file replaced between the two calls.
#include "dagprop/io/input_file.hpp"

#include <cerrno>
#include <cstring>

#include <sys/stat.h>

#include "dagprop/error.hpp"

namespace dagprop::io {

void check_input_file(const std::string& path, const std::string& what) {
  struct ::stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) throw io_error(path + ": is a folder, not " + what);
  if (!S_ISREG(st.st_mode))
    throw io_error(path + ": is a " +
                   (S_ISFIFO(st.st_mode)   ? "pipe"
                    : S_ISSOCK(st.st_mode) ? "socket"
                                           : "device") +
                   ", not a regular file (a pipe could be read once only, and a device never "
                   "ends)");
}

std::ifstream open_input_file(const std::string& path, const std::string& what) {
  check_input_file(path, what);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw io_error(path + ": cannot open for reading (" + std::string(std::strerror(errno)) + ")");
  return in;
}

}  // namespace dagprop::io
