//===- ASTDump.cpp - The --emit=ast form of the syntax tree ---------------===//
//
// One node per line, indented by depth, each with its line:col, so tests can
// FileCheck the structure the parser built.
//
//===----------------------------------------------------------------------===//

#include "mlc/Frontend/AST.h"

#include <fmt/core.h>

using namespace mlc;

namespace {

class Dumper {
public:
  explicit Dumper(const SourceManager &sources) : sources_(sources) {}

  std::string run(const FileAST &file) {
    line(0, fmt::format("File \"{}\"", sources_.file(file.fileId).path()));
    for (const ImportDecl &imp : file.imports)
      line(1, fmt::format("Import \"{}\" {}", imp.path, loc(imp.range)));
    for (const auto &model : file.models)
      dumpModel(*model);
    for (const auto &train : file.trains)
      dumpTrain(*train);
    return out_;
  }

private:
  std::string loc(SourceRange r) const {
    LineCol lc = sources_.file(r.file).lineCol(r.begin);
    return fmt::format("@{}:{}", lc.line, lc.col);
  }
  void line(int depth, const std::string &text) {
    out_ += std::string(2 * depth, ' ') + text + "\n";
  }

  void dumpType(int depth, const char *label, const TypeExpr &type) {
    line(depth, fmt::format("{} {} {}", label, type.dtype, loc(type.range)));
    for (const ExprPtr &dim : type.dims)
      dumpExpr(depth + 1, *dim);
  }

  void dumpModel(const ModelDecl &model) {
    std::string params;
    for (const auto &[name, range] : model.params)
      params += (params.empty() ? "" : ", ") + name + ": int";
    line(1, fmt::format("Model {}({}) {}", model.name, params, loc(model.nameRange)));
    for (const SubmoduleDecl &sub : model.submodules) {
      line(2, fmt::format("Submodule {} {}", sub.name, loc(sub.nameRange)));
      dumpExpr(3, *sub.init);
    }
    for (const ForwardDecl &fn : model.forwards) {
      line(2, fmt::format("Def {} {}", fn.name, loc(fn.nameRange)));
      for (const TypedName &arg : fn.args)
        dumpType(3, ("Arg " + arg.name).c_str(), arg.type);
      dumpType(3, "Result", fn.result);
      for (const Stmt &stmt : fn.body) {
        if (stmt.kind == Stmt::Let)
          line(3, fmt::format("Let {} {}", stmt.name, loc(stmt.range)));
        else
          line(3, fmt::format("Return {}", loc(stmt.range)));
        dumpExpr(4, *stmt.value);
      }
    }
  }

  void dumpTrain(const TrainDecl &train) {
    line(1, fmt::format("Train {}({}) {}", train.name, train.modelVar,
                        loc(train.nameRange)));
    dumpExpr(2, *train.modelType);
    for (const TrainItem &item : train.items) {
      switch (item.kind) {
      case TrainItem::Data:
        dumpType(2, ("Data " + item.name).c_str(), item.type);
        continue;
      case TrainItem::Setting:
        line(2, fmt::format("Setting {} {}", item.name, loc(item.range)));
        break;
      case TrainItem::Metric:
        line(2, fmt::format("Metric {} {}", item.name, loc(item.range)));
        break;
      case TrainItem::Init:
        line(2, fmt::format("Init from \"{}\" {}", item.file, loc(item.range)));
        break;
      case TrainItem::Freeze:
        line(2, fmt::format("Freeze {}", loc(item.range)));
        break;
      }
      dumpExpr(3, *item.value);
    }
  }

  void dumpExpr(int depth, const Expr &e) {
    std::string l = loc(e.range);
    switch (e.kind) {
    case ExprKind::Int:
      line(depth, fmt::format("Int {} {}", e.intValue, l));
      return;
    case ExprKind::Float:
      line(depth, fmt::format("Float {} {}", e.floatValue, l));
      return;
    case ExprKind::Bool:
      line(depth, fmt::format("Bool {} {}", e.boolValue ? "true" : "false", l));
      return;
    case ExprKind::Name:
      line(depth, fmt::format("Name {} {}", e.name, l));
      return;
    case ExprKind::Member:
      line(depth, fmt::format("Member .{} {}", e.name, l));
      dumpExpr(depth + 1, *e.operands[0]);
      return;
    case ExprKind::Call:
      line(depth, fmt::format("Call {}", l));
      for (const ExprPtr &op : e.operands)
        dumpExpr(depth + 1, *op);
      for (const KeywordArg &kw : e.keywords) {
        line(depth + 1, fmt::format("Keyword {} {}", kw.name, loc(kw.nameRange)));
        dumpExpr(depth + 2, *kw.value);
      }
      return;
    case ExprKind::Binary:
      line(depth, fmt::format("Binary '{}' {}", e.op, l));
      break;
    case ExprKind::Neg:
      line(depth, fmt::format("Neg {}", l));
      break;
    case ExprKind::List:
      line(depth, fmt::format("List {}", l));
      break;
    case ExprKind::Error:
      line(depth, fmt::format("Error {}", l));
      return;
    }
    for (const ExprPtr &op : e.operands)
      dumpExpr(depth + 1, *op);
  }

  const SourceManager &sources_;
  std::string out_;
};

} // namespace

std::string mlc::dumpAST(const FileAST &file, const SourceManager &sources) {
  return Dumper(sources).run(file);
}
