//===- Error.cpp - User errors --------------------------------------------===//

#include "mlc/Runtime/Error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mlc::rt {

std::string systemError() { return std::strerror(errno); }

void note(const std::string &message) {
  std::fflush(stdout);
  std::fprintf(stderr, "note: %s\n", message.c_str());
}

} // namespace mlc::rt
