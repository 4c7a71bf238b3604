// Opening a file named by the user for reading: only a regular file is opened.
// A folder opens as an empty stream on Linux, a FIFO blocks open() until a
// writer comes (a hang), and a device (/dev/zero) never ends; all are refused
// before open() with one message. It does not lock or read the file.
#pragma once

#include <fstream>
#include <string>

namespace dagprop::io {

// io_error unless `path` is a regular file (after symlinks): "PATH: is a
// folder, not WHAT" or "PATH: is a pipe, socket or device, not a regular file;
// ...". A missing file passes (open reports it).
void check_input_file(const std::string& path, const std::string& what);

// check_input_file, then the file opened in binary mode; io_error when it
// cannot be opened.
std::ifstream open_input_file(const std::string& path, const std::string& what);

}  // namespace dagprop::io
