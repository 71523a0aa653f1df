//===- Optimizer.cpp - @train_step, @eval_step and @predict ---------------===//
//
// Parameters become function arguments, and each parameter with a gradient
// gets one fused update op carrying PyTorch's hyper-parameters.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/MLC/MLCOps.h"
#include "mlc/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringMap.h"

namespace mlc {
#define GEN_PASS_DEF_MLCOPTIMIZER
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// One argument of a synthesized function: its type and its tag, e.g.
/// {mlc.param = "fc.weight"}.
struct Arg {
  Type type;
  DictionaryAttr attrs;
};

DictionaryAttr tag(OpBuilder &b, StringRef key, StringRef value) {
  return b.getDictionaryAttr(b.getNamedAttr(key, b.getStringAttr(value)));
}

/// Clones `src` as `name` with `lead` arguments before src's own (whose
/// {mlc.name} tag becomes {mlc.data}); every mlc.param_ref is replaced by the
/// leading argument of its parameter.
func::FuncOp cloneWithParamArgs(OpBuilder &b, func::FuncOp src, StringRef name,
                                ArrayRef<Arg> lead, const llvm::StringMap<unsigned> &paramArg) {
  SmallVector<Type> types;
  SmallVector<Attribute> argAttrs;
  for (const Arg &a : lead) {
    types.push_back(a.type);
    argAttrs.push_back(a.attrs);
  }
  for (unsigned i = 0; i < src.getNumArguments(); ++i) {
    types.push_back(src.getArgument(i).getType());
    auto n = src.getArgAttrOfType<StringAttr>(i, "mlc.name");
    argAttrs.push_back(n ? tag(b, "mlc.data", n.getValue()) : b.getDictionaryAttr({}));
  }
  auto fn = b.create<func::FuncOp>(src.getLoc(), name,
                                   b.getFunctionType(types, src.getResultTypes()));
  fn.setAllArgAttrs(argAttrs);
  if (ArrayAttr ra = src.getAllResultAttrs())
    fn.setAllResultAttrs(ra);
  Block *entry = fn.addEntryBlock();
  IRMapping map;
  for (unsigned i = 0; i < src.getNumArguments(); ++i) {
    Value arg = entry->getArgument(lead.size() + i);
    arg.setLoc(src.getArgument(i).getLoc());
    map.map(src.getArgument(i), arg);
  }
  OpBuilder body = OpBuilder::atBlockEnd(entry);
  for (Operation &op : src.front()) {
    if (auto ref = dyn_cast<ParamRefOp>(op)) {
      map.map(ref.getResult(), entry->getArgument(paramArg.lookup(ref.getParam())));
      continue;
    }
    body.clone(op, map);
  }
  return fn;
}

struct Optimizer : mlc::impl::MlcOptimizerBase<Optimizer> {
  void runOnOperation() override;
  LogicalResult buildTrainStep(OpBuilder &b, func::FuncOp gradients, ArrayRef<ParamOp> params,
                               DictionaryAttr opt);
};

double hyper(DictionaryAttr opt, StringRef name, unsigned index = 0) {
  Attribute a = opt.get(name);
  if (auto arr = dyn_cast_or_null<ArrayAttr>(a))
    a = arr[index];
  auto f = dyn_cast_or_null<FloatAttr>(a);
  return f ? f.getValueAsDouble() : 0.0;
}

LogicalResult Optimizer::buildTrainStep(OpBuilder &b, func::FuncOp gradients,
                                        ArrayRef<ParamOp> params, DictionaryAttr opt) {
  auto kind = opt.getAs<StringAttr>("kind");
  bool adam = kind && (kind.getValue() == "Adam" || kind.getValue() == "AdamW");
  bool sgd = kind && kind.getValue() == "SGD";
  if (!adam && !sgd)
    return getOperation().emitError("'mlc.optimizer' has no known 'kind' (SGD, Adam, AdamW)");
  bool momentum = sgd && hyper(opt, "momentum") != 0.0;

  // Which parameters get updated: those @gradients has a gradient for.
  llvm::StringMap<unsigned> gradResult;
  for (unsigned i = 0; i < gradients.getNumResults(); ++i)
    if (auto g = gradients.getResultAttrOfType<StringAttr>(i, "mlc.grad"))
      gradResult[g.getValue()] = i;

  SmallVector<Arg> lead;
  llvm::StringMap<unsigned> paramArg;
  for (ParamOp p : params) {
    paramArg[p.getSymName()] = lead.size();
    lead.push_back({p.getType(), tag(b, "mlc.param", p.getSymName())});
  }
  SmallVector<StringRef> stateNames = adam ? SmallVector<StringRef>{"exp_avg", "exp_avg_sq"}
                                      : momentum ? SmallVector<StringRef>{"momentum_buffer"}
                                                 : SmallVector<StringRef>{};
  llvm::StringMap<unsigned> stateArg; // first state argument of each parameter
  for (ParamOp p : params) {
    if (!gradResult.count(p.getSymName()))
      continue;
    stateArg[p.getSymName()] = lead.size();
    for (StringRef s : stateNames)
      lead.push_back({p.getType(), tag(b, "mlc.state",
                                       ("optimizer." + p.getSymName() + "." + s).str())});
  }
  unsigned stepArg = lead.size();
  if (adam)
    lead.push_back({RankedTensorType::get({}, b.getI64Type()),
                    b.getDictionaryAttr(b.getNamedAttr("mlc.step", b.getUnitAttr()))});

  func::FuncOp fn = cloneWithParamArgs(b, gradients, "train_step", lead, paramArg);
  Block &entry = fn.front();
  auto ret = cast<func::ReturnOp>(entry.getTerminator());
  OpBuilder u(ret);
  SmallVector<Value> newParams, newState;
  SmallVector<Attribute> paramTags, stateTags;
  for (ParamOp p : params) {
    auto it = gradResult.find(p.getSymName());
    if (it == gradResult.end())
      continue;
    Location loc = p.getLoc();
    Value param = entry.getArgument(paramArg.lookup(p.getSymName()));
    Value grad = ret.getOperand(it->second);
    unsigned s = stateArg.lookup(p.getSymName());
    auto f64 = [&](double v) { return u.getF64FloatAttr(v); };
    if (adam) {
      auto up = u.create<AdamUpdateOp>(
          loc, param, grad, entry.getArgument(s), entry.getArgument(s + 1),
          entry.getArgument(stepArg), f64(hyper(opt, "lr")), f64(hyper(opt, "betas", 0)),
          f64(hyper(opt, "betas", 1)), f64(hyper(opt, "eps")),
          f64(hyper(opt, "weight_decay")),
          kind.getValue() == "AdamW" ? u.getUnitAttr() : UnitAttr());
      newParams.push_back(up.getNewParam());
      newState.append({up.getNewExpAvg(), up.getNewExpAvgSq()});
    } else {
      Value buffer = momentum ? entry.getArgument(s) : Value();
      SmallVector<Type> types = {param.getType()};
      if (momentum)
        types.push_back(param.getType());
      auto up = u.create<SgdUpdateOp>(loc, types, param, grad, buffer,
                                      f64(hyper(opt, "lr")), f64(hyper(opt, "momentum")),
                                      f64(hyper(opt, "weight_decay")));
      newParams.push_back(up.getNewParam());
      if (momentum)
        newState.push_back(up.getNewMomentumBuffer());
    }
    paramTags.push_back(tag(b, "mlc.param", p.getSymName()));
    for (StringRef n : stateNames)
      stateTags.push_back(tag(b, "mlc.state", ("optimizer." + p.getSymName() + "." + n).str()));
  }

  // (updated params, updated state, loss, metrics)
  SmallVector<Value> results(newParams);
  results.append(newState);
  SmallVector<Attribute> resultAttrs(paramTags);
  resultAttrs.append(stateTags);
  for (unsigned i = 0; i < ret.getNumOperands(); ++i) {
    if (gradients.getResultAttrOfType<StringAttr>(i, "mlc.grad"))
      continue;
    results.push_back(ret.getOperand(i));
    resultAttrs.push_back(gradients.getResultAttrDict(i));
  }
  u.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  fn.setType(b.getFunctionType(fn.getArgumentTypes(), ValueRange(results).getTypes()));
  fn.setAllResultAttrs(resultAttrs);
  return success();
}

void Optimizer::runOnOperation() {
  ModuleOp module = getOperation();
  auto gradients = module.lookupSymbol<func::FuncOp>("gradients");
  auto loss = module.lookupSymbol<func::FuncOp>("loss");
  auto predict = module.lookupSymbol<func::FuncOp>("predict");
  auto opt = module->getAttrOfType<DictionaryAttr>("mlc.optimizer");
  if (!gradients || !loss || !opt) {
    module.emitError("'mlc-optimizer' needs '@loss', '@gradients' (from -mlc-autodiff) and "
                     "an 'mlc.optimizer' module attribute");
    return signalPassFailure();
  }
  SmallVector<ParamOp> params(module.getOps<ParamOp>());
  SmallVector<Arg> paramArgs;
  llvm::StringMap<unsigned> paramArg;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  for (ParamOp p : params) {
    paramArg[p.getSymName()] = paramArgs.size();
    paramArgs.push_back({p.getType(), tag(b, "mlc.param", p.getSymName())});
  }

  if (failed(buildTrainStep(b, gradients, params, opt)))
    return signalPassFailure();
  cloneWithParamArgs(b, loss, "eval_step", paramArgs, paramArg);
  if (predict) {
    predict.setSymName("predict_with_refs");
    cloneWithParamArgs(b, predict, "predict", paramArgs, paramArg);
    predict.erase();
  }
  gradients.erase();
  loss.erase();
}

} // namespace
