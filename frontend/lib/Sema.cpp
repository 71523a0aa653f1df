//===- Sema.cpp - Names, arities and shapes; elaboration to a Program -----===//
//
// Sema instantiates the model of each train block (building the PyTorch
// state_dict names of its parameters), then evaluates the train block's
// expressions, inlining every forward call. Each operation is shape-checked
// as it is added to the graph, so a shape error points at the expression
// that caused it, with every dimension known except the batch dimension N.
//
// Forward signatures may use free dimension names (`x: f32[N, T, d]`): they
// are bound by the arguments at each call, so one model body serves several
// shapes. Errors inside a body reached from several calls are reported once.
//
//===----------------------------------------------------------------------===//

#include "mlc/Frontend/Frontend.h"
#include "mlc/Frontend/Parser.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>

using namespace mlc;

namespace {

/// Largest tensor (in elements) the compiler accepts; shapes beyond it are
/// almost surely typos and would overflow later size computations.
constexpr int64_t kMaxElements = int64_t(1) << 32;
/// Models may contain models this deep.
constexpr unsigned kMaxModelDepth = 64;
/// Elaboration work allowed per analysis (module instances, inlined forward
/// calls, evaluated expressions, graph nodes): at most ~0.5 s and ~150 MB.
/// A model using its child twice, 40 levels deep, would otherwise take 2^40
/// steps; a 96-layer transformer takes ~30k. Fuzzing
/// builds (scripts/fuzz.sh) stop sooner so that sanitizers stay in -timeout.
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr uint64_t kMaxSteps = uint64_t(1) << 14;
#else
constexpr uint64_t kMaxSteps = uint64_t(1) << 18;
#endif
/// Sema recursion (eval, instantiate, callModule) nests at most this deep in
/// all, through inlined 'forward' calls and nested Sequentials: each model
/// and expression is bounded alone, but 64 models times 256 levels would
/// overflow the stack.
constexpr unsigned kMaxSemaDepth = 1024;

//===----------------------------------------------------------------------===//
// Module instances
//===----------------------------------------------------------------------===//

struct Instance {
  enum Kind {
    Linear, Relu, Gelu, Tanh, Sigmoid, LayerNorm, Embedding, Sequential, User,
    Broken, // its constructor had an error; calls of it fail silently
  };
  Kind kind;
  std::string typeName; // "Linear", "Autoencoder", ...
  std::string path;     // state_dict prefix; "" for the trained model
  SourceRange range;    // the constructor expression
  int64_t in = 0, out = 0;
  double eps = 1e-5;
  std::vector<int> params; // weight[, bias]
  std::vector<std::pair<std::string, std::unique_ptr<Instance>>> children;
  const ModelDecl *decl = nullptr;
  std::map<std::string, int64_t> ints; // int parameters of a user model

  Instance *child(const std::string &name) const {
    for (const auto &[n, c] : children)
      if (n == name)
        return c.get();
    return nullptr;
  }
};

struct Value {
  int node = -1;
  TensorType type;
  bool ok() const { return node >= 0; }
};

/// What a name denotes while evaluating an expression.
struct Scope {
  Instance *self = nullptr; // model whose forward runs; nullptr in a train block
  std::map<std::string, Value> values;
  std::set<std::string> used; // names of values looked up
  const std::map<std::string, int64_t> *ints = nullptr;
  // Train blocks only.
  Instance *root = nullptr;
  std::string modelVar;
};

std::string joinPath(const std::string &prefix, const std::string &name) {
  return prefix.empty() ? name : prefix + "." + name;
}

/// "; did you mean 'ReLU'?" for the closest candidate within two edits.
std::string suggest(const std::string &name, const std::vector<std::string> &candidates) {
  // Short names are too easily "close" to anything: none below 3
  // characters, one edit below 5, else two. Long names get none: the
  // distance is quadratic in the length, and a body reached from many calls
  // repeats it (two 1500-character names took minutes).
  if (name.size() < 3 || name.size() > 64)
    return "";
  size_t best = name.size() < 5 ? 2 : 3;
  std::string pick;
  for (const std::string &c : candidates) {
    if (c.size() > name.size() + 2 || name.size() > c.size() + 2)
      continue;
    // Levenshtein distance, case-insensitive substitutions cost nothing.
    std::vector<size_t> row(c.size() + 1);
    for (size_t j = 0; j <= c.size(); ++j)
      row[j] = j;
    for (size_t i = 1; i <= name.size(); ++i) {
      size_t diag = row[0];
      row[0] = i;
      for (size_t j = 1; j <= c.size(); ++j) {
        size_t up = row[j];
        bool same = std::tolower(static_cast<unsigned char>(name[i - 1])) ==
                    std::tolower(static_cast<unsigned char>(c[j - 1]));
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
        diag = up;
      }
    }
    if (row[c.size()] < best) {
      best = row[c.size()];
      pick = c;
    }
  }
  return pick.empty() ? "" : fmt::format("; did you mean '{}'?", pick);
}

const std::vector<std::string> kBuiltinFunctions = {
    "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "gelu", "transpose", "reshape",
    "split_heads", "merge_heads", "sum", "mean", "max", "softmax", "log_softmax",
    "causal_mask", "arange", "mse", "cross_entropy", "accuracy"};

bool isBuiltinLayer(const std::string &name) {
  static const std::set<std::string> layers = {
      "Linear", "ReLU", "GELU", "Tanh", "Sigmoid", "LayerNorm", "Embedding", "Sequential"};
  return layers.count(name) != 0;
}

class Sema {
public:
  Sema(const Compilation &c, DiagnosticEngine &diags) : c_(c), diags_(diags) {}

  std::vector<Program> run();

private:
  //===--- Helpers -----------------------------------------------------===//
  void error(SourceRange r, const std::string &msg) { diags_.error(r, msg); }
  std::string text(SourceRange r) const {
    if (!r.isValid())
      return "";
    return std::string(c_.sources.file(r.file).text().substr(r.begin, r.end - r.begin));
  }

  void collectModels();
  void checkModelDecl(const ModelDecl &model);

  //===--- Integer (shape) expressions ---------------------------------===//
  std::optional<int64_t> evalInt(const Expr &e, const std::map<std::string, int64_t> &ints,
                                 const char *what);
  std::optional<int64_t> evalSize(const Expr &e, const std::map<std::string, int64_t> &ints,
                                  const char *what);
  std::optional<TensorType> evalType(const TypeExpr &t,
                                     const std::map<std::string, int64_t> &ints);
  bool checkElements(const TensorType &type, SourceRange r);

  //===--- Instances -----------------------------------------------------===//
  std::unique_ptr<Instance> instantiate(const Expr &ctor, const std::string &path,
                                        const std::map<std::string, int64_t> &ints,
                                        std::vector<const ModelDecl *> &stack);
  std::unique_ptr<Instance> instantiateOrBroken(const Expr &ctor, const std::string &path,
                                                const std::map<std::string, int64_t> &ints,
                                                std::vector<const ModelDecl *> &stack);
  int addParam(Instance &inst, const std::string &leaf, TensorType type, InitKind init,
               double scale);

  //===--- Graph building ------------------------------------------------===//
  Value add(OpKind kind, std::vector<Value> operands, TensorType type, SourceRange r,
            std::vector<int64_t> ints = {}, double f = 0, bool flag = false);
  Value paramValue(int param);
  Value constant(double v, SourceRange r);

  Value unary(OpKind kind, const Value &x, SourceRange r, const char *name);
  Value binary(char op, const Value &l, const Value &r, SourceRange range);
  Value matmul(const Value &l, const Value &r, SourceRange range);
  std::optional<std::vector<int64_t>> broadcast(const TensorType &a, const TensorType &b);
  std::optional<int64_t> axis(int64_t a, size_t rank, SourceRange r);
  bool requireF32(const Value &v, SourceRange r, const std::string &what);

  //===--- Expressions ---------------------------------------------------===//
  Value eval(const Expr &e, Scope &scope);
  std::optional<double> fold(const Expr &e, const Scope &scope);
  Value evalCall(const Expr &e, Scope &scope);
  Value evalBuiltin(const std::string &name, const Expr &e, Scope &scope);
  Instance *resolveModule(const Expr &e, const Scope &scope, bool quiet);
  Value callModule(Instance &inst, std::vector<Value> args, SourceRange r);
  Value callForward(Instance &inst, std::vector<Value> args, SourceRange r);
  bool checkKeywords(const Expr &call, const std::set<std::string> &allowed);
  const Expr *keyword(const Expr &call, const std::string &name);

  //===--- Train blocks --------------------------------------------------===//
  std::optional<Program> elaborate(const TrainDecl &train);
  void parseOptimizer(const Expr &e, Optimizer &opt);
  std::optional<int64_t> positiveSetting(const TrainItem &item);
  void applyPath(const TrainItem &item, const Scope &scope, Program &p);
  void buildPredict(Instance &root, Program &p);
  void checkUnusedModels();

  const Compilation &c_;
  DiagnosticEngine &diags_;
  std::map<std::string, const ModelDecl *> models_;
  std::set<const ModelDecl *> usedModels_;
  // Current elaboration state.
  Program *program_ = nullptr;
  Graph *graph_ = nullptr;
  std::map<int, int> paramNodes_; // param index -> node in graph_
  unsigned callDepth_ = 0;
  uint64_t steps_ = 0; // see kMaxSteps
  bool tooLarge_ = false;
  // What step() blames: the train block or unused model being elaborated.
  SourceRange budgetRange_;
  std::string budgetWhat_ = "the program";
  /// Counts one step of work; false (after one error) once over kMaxSteps.
  bool step(SourceRange r);
  unsigned depth_ = 0; // see kMaxSemaDepth
  bool tooDeep_ = false;
  /// suggest(), computed once per source location: a body reached from many
  /// calls would repeat it for an error that is reported once.
  std::map<std::pair<uint32_t, uint32_t>, std::string> suggestions_;
  const std::string &suggestAt(SourceRange r, const std::string &name,
                               const std::vector<std::string> &candidates) {
    auto [it, inserted] = suggestions_.try_emplace({r.file, r.begin});
    if (inserted)
      it->second = suggest(name, candidates);
    return it->second;
  }
  /// One level of Sema recursion while it lives; !ok past kMaxSemaDepth.
  struct Nest {
    Sema &sema;
    bool ok;
    Nest(Sema &s, SourceRange r) : sema(s), ok(++s.depth_ <= kMaxSemaDepth) {
      if (!ok && !s.tooDeep_)
        s.error(r, fmt::format("models and expressions nest too deeply: more than {} "
                               "levels through inlined 'forward' calls",
                               kMaxSemaDepth));
      s.tooDeep_ |= !ok;
    }
    ~Nest() { --sema.depth_; }
  };
};

//===----------------------------------------------------------------------===//
// Models
//===----------------------------------------------------------------------===//

void Sema::collectModels() {
  for (const auto &file : c_.files) {
    for (const auto &model : file->models) {
      if (isBuiltinLayer(model->name)) {
        error(model->nameRange,
              fmt::format("model name '{}' is taken by a built-in layer", model->name));
        continue;
      }
      auto [it, inserted] = models_.emplace(model->name, model.get());
      if (!inserted) {
        error(model->nameRange, fmt::format("redefinition of model '{}'", model->name));
        diags_.note(it->second->nameRange, "previous definition is here");
        continue;
      }
      checkModelDecl(*model);
    }
  }
}

void Sema::checkModelDecl(const ModelDecl &model) {
  std::map<std::string, SourceRange> names;
  auto declare = [&](const std::string &name, SourceRange r, const char *what) {
    auto [it, inserted] = names.emplace(name, r);
    if (!inserted) {
      error(r, fmt::format("duplicate {} '{}' in model '{}'", what, name, model.name));
      diags_.note(it->second, "previous declaration is here");
    }
  };
  for (const auto &[name, r] : model.params)
    declare(name, r, "parameter");
  for (const SubmoduleDecl &sub : model.submodules)
    declare(sub.name, sub.nameRange, "member");
  if (model.hasSyntaxErrors)
    return; // a forward may be missing only because it did not parse
  if (model.forwards.empty())
    error(model.nameRange, fmt::format("model '{}' has no 'def forward'", model.name));
  for (size_t i = 0; i < model.forwards.size(); ++i) {
    const ForwardDecl &fn = model.forwards[i];
    if (fn.name != "forward")
      error(fn.nameRange, fmt::format("a model defines only 'forward', found '{}'", fn.name));
    else if (i > 0)
      error(fn.nameRange, fmt::format("model '{}' defines 'forward' more than once", model.name));
    std::set<std::string> args;
    for (const TypedName &arg : fn.args)
      if (!args.insert(arg.name).second)
        error(arg.nameRange, fmt::format("duplicate argument '{}'", arg.name));
    bool returns = false;
    for (const Stmt &s : fn.body) {
      if (returns) {
        error(s.range, "statement after 'return' is never reached");
        break;
      }
      returns = s.kind == Stmt::Return;
    }
    if (!returns)
      error(fn.nameRange, "'forward' must end with a 'return'");
  }
}

std::optional<int64_t> Sema::evalInt(const Expr &e, const std::map<std::string, int64_t> &ints,
                                     const char *what) {
  switch (e.kind) {
  case ExprKind::Int:
    return e.intValue;
  case ExprKind::Name: {
    auto it = ints.find(e.name);
    if (it != ints.end())
      return it->second;
    error(e.range, fmt::format("unknown integer '{}' in {}", e.name, what));
    return std::nullopt;
  }
  case ExprKind::Neg: {
    auto v = evalInt(*e.operands[0], ints, what);
    if (v && *v == INT64_MIN) {
      error(e.range, fmt::format("integer overflow in {}", what));
      return std::nullopt;
    }
    return v ? std::optional<int64_t>(-*v) : std::nullopt;
  }
  case ExprKind::Binary: {
    if (e.op == '@')
      break;
    auto l = evalInt(*e.operands[0], ints, what);
    auto r = evalInt(*e.operands[1], ints, what);
    if (!l || !r)
      return std::nullopt;
    int64_t out = 0;
    bool overflow = false;
    switch (e.op) {
    case '+': overflow = __builtin_add_overflow(*l, *r, &out); break;
    case '-': overflow = __builtin_sub_overflow(*l, *r, &out); break;
    case '*': overflow = __builtin_mul_overflow(*l, *r, &out); break;
    case '/':
      if (*r == 0) {
        error(e.range, fmt::format("division by zero in {}", what));
        return std::nullopt;
      }
      if (*r == -1) { // INT64_MIN / -1 overflows (and traps on x86)
        overflow = __builtin_sub_overflow(int64_t(0), *l, &out);
        break;
      }
      if (*l % *r != 0) {
        error(e.range, fmt::format("{} is not divisible by {} in {}", *l, *r, what));
        return std::nullopt;
      }
      out = *l / *r;
      break;
    }
    if (overflow) {
      error(e.range, fmt::format("integer overflow in {}", what));
      return std::nullopt;
    }
    return out;
  }
  case ExprKind::Error:
    return std::nullopt;
  default:
    break;
  }
  error(e.range, fmt::format("expected an integer expression in {}", what));
  return std::nullopt;
}

std::optional<int64_t> Sema::evalSize(const Expr &e, const std::map<std::string, int64_t> &ints,
                                      const char *what) {
  auto v = evalInt(e, ints, what);
  if (v && *v <= 0) {
    error(e.range, fmt::format("{} must be positive, got {}", what, *v));
    return std::nullopt;
  }
  if (v && *v > kMaxElements) {
    error(e.range, fmt::format("{} {} is too large", what, *v));
    return std::nullopt;
  }
  return v;
}

bool Sema::checkElements(const TensorType &type, SourceRange r) {
  int64_t n = 1;
  for (int64_t d : type.dims)
    if (d != kBatchDim && (__builtin_mul_overflow(n, d, &n) || n > kMaxElements)) {
      error(r, fmt::format("tensor {} has more than {} elements", type.str(), kMaxElements));
      return false;
    }
  return true;
}

std::optional<TensorType> Sema::evalType(const TypeExpr &t,
                                         const std::map<std::string, int64_t> &ints) {
  TensorType type;
  bool ok = true;
  if (t.dtype == "f32")
    type.dtype = DType::F32;
  else if (t.dtype == "i64")
    type.dtype = DType::I64;
  else {
    error(t.dtypeRange, fmt::format("unknown element type '{}'; expected 'f32' or 'i64'",
                                    t.dtype));
    ok = false;
  }
  for (const ExprPtr &d : t.dims) {
    if (d->kind == ExprKind::Name && d->name == "N" && !ints.count("N")) {
      type.dims.push_back(kBatchDim);
      continue;
    }
    auto v = evalSize(*d, ints, "a dimension");
    ok &= v.has_value();
    type.dims.push_back(v.value_or(1));
  }
  if (ok && std::count(type.dims.begin(), type.dims.end(), kBatchDim) > 1) {
    error(t.range, "the batch dimension 'N' may appear only once in a type");
    ok = false;
  }
  if (!ok || !checkElements(type, t.range))
    return std::nullopt;
  return type;
}

int Sema::addParam(Instance &inst, const std::string &leaf, TensorType type, InitKind init,
                   double scale) {
  Parameter p;
  p.name = joinPath(inst.path, leaf);
  p.type = std::move(type);
  p.init = init;
  p.scale = scale;
  p.range = inst.range;
  program_->params.push_back(std::move(p));
  int index = static_cast<int>(program_->params.size() - 1);
  inst.params.push_back(index);
  return index;
}

const Expr *Sema::keyword(const Expr &call, const std::string &name) {
  for (const KeywordArg &kw : call.keywords)
    if (kw.name == name)
      return kw.value.get();
  return nullptr;
}

bool Sema::checkKeywords(const Expr &call, const std::set<std::string> &allowed) {
  bool ok = true;
  std::set<std::string> seen;
  std::string calleeName = call.callee().kind == ExprKind::Name ? call.callee().name : "call";
  for (const KeywordArg &kw : call.keywords) {
    if (!seen.insert(kw.name).second) {
      error(kw.nameRange, fmt::format("keyword argument '{}' given twice", kw.name));
      ok = false;
    } else if (!allowed.count(kw.name)) {
      std::string list;
      for (const std::string &a : allowed)
        list += (list.empty() ? "'" : ", '") + a + "'";
      error(kw.nameRange,
            allowed.empty()
                ? fmt::format("'{}' takes no keyword arguments", calleeName)
                : fmt::format("unknown keyword argument '{}' for '{}'; expected {}", kw.name,
                              calleeName, list));
      ok = false;
    }
  }
  return ok;
}

std::unique_ptr<Instance> Sema::instantiate(const Expr &ctor, const std::string &path,
                                            const std::map<std::string, int64_t> &ints,
                                            std::vector<const ModelDecl *> &stack) {
  Nest nest(*this, ctor.range);
  if (ctor.kind == ExprKind::Error || !nest.ok || !step(ctor.range))
    return nullptr;
  if (ctor.kind != ExprKind::Call || ctor.callee().kind != ExprKind::Name) {
    error(ctor.range, "expected a layer or model such as 'Linear(4, 2)' or 'ReLU()'");
    return nullptr;
  }
  const std::string &name = ctor.callee().name;
  auto inst = std::make_unique<Instance>();
  inst->typeName = name;
  inst->path = path;
  inst->range = ctor.range;
  auto arity = [&](size_t n) {
    if (ctor.numArgs() == n)
      return true;
    error(ctor.range, fmt::format("'{}' takes {} argument{}, but {} {} given", name, n,
                                  n == 1 ? "" : "s", ctor.numArgs(),
                                  ctor.numArgs() == 1 ? "was" : "were"));
    return false;
  };

  if (name == "Linear") {
    if (!checkKeywords(ctor, {"bias"}) || !arity(2))
      return nullptr;
    auto in = evalSize(ctor.arg(0), ints, "'in_features'");
    auto out = evalSize(ctor.arg(1), ints, "'out_features'");
    bool bias = true;
    if (const Expr *b = keyword(ctor, "bias")) {
      if (b->kind != ExprKind::Bool) {
        error(b->range, "'bias' must be 'true' or 'false'");
        return nullptr;
      }
      bias = b->boolValue;
    }
    if (!in || !out)
      return nullptr;
    inst->kind = Instance::Linear;
    inst->in = *in;
    inst->out = *out;
    TensorType w{DType::F32, {*out, *in}};
    if (!checkElements(w, ctor.range))
      return nullptr;
    // PyTorch: kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(in), 1/sqrt(in)).
    double bound = 1.0 / std::sqrt(static_cast<double>(*in));
    addParam(*inst, "weight", w, InitKind::Uniform, bound);
    if (bias)
      addParam(*inst, "bias", {DType::F32, {*out}}, InitKind::Uniform, bound);
    return inst;
  }
  static const std::map<std::string, Instance::Kind> activations = {
      {"ReLU", Instance::Relu}, {"GELU", Instance::Gelu},
      {"Tanh", Instance::Tanh}, {"Sigmoid", Instance::Sigmoid}};
  if (auto it = activations.find(name); it != activations.end()) {
    if (!checkKeywords(ctor, {}) || !arity(0))
      return nullptr;
    inst->kind = it->second;
    return inst;
  }
  if (name == "LayerNorm") {
    if (!checkKeywords(ctor, {"eps"}) || !arity(1))
      return nullptr;
    auto d = evalSize(ctor.arg(0), ints, "'normalized_shape'");
    if (const Expr *eps = keyword(ctor, "eps")) {
      Scope empty;
      auto v = fold(*eps, empty);
      if (!v || !std::isfinite(*v) || *v <= 0) { // NaN <= 0 is false
        error(eps->range, "'eps' must be a positive number");
        return nullptr;
      }
      inst->eps = *v;
    }
    if (!d)
      return nullptr;
    inst->kind = Instance::LayerNorm;
    inst->in = inst->out = *d;
    addParam(*inst, "weight", {DType::F32, {*d}}, InitKind::Ones, 0);
    addParam(*inst, "bias", {DType::F32, {*d}}, InitKind::Zeros, 0);
    return inst;
  }
  if (name == "Embedding") {
    if (!checkKeywords(ctor, {}) || !arity(2))
      return nullptr;
    auto num = evalSize(ctor.arg(0), ints, "'num_embeddings'");
    auto dim = evalSize(ctor.arg(1), ints, "'embedding_dim'");
    if (!num || !dim)
      return nullptr;
    inst->kind = Instance::Embedding;
    inst->in = *num;
    inst->out = *dim;
    TensorType w{DType::F32, {*num, *dim}};
    if (!checkElements(w, ctor.range))
      return nullptr;
    addParam(*inst, "weight", w, InitKind::Normal, 1.0);
    return inst;
  }
  if (name == "Sequential") {
    if (!checkKeywords(ctor, {}))
      return nullptr;
    if (ctor.numArgs() == 0) {
      error(ctor.range, "'Sequential' needs at least one layer");
      return nullptr;
    }
    inst->kind = Instance::Sequential;
    for (size_t i = 0; i < ctor.numArgs(); ++i)
      inst->children.emplace_back(
          std::to_string(i),
          instantiateOrBroken(ctor.arg(i), joinPath(path, std::to_string(i)), ints, stack));
    return inst;
  }

  auto it = models_.find(name);
  if (it == models_.end()) {
    std::vector<std::string> known = {"Linear", "ReLU", "GELU", "Tanh", "Sigmoid",
                                      "LayerNorm", "Embedding", "Sequential"};
    for (const auto &[m, d] : models_)
      known.push_back(m);
    error(ctor.callee().range,
          fmt::format("unknown layer or model '{}'{}", name,
                      suggestAt(ctor.callee().range, name, known)));
    return nullptr;
  }
  const ModelDecl &decl = *it->second;
  if (std::find(stack.begin(), stack.end(), &decl) != stack.end()) {
    error(ctor.range, fmt::format("model '{}' contains itself", name));
    return nullptr;
  }
  if (stack.size() >= kMaxModelDepth) {
    error(ctor.range, fmt::format("models nested more than {} deep", kMaxModelDepth));
    return nullptr;
  }
  if (!checkKeywords(ctor, {}) || !arity(decl.params.size()))
    return nullptr;
  inst->kind = Instance::User;
  inst->decl = &decl;
  usedModels_.insert(&decl);
  bool ok = true;
  for (size_t i = 0; i < decl.params.size(); ++i) {
    auto v = evalInt(ctor.arg(i), ints, "a model argument");
    ok &= v.has_value();
    inst->ints[decl.params[i].first] = v.value_or(0);
  }
  if (!ok)
    return nullptr;
  stack.push_back(&decl);
  for (const SubmoduleDecl &sub : decl.submodules)
    inst->children.emplace_back(
        sub.name, instantiateOrBroken(*sub.init, joinPath(path, sub.name), inst->ints, stack));
  stack.pop_back();
  return inst;
}

/// A submodule whose constructor is wrong still gets a name, so the rest of
/// the model is checked and its uses do not report "unknown name".
std::unique_ptr<Instance> Sema::instantiateOrBroken(const Expr &ctor, const std::string &path,
                                                    const std::map<std::string, int64_t> &ints,
                                                    std::vector<const ModelDecl *> &stack) {
  if (auto inst = instantiate(ctor, path, ints, stack))
    return inst;
  auto broken = std::make_unique<Instance>();
  broken->kind = Instance::Broken;
  broken->path = path;
  broken->range = ctor.range;
  return broken;
}

//===----------------------------------------------------------------------===//
// Graph building with shape checks
//===----------------------------------------------------------------------===//

Value Sema::add(OpKind kind, std::vector<Value> operands, TensorType type, SourceRange r,
                std::vector<int64_t> ints, double f, bool flag) {
  // Inputs and parameters are checked when declared; results of operations
  // (broadcasts, Linear, Embedding) could otherwise exceed the limit.
  if (!checkElements(type, r))
    return {};
  ++steps_; // bounded through the calls and instances that add nodes
  Node n;
  n.kind = kind;
  for (const Value &v : operands)
    n.operands.push_back(v.node);
  n.type = type;
  n.range = r;
  n.ints = std::move(ints);
  n.fvalue = f;
  n.flag = flag;
  graph_->nodes.push_back(std::move(n));
  return {static_cast<int>(graph_->nodes.size() - 1), std::move(type)};
}

bool Sema::step(SourceRange r) {
  if (++steps_ <= kMaxSteps)
    return true;
  if (!tooLarge_) {
    error(budgetRange_.isValid() ? budgetRange_ : r,
          fmt::format("{} is too large to elaborate: with it, the program takes more "
                      "than {} steps of creating modules, inlining 'forward' calls and "
                      "evaluating expressions",
                      budgetWhat_, kMaxSteps));
    diags_.note(r, "the limit was reached here");
  }
  tooLarge_ = true;
  return false;
}

Value Sema::paramValue(int param) {
  auto it = paramNodes_.find(param);
  if (it != paramNodes_.end())
    return {it->second, graph_->nodes[it->second].type};
  const Parameter &p = program_->params[param];
  Value v = add(OpKind::Param, {}, p.type, p.range);
  graph_->nodes[v.node].index = param;
  paramNodes_[param] = v.node;
  return v;
}

Value Sema::constant(double v, SourceRange r) {
  return add(OpKind::Constant, {}, {DType::F32, {}}, r, {}, v);
}

bool Sema::requireF32(const Value &v, SourceRange r, const std::string &what) {
  if (v.type.dtype == DType::F32)
    return true;
  error(r, fmt::format("{} needs a floating-point tensor, got {}", what, v.type.str()));
  return false;
}

std::optional<std::vector<int64_t>> Sema::broadcast(const TensorType &a, const TensorType &b) {
  size_t rank = std::max(a.rank(), b.rank());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < a.rank() ? a.dims[a.rank() - 1 - i] : 1;
    int64_t db = i < b.rank() ? b.dims[b.rank() - 1 - i] : 1;
    if (da == db || db == 1)
      out[rank - 1 - i] = da;
    else if (da == 1)
      out[rank - 1 - i] = db;
    else
      return std::nullopt;
  }
  return out;
}

std::optional<int64_t> Sema::axis(int64_t a, size_t rank, SourceRange r) {
  int64_t n = static_cast<int64_t>(rank);
  if (a < -n || a >= n) {
    error(r, fmt::format("axis {} is out of range for a tensor of rank {}", a, rank));
    return std::nullopt;
  }
  return a < 0 ? a + n : a;
}

Value Sema::unary(OpKind kind, const Value &x, SourceRange r, const char *name) {
  if (!x.ok() || !requireF32(x, r, fmt::format("'{}'", name)))
    return {};
  return add(kind, {x}, x.type, r);
}

Value Sema::binary(char op, const Value &l, const Value &r, SourceRange range) {
  if (!l.ok() || !r.ok())
    return {};
  if (op == '@')
    return matmul(l, r, range);
  std::string what = fmt::format("'{}'", op);
  if (!requireF32(l, range, what) || !requireF32(r, range, what))
    return {};
  auto dims = broadcast(l.type, r.type);
  if (!dims) {
    error(range, fmt::format("cannot broadcast {} and {} in '{}'", l.type.str(), r.type.str(),
                             op));
    return {};
  }
  OpKind kind = op == '+' ? OpKind::Add : op == '-' ? OpKind::Sub
              : op == '*' ? OpKind::Mul : OpKind::Div;
  return add(kind, {l, r}, {DType::F32, *dims}, range);
}

Value Sema::matmul(const Value &l, const Value &r, SourceRange range) {
  if (!requireF32(l, range, "'@'") || !requireF32(r, range, "'@'"))
    return {};
  if (l.type.rank() < 2 || r.type.rank() < 2) {
    error(range, fmt::format("operands of '@' must have rank 2 or more, got {} and {}",
                             l.type.str(), r.type.str()));
    return {};
  }
  size_t lr = l.type.rank(), rr = r.type.rank();
  if (l.type.dims[lr - 1] != r.type.dims[rr - 2]) {
    error(range, fmt::format("inner dimensions of '@' do not match: {} @ {}", l.type.str(),
                             r.type.str()));
    return {};
  }
  TensorType lb{DType::F32, {l.type.dims.begin(), l.type.dims.end() - 2}};
  TensorType rb{DType::F32, {r.type.dims.begin(), r.type.dims.end() - 2}};
  auto batch = broadcast(lb, rb);
  if (!batch) {
    error(range, fmt::format("batch dimensions of '@' do not broadcast: {} @ {}",
                             l.type.str(), r.type.str()));
    return {};
  }
  batch->push_back(l.type.dims[lr - 2]);
  batch->push_back(r.type.dims[rr - 1]);
  return add(OpKind::Matmul, {l, r}, {DType::F32, *batch}, range);
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

/// Folds compile-time scalars such as `sqrt(d / heads)` (real division: in a
/// tensor expression, `/` of integers is Python's true division).
std::optional<double> Sema::fold(const Expr &e, const Scope &scope) {
  switch (e.kind) {
  case ExprKind::Int:
  case ExprKind::Float:
    return e.floatValue;
  case ExprKind::Name:
    if (scope.ints && !scope.values.count(e.name)) {
      auto it = scope.ints->find(e.name);
      if (it != scope.ints->end())
        return static_cast<double>(it->second);
    }
    return std::nullopt;
  case ExprKind::Neg: {
    auto v = fold(*e.operands[0], scope);
    return v ? std::optional<double>(-*v) : std::nullopt;
  }
  case ExprKind::Binary: {
    if (e.op == '@')
      return std::nullopt;
    auto l = fold(*e.operands[0], scope);
    if (!l)
      return std::nullopt;
    auto r = fold(*e.operands[1], scope);
    if (!r)
      return std::nullopt;
    switch (e.op) {
    case '+': return *l + *r;
    case '-': return *l - *r;
    case '*': return *l * *r;
    default: return *l / *r;
    }
  }
  case ExprKind::Call: {
    if (e.callee().kind != ExprKind::Name || e.numArgs() != 1 || !e.keywords.empty())
      return std::nullopt;
    const std::string &fn = e.callee().name;
    if (fn != "sqrt" && fn != "exp" && fn != "log")
      return std::nullopt;
    auto v = fold(e.arg(0), scope);
    if (!v)
      return std::nullopt;
    return fn == "sqrt" ? std::sqrt(*v) : fn == "exp" ? std::exp(*v) : std::log(*v);
  }
  default:
    return std::nullopt;
  }
}

Value Sema::eval(const Expr &e, Scope &scope) {
  ++steps_; // bounded through the calls that evaluate bodies
  Nest nest(*this, e.range);
  if (!nest.ok)
    return {};
  if (auto v = fold(e, scope)) {
    if (!std::isfinite(*v)) {
      error(e.range, "constant expression is not a finite number");
      return {};
    }
    return constant(*v, e.range);
  }
  switch (e.kind) {
  case ExprKind::Name: {
    auto it = scope.values.find(e.name);
    if (it != scope.values.end()) {
      scope.used.insert(e.name);
      return it->second;
    }
    if (resolveModule(e, scope, /*quiet=*/true)) {
      error(e.range, fmt::format("'{}' is a module; call it, as in '{}(x)'", e.name, e.name));
      return {};
    }
    if (e.name == "N") {
      error(e.range, "the batch dimension 'N' is not a value");
      return {};
    }
    std::vector<std::string> known;
    for (const auto &[n, v] : scope.values)
      known.push_back(n);
    if (scope.ints)
      for (const auto &[n, v] : *scope.ints)
        known.push_back(n);
    error(e.range, fmt::format("unknown name '{}'{}", e.name, suggestAt(e.range, e.name, known)));
    return {};
  }
  case ExprKind::Member: {
    unsigned errors = diags_.numErrors();
    if (resolveModule(e, scope, /*quiet=*/false))
      error(e.range, fmt::format("'{}' is a module; call it", text(e.range)));
    else if (diags_.numErrors() == errors)
      error(e.range, fmt::format("'{}' is not a module, and tensors have no members",
                                 text(e.range)));
    return {};
  }
  case ExprKind::Call:
    return evalCall(e, scope);
  case ExprKind::Binary: {
    Value l = eval(*e.operands[0], scope);
    Value r = eval(*e.operands[1], scope);
    return binary(e.op, l, r, e.range);
  }
  case ExprKind::Neg:
    return unary(OpKind::Neg, eval(*e.operands[0], scope), e.range, "-");
  case ExprKind::Bool:
    error(e.range, "a boolean is not a tensor");
    return {};
  case ExprKind::List:
    error(e.range, "a list is not a tensor");
    return {};
  case ExprKind::Int:
  case ExprKind::Float:
  case ExprKind::Error:
    return {};
  }
  return {};
}

/// Resolves `encoder`, `model`, `model.encoder`, `pretrained.encoder` to a
/// module instance, or returns nullptr (with an error unless \p quiet).
Instance *Sema::resolveModule(const Expr &e, const Scope &scope, bool quiet) {
  if (e.kind == ExprKind::Name) {
    if (scope.values.count(e.name))
      return nullptr;
    if (scope.self)
      if (Instance *c = scope.self->child(e.name))
        return c;
    if (scope.root && e.name == scope.modelVar)
      return scope.root;
    return nullptr;
  }
  if (e.kind == ExprKind::Member) {
    Instance *base = resolveModule(*e.operands[0], scope, quiet);
    if (!base)
      return nullptr;
    if (Instance *c = base->child(e.name))
      return c;
    if (!quiet)
      error(e.range, fmt::format("'{}' has no submodule '{}'", base->typeName, e.name));
    return nullptr;
  }
  return nullptr;
}

Value Sema::evalCall(const Expr &e, Scope &scope) {
  const Expr &callee = e.callee();
  if (callee.kind == ExprKind::Member ||
      (callee.kind == ExprKind::Name && resolveModule(callee, scope, true))) {
    unsigned errors = diags_.numErrors();
    Instance *inst = resolveModule(callee, scope, /*quiet=*/false);
    if (!inst) {
      if (diags_.numErrors() == errors)
        error(callee.range, fmt::format("'{}' is not a module", text(callee.range)));
      return {};
    }
    if (!e.keywords.empty()) {
      error(e.keywords[0].nameRange, "modules take no keyword arguments");
      return {};
    }
    std::vector<Value> args;
    bool ok = true;
    for (size_t i = 0; i < e.numArgs(); ++i) {
      args.push_back(eval(e.arg(i), scope));
      ok &= args.back().ok();
    }
    if (!ok)
      return {};
    return callModule(*inst, std::move(args), e.range);
  }
  if (callee.kind != ExprKind::Name) {
    error(callee.range, "only functions and modules can be called");
    return {};
  }
  if (scope.values.count(callee.name)) {
    error(callee.range, fmt::format("'{}' is a tensor, not a function", callee.name));
    return {};
  }
  return evalBuiltin(callee.name, e, scope);
}

Value Sema::callModule(Instance &inst, std::vector<Value> args, SourceRange r) {
  Nest nest(*this, r);
  if (inst.kind == Instance::Broken || !nest.ok)
    return {};
  if (inst.kind == Instance::User)
    return callForward(inst, std::move(args), r);
  if (inst.kind == Instance::Sequential) {
    Value x;
    for (auto &[name, child] : inst.children) {
      std::vector<Value> one = {x};
      if (name == "0")
        one = std::move(args);
      // Each layer's ops point at the layer in the Sequential(...) list.
      x = callModule(*child, std::move(one), child->kind == Instance::User ? r : child->range);
      if (!x.ok())
        return {};
    }
    return x;
  }
  if (args.size() != 1) {
    error(r, fmt::format("'{}' takes 1 input, but {} {} given", inst.typeName, args.size(),
                         args.size() == 1 ? "was" : "were"));
    return {};
  }
  Value x = args[0];
  auto lastDim = [&](const char *what) {
    if (x.type.rank() == 0 || x.type.dims.back() != inst.in) {
      error(r, fmt::format("'{}' at '{}' expects the last dimension to be {} ({}), "
                           "but the input is {}",
                           inst.typeName, inst.path, inst.in, what, x.type.str()));
      return false;
    }
    return true;
  };
  switch (inst.kind) {
  case Instance::Linear: {
    if (!requireF32(x, r, "'Linear'") || !lastDim("in_features"))
      return {};
    TensorType t = x.type;
    t.dims.back() = inst.out;
    std::vector<Value> ops = {x, paramValue(inst.params[0])};
    if (inst.params.size() > 1)
      ops.push_back(paramValue(inst.params[1]));
    return add(OpKind::Linear, std::move(ops), t, r);
  }
  case Instance::Relu: return unary(OpKind::Relu, x, r, "ReLU");
  case Instance::Gelu: return unary(OpKind::Gelu, x, r, "GELU");
  case Instance::Tanh: return unary(OpKind::Tanh, x, r, "Tanh");
  case Instance::Sigmoid: return unary(OpKind::Sigmoid, x, r, "Sigmoid");
  case Instance::LayerNorm:
    if (!requireF32(x, r, "'LayerNorm'") || !lastDim("normalized_shape"))
      return {};
    return add(OpKind::LayerNorm,
               {x, paramValue(inst.params[0]), paramValue(inst.params[1])}, x.type, r, {},
               inst.eps);
  case Instance::Embedding: {
    if (x.type.dtype != DType::I64) {
      error(r, fmt::format("'Embedding' at '{}' needs integer indices (i64), got {}",
                           inst.path, x.type.str()));
      return {};
    }
    TensorType t{DType::F32, x.type.dims};
    t.dims.push_back(inst.out);
    return add(OpKind::Embedding, {paramValue(inst.params[0]), x}, t, r);
  }
  default:
    return {};
  }
}

Value Sema::callForward(Instance &inst, std::vector<Value> args, SourceRange r) {
  const ModelDecl &decl = *inst.decl;
  if (decl.forwards.empty() || decl.forwards[0].name != "forward")
    return {}; // diagnosed with the declaration
  const ForwardDecl &fn = decl.forwards[0];
  if (args.size() != fn.args.size()) {
    error(r, fmt::format("'{}.forward' takes {} argument{}, but {} {} given", decl.name,
                         fn.args.size(), fn.args.size() == 1 ? "" : "s", args.size(),
                         args.size() == 1 ? "was" : "were"));
    diags_.note(fn.nameRange, "'forward' is declared here");
    return {};
  }
  if (callDepth_ >= kMaxModelDepth || !step(r))
    return {};
  // Bind free dimension names (T in f32[N, T, d]) from the arguments.
  std::map<std::string, int64_t> dims = inst.ints;
  Scope scope;
  scope.self = &inst;
  scope.ints = &dims; // int parameters and the dimension names bound below
  for (size_t i = 0; i < args.size(); ++i) {
    const TypeExpr &t = fn.args[i].type;
    const TensorType &actual = args[i].type;
    bool match = t.dims.size() == actual.rank() &&
                 (t.dtype == "f32" ? DType::F32 : DType::I64) == actual.dtype;
    for (size_t d = 0; match && d < t.dims.size(); ++d) {
      const Expr &dim = *t.dims[d];
      if (dim.kind == ExprKind::Name && dim.name == "N" && !dims.count("N")) {
        match = actual.dims[d] == kBatchDim;
      } else if (dim.kind == ExprKind::Name && !dims.count(dim.name)) {
        if (actual.dims[d] == kBatchDim)
          match = false;
        else
          dims[dim.name] = actual.dims[d];
      } else {
        auto v = evalInt(dim, dims, "a dimension");
        if (!v)
          return {};
        match = *v == actual.dims[d];
      }
    }
    if (!match) {
      error(r, fmt::format("argument '{}' of '{}.forward' expects {}, got {}", fn.args[i].name,
                           decl.name, text(t.range), actual.str()));
      diags_.note(t.range, "declared here");
      return {};
    }
    scope.values[fn.args[i].name] = args[i];
  }
  ++callDepth_;
  Value result;
  for (const Stmt &s : fn.body) {
    Value v = eval(*s.value, scope);
    if (s.kind == Stmt::Return) {
      result = v;
      break;
    }
    if (scope.values.count(s.name) || inst.child(s.name) || dims.count(s.name)) {
      error(s.nameRange, fmt::format("'{}' is already defined", s.name));
      continue;
    }
    if (!v.ok())
      v.node = -2; // poisoned: uses of it stay silent
    scope.values[s.name] = v;
  }
  --callDepth_;
  if (!result.ok())
    return {};
  auto declared = evalType(fn.result, dims);
  if (declared && *declared != result.type) {
    error(fn.result.range, fmt::format("'{}.forward' returns {}, but its declared result "
                                       "type is {}",
                                       decl.name, result.type.str(), declared->str()));
    return {};
  }
  return declared ? result : Value{};
}

//===----------------------------------------------------------------------===//
// Built-in functions
//===----------------------------------------------------------------------===//

Value Sema::evalBuiltin(const std::string &name, const Expr &e, Scope &scope) {
  SourceRange r = e.range;
  auto arity = [&](size_t lo, size_t hi) {
    if (e.numArgs() >= lo && e.numArgs() <= hi)
      return true;
    std::string n = lo == hi ? std::to_string(lo) : fmt::format("{} to {}", lo, hi);
    error(r, fmt::format("'{}' takes {} argument{}, but {} {} given", name, n,
                         hi == 1 ? "" : "s", e.numArgs(), e.numArgs() == 1 ? "was" : "were"));
    return false;
  };
  auto intArg = [&](const Expr &a, const char *what) -> std::optional<int64_t> {
    static const std::map<std::string, int64_t> none;
    return evalInt(a, scope.ints ? *scope.ints : none, what);
  };

  static const std::map<std::string, OpKind> unaries = {
      {"exp", OpKind::Exp},         {"log", OpKind::Log},   {"sqrt", OpKind::Sqrt},
      {"tanh", OpKind::Tanh},       {"sigmoid", OpKind::Sigmoid}, {"relu", OpKind::Relu},
      {"gelu", OpKind::Gelu}};
  if (auto it = unaries.find(name); it != unaries.end()) {
    if (!checkKeywords(e, {}) || !arity(1, 1))
      return {};
    return unary(it->second, eval(e.arg(0), scope), r, name.c_str());
  }
  if (name == "transpose") {
    if (!checkKeywords(e, {}) || !arity(1, 3) || e.numArgs() == 2) {
      if (e.numArgs() == 2)
        error(r, "'transpose' takes a tensor and two axes, or a tensor alone");
      return {};
    }
    Value x = eval(e.arg(0), scope);
    if (!x.ok())
      return {};
    if (x.type.rank() < 2) {
      error(r, fmt::format("'transpose' needs rank 2 or more, got {}", x.type.str()));
      return {};
    }
    int64_t a0 = -2, a1 = -1;
    if (e.numArgs() == 3) {
      auto v0 = intArg(e.arg(1), "an axis"), v1 = intArg(e.arg(2), "an axis");
      if (!v0 || !v1)
        return {};
      a0 = *v0;
      a1 = *v1;
    }
    auto d0 = axis(a0, x.type.rank(), r), d1 = axis(a1, x.type.rank(), r);
    if (!d0 || !d1)
      return {};
    std::vector<int64_t> perm(x.type.rank());
    for (size_t i = 0; i < perm.size(); ++i)
      perm[i] = static_cast<int64_t>(i);
    std::swap(perm[*d0], perm[*d1]);
    TensorType t = x.type;
    std::swap(t.dims[*d0], t.dims[*d1]);
    return add(OpKind::Permute, {x}, t, r, perm);
  }
  if (name == "reshape") {
    if (!checkKeywords(e, {}) || !arity(2, 2))
      return {};
    Value x = eval(e.arg(0), scope);
    const Expr &shape = e.arg(1);
    if (!x.ok())
      return {};
    if (shape.kind != ExprKind::List) {
      error(shape.range, "'reshape' expects the new shape as a list, as in [N, 64]");
      return {};
    }
    TensorType t{x.type.dtype, {}};
    int infer = -1;
    for (const ExprPtr &d : shape.operands) {
      if (d->kind == ExprKind::Name && d->name == "N") {
        t.dims.push_back(kBatchDim);
      } else if (d->kind == ExprKind::Neg && d->operands[0]->kind == ExprKind::Int &&
                 d->operands[0]->intValue == 1 && infer < 0) {
        infer = static_cast<int>(t.dims.size());
        t.dims.push_back(1);
      } else {
        static const std::map<std::string, int64_t> none;
        auto v = evalSize(*d, scope.ints ? *scope.ints : none, "a dimension");
        if (!v)
          return {};
        t.dims.push_back(*v);
      }
    }
    // Saturates past kMaxElements (no value is that large; see add()), so
    // [4294967296, 4294967296, ...] does not overflow.
    auto product = [](const TensorType &ty) {
      int64_t p = 1;
      for (int64_t d : ty.dims)
        if (d != kBatchDim && (__builtin_mul_overflow(p, d, &p) || p > kMaxElements))
          return kMaxElements + 1;
      return p;
    };
    auto batches = [](const TensorType &ty) {
      return std::count(ty.dims.begin(), ty.dims.end(), kBatchDim);
    };
    if (infer >= 0 && product(x.type) % product(t) == 0)
      t.dims[infer] = product(x.type) / product(t);
    if (batches(t) != batches(x.type) || product(t) != product(x.type)) {
      error(r, fmt::format("cannot reshape {} to {}", x.type.str(), t.str()));
      return {};
    }
    return add(OpKind::Reshape, {x}, t, r);
  }
  if (name == "split_heads" || name == "merge_heads") {
    bool split = name == "split_heads";
    if (!checkKeywords(e, {}) || !arity(split ? 2 : 1, split ? 2 : 1))
      return {};
    Value x = eval(e.arg(0), scope);
    if (!x.ok())
      return {};
    size_t rank = x.type.rank();
    if (rank < (split ? 2u : 3u) ||
        std::find(x.type.dims.end() - (split ? 2 : 3), x.type.dims.end(), kBatchDim) !=
            x.type.dims.end()) {
      error(r, fmt::format("'{}' expects [..., {}] with static trailing dimensions, got {}",
                           name, split ? "T, d" : "heads, T, d/heads", x.type.str()));
      return {};
    }
    std::vector<int64_t> lead(x.type.dims.begin(), x.type.dims.end() - (split ? 2 : 3));
    std::vector<int64_t> perm;
    for (size_t i = 0; i < lead.size(); ++i)
      perm.push_back(static_cast<int64_t>(i));
    int64_t b = static_cast<int64_t>(lead.size());
    perm.insert(perm.end(), {b + 1, b, b + 2}); // swap the two middle axes
    if (split) {
      auto heads = intArg(e.arg(1), "the number of heads");
      if (!heads)
        return {};
      int64_t T = x.type.dims[rank - 2], d = x.type.dims[rank - 1];
      if (*heads <= 0 || d % *heads != 0) {
        error(e.arg(1).range, fmt::format("the model width {} is not divisible by {} heads",
                                          d, *heads));
        return {};
      }
      TensorType split4{x.type.dtype, lead};
      split4.dims.insert(split4.dims.end(), {T, *heads, d / *heads});
      Value s = add(OpKind::Reshape, {x}, split4, r);
      TensorType out{x.type.dtype, lead};
      out.dims.insert(out.dims.end(), {*heads, T, d / *heads});
      return add(OpKind::Permute, {s}, out, r, perm);
    }
    int64_t h = x.type.dims[rank - 3], T = x.type.dims[rank - 2], dh = x.type.dims[rank - 1];
    TensorType swapped{x.type.dtype, lead};
    swapped.dims.insert(swapped.dims.end(), {T, h, dh});
    Value s = add(OpKind::Permute, {x}, swapped, r, perm);
    TensorType out{x.type.dtype, lead};
    out.dims.insert(out.dims.end(), {T, h * dh});
    return add(OpKind::Reshape, {s}, out, r);
  }
  if (name == "sum" || name == "mean" || name == "max") {
    if (!checkKeywords(e, {"axis", "keepdim"}) || !arity(1, 1))
      return {};
    Value x = eval(e.arg(0), scope);
    if (!x.ok() || !requireF32(x, r, fmt::format("'{}'", name)))
      return {};
    std::vector<int64_t> axes;
    if (const Expr *a = keyword(e, "axis")) {
      std::vector<const Expr *> list;
      if (a->kind == ExprKind::List)
        for (const ExprPtr &i : a->operands)
          list.push_back(i.get());
      else
        list.push_back(a);
      for (const Expr *i : list) {
        auto v = intArg(*i, "an axis");
        if (!v)
          return {};
        auto n = axis(*v, x.type.rank(), i->range);
        if (!n)
          return {};
        axes.push_back(*n);
      }
    } else {
      for (size_t i = 0; i < x.type.rank(); ++i)
        axes.push_back(static_cast<int64_t>(i));
    }
    std::sort(axes.begin(), axes.end());
    if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) {
      error(r, "an axis is given twice");
      return {};
    }
    bool keep = false;
    if (const Expr *k = keyword(e, "keepdim")) {
      if (k->kind != ExprKind::Bool) {
        error(k->range, "'keepdim' must be 'true' or 'false'");
        return {};
      }
      keep = k->boolValue;
    }
    TensorType t{DType::F32, {}};
    for (size_t i = 0; i < x.type.rank(); ++i) {
      bool reduced = std::binary_search(axes.begin(), axes.end(), static_cast<int64_t>(i));
      if (!reduced)
        t.dims.push_back(x.type.dims[i]);
      else if (keep)
        t.dims.push_back(1);
    }
    OpKind kind = name == "sum" ? OpKind::Sum : name == "mean" ? OpKind::Mean : OpKind::Max;
    return add(kind, {x}, t, r, axes, 0, keep);
  }
  if (name == "softmax" || name == "log_softmax") {
    if (!checkKeywords(e, {"axis"}) || !arity(1, 1))
      return {};
    Value x = eval(e.arg(0), scope);
    if (!x.ok() || !requireF32(x, r, fmt::format("'{}'", name)))
      return {};
    if (x.type.rank() == 0) {
      error(r, fmt::format("'{}' needs a tensor of rank 1 or more", name));
      return {};
    }
    int64_t a = -1;
    if (const Expr *ax = keyword(e, "axis")) {
      auto v = intArg(*ax, "an axis");
      if (!v)
        return {};
      a = *v;
    }
    auto n = axis(a, x.type.rank(), r);
    if (!n)
      return {};
    return add(name == "softmax" ? OpKind::Softmax : OpKind::LogSoftmax, {x}, x.type, r, {*n});
  }
  if (name == "causal_mask") {
    if (!checkKeywords(e, {}) || !arity(1, 1))
      return {};
    Value x = eval(e.arg(0), scope);
    if (!x.ok() || !requireF32(x, r, "'causal_mask'"))
      return {};
    size_t rank = x.type.rank();
    if (rank < 2 || x.type.dims[rank - 1] != x.type.dims[rank - 2] ||
        x.type.dims[rank - 1] == kBatchDim) {
      error(r, fmt::format("'causal_mask' expects scores [..., T, T], got {}", x.type.str()));
      return {};
    }
    return add(OpKind::CausalMask, {x}, x.type, r);
  }
  if (name == "arange") {
    if (!checkKeywords(e, {}) || !arity(1, 1))
      return {};
    static const std::map<std::string, int64_t> none;
    auto n = evalSize(e.arg(0), scope.ints ? *scope.ints : none, "the length of 'arange'");
    if (!n)
      return {};
    return add(OpKind::Iota, {}, {DType::I64, {*n}}, r);
  }
  if (name == "mse") {
    if (!checkKeywords(e, {}) || !arity(2, 2))
      return {};
    Value a = eval(e.arg(0), scope), b = eval(e.arg(1), scope);
    if (!a.ok() || !b.ok() || !requireF32(a, r, "'mse'") || !requireF32(b, r, "'mse'"))
      return {};
    if (a.type != b.type) {
      error(r, fmt::format("'mse' needs two tensors of the same shape, got {} and {}",
                           a.type.str(), b.type.str()));
      return {};
    }
    return add(OpKind::MseLoss, {a, b}, {DType::F32, {}}, r);
  }
  if (name == "cross_entropy" || name == "accuracy") {
    if (!checkKeywords(e, {}) || !arity(2, 2))
      return {};
    Value logits = eval(e.arg(0), scope), labels = eval(e.arg(1), scope);
    if (!logits.ok() || !labels.ok())
      return {};
    TensorType want{DType::I64, logits.type.dims};
    if (!want.dims.empty())
      want.dims.pop_back();
    if (logits.type.dtype != DType::F32 || (logits.type.rank() != 2 && logits.type.rank() != 3) ||
        labels.type != want) {
      error(r, fmt::format("'{}' expects logits f32[N, C] or f32[N, T, C] and integer labels "
                           "of the same shape without C, got {} and {}",
                           name, logits.type.str(), labels.type.str()));
      return {};
    }
    return add(name == "accuracy" ? OpKind::Accuracy : OpKind::CrossEntropy, {logits, labels},
               {DType::F32, {}}, r);
  }
  static const std::set<std::string> layers = {"Linear", "ReLU", "GELU", "Tanh",
                                                "Sigmoid", "LayerNorm", "Embedding",
                                                "Sequential"};
  if (layers.count(name) || models_.count(name)) {
    error(e.callee().range, fmt::format("'{}' creates a module; declare it as a member "
                                        "(e.g. 'layer = {}(...)') and call the member",
                                        name, name));
    return {};
  }
  error(e.callee().range,
        fmt::format("unknown function '{}'{}", name, suggest(name, kBuiltinFunctions)));
  return {};
}

//===----------------------------------------------------------------------===//
// Train blocks
//===----------------------------------------------------------------------===//

void Sema::parseOptimizer(const Expr &e, Optimizer &opt) {
  if (e.kind != ExprKind::Call || e.callee().kind != ExprKind::Name) {
    error(e.range, "expected an optimizer such as 'Adam(lr=0.001)'");
    return;
  }
  opt.kind = e.callee().name;
  // PyTorch's defaults, in a fixed order.
  if (opt.kind == "SGD")
    opt.hyper = {{"lr", {0.001}}, {"momentum", {0}}, {"weight_decay", {0}}};
  else if (opt.kind == "Adam" || opt.kind == "AdamW")
    opt.hyper = {{"lr", {0.001}},
                 {"betas", {0.9, 0.999}},
                 {"eps", {1e-8}},
                 {"weight_decay", {opt.kind == "AdamW" ? 0.01 : 0.0}}};
  else {
    error(e.callee().range, fmt::format("unknown optimizer '{}'; expected 'SGD', 'Adam' or "
                                        "'AdamW'",
                                        opt.kind));
    return;
  }
  if (e.numArgs() != 0) {
    error(e.arg(0).range, fmt::format("'{}' takes keyword arguments only, as in '{}(lr=0.01)'",
                                      opt.kind, opt.kind));
    return;
  }
  std::set<std::string> allowed;
  for (auto &[name, v] : opt.hyper)
    allowed.insert(name);
  if (!checkKeywords(e, allowed))
    return;
  Scope empty;
  for (auto &[name, values] : opt.hyper) {
    const Expr *kw = keyword(e, name);
    if (!kw)
      continue;
    std::vector<const Expr *> items;
    if (kw->kind == ExprKind::List)
      for (const ExprPtr &i : kw->operands)
        items.push_back(i.get());
    else
      items.push_back(kw);
    if (items.size() != values.size()) {
      error(kw->range, values.size() == 1
                           ? fmt::format("'{}' must be a number", name)
                           : fmt::format("'{}' must be a pair of numbers, as in (0.9, 0.999)",
                                         name));
      continue;
    }
    for (size_t i = 0; i < items.size(); ++i) {
      auto v = fold(*items[i], empty);
      if (!v || !std::isfinite(*v)) {
        error(items[i]->range, fmt::format("'{}' must be a number", name));
        break;
      }
      bool valid = name == "lr" || name == "eps" ? *v > 0
                   : name == "betas"             ? *v >= 0 && *v < 1
                                                 : *v >= 0;
      if (!valid) {
        const char *range = name == "lr" || name == "eps" ? "positive"
                            : name == "betas"           ? "in [0, 1)"
                                                        : "non-negative";
        error(items[i]->range, fmt::format("'{}' must be {}, got {}", name, range, *v));
        break;
      }
      values[i] = *v;
    }
  }
}

std::optional<int64_t> Sema::positiveSetting(const TrainItem &item) {
  if (item.value->kind == ExprKind::Int && item.value->intValue > 0)
    return item.value->intValue;
  error(item.value->range, fmt::format("'{}' must be a positive integer", item.name));
  return std::nullopt;
}

/// `init model.encoder from "f"` and `freeze model.encoder`: the path names a
/// module or a parameter; it applies to every parameter under it.
void Sema::applyPath(const TrainItem &item, const Scope &scope, Program &p) {
  std::vector<std::string> parts;
  const Expr *e = item.value.get();
  while (e->kind == ExprKind::Member) {
    parts.insert(parts.begin(), e->name);
    e = e->operands[0].get();
  }
  if (e->kind != ExprKind::Name || e->name != scope.modelVar) {
    error(item.value->range, fmt::format("expected a path starting with '{}', as in '{}.encoder'",
                                         scope.modelVar, scope.modelVar));
    return;
  }
  std::string prefix;
  for (const std::string &part : parts)
    prefix = joinPath(prefix, part);
  bool any = false;
  for (Parameter &param : p.params) {
    bool under = prefix.empty() || param.name == prefix ||
                 param.name.compare(0, prefix.size() + 1, prefix + ".") == 0;
    if (!under)
      continue;
    any = true;
    if (item.kind == TrainItem::Freeze) {
      param.frozen = true;
    } else {
      param.initFrom = item.file;
      param.initKey = prefix.empty() || param.name == prefix
                          ? param.name
                          : param.name.substr(prefix.size() + 1);
    }
  }
  if (!any)
    error(item.value->range, fmt::format("'{}' names no module or parameter with parameters "
                                         "in '{}'",
                                         text(item.value->range), p.model));
}

void Sema::buildPredict(Instance &root, Program &p) {
  const ForwardDecl &fn = root.decl->forwards[0];
  Graph &g = p.predict;
  graph_ = &g;
  paramNodes_.clear();
  std::vector<Value> args;
  for (const TypedName &arg : fn.args) {
    for (const ExprPtr &d : arg.type.dims)
      if (d->kind == ExprKind::Name && d->name != "N" && !root.ints.count(d->name)) {
        error(d->range, fmt::format("the trained model's 'forward' needs concrete argument "
                                    "shapes, but '{}' is not known here; use a number",
                                    d->name));
        return;
      }
    auto t = evalType(arg.type, root.ints);
    if (!t)
      return;
    Value v = add(OpKind::Input, {}, *t, arg.nameRange);
    g.nodes[v.node].index = static_cast<int>(g.inputs.size());
    g.inputs.push_back({arg.name, v.node});
    args.push_back(v);
  }
  Value out = callForward(root, args, fn.range);
  if (out.ok())
    g.outputs.push_back({"output", out.node});
}

std::optional<Program> Sema::elaborate(const TrainDecl &train) {
  Program p;
  p.name = train.name;
  p.range = train.nameRange;
  program_ = &p;
  unsigned errors = diags_.numErrors();
  budgetRange_ = train.nameRange;
  budgetWhat_ = fmt::format("train block '{}'", train.name);

  // The trained model: `M` or `M(64, 4)`.
  std::unique_ptr<Instance> root;
  {
    const Expr &mt = *train.modelType;
    const Expr *nameExpr = mt.kind == ExprKind::Call ? &mt.callee() : &mt;
    if (nameExpr->kind != ExprKind::Name) {
      error(mt.range, "expected a model name after ':'");
      return std::nullopt;
    }
    if (!models_.count(nameExpr->name)) {
      error(nameExpr->range, isBuiltinLayer(nameExpr->name)
                                 ? fmt::format("train blocks train a model; wrap '{}' in a "
                                               "model",
                                               nameExpr->name)
                                 : fmt::format("unknown model '{}'", nameExpr->name));
      return std::nullopt;
    }
    p.model = nameExpr->name;
    // Model(...) without parentheses means no arguments.
    Expr call(ExprKind::Call, mt.range);
    const Expr *ctor = &mt;
    if (mt.kind == ExprKind::Name) {
      call.operands.push_back(std::make_unique<Expr>(ExprKind::Name, mt.range));
      call.operands[0]->name = mt.name;
      ctor = &call;
    }
    std::vector<const ModelDecl *> stack;
    root = instantiate(*ctor, "", {}, stack);
    if (!root)
      return std::nullopt;
  }

  Scope scope;
  scope.root = root.get();
  scope.modelVar = train.modelVar;
  graph_ = &p.loss;
  paramNodes_.clear();

  std::map<std::string, SourceRange> seen;
  auto once = [&](const TrainItem &item, const std::string &key) {
    auto [it, inserted] = seen.emplace(key, item.nameRange);
    if (!inserted) {
      error(item.nameRange, fmt::format("'{}' is set more than once", item.name));
      diags_.note(it->second, "first set here");
    }
    return inserted;
  };
  // Data first, so any line may use any data declaration.
  for (const TrainItem &item : train.items) {
    if (item.kind != TrainItem::Data || !once(item, "data " + item.name))
      continue;
    if (item.name == train.modelVar) {
      error(item.nameRange, fmt::format("'{}' names the model", item.name));
      continue;
    }
    auto t = evalType(item.type, {});
    if (!t)
      continue;
    if (t->dims.empty() || t->dims[0] != kBatchDim) {
      error(item.type.range, fmt::format("data '{}' must have the batch dimension first, as "
                                         "in f32[N, 4]",
                                         item.name));
      continue;
    }
    Value v = add(OpKind::Input, {}, *t, item.nameRange);
    p.loss.nodes[v.node].index = static_cast<int>(p.loss.inputs.size());
    p.loss.inputs.push_back({item.name, v.node});
    scope.values[item.name] = v;
  }

  const TrainItem *loss = nullptr, *optimizer = nullptr;
  std::vector<const TrainItem *> metrics;
  for (const TrainItem &item : train.items) {
    switch (item.kind) {
    case TrainItem::Data:
      break;
    case TrainItem::Setting:
      if (item.name == "loss") {
        if (once(item, item.name))
          loss = &item;
      } else if (item.name == "optimizer") {
        if (once(item, item.name)) {
          optimizer = &item;
          parseOptimizer(*item.value, p.optimizer);
        }
      } else if (item.name == "batch_size" || item.name == "epochs") {
        if (once(item, item.name))
          if (auto v = positiveSetting(item))
            (item.name == "epochs" ? p.epochs : p.batchSize) = *v;
      } else {
        error(item.nameRange, fmt::format("unknown setting '{}'; expected 'loss', "
                                          "'optimizer', 'batch_size' or 'epochs'",
                                          item.name));
      }
      break;
    case TrainItem::Metric:
      if (item.name == "loss")
        error(item.nameRange, "a metric cannot be called 'loss'");
      else if (once(item, "metric " + item.name))
        metrics.push_back(&item);
      break;
    case TrainItem::Init:
      if (item.file.empty())
        error(item.fileRange, "the checkpoint file name is empty");
      break;
    case TrainItem::Freeze:
      break;
    }
  }
  // Paths after the model is known; init before freeze does not matter.
  for (const TrainItem &item : train.items)
    if (item.kind == TrainItem::Init || item.kind == TrainItem::Freeze)
      applyPath(item, scope, p);

  if (!loss && !train.hasSyntaxErrors)
    error(train.nameRange, fmt::format("train block '{}' has no 'loss = ...'", train.name));
  if (!optimizer && !train.hasSyntaxErrors)
    error(train.nameRange,
          fmt::format("train block '{}' has no 'optimizer = ...'", train.name));

  auto scalar = [&](const TrainItem &item, const char *what) -> Value {
    Value v = eval(*item.value, scope);
    if (v.ok() && v.type != TensorType{DType::F32, {}}) {
      error(item.value->range,
            fmt::format("{} must be a scalar, got {}; reduce it, e.g. with 'mean'", what,
                        v.type.str()));
      return {};
    }
    return v;
  };
  if (loss) {
    Value v = scalar(*loss, "the loss");
    if (v.ok())
      p.loss.outputs.push_back({"loss", v.node});
  }
  for (const TrainItem *m : metrics) {
    Value v = scalar(*m, "a metric");
    if (v.ok())
      p.loss.outputs.push_back({m->name, v.node});
  }

  // Every data declaration must feed the loss or a metric (checked only when
  // all else is well: a failed expression may not have reached its data).
  for (const Graph::Port &in : p.loss.inputs)
    if (diags_.numErrors() == errors && !train.hasSyntaxErrors && !scope.used.count(in.name))
      error(p.loss.nodes[in.node].range, fmt::format("data '{}' is never used", in.name));

  if (diags_.numErrors() == errors && p.params.empty())
    error(train.nameRange, fmt::format("model '{}' has no parameters; nothing would be trained",
                                       p.model));
  else if (diags_.numErrors() == errors &&
           std::all_of(p.params.begin(), p.params.end(),
                       [](const Parameter &q) { return q.frozen; }))
    error(train.nameRange, "every parameter is frozen; nothing would be trained");

  if (diags_.numErrors() == errors)
    buildPredict(*root, p);
  program_ = nullptr;
  graph_ = nullptr;
  if (diags_.numErrors() != errors)
    return std::nullopt;
  return p;
}

std::vector<Program> Sema::run() {
  collectModels();
  std::vector<Program> programs;
  std::map<std::string, SourceRange> trainNames;
  for (const auto &file : c_.files) {
    for (const auto &train : file->trains) {
      if (diags_.tooManyErrors())
        return {};
      bool isMain = file.get() == c_.main();
      if (isMain) {
        auto [it, inserted] = trainNames.emplace(train->name, train->nameRange);
        if (!inserted) {
          error(train->nameRange, fmt::format("redefinition of train block '{}'", train->name));
          diags_.note(it->second, "previous definition is here");
          continue;
        }
      }
      auto p = elaborate(*train);
      if (p && isMain)
        programs.push_back(std::move(*p));
    }
  }
  checkUnusedModels();
  if (diags_.hasErrors())
    return {};
  return programs;
}

/// Models that no train block reaches are still checked when they take no
/// integer parameters and their forward has concrete argument shapes (only N
/// and integer literals); others are checked where they are used.
void Sema::checkUnusedModels() {
  for (const auto &[name, decl] : models_) {
    if (usedModels_.count(decl) || !decl->params.empty() || decl->forwards.size() != 1 ||
        diags_.tooManyErrors())
      continue;
    bool concrete = true;
    for (const TypedName &arg : decl->forwards[0].args)
      for (const ExprPtr &d : arg.type.dims)
        concrete &= d->kind == ExprKind::Int || (d->kind == ExprKind::Name && d->name == "N");
    if (!concrete)
      continue;
    Program scratch;
    scratch.model = name;
    program_ = &scratch;
    budgetRange_ = decl->nameRange;
    budgetWhat_ = fmt::format("model '{}'", name);
    Expr call(ExprKind::Call, decl->nameRange);
    call.operands.push_back(std::make_unique<Expr>(ExprKind::Name, decl->nameRange));
    call.operands[0]->name = name;
    std::vector<const ModelDecl *> stack;
    if (auto root = instantiate(call, "", {}, stack))
      buildPredict(*root, scratch);
    program_ = nullptr;
    graph_ = nullptr;
  }
}

} // namespace

std::vector<Program> mlc::analyze(const Compilation &compilation, DiagnosticEngine &diags) {
  if (!compilation.main())
    return {};
  return Sema(compilation, diags).run();
}
