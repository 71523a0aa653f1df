//===- Lexer.cpp - Tokens of the mlc DSL ----------------------------------===//

#include "mlc/Frontend/Lexer.h"

#include <fmt/core.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <unordered_map>

using namespace mlc;

const char *mlc::tokenName(Tok kind) {
  switch (kind) {
  case Tok::Eof: return "end of file";
  case Tok::Ident: return "identifier";
  case Tok::Int: return "integer";
  case Tok::Float: return "number";
  case Tok::String: return "string";
  case Tok::KwImport: return "'import'";
  case Tok::KwModel: return "'model'";
  case Tok::KwDef: return "'def'";
  case Tok::KwLet: return "'let'";
  case Tok::KwReturn: return "'return'";
  case Tok::KwTrain: return "'train'";
  case Tok::KwData: return "'data'";
  case Tok::KwMetric: return "'metric'";
  case Tok::KwInit: return "'init'";
  case Tok::KwFreeze: return "'freeze'";
  case Tok::KwFrom: return "'from'";
  case Tok::KwTrue: return "'true'";
  case Tok::KwFalse: return "'false'";
  case Tok::LParen: return "'('";
  case Tok::RParen: return "')'";
  case Tok::LBracket: return "'['";
  case Tok::RBracket: return "']'";
  case Tok::LBrace: return "'{'";
  case Tok::RBrace: return "'}'";
  case Tok::Comma: return "','";
  case Tok::Colon: return "':'";
  case Tok::Equal: return "'='";
  case Tok::Dot: return "'.'";
  case Tok::Plus: return "'+'";
  case Tok::Minus: return "'-'";
  case Tok::Star: return "'*'";
  case Tok::Slash: return "'/'";
  case Tok::At: return "'@'";
  case Tok::Arrow: return "'->'";
  case Tok::Error: return "invalid token";
  }
  return "token";
}

namespace {

bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }

/// Length of the valid UTF-8 sequence at \p s, or 0 if it is not valid.
size_t utf8Length(std::string_view s) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (c >= 0xF5 || n == 0 || s.size() < n)
    return 0;
  for (size_t i = 1; i < n; ++i)
    if ((b(i) & 0xC0) != 0x80)
      return 0;
  return n;
}

class Lexer {
public:
  Lexer(const SourceManager &sources, uint32_t fileId, DiagnosticEngine &diags)
      : text_(sources.file(fileId).text()), file_(fileId), diags_(diags) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    bool lineStart = true;
    while (true) {
      lineStart |= skipSpaceAndComments();
      Token tok = next();
      tok.atLineStart = lineStart;
      lineStart = false;
      tokens.push_back(std::move(tok));
      if (tokens.back().kind == Tok::Eof)
        return tokens;
    }
  }

private:
  SourceRange range(size_t begin, size_t end) const {
    return {file_, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
  }

  /// Returns true if a newline was skipped.
  bool skipSpaceAndComments() {
    bool newline = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        newline = true;
        ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n')
          ++pos_;
      } else {
        break;
      }
    }
    return newline;
  }

  Token make(Tok kind, size_t begin) {
    Token t;
    t.kind = kind;
    t.range = range(begin, pos_);
    return t;
  }

  Token next() {
    size_t begin = pos_;
    if (pos_ >= text_.size())
      return make(Tok::Eof, begin);
    char c = text_[pos_];
    if (isIdentStart(c))
      return identifier();
    if (isDigit(c))
      return number();
    if (c == '"')
      return string();
    ++pos_;
    switch (c) {
    case '(': return make(Tok::LParen, begin);
    case ')': return make(Tok::RParen, begin);
    case '[': return make(Tok::LBracket, begin);
    case ']': return make(Tok::RBracket, begin);
    case '{': return make(Tok::LBrace, begin);
    case '}': return make(Tok::RBrace, begin);
    case ',': return make(Tok::Comma, begin);
    case ':': return make(Tok::Colon, begin);
    case '=': return make(Tok::Equal, begin);
    case '.': return make(Tok::Dot, begin);
    case '+': return make(Tok::Plus, begin);
    case '*': return make(Tok::Star, begin);
    case '/': return make(Tok::Slash, begin);
    case '@': return make(Tok::At, begin);
    case '-':
      if (pos_ < text_.size() && text_[pos_] == '>') {
        ++pos_;
        return make(Tok::Arrow, begin);
      }
      return make(Tok::Minus, begin);
    default:
      break;
    }
    return badCharacter(begin);
  }

  Token badCharacter(size_t begin) {
    unsigned char c = static_cast<unsigned char>(text_[begin]);
    std::string what;
    if (c >= 0x80) {
      size_t n = utf8Length(text_.substr(begin));
      if (n == 0) {
        what = fmt::format("invalid UTF-8 byte 0x{:02x}", c);
      } else {
        pos_ = begin + n;
        what = fmt::format("unexpected character '{}'", text_.substr(begin, n));
      }
    } else if (c < 0x20 || c == 0x7f) {
      what = fmt::format("unexpected control character 0x{:02x}", c);
    } else {
      what = fmt::format("unexpected character '{}'", static_cast<char>(c));
    }
    Token t = make(Tok::Error, begin);
    diags_.error(t.range, what);
    return t;
  }

  Token identifier() {
    size_t begin = pos_;
    while (pos_ < text_.size() && isIdentChar(text_[pos_]))
      ++pos_;
    static const std::unordered_map<std::string_view, Tok> keywords = {
        {"import", Tok::KwImport}, {"model", Tok::KwModel},
        {"def", Tok::KwDef},       {"let", Tok::KwLet},
        {"return", Tok::KwReturn}, {"train", Tok::KwTrain},
        {"data", Tok::KwData},     {"metric", Tok::KwMetric},
        {"init", Tok::KwInit},     {"freeze", Tok::KwFreeze},
        {"from", Tok::KwFrom},     {"true", Tok::KwTrue},
        {"false", Tok::KwFalse}};
    std::string_view word = text_.substr(begin, pos_ - begin);
    auto it = keywords.find(word);
    Token t = make(it == keywords.end() ? Tok::Ident : it->second, begin);
    t.text = std::string(word);
    return t;
  }

  Token number() {
    size_t begin = pos_;
    while (pos_ < text_.size() && isDigit(text_[pos_]))
      ++pos_;
    bool isFloat = false;
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' && isDigit(text_[pos_ + 1])) {
      isFloat = true;
      ++pos_;
      while (pos_ < text_.size() && isDigit(text_[pos_]))
        ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      size_t save = pos_++;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-'))
        ++pos_;
      if (pos_ < text_.size() && isDigit(text_[pos_])) {
        isFloat = true;
        while (pos_ < text_.size() && isDigit(text_[pos_]))
          ++pos_;
      } else {
        pos_ = save;
      }
    }
    // "12abc" is one bad token, not "12" followed by "abc".
    if (pos_ < text_.size() && isIdentStart(text_[pos_])) {
      while (pos_ < text_.size() && isIdentChar(text_[pos_]))
        ++pos_;
      Token t = make(Tok::Error, begin);
      diags_.error(t.range, fmt::format("invalid number '{}'",
                                        text_.substr(begin, pos_ - begin)));
      return t;
    }
    std::string spelling(text_.substr(begin, pos_ - begin));
    Token t = make(isFloat ? Tok::Float : Tok::Int, begin);
    errno = 0;
    if (isFloat) {
      t.floatValue = std::strtod(spelling.c_str(), nullptr);
      if (errno == ERANGE && std::isinf(t.floatValue)) {
        diags_.error(t.range, "number is too large");
        t.kind = Tok::Error;
      }
    } else {
      char *end = nullptr;
      unsigned long long v = std::strtoull(spelling.c_str(), &end, 10);
      if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX)) {
        diags_.error(t.range, "integer literal is too large");
        t.kind = Tok::Error;
      } else {
        t.intValue = static_cast<int64_t>(v);
        t.floatValue = static_cast<double>(v);
      }
    }
    return t;
  }

  Token string() {
    size_t begin = pos_++;
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
      char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size() &&
          (text_[pos_] == '"' || text_[pos_] == '\\'))
        c = text_[pos_++];
      if (c == '\0') {
        diags_.error(range(pos_ - 1, pos_), "string contains a NUL byte");
        continue;
      }
      value += c;
    }
    if (pos_ >= text_.size() || text_[pos_] != '"') {
      Token t = make(Tok::Error, begin);
      diags_.error(range(begin, begin + 1), "unterminated string");
      return t;
    }
    ++pos_;
    Token t = make(Tok::String, begin);
    t.text = std::move(value);
    return t;
  }

  std::string_view text_;
  uint32_t file_;
  DiagnosticEngine &diags_;
  size_t pos_ = 0;
};

} // namespace

std::vector<Token> mlc::lex(const SourceManager &sources, uint32_t fileId,
                            DiagnosticEngine &diags) {
  return Lexer(sources, fileId, diags).run();
}
