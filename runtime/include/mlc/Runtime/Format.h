//===- Format.h - Numbers for people ----------------------------*- C++ -*-===//
#ifndef MLC_RUNTIME_FORMAT_H
#define MLC_RUNTIME_FORMAT_H

#include <cstdint>
#include <string>

namespace mlc::rt {

/// "512 B", "1.5 KiB", "12.0 MiB".
std::string formatBytes(int64_t bytes);
/// "0:00:05", "1:02:03".
std::string formatDuration(double seconds);
/// A loss or metric: 6 significant digits.
std::string formatValue(double value);

} // namespace mlc::rt

#endif // MLC_RUNTIME_FORMAT_H
