//===- Schedule.cpp - Per-op schedule decisions as IR attributes ----------===//

#include "mlc/Dialect/MLC/MLCOps.h"
#include "mlc/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlc {
#define GEN_PASS_DEF_MLCSCHEDULE
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// Ops computed point by point from their operands.
bool isElementwise(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, NegOp, ExpOp, LogOp, SqrtOp, TanhOp, SigmoidOp, ReluOp,
             GeluOp, ReluGradOp, GeluGradOp, ConstantOp, IotaOp, CausalMaskOp, CausalMaskGradOp,
             PermuteOp, ReshapeOp>(op);
}

bool isContraction(Operation *op) { return isa<LinearOp, MatmulOp>(op); }

/// The single reader of `op`'s single result, if it has exactly one.
Operation *soleUser(Operation *op) {
  if (op->getNumResults() != 1 || !op->getResult(0).hasOneUse())
    return nullptr;
  return *op->getResult(0).getUsers().begin();
}

/// Elementwise ops fuse into an elementwise reader; constants fuse anywhere;
/// a reshape or permute (index arithmetic only) fuses into any reader but a
/// Linear layer or its weight gradient, whose operands are better read
/// contiguously. A permute fuses into a matmul: the product reads its left
/// operand a row block per k step (6 rows: as well from a transpose, whose 6
/// values are then adjacent) and copies its right one into strips anyway.
/// Measured on gpt: the transpose of the attention probabilities for dV
/// took 1.1 ms a call as a kernel of its own (a 4 MB temp written and read).
bool fusesAsElementwise(Operation *op) {
  if (isa<ConstantOp, IotaOp, CountOp>(op))
    return true;
  Operation *user = soleUser(op);
  if (isa<PermuteOp>(op) && user && isa<MatmulOp>(user))
    return true;
  if (isa<ReshapeOp, PermuteOp, BroadcastOp>(op) && user &&
      !isa<LinearOp, MatmulOp, LinearWeightGradOp>(user))
    return true;
  return isElementwise(op) && user && isElementwise(user);
}

/// A contraction fuses into its only reader when that reader is an
/// elementwise kernel of the same shape (linear -> relu, matmul ->
/// relu_grad): the reader becomes the product's epilogue. One contraction
/// per kernel: the first operand that qualifies.
bool fusesAsEpilogue(Operation *op) {
  Operation *user = soleUser(op);
  if (!isContraction(op) || !user || !isElementwise(user) || fusesAsElementwise(user) ||
      user->getResultTypes() != op->getResultTypes())
    return false;
  for (Value v : user->getOperands())
    if (Operation *def = v.getDefiningOp(); def && isContraction(def) && soleUser(def) == user)
      return def == op;
  return false;
}

StringRef decide(Operation *op) {
  return fusesAsElementwise(op) || fusesAsEpilogue(op) ? "fuse" : "root";
}

/// The GPU schedule class of a root op (see the pass description).
StringRef gpuClass(Operation *op) {
  if (isContraction(op) || isa<LinearWeightGradOp>(op))
    return "gemm";
  for (Value v : op->getOperands())
    if (Operation *def = v.getDefiningOp(); def && fusesAsEpilogue(def))
      return "gemm";
  if (isa<SoftmaxOp, LogSoftmaxOp, LayerNormOp>(op))
    return "rows";
  if (llvm::all_of(op->getResultTypes(), [](Type t) {
        auto shaped = dyn_cast<ShapedType>(t);
        return shaped && shaped.getRank() == 0;
      }))
    return "scalar";
  if (isa<SumOp, MeanOp, MaxOp, LayerNormGradOp, EmbeddingGradOp>(op))
    return "reduce";
  return "elementwise";
}

struct Schedule : mlc::impl::MlcScheduleBase<Schedule> {
  using MlcScheduleBase::MlcScheduleBase;

  void runOnOperation() override {
    for (const char *name : {"train_step", "eval_step", "predict"})
      if (auto fn = getOperation().lookupSymbol<func::FuncOp>(name))
        fn.walk([&](Operation *op) {
          if (!op->getDialect() || !isa<MLCDialect>(op->getDialect()))
            return;
          StringRef decision = decide(op);
          op->setAttr("mlc.schedule", StringAttr::get(op->getContext(), decision));
          if (gpu && decision == "root")
            op->setAttr("mlc.gpu", StringAttr::get(op->getContext(), gpuClass(op)));
        });
  }
};

} // namespace
