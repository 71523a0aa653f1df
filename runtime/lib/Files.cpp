//===- Files.cpp - Reading whole files ------------------------------------===//

#include "mlc/Runtime/Files.h"
#include "mlc/Runtime/Error.h"

#include <cctype>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mlc::rt {

std::vector<uint8_t> readFile(const std::string &path) {
  int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0)
    fail("{}: cannot open: {}", path, systemError());
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    std::string error = systemError();
    close(fd);
    fail("{}: cannot open: {}", path, error);
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    fail("{}: cannot open: is a directory", path);
  }
  std::vector<uint8_t> bytes;
  bytes.reserve(size_t(st.st_size));
  uint8_t chunk[1 << 16];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      std::string error = systemError();
      close(fd);
      fail("{}: cannot read: {}", path, error);
    }
    if (n == 0)
      break;
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  close(fd);
  return bytes;
}

bool hasSuffix(const std::string &path, const std::string &suffix) {
  if (path.size() < suffix.size())
    return false;
  for (size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(path[path.size() - suffix.size() + i])) !=
        std::tolower(static_cast<unsigned char>(suffix[i])))
      return false;
  return true;
}

} // namespace mlc::rt
