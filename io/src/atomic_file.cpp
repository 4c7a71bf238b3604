// write_file_atomically: temporary file in the same folder, write, fsync,
// rename over the target, fsync the folder (POSIX calls, errno in messages).
// It does not retry, lock, or keep a backup of the old file.
#include "dagprop/io/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dagprop/error.hpp"

namespace dagprop::io {

namespace {

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

[[noreturn]] void fail(const std::string& path, const char* step, int err) {
  throw io_error(path + ": cannot save (" + step + "): " + std::strerror(err));
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes) {
  if (path.empty()) throw io_error("cannot save: the file name is empty");
  // The rename would replace whatever stands there: a folder fails, but a
  // device (/dev/null), a pipe or a socket would silently become a file.
  struct stat target {};
  if (::stat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode))
    throw io_error(path + ": cannot save: it exists and is not a regular file (" +
                   (S_ISDIR(target.st_mode) ? "a folder" : "a device, pipe or socket") + ")");
  std::string temp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) fail(path, "create a temporary file in its folder", errno);
  auto abandon = [&](const char* step, int err) {
    ::close(fd);
    ::unlink(temp.c_str());
    fail(path, step, err);
  };
  struct stat old {};
  const mode_t mode = ::stat(path.c_str(), &old) == 0 ? (old.st_mode & 07777) : 0644;
  if (::fchmod(fd, mode) != 0) abandon("set the temporary file's mode", errno);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("write the temporary file", errno);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) abandon("fsync the temporary file", errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "close the temporary file", err);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "rename the temporary file over the target", err);
  }
  // The rename is durable only once the folder itself is on disk.
  const int dir = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir < 0) fail(path, "open its folder to fsync it", errno);
  const int rc = ::fsync(dir), err = errno;
  ::close(dir);
  if (rc != 0 && err != EINVAL) fail(path, "fsync its folder", err);
}

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& writer) {
  std::ostringstream out(std::ios::binary);
  writer(out);
  if (!out) throw io_error(path + ": cannot save: the writer failed");
  write_file_atomically(path, out.str());
}

}  // namespace dagprop::io
