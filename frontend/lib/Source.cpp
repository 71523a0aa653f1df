//===- Source.cpp - Source files and locations ----------------------------===//

#include "mlc/Frontend/Source.h"

#include <algorithm>

using namespace mlc;

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  lineStarts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n')
      lineStarts_.push_back(i + 1);
}

LineCol SourceFile::lineCol(uint32_t offset) const {
  auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - lineStarts_.begin());
  return {line, offset - lineStarts_[line - 1] + 1};
}

std::string_view SourceFile::lineText(uint32_t offset) const {
  LineCol lc = lineCol(offset);
  uint32_t begin = lineStarts_[lc.line - 1];
  uint32_t end = lc.line < lineStarts_.size() ? lineStarts_[lc.line] - 1
                                              : static_cast<uint32_t>(text_.size());
  if (end > begin && text_[end - 1] == '\r')
    --end;
  return std::string_view(text_).substr(begin, end - begin);
}

SourceManager::SourceManager() {
  // Id 0 is reserved for "no location".
  files_.push_back(std::make_unique<SourceFile>("<unknown>", ""));
}

uint32_t SourceManager::addFile(std::string path, std::string text) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text)));
  return static_cast<uint32_t>(files_.size() - 1);
}
