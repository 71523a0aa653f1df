//===- UpdateOps.cpp - Oracle kernels: optimizer updates ------------------===//
//
// sgd_update and adam_update, line by line from the formulas in their op
// descriptions (PyTorch's torch.optim.SGD and Adam/AdamW).
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace mlc::oracle {

static LogicalResult sgdUpdate(SgdUpdateOp op, Frame &f) {
  Tensor param = f[op.getParam()];
  const Tensor &grad = f[op.getGrad()];
  double lr = op.getLr().convertToDouble();
  double momentum = op.getMomentum().convertToDouble();
  double wd = op.getWeightDecay().convertToDouble();
  bool hasBuffer = op.getMomentumBuffer() != nullptr;
  Tensor buf = hasBuffer ? f[op.getMomentumBuffer()] : Tensor();
  if (grad.shape != param.shape || (hasBuffer && buf.shape != param.shape))
    return fail(op, "'grad' and the momentum buffer must have the shape of 'param'");
  for (int64_t i = 0; i < param.size(); ++i) {
    double g = grad.data[i] + wd * param.data[i];
    if (hasBuffer) {
      buf.data[i] = momentum * buf.data[i] + g;
      g = buf.data[i];
    }
    param.data[i] -= lr * g;
  }
  if (failed(f.set(op.getNewParam(), std::move(param))))
    return failure();
  if (!hasBuffer)
    return success();
  return f.set(op.getNewMomentumBuffer(), std::move(buf));
}

static LogicalResult adamUpdate(AdamUpdateOp op, Frame &f) {
  Tensor param = f[op.getParam()];
  const Tensor &grad = f[op.getGrad()];
  Tensor m = f[op.getExpAvg()], v = f[op.getExpAvgSq()];
  double step = f[op.getStep()].data[0];
  if (!(step >= 1) || step != std::floor(step))
    return op->emitError() << "mlc-oracle: the step must be an integer >= 1, got " << step;
  if (grad.shape != param.shape || m.shape != param.shape || v.shape != param.shape)
    return fail(op, "'grad' and the moments must have the shape of 'param'");
  double lr = op.getLr().convertToDouble();
  double beta1 = op.getBeta1().convertToDouble();
  double beta2 = op.getBeta2().convertToDouble();
  double eps = op.getEps().convertToDouble();
  double wd = op.getWeightDecay().convertToDouble();
  double bias1 = 1 - std::pow(beta1, step), bias2 = 1 - std::pow(beta2, step);
  for (int64_t i = 0; i < param.size(); ++i) {
    double g = grad.data[i];
    if (op.getDecoupled())
      param.data[i] *= 1 - lr * wd; // AdamW
    else
      g += wd * param.data[i]; // Adam
    m.data[i] = beta1 * m.data[i] + (1 - beta1) * g;
    v.data[i] = beta2 * v.data[i] + (1 - beta2) * g * g;
    double denom = std::sqrt(v.data[i]) / std::sqrt(bias2) + eps;
    param.data[i] -= lr / bias1 * m.data[i] / denom;
  }
  if (failed(f.set(op.getNewParam(), std::move(param))) ||
      failed(f.set(op.getNewExpAvg(), std::move(m))))
    return failure();
  return f.set(op.getNewExpAvgSq(), std::move(v));
}

EvalResult evalUpdateOp(Operation *op, Frame &f) {
  return llvm::TypeSwitch<Operation *, EvalResult>(op)
      .Case([&](SgdUpdateOp o) { return sgdUpdate(o, f); })
      .Case([&](AdamUpdateOp o) { return adamUpdate(o, f); })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace mlc::oracle
