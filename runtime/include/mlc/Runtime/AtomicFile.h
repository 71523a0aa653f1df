//===- AtomicFile.h - Write a file completely or not at all -----*- C++ -*-===//
//
// Writes go to a temporary file in the destination's directory; commit()
// fsyncs it and renames it over the destination. If anything fails, or the
// AtomicFile is destroyed without commit() (an exception unwinding), the
// temporary is removed and the destination is never touched.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_ATOMICFILE_H
#define MLC_RUNTIME_ATOMICFILE_H

#include <cstddef>
#include <string>

namespace mlc::rt {

class AtomicFile {
public:
  /// Creates the temporary; `flag` names the option that chose `path`, for
  /// messages. Throws a UserError if the directory is not writable.
  AtomicFile(std::string path, std::string flag);
  ~AtomicFile();
  AtomicFile(const AtomicFile &) = delete;
  AtomicFile &operator=(const AtomicFile &) = delete;

  void write(const void *data, size_t size);
  void write(const std::string &text) { write(text.data(), text.size()); }
  void commit();

private:
  [[noreturn]] void failWrite(const char *what);
  std::string path_, flag_, tempPath_;
  int fd_ = -1;
  bool committed_ = false;
};

/// Checks, before any work, that `path` could be written by an AtomicFile:
/// its directory exists and is writable and the path is not a directory.
void checkWritable(const std::string &path, const std::string &flag);

} // namespace mlc::rt

#endif // MLC_RUNTIME_ATOMICFILE_H
