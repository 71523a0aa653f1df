//===- Parser.h - Recursive-descent parser of the mlc DSL -------*- C++ -*-===//
#ifndef MLC_FRONTEND_PARSER_H
#define MLC_FRONTEND_PARSER_H

#include "mlc/Frontend/AST.h"
#include "mlc/Frontend/Diagnostics.h"

namespace mlc {

/// Expressions nest at most this deep; deeper input is an error, not a stack
/// overflow. Parentheses, calls and unary minus cost kNestingCost levels of
/// the budget; each operator of a flat chain (`a + b + ...`, `a.b.c`) costs
/// one, so a chain may hold kMaxNesting * kNestingCost operators.
constexpr unsigned kMaxNesting = 256;
constexpr unsigned kNestingCost = 4;

/// Parses one file. Syntax errors are diagnosed and the parser resynchronises
/// at the next line that can start a declaration or statement, so one run
/// reports several errors. The returned tree holds what could be parsed.
std::unique_ptr<FileAST> parseFile(const SourceManager &sources,
                                   uint32_t fileId, DiagnosticEngine &diags);

} // namespace mlc

#endif // MLC_FRONTEND_PARSER_H
