// Saving without losing data: write a temporary file in the target's folder,
// flush and fsync it, rename it over the target, fsync the folder. A kill at
// any moment leaves the old file or the new one, never a torn one. POSIX only;
// it does not lock against concurrent writers of the same path.
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace dagprop::io {

// Replaces `path` by `bytes`. On any error the temporary file is removed, the
// target is left untouched and io_error names the file and the failing step.
// A symlink `path` stays a link: the file it points to is replaced (its
// temporary made in that file's folder). Temporaries of the same target that
// a killed save left (PATH.tmp.XXXXXX, ours, over 10 minutes old) are removed.
void write_file_atomically(const std::string& path, const std::string& bytes);

// Same, with the content produced by `writer` (buffered in memory first, so a
// writer that throws leaves no file behind).
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& writer);

}  // namespace dagprop::io
