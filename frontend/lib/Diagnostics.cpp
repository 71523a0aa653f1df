//===- Diagnostics.cpp - Located errors with a source line and caret ------===//

#include "mlc/Frontend/Diagnostics.h"

#include <fmt/core.h>

using namespace mlc;

namespace {
// Lines longer than this are shown as a window around the caret, so a 1 MB
// line does not flood the terminal.
constexpr size_t kMaxShownLine = 160;

bool isContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }
} // namespace

void DiagnosticEngine::error(SourceRange range, const std::string &message) {
  if (tooManyErrors()) {
    if (!lastSuppressed_)
      fmt::print(out_, "error: too many errors emitted, stopping now\n");
    lastSuppressed_ = true;
    ++numErrors_;
    return;
  }
  if (!seen_.insert({{range.file, range.begin}, message}).second) {
    lastSuppressed_ = true;
    return;
  }
  lastSuppressed_ = false;
  ++numErrors_;
  emit("error", range, message);
}

void DiagnosticEngine::note(SourceRange range, const std::string &message) {
  // A note belongs to the error before it; drop it with that error.
  if (!lastSuppressed_)
    emit("note", range, message);
}

void DiagnosticEngine::error(const std::string &message) {
  error(SourceRange{}, message);
}

void DiagnosticEngine::emit(const char *kind, SourceRange range,
                            const std::string &message) {
  if (!range.isValid()) {
    fmt::print(out_, "{}: {}\n", kind, message);
    return;
  }
  const SourceFile &file = sources_.file(range.file);
  LineCol lc = file.lineCol(range.begin);
  fmt::print(out_, "{}:{}:{}: {}: {}\n", file.path(), lc.line, lc.col, kind,
             message);

  std::string_view line = file.lineText(range.begin);
  size_t caret = lc.col - 1;
  size_t caretEnd = std::max<size_t>(caret + 1, caret + (range.end - range.begin));
  caretEnd = std::min(caretEnd, std::max(line.size(), caret + 1));

  size_t from = 0, to = line.size();
  std::string prefix, suffix;
  if (line.size() > kMaxShownLine) {
    from = caret > kMaxShownLine / 2 ? caret - kMaxShownLine / 2 : 0;
    to = std::min(line.size(), from + kMaxShownLine);
    caretEnd = std::min(caretEnd, to);
    if (from > 0)
      prefix = "...";
    if (to < line.size())
      suffix = "...";
  }
  // Control bytes would garble the terminal; show them as spaces. The caret
  // line counts characters, so UTF-8 continuation bytes take no column.
  std::string shown = prefix, marker(prefix.size(), ' ');
  for (size_t i = from; i < to; ++i) {
    unsigned char c = line[i];
    bool isTab = c == '\t';
    shown += (c < 0x20 && !isTab) || c == 0x7f ? ' ' : static_cast<char>(c);
    // A stray continuation byte at the caret (an invalid UTF-8 byte) still
    // gets its '^'.
    if (isContinuationByte(c) && i != caret)
      continue;
    char m = ' ';
    if (i == caret)
      m = '^';
    else if (i > caret && i < caretEnd)
      m = '~';
    marker += isTab && m == ' ' ? '\t' : m;
  }
  if (caret >= to)
    marker += '^';
  while (!marker.empty() && marker.back() == ' ')
    marker.pop_back();
  fmt::print(out_, "{}{}\n{}\n", shown, suffix, marker);
}
