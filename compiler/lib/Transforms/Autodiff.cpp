//===- Autodiff.cpp - Reverse-mode differentiation of @loss ---------------===//
//
// A generic reverse walk over DifferentiableOpInterface: the pass knows no
// op by name except mlc.param_ref (the leaves) and the seed constant.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/MLC/MLCOps.h"
#include "mlc/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

namespace mlc {
#define GEN_PASS_DEF_MLCAUTODIFF
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// Values that depend on a trainable parameter ("varied") and that the loss
/// depends on ("useful"): exactly the values that need an adjoint.
llvm::DenseSet<Value> activeValues(Block &body, Value loss,
                                   const llvm::DenseSet<StringAttr> &trainable) {
  llvm::DenseSet<Value> varied, useful;
  for (Operation &op : body.without_terminator()) {
    if (auto ref = dyn_cast<ParamRefOp>(op)) {
      if (trainable.contains(ref.getParamAttr().getAttr()))
        varied.insert(ref.getResult());
      continue;
    }
    auto diff = dyn_cast<DifferentiableOpInterface>(op);
    for (OpOperand &use : op.getOpOperands())
      if (varied.contains(use.get()) &&
          (!diff || diff.isDifferentiableOperand(use.getOperandNumber())))
        varied.insert(op.result_begin(), op.result_end());
  }
  useful.insert(loss);
  for (Operation &op : llvm::reverse(body.without_terminator()))
    if (llvm::any_of(op.getResults(), [&](Value r) { return useful.contains(r); }))
      useful.insert(op.operand_begin(), op.operand_end());

  llvm::DenseSet<Value> active;
  for (Value v : varied)
    if (useful.contains(v))
      active.insert(v);
  return active;
}

/// Appends the backward pass to `fn` and the parameter gradients to its
/// results.
LogicalResult differentiate(func::FuncOp fn, ArrayRef<ParamOp> params) {
  Block &body = fn.front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  if (ret.getNumOperands() == 0)
    return fn.emitError("'@loss' returns nothing; its first result must be the loss");
  Value loss = ret.getOperand(0);

  llvm::DenseSet<StringAttr> trainable;
  for (ParamOp p : params)
    if (!p.getFrozen())
      trainable.insert(p.getSymNameAttr());
  llvm::DenseSet<Value> active = activeValues(body, loss, trainable);

  OpBuilder b(ret);
  DenseMap<Value, Value> adjoint;
  auto accumulate = [&](Value v, Value g, Location loc) {
    auto [it, inserted] = adjoint.try_emplace(v, g);
    if (!inserted) // a value with several uses: adjoints add up
      it->second = b.create<AddOp>(loc, v.getType(), it->second, g);
  };
  if (active.contains(loss)) // d loss / d loss = 1
    adjoint[loss] = b.create<ConstantOp>(loss.getLoc(), loss.getType(), 1.0);

  for (Operation &op : llvm::reverse(body.without_terminator())) {
    SmallVector<Value> resultGrads;
    for (Value r : op.getResults())
      resultGrads.push_back(adjoint.lookup(r));
    if (llvm::all_of(resultGrads, [](Value g) { return !g; }))
      continue;
    auto diff = dyn_cast<DifferentiableOpInterface>(op);
    SmallVector<bool> wanted;
    for (OpOperand &use : op.getOpOperands())
      wanted.push_back(active.contains(use.get()) &&
                       (!diff || diff.isDifferentiableOperand(use.getOperandNumber())));
    if (llvm::none_of(wanted, [](bool w) { return w; }))
      continue;
    if (!diff)
      return op.emitError() << "'" << op.getName()
                            << "' has no gradient, but the loss depends on it through "
                               "trainable parameters";
    SmallVector<Value> operandGrads;
    if (failed(diff.buildVJP(b, resultGrads, wanted, operandGrads)))
      return failure();
    for (auto [use, g] : llvm::zip(op.getOpOperands(), operandGrads))
      if (g && wanted[use.getOperandNumber()])
        accumulate(use.get(), g, op.getLoc());
  }

  // One gradient per trainable parameter that the loss reaches, in mlc.param
  // order; several param_refs of one parameter add up.
  llvm::MapVector<StringAttr, Value> grads;
  for (Operation &op : body.without_terminator())
    if (auto ref = dyn_cast<ParamRefOp>(op))
      if (Value g = adjoint.lookup(ref.getResult())) {
        Value &sum = grads[ref.getParamAttr().getAttr()];
        sum = sum ? b.create<AddOp>(ref.getLoc(), g.getType(), sum, g).getResult() : g;
      }
  SmallVector<Value> results(ret.getOperands());
  SmallVector<Attribute> resultAttrs;
  for (unsigned i = 0; i < results.size(); ++i)
    resultAttrs.push_back(fn.getResultAttrDict(i) ? Attribute(fn.getResultAttrDict(i))
                                                  : b.getDictionaryAttr({}));
  for (ParamOp p : params) {
    Value g = grads.lookup(p.getSymNameAttr());
    if (!g)
      continue;
    results.push_back(g);
    resultAttrs.push_back(b.getDictionaryAttr(
        b.getNamedAttr("mlc.grad", b.getStringAttr(p.getSymName()))));
  }
  b.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  fn.setType(b.getFunctionType(fn.getArgumentTypes(), ValueRange(results).getTypes()));
  fn.setAllResultAttrs(resultAttrs);
  return success();
}

struct Autodiff : mlc::impl::MlcAutodiffBase<Autodiff> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto loss = module.lookupSymbol<func::FuncOp>("loss");
    if (!loss || loss.isExternal()) {
      module.emitError("'mlc-autodiff' needs a 'func.func @loss' with a body");
      return signalPassFailure();
    }
    if (module.lookupSymbol("gradients")) {
      module.emitError("the module already has a '@gradients'");
      return signalPassFailure();
    }
    SmallVector<ParamOp> params(module.getOps<ParamOp>());
    OpBuilder b(loss);
    b.setInsertionPointAfter(loss);
    auto grads = cast<func::FuncOp>(b.clone(*loss));
    grads.setSymName("gradients");
    if (failed(differentiate(grads, params)))
      return signalPassFailure();
  }
};

} // namespace
