// write_file_atomically: temporary file in the same folder, write, fsync,
// rename over the target, fsync the folder (POSIX calls, errno in messages);
// through symlinks to their target; stale temporaries of the target removed.
// It does not retry, lock, or keep a backup of the old file.
#include "dagprop/io/atomic_file.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <sstream>

#include <dirent.h>
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

// The file a symlink `path` points to (through chains of links), so that the
// save replaces the target and keeps the link; `path` itself otherwise.
std::string resolve_links(const std::string& path) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::string link(4096, '\0');
    const ssize_t n = ::readlink(p.c_str(), link.data(), link.size());
    if (n < 0 || static_cast<std::size_t>(n) >= link.size()) fail(path, "read the symlink", errno);
    link.resize(static_cast<std::size_t>(n));
    p = link[0] == '/' ? link : folder_of(p) + "/" + link;
  }
  fail(path, "follow the symlink", ELOOP);
}

// Temporaries of `path` that a killed save left behind (path.tmp.XXXXXX as
// mkstemp makes them): removed when they are ours (our user, a regular file)
// and older than stale_seconds, so that no save in progress loses its file.
constexpr long stale_seconds = 600;

void remove_stale_temporaries(const std::string& path) {
  const std::string folder = folder_of(path);
  const auto slash = path.find_last_of('/');
  const std::string prefix = (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp.";
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return;
  const ::time_t now = ::time(nullptr);
  while (const ::dirent* e = ::readdir(dir)) {
    const std::string name = e->d_name;
    if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
    bool mkstemp_name = true;
    for (std::size_t k = prefix.size(); k < name.size(); ++k)
      mkstemp_name = mkstemp_name && std::isalnum(static_cast<unsigned char>(name[k]));
    const std::string file = folder + "/" + name;
    struct stat st {};
    if (mkstemp_name && ::lstat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_uid == ::geteuid() && now - st.st_mtime > stale_seconds)
      ::unlink(file.c_str());
  }
  ::closedir(dir);
}

}  // namespace

void write_file_atomically(const std::string& link, const std::string& bytes) {
  if (link.empty()) throw io_error("cannot save: the file name is empty");
  const std::string path = resolve_links(link);
  remove_stale_temporaries(path);
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
