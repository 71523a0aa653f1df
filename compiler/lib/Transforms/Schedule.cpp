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

StringRef decide(Operation *op) {
  // Values that cost nothing to recompute are computed where they are used.
  if (isa<ConstantOp, IotaOp, CountOp>(op))
    return "fuse";
  if (isElementwise(op) && op->getNumResults() == 1 && op->getResult(0).hasOneUse() &&
      isElementwise(*op->getResult(0).getUsers().begin()))
    return "fuse";
  return "root";
}

struct Schedule : mlc::impl::MlcScheduleBase<Schedule> {
  void runOnOperation() override {
    for (const char *name : {"train_step", "eval_step", "predict"})
      if (auto fn = getOperation().lookupSymbol<func::FuncOp>(name))
        fn.walk([](Operation *op) {
          if (op->getDialect() && isa<MLCDialect>(op->getDialect()))
            op->setAttr("mlc.schedule", StringAttr::get(op->getContext(), decide(op)));
        });
  }
};

} // namespace
