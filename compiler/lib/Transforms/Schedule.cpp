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

/// Whether `user` may read `op`, a reshape, permute or broadcast, through
/// its index arithmetic instead of from a buffer: any reader but a Linear
/// layer or its weight gradient, whose operands are better read
/// contiguously. A permute is read by a matmul too: the product reads its
/// left operand a row block per k step (6 rows: as well from a transpose,
/// whose 6 values are then adjacent) and copies its right one into strips
/// anyway. Measured on gpt: the transpose of the attention probabilities
/// for dV took 1.1 ms a call as a kernel of its own (a 4 MB temp written
/// and read).
bool readsView(Operation *op, Operation *user) {
  if (isa<MatmulOp>(user))
    return isa<PermuteOp>(op);
  return !isa<LinearOp, LinearWeightGradOp>(user);
}

/// Elementwise ops fuse into an elementwise or softmax reader; constants
/// fuse anywhere; a reshape or permute (index arithmetic only) fuses into
/// its readers when every one of them reads views (readsView), however many
/// there are: the attention's heads, split for the forward product and read
/// again by two backward ones, were four copy kernels of 80-140 us a call in
/// the attention block's step.
bool fusesAsElementwise(Operation *op) {
  if (isa<ConstantOp, IotaOp, CountOp>(op))
    return true;
  if (isa<ReshapeOp, PermuteOp>(op) && op->getNumResults() == 1 &&
      !op->getResult(0).use_empty())
    return llvm::all_of(op->getResult(0).getUsers(),
                        [&](Operation *user) { return readsView(op, user); });
  Operation *user = soleUser(op);
  if (isa<BroadcastOp>(op) && user)
    return readsView(op, user);
  // Into a softmax too: its row passes read the input where it is cached,
  // and gpt's causal mask (with the scores' scale) was a kernel of its own,
  // 0.5 ms a call.
  return isElementwise(op) && user &&
         (isElementwise(user) || isa<SoftmaxOp, LogSoftmaxOp>(user));
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

/// A softmax gradient fuses into the elementwise ops that read it when they
/// keep its shape (the scale by 1/sqrt(d), a causal mask's gradient): its
/// row sums are computed inside their kernel's loop over rows (ScheduleCPU
/// places a fused op's row helpers in its reader's loop). Not on a GPU,
/// whose schedule gives a thread per row only to a row op's own kernel.
bool fusesAsRowEpilogue(Operation *op, bool gpu) {
  if (gpu || !isa<SoftmaxGradOp>(op))
    return false;
  for (Operation *user = soleUser(op); user; user = soleUser(user)) {
    if (!isElementwise(user) || isa<PermuteOp, ReshapeOp>(user) ||
        user->getResultTypes() != op->getResultTypes())
      return false;
    if (!fusesAsElementwise(user))
      return true;
  }
  return false;
}

StringRef decide(Operation *op, bool gpu) {
  return fusesAsElementwise(op) || fusesAsEpilogue(op) || fusesAsRowEpilogue(op, gpu) ? "fuse"
                                                                                       : "root";
}

/// The GPU schedule class of a root op (see the pass description).
StringRef gpuClass(Operation *op) {
  if (isContraction(op) || isa<LinearWeightGradOp>(op))
    return "gemm";
  for (Value v : op->getOperands())
    if (Operation *def = v.getDefiningOp(); def && fusesAsEpilogue(def))
      return "gemm";
  if (isa<SoftmaxOp, LogSoftmaxOp, LayerNormOp, SoftmaxGradOp>(op))
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
          StringRef decision = decide(op, gpu);
          op->setAttr("mlc.schedule", StringAttr::get(op->getContext(), decision));
          if (gpu && decision == "root")
            op->setAttr("mlc.gpu", StringAttr::get(op->getContext(), gpuClass(op)));
        });
  }
};

} // namespace
