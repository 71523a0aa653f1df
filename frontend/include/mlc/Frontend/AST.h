//===- AST.h - Syntax tree of the mlc DSL -----------------------*- C++ -*-===//
//
// The tree the parser builds: close to the text, every node with its source
// range. Meaning (names, shapes, parameters) is assigned later by Sema,
// which elaborates a train block into a typed graph (Program.h).
//
//===----------------------------------------------------------------------===//
#ifndef MLC_FRONTEND_AST_H
#define MLC_FRONTEND_AST_H

#include "mlc/Frontend/Source.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlc {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind {
  Int,    // 42
  Float,  // 1e-3
  Bool,   // true
  Name,   // x
  Member, // base.name   (operands[0] = base)
  Call,   // callee(args..., key=value...)   (operands[0] = callee)
  Binary, // lhs op rhs   op in + - * / @
  Neg,    // -x
  List,   // [a, b] or (a, b)
  Error,  // a placeholder after a syntax error
};

struct KeywordArg {
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
};

struct Expr {
  ExprKind kind;
  SourceRange range;
  int64_t intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string name; // Name, Member
  char op = 0;      // Binary
  std::vector<ExprPtr> operands;
  std::vector<KeywordArg> keywords; // Call

  Expr(ExprKind kind, SourceRange range) : kind(kind), range(range) {}
  /// Call arguments without the callee.
  size_t numArgs() const { return operands.empty() ? 0 : operands.size() - 1; }
  const Expr &arg(size_t i) const { return *operands[i + 1]; }
  const Expr &callee() const { return *operands[0]; }
};

/// `f32[N, 1000]`
struct TypeExpr {
  std::string dtype;
  SourceRange dtypeRange;
  std::vector<ExprPtr> dims;
  SourceRange range;
};

/// `name: type` in a forward signature or a data declaration.
struct TypedName {
  std::string name;
  SourceRange nameRange;
  TypeExpr type;
};

struct Stmt {
  enum Kind { Let, Return } kind;
  std::string name; // Let
  SourceRange nameRange;
  ExprPtr value;
  SourceRange range;
};

struct ForwardDecl {
  std::string name; // always "forward" after checks
  SourceRange nameRange;
  std::vector<TypedName> args;
  TypeExpr result;
  std::vector<Stmt> body;
  SourceRange range;
};

/// `encoder = Sequential(...)`
struct SubmoduleDecl {
  std::string name;
  SourceRange nameRange;
  ExprPtr init;
};

struct ModelDecl {
  std::string name;
  SourceRange nameRange;
  std::vector<std::pair<std::string, SourceRange>> params; // `d: int`
  std::vector<SubmoduleDecl> submodules;
  std::vector<ForwardDecl> forwards; // Sema requires exactly one
  SourceRange range;
  bool hasSyntaxErrors = false; // Sema skips checks that would only cascade
};

/// One line of a train block, in source order.
struct TrainItem {
  enum Kind {
    Data,    // data x: f32[N, 4]
    Setting, // loss = ..., optimizer = ..., batch_size = ..., epochs = ...
    Metric,  // metric accuracy = ...
    Init,    // init model.encoder from "file"
    Freeze,  // freeze model.encoder
  } kind;
  std::string name; // data/setting/metric name
  SourceRange nameRange;
  TypeExpr type;    // Data
  ExprPtr value;    // Setting, Metric; the path for Init and Freeze
  std::string file; // Init
  SourceRange fileRange;
  SourceRange range;
};

struct TrainDecl {
  std::string name;
  SourceRange nameRange;
  std::string modelVar; // the `model` in `train t(model: M)`
  SourceRange modelVarRange;
  ExprPtr modelType; // Name, or Call with int arguments
  std::vector<TrainItem> items;
  SourceRange range;
  bool hasSyntaxErrors = false;
};

struct ImportDecl {
  std::string path; // as written
  SourceRange range;
};

/// One parsed file.
struct FileAST {
  uint32_t fileId = 0;
  std::vector<ImportDecl> imports;
  std::vector<std::unique_ptr<ModelDecl>> models;
  std::vector<std::unique_ptr<TrainDecl>> trains;
};

/// Prints the tree in the stable indented form of `mlc compile --emit=ast`.
std::string dumpAST(const FileAST &file, const SourceManager &sources);

} // namespace mlc

#endif // MLC_FRONTEND_AST_H
