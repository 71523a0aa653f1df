//===- Diagnostics.h - Located errors with a source line and caret -*- C++ -*-===//
//
// Every user error in the frontend goes through DiagnosticEngine:
//   file:line:col: error: message
//     <the source line>
//     ^~~~
// Messages are lower-case, without a trailing period, names in '...'.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_FRONTEND_DIAGNOSTICS_H
#define MLC_FRONTEND_DIAGNOSTICS_H

#include "mlc/Frontend/Source.h"

#include <cstdio>
#include <set>
#include <string>
#include <utility>

namespace mlc {

class DiagnosticEngine {
public:
  explicit DiagnosticEngine(const SourceManager &sources, FILE *out = stderr)
      : sources_(sources), out_(out) {}

  void error(SourceRange range, const std::string &message);
  void note(SourceRange range, const std::string &message);
  /// An error without a location (e.g. a file that cannot be read).
  void error(const std::string &message);

  unsigned numErrors() const { return numErrors_; }
  bool hasErrors() const { return numErrors_ != 0; }
  /// True once the error limit is reached; callers may stop early.
  bool tooManyErrors() const { return numErrors_ >= limit_; }
  void setErrorLimit(unsigned limit) { limit_ = limit; }

private:
  void emit(const char *kind, SourceRange range, const std::string &message);

  const SourceManager &sources_;
  FILE *out_;
  unsigned numErrors_ = 0;
  unsigned limit_ = 20;
  bool lastSuppressed_ = false;
  // The same error reached twice (a model body checked once per call site)
  // is reported once.
  std::set<std::pair<std::pair<uint32_t, uint32_t>, std::string>> seen_;
};

} // namespace mlc

#endif // MLC_FRONTEND_DIAGNOSTICS_H
