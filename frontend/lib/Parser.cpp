//===- Parser.cpp - Recursive-descent parser of the mlc DSL ---------------===//
//
// The grammar is in docs/language.md. Newlines are not significant; the
// parser uses "first token on a line" only to resynchronise after an error.
//
//===----------------------------------------------------------------------===//

#include "mlc/Frontend/Parser.h"
#include "mlc/Frontend/Lexer.h"

#include <fmt/core.h>

using namespace mlc;

namespace {

class Parser {
public:
  Parser(const SourceManager &sources, uint32_t fileId, DiagnosticEngine &diags)
      : tokens_(lex(sources, fileId, diags)), diags_(diags) {
    file_ = std::make_unique<FileAST>();
    file_->fileId = fileId;
  }

  std::unique_ptr<FileAST> run() {
    while (!at(Tok::Eof) && !diags_.tooManyErrors()) {
      if (at(Tok::KwImport))
        parseImport();
      else if (at(Tok::KwModel))
        parseModel();
      else if (at(Tok::KwTrain))
        parseTrain();
      else {
        expected("'model', 'train' or 'import'");
        syncTopLevel();
      }
    }
    return std::move(file_);
  }

private:
  //===--- Token helpers ---------------------------------------------------===//
  const Token &tok() const { return tokens_[pos_]; }
  bool at(Tok kind) const { return tok().kind == kind; }
  Token take() {
    Token t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size())
      ++pos_;
    return t;
  }
  bool accept(Tok kind) {
    if (!at(kind))
      return false;
    take();
    return true;
  }
  SourceRange prevRange() const {
    return pos_ > 0 ? tokens_[pos_ - 1].range : tok().range;
  }

  /// "expected X, found Y" at the current token, once per error site: a
  /// Tok::Error token was already diagnosed by the lexer.
  void expected(const std::string &what) {
    if (at(Tok::Error) || aborted_)
      return;
    std::string found = tokenName(tok().kind);
    if (at(Tok::Ident))
      found = fmt::format("'{}'", tok().text);
    diags_.error(tok().range, fmt::format("expected {}, found {}", what, found));
  }
  bool expect(Tok kind, const char *what = nullptr) {
    if (accept(kind))
      return true;
    expected(what ? what : tokenName(kind));
    return false;
  }
  bool expectIdent(std::string &name, SourceRange &range, const char *what) {
    if (!at(Tok::Ident)) {
      expected(what);
      return false;
    }
    Token t = take();
    name = t.text;
    range = t.range;
    return true;
  }

  /// Skips to the next token that begins a line at the current nesting
  /// level, or to the '}' closing the current block (not consumed).
  void syncStatement() {
    int depth = 0;
    bool first = true;
    while (!at(Tok::Eof)) {
      if (depth == 0 && !first && tok().atLineStart)
        return;
      if (depth == 0 && at(Tok::RBrace))
        return;
      first = false;
      Tok k = take().kind;
      if (k == Tok::LParen || k == Tok::LBracket || k == Tok::LBrace)
        ++depth;
      else if ((k == Tok::RParen || k == Tok::RBracket || k == Tok::RBrace) && depth > 0)
        --depth;
    }
  }
  void syncTopLevel() {
    take();
    while (!at(Tok::Eof) && !(tok().atLineStart && (at(Tok::KwModel) ||
                                                    at(Tok::KwTrain) ||
                                                    at(Tok::KwImport))))
      take();
  }
  /// Skips the rest of a block after an error that left us inside it.
  void skipBlock() {
    int depth = 0;
    while (!at(Tok::Eof)) {
      if (at(Tok::RBrace) && depth == 0) {
        take();
        return;
      }
      if (at(Tok::LBrace))
        ++depth;
      if (at(Tok::RBrace))
        --depth;
      take();
    }
  }
  /// Runs \p item repeatedly until the closing '}' of a block.
  template <typename F> void parseBlockItems(F item) {
    while (!at(Tok::RBrace) && !at(Tok::Eof) && !diags_.tooManyErrors()) {
      size_t before = pos_;
      unsigned errors = diags_.numErrors();
      item();
      // After an error, resume at the next line, or right here if the
      // failed item stopped at the start of a line (a missing ')' before
      // the next member, say).
      if (pos_ == before || (diags_.numErrors() != errors && !tok().atLineStart))
        syncStatement();
      // A top-level keyword at the start of a line means the '}' is missing.
      if (tok().atLineStart && (at(Tok::KwModel) || at(Tok::KwTrain))) {
        expected("'}'");
        return;
      }
    }
    expect(Tok::RBrace);
  }

  //===--- Declarations ----------------------------------------------------===//
  void parseImport() {
    SourceRange begin = take().range;
    if (!at(Tok::String)) {
      expected("a file name in quotes after 'import'");
      syncStatement();
      return;
    }
    Token path = take();
    file_->imports.push_back({path.text, SourceRange::join(begin, path.range)});
  }

  void parseModel() {
    auto model = std::make_unique<ModelDecl>();
    SourceRange begin = take().range;
    if (!expectIdent(model->name, model->nameRange, "a model name")) {
      syncTopLevel();
      return;
    }
    if (accept(Tok::LParen)) {
      if (!at(Tok::RParen)) {
        do {
          std::string name, type;
          SourceRange range, typeRange;
          if (!expectIdent(name, range, "a parameter name") || !expect(Tok::Colon) ||
              !expectIdent(type, typeRange, "'int'"))
            break;
          if (type != "int")
            diags_.error(typeRange, fmt::format("model parameters must have type 'int', "
                                                "found '{}'", type));
          model->params.push_back({name, range});
        } while (accept(Tok::Comma));
      }
      if (!expect(Tok::RParen)) {
        syncTopLevel();
        return;
      }
    }
    if (!expect(Tok::LBrace)) {
      syncTopLevel();
      return;
    }
    unsigned errors = diags_.numErrors();
    parseBlockItems([&] { parseModelMember(*model); });
    model->hasSyntaxErrors = diags_.numErrors() != errors;
    model->range = SourceRange::join(begin, prevRange());
    file_->models.push_back(std::move(model));
  }

  void parseModelMember(ModelDecl &model) {
    if (at(Tok::KwDef)) {
      parseForward(model);
      return;
    }
    SubmoduleDecl sub;
    if (!expectIdent(sub.name, sub.nameRange, "a submodule name or 'def'"))
      return;
    if (!expect(Tok::Equal))
      return;
    sub.init = parseExpr();
    model.submodules.push_back(std::move(sub));
  }

  void parseForward(ModelDecl &model) {
    ForwardDecl fn;
    SourceRange begin = take().range;
    if (!expectIdent(fn.name, fn.nameRange, "'forward'") || !expect(Tok::LParen))
      return;
    if (!at(Tok::RParen)) {
      do {
        TypedName arg;
        if (!expectIdent(arg.name, arg.nameRange, "an argument name") ||
            !expect(Tok::Colon))
          return;
        if (!parseType(arg.type))
          return;
        fn.args.push_back(std::move(arg));
      } while (accept(Tok::Comma));
    }
    if (!expect(Tok::RParen) || !expect(Tok::Arrow) || !parseType(fn.result))
      return;
    if (!expect(Tok::LBrace))
      return;
    parseBlockItems([&] { parseStmt(fn); });
    fn.range = SourceRange::join(begin, prevRange());
    model.forwards.push_back(std::move(fn));
  }

  void parseStmt(ForwardDecl &fn) {
    Stmt stmt;
    SourceRange begin = tok().range;
    if (accept(Tok::KwLet)) {
      stmt.kind = Stmt::Let;
      if (!expectIdent(stmt.name, stmt.nameRange, "a name after 'let'") ||
          !expect(Tok::Equal))
        return;
    } else if (accept(Tok::KwReturn)) {
      stmt.kind = Stmt::Return;
    } else {
      expected("'let' or 'return'");
      return;
    }
    stmt.value = parseExpr();
    stmt.range = SourceRange::join(begin, prevRange());
    fn.body.push_back(std::move(stmt));
  }

  bool parseType(TypeExpr &type) {
    SourceRange begin = tok().range;
    if (!expectIdent(type.dtype, type.dtypeRange, "a tensor type such as 'f32[N, 4]'"))
      return false;
    if (!expect(Tok::LBracket))
      return false;
    if (!at(Tok::RBracket)) {
      do
        type.dims.push_back(parseExpr());
      while (accept(Tok::Comma));
    }
    if (!expect(Tok::RBracket))
      return false;
    type.range = SourceRange::join(begin, prevRange());
    return true;
  }

  void parseTrain() {
    auto train = std::make_unique<TrainDecl>();
    SourceRange begin = take().range;
    if (!expectIdent(train->name, train->nameRange, "a train block name") ||
        !expect(Tok::LParen)) {
      syncTopLevel();
      return;
    }
    // `model` is a keyword only at the start of a declaration; here and in
    // expressions it is the name of the trained model.
    if (at(Tok::KwModel)) {
      train->modelVar = "model";
      train->modelVarRange = take().range;
    } else if (!expectIdent(train->modelVar, train->modelVarRange, "'model'")) {
      syncTopLevel();
      return;
    }
    if (!expect(Tok::Colon)) {
      syncTopLevel();
      return;
    }
    train->modelType = parseExpr();
    if (!expect(Tok::RParen) || !expect(Tok::LBrace)) {
      syncTopLevel();
      return;
    }
    unsigned errors = diags_.numErrors();
    parseBlockItems([&] { parseTrainItem(*train); });
    train->hasSyntaxErrors = diags_.numErrors() != errors;
    train->range = SourceRange::join(begin, prevRange());
    file_->trains.push_back(std::move(train));
  }

  void parseTrainItem(TrainDecl &train) {
    TrainItem item;
    SourceRange begin = tok().range;
    if (accept(Tok::KwData)) {
      item.kind = TrainItem::Data;
      if (!expectIdent(item.name, item.nameRange, "a data name") ||
          !expect(Tok::Colon) || !parseType(item.type))
        return;
    } else if (accept(Tok::KwMetric)) {
      item.kind = TrainItem::Metric;
      if (!expectIdent(item.name, item.nameRange, "a metric name") ||
          !expect(Tok::Equal))
        return;
      item.value = parseExpr();
    } else if (at(Tok::KwInit)) {
      take();
      item.kind = TrainItem::Init;
      item.value = parseExpr();
      if (!expect(Tok::KwFrom))
        return;
      if (!at(Tok::String)) {
        expected("a checkpoint file name in quotes");
        return;
      }
      Token file = take();
      item.file = file.text;
      item.fileRange = file.range;
    } else if (accept(Tok::KwFreeze)) {
      item.kind = TrainItem::Freeze;
      item.value = parseExpr();
    } else if (at(Tok::Ident)) {
      item.kind = TrainItem::Setting;
      Token name = take();
      item.name = name.text;
      item.nameRange = name.range;
      if (!expect(Tok::Equal))
        return;
      item.value = parseExpr();
    } else {
      expected("'data', 'metric', 'init', 'freeze' or a setting such as 'loss = ...'");
      return;
    }
    item.range = SourceRange::join(begin, prevRange());
    train.items.push_back(std::move(item));
  }

  //===--- Expressions -----------------------------------------------------===//
  ExprPtr errorExpr() { return std::make_unique<Expr>(ExprKind::Error, tok().range); }

  /// Guards recursion: past kMaxNesting the rest of the file is skipped.
  bool enter(unsigned cost = kNestingCost) {
    depth_ += cost;
    if (depth_ <= kMaxNesting * kNestingCost)
      return true;
    diags_.error(tok().range, fmt::format("expression is nested too deeply "
                                          "(more than {} levels)", kMaxNesting));
    aborted_ = true;
    while (!at(Tok::Eof))
      take();
    return false;
  }

  ExprPtr parseExpr() {
    ExprPtr e = enter() ? parseAdditive() : errorExpr();
    depth_ -= kNestingCost;
    return e;
  }

  ExprPtr binary(char op, ExprPtr lhs, ExprPtr rhs) {
    auto e = std::make_unique<Expr>(ExprKind::Binary,
                                    SourceRange::join(lhs->range, rhs->range));
    e->op = op;
    e->operands.push_back(std::move(lhs));
    e->operands.push_back(std::move(rhs));
    return e;
  }

  // A chain `a + b + c` builds a tree as deep as it is long, so each operator
  // counts as one nesting level (later passes recurse over the tree).
  ExprPtr parseAdditive() {
    ExprPtr lhs = parseMultiplicative();
    unsigned chain = 0;
    while ((at(Tok::Plus) || at(Tok::Minus)) && (++chain, enter(1))) {
      char op = take().kind == Tok::Plus ? '+' : '-';
      lhs = binary(op, std::move(lhs), parseMultiplicative());
    }
    depth_ -= chain;
    return aborted_ ? errorExpr() : std::move(lhs);
  }

  // As in Python, '@' binds like '*' and '/', left to right.
  ExprPtr parseMultiplicative() {
    ExprPtr lhs = parseUnary();
    unsigned chain = 0;
    while ((at(Tok::Star) || at(Tok::Slash) || at(Tok::At)) && (++chain, enter(1))) {
      Tok k = take().kind;
      char op = k == Tok::Star ? '*' : k == Tok::Slash ? '/' : '@';
      lhs = binary(op, std::move(lhs), parseUnary());
    }
    depth_ -= chain;
    return aborted_ ? errorExpr() : std::move(lhs);
  }

  ExprPtr parseUnary() {
    if (!at(Tok::Minus))
      return parsePostfix();
    SourceRange begin = take().range;
    if (!enter()) {
      depth_ -= kNestingCost;
      return errorExpr();
    }
    ExprPtr operand = parseUnary();
    depth_ -= kNestingCost;
    auto e = std::make_unique<Expr>(ExprKind::Neg, SourceRange::join(begin, operand->range));
    e->operands.push_back(std::move(operand));
    return e;
  }

  ExprPtr parsePostfix() {
    ExprPtr e = parsePrimary();
    unsigned chain = 0;
    struct Restore {
      unsigned &depth, &chain;
      ~Restore() { depth -= chain; }
    } restore{depth_, chain};
    while (true) {
      if ((at(Tok::Dot) || at(Tok::LParen)) && !(++chain, enter(1)))
        return errorExpr();
      if (accept(Tok::Dot)) {
        std::string name;
        SourceRange range;
        if (at(Tok::Int)) {
          // `encoder.0`: a layer of a Sequential.
          Token index = take();
          name = std::to_string(index.intValue);
          range = index.range;
        } else if (!expectIdent(name, range, "a name after '.'")) {
          return errorExpr();
        }
        auto m = std::make_unique<Expr>(ExprKind::Member, SourceRange::join(e->range, range));
        m->name = name;
        m->operands.push_back(std::move(e));
        e = std::move(m);
      } else if (at(Tok::LParen)) {
        take();
        auto call = std::make_unique<Expr>(ExprKind::Call, e->range);
        call->operands.push_back(std::move(e));
        parseArgs(*call);
        call->range = SourceRange::join(call->range, prevRange());
        e = std::move(call);
      } else {
        return e;
      }
    }
  }

  void parseArgs(Expr &call) {
    if (accept(Tok::RParen))
      return;
    do {
      if (at(Tok::Ident) && tokens_[pos_ + 1].kind == Tok::Equal) {
        Token name = take();
        take();
        call.keywords.push_back({name.text, name.range, parseExpr()});
      } else {
        if (!call.keywords.empty())
          diags_.error(tok().range, "positional argument after a keyword argument");
        call.operands.push_back(parseExpr());
      }
    } while (accept(Tok::Comma));
    expect(Tok::RParen, "',' or ')'");
  }

  ExprPtr parsePrimary() {
    const Token &t = tok();
    switch (t.kind) {
    case Tok::Int: {
      auto e = std::make_unique<Expr>(ExprKind::Int, t.range);
      e->intValue = t.intValue;
      e->floatValue = t.floatValue;
      take();
      return e;
    }
    case Tok::Float: {
      auto e = std::make_unique<Expr>(ExprKind::Float, t.range);
      e->floatValue = t.floatValue;
      take();
      return e;
    }
    case Tok::KwTrue:
    case Tok::KwFalse: {
      auto e = std::make_unique<Expr>(ExprKind::Bool, t.range);
      e->boolValue = t.kind == Tok::KwTrue;
      take();
      return e;
    }
    case Tok::Ident:
    case Tok::KwModel: {
      auto e = std::make_unique<Expr>(ExprKind::Name, t.range);
      e->name = t.kind == Tok::KwModel ? "model" : t.text;
      take();
      return e;
    }
    case Tok::LParen:
    case Tok::LBracket: {
      bool bracket = t.kind == Tok::LBracket;
      SourceRange begin = take().range;
      Tok close = bracket ? Tok::RBracket : Tok::RParen;
      std::vector<ExprPtr> elems;
      bool sawComma = false;
      if (!at(close)) {
        do {
          if (at(close))
            break; // trailing comma
          elems.push_back(parseExpr());
        } while (accept(Tok::Comma) && (sawComma = true));
      }
      if (!expect(close, bracket ? "',' or ']'" : "',' or ')'"))
        return errorExpr();
      // (x) is grouping; [x], (x, y) and [] are lists.
      if (!bracket && !sawComma && elems.size() == 1)
        return std::move(elems[0]);
      auto e = std::make_unique<Expr>(ExprKind::List, SourceRange::join(begin, prevRange()));
      e->operands = std::move(elems);
      return e;
    }
    case Tok::Error:
      take();
      return errorExpr();
    default: {
      expected("an expression");
      ExprPtr e = errorExpr();
      // Consume a stray token (so `x = @ y` is one error, not two), but
      // never a closer or the start of the next line.
      if (!at(Tok::RParen) && !at(Tok::RBracket) && !at(Tok::RBrace) && !at(Tok::Eof) &&
          !tok().atLineStart)
        take();
      return e;
    }
    }
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  unsigned depth_ = 0;
  bool aborted_ = false; // nesting limit hit: the rest of the file is skipped
  DiagnosticEngine &diags_;
  std::unique_ptr<FileAST> file_;
};

} // namespace

std::unique_ptr<FileAST> mlc::parseFile(const SourceManager &sources,
                                        uint32_t fileId, DiagnosticEngine &diags) {
  return Parser(sources, fileId, diags).run();
}
