//===- Error.h - User errors of the training executable ---------*- C++ -*-===//
//
// Every user error (a bad flag, a missing or malformed file, a shape that does
// not match the model) is thrown as a UserError whose message starts with the
// file or flag at fault; main() prints it as one line `error: <message>` and
// exits with 1. Nothing is written before the inputs have been validated, and
// outputs are written atomically, so an error never leaves a half-written file.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_ERROR_H
#define MLC_RUNTIME_ERROR_H

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace mlc::rt {

class UserError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Throws a UserError with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args &&...args) {
  throw UserError(fmt::format(format, std::forward<Args>(args)...));
}

/// strerror(errno), for messages about system calls.
std::string systemError();

/// Prints `note: <message>` to stderr (informational, not an error).
void note(const std::string &message);

} // namespace mlc::rt

#endif // MLC_RUNTIME_ERROR_H
