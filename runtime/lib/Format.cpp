//===- Format.cpp - Numbers for people ------------------------------------===//

#include "mlc/Runtime/Format.h"

#include <fmt/format.h>

#include <cmath>

namespace mlc::rt {

std::string formatBytes(int64_t bytes) {
  if (bytes < 1024)
    return fmt::format("{} B", bytes);
  const char *units[] = {"KiB", "MiB", "GiB", "TiB"};
  double v = double(bytes);
  int unit = -1;
  while (v >= 1024 && unit < 3) {
    v /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", v, units[unit]);
}

std::string formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0)
    return "?";
  int64_t s = int64_t(seconds + 0.5);
  return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

std::string formatValue(double value) { return fmt::format("{:.6g}", value); }

} // namespace mlc::rt
