//===- Files.h - Reading whole files ----------------------------*- C++ -*-===//
#ifndef MLC_RUNTIME_FILES_H
#define MLC_RUNTIME_FILES_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlc::rt {

/// The contents of `path`; a UserError "<path>: cannot open: <reason>" if it
/// cannot be read (missing, a directory, unreadable).
std::vector<uint8_t> readFile(const std::string &path);

/// True if `path` ends with `suffix`, ignoring ASCII case.
bool hasSuffix(const std::string &path, const std::string &suffix);

} // namespace mlc::rt

#endif // MLC_RUNTIME_FILES_H
