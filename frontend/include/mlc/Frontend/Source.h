//===- Source.h - Source files and locations --------------------*- C++ -*-===//
//
// The frontend keeps every loaded file in one SourceManager so that a
// location is two integers and diagnostics can print any file's line.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_FRONTEND_SOURCE_H
#define MLC_FRONTEND_SOURCE_H

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mlc {

/// A half-open byte range [begin, end) in one file. File 0 means "no
/// location" (built-in entities).
struct SourceRange {
  uint32_t file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool isValid() const { return file != 0; }
  /// The smallest range covering both (same file assumed).
  static SourceRange join(SourceRange a, SourceRange b) {
    if (!a.isValid())
      return b;
    if (!b.isValid())
      return a;
    return {a.file, a.begin < b.begin ? a.begin : b.begin,
            a.end > b.end ? a.end : b.end};
  }
};

struct LineCol {
  uint32_t line = 0; // 1-based
  uint32_t col = 0;  // 1-based, in bytes like clang and MLIR
};

class SourceFile {
public:
  SourceFile(std::string path, std::string text);
  const std::string &path() const { return path_; }
  std::string_view text() const { return text_; }
  LineCol lineCol(uint32_t offset) const;
  /// The text of the line holding \p offset, without its newline.
  std::string_view lineText(uint32_t offset) const;

private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> lineStarts_;
};

class SourceManager {
public:
  SourceManager();
  /// Adds a file and returns its id (never 0).
  uint32_t addFile(std::string path, std::string text);
  const SourceFile &file(uint32_t id) const { return *files_[id]; }
  size_t numFiles() const { return files_.size(); }

private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

} // namespace mlc

#endif // MLC_FRONTEND_SOURCE_H
