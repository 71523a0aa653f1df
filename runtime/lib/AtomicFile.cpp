//===- AtomicFile.cpp - Write a file completely or not at all -------------===//

#include "mlc/Runtime/AtomicFile.h"
#include "mlc/Runtime/Error.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mlc::rt {

namespace {

std::string directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

mode_t currentUmask() {
  static const mode_t mask = [] {
    mode_t m = umask(0);
    umask(m);
    return m;
  }();
  return mask;
}

} // namespace

void checkWritable(const std::string &path, const std::string &flag) {
  if (path.empty())
    fail("{}: empty path", flag);
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    fail("{}: '{}' is a directory", flag, path);
  std::string dir = directoryOf(path);
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    fail("{}: cannot write '{}': directory '{}' does not exist", flag, path, dir);
  if (access(dir.c_str(), W_OK) != 0)
    fail("{}: cannot write '{}': directory '{}' is not writable", flag, path, dir);
}

AtomicFile::AtomicFile(std::string path, std::string flag)
    : path_(std::move(path)), flag_(std::move(flag)) {
  checkWritable(path_, flag_);
  std::string dir = directoryOf(path_);
  std::string base = path_.substr(path_.rfind('/') == std::string::npos ? 0 : path_.rfind('/') + 1);
  tempPath_ = dir + "/." + base + ".tmp.XXXXXX";
  fd_ = mkstemp(tempPath_.data());
  if (fd_ < 0)
    fail("{}: cannot create a temporary file next to '{}': {}", flag_, path_, systemError());
  // mkstemp makes the file 0600; give it the mode an ordinary create would.
  fchmod(fd_, 0666 & ~currentUmask());
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0)
    close(fd_);
  if (!committed_)
    unlink(tempPath_.c_str());
}

void AtomicFile::failWrite(const char *what) {
  std::string error = systemError();
  fail("{}: cannot write '{}': {}: {}", flag_, path_, what, error);
}

void AtomicFile::write(const void *data, size_t size) {
  const char *p = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      failWrite("write");
    p += n;
    size -= size_t(n);
  }
}

void AtomicFile::commit() {
  if (fsync(fd_) != 0)
    failWrite("fsync");
  int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0)
    failWrite("close");
  if (rename(tempPath_.c_str(), path_.c_str()) != 0)
    failWrite("rename");
  committed_ = true;
  // Make the rename itself durable; failing here loses nothing.
  int dirFd = open(directoryOf(path_).c_str(), O_RDONLY | O_DIRECTORY);
  if (dirFd >= 0) {
    fsync(dirFd);
    close(dirFd);
  }
}

} // namespace mlc::rt
