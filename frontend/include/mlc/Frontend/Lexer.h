//===- Lexer.h - Tokens of the mlc DSL --------------------------*- C++ -*-===//
#ifndef MLC_FRONTEND_LEXER_H
#define MLC_FRONTEND_LEXER_H

#include "mlc/Frontend/Diagnostics.h"

#include <string>
#include <vector>

namespace mlc {

enum class Tok {
  Eof,
  Ident,
  Int,
  Float,
  String,
  // Keywords.
  KwImport, KwModel, KwDef, KwLet, KwReturn, KwTrain, KwData, KwMetric,
  KwInit, KwFreeze, KwFrom, KwTrue, KwFalse,
  // Punctuation.
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Colon, Equal,
  Dot, Plus, Minus, Star, Slash, At, Arrow,
  Error, // a malformed token, already diagnosed
};

/// A printable spelling for messages ("'('", "identifier", ...).
const char *tokenName(Tok kind);

struct Token {
  Tok kind = Tok::Eof;
  SourceRange range;
  std::string text; // identifier name or decoded string literal
  int64_t intValue = 0;
  double floatValue = 0;
  bool atLineStart = false; // first token on its line (used for recovery)
};

/// Splits a file into tokens. Bad bytes, unterminated strings and literals
/// out of range are diagnosed and turned into Tok::Error tokens, so lexing
/// always reaches the end of the file.
std::vector<Token> lex(const SourceManager &sources, uint32_t fileId,
                       DiagnosticEngine &diags);

} // namespace mlc

#endif // MLC_FRONTEND_LEXER_H
