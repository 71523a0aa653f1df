//===- ElementwiseOps.cpp - Oracle kernels: elementwise ops ---------------===//
//
// add/sub/mul/div (numpy broadcasting), the unary ops, mlc.broadcast and the
// activation gradients.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace mlc::oracle {

static LogicalResult binary(Operation *op, Frame &f, double (*fn)(double, double)) {
  const Tensor &a = f[op->getOperand(0)], &b = f[op->getOperand(1)];
  auto shape = broadcastShape(a.shape, b.shape);
  if (!shape)
    return fail(op, "operand shapes " + shapeToString(a.shape) + " and " + shapeToString(b.shape) +
                        " do not broadcast");
  Tensor l = *broadcastTo(a, *shape), r = *broadcastTo(b, *shape);
  for (int64_t i = 0; i < l.size(); ++i)
    l.data[i] = fn(l.data[i], r.data[i]);
  return f.set(op->getResult(0), std::move(l));
}

static LogicalResult unary(Operation *op, Frame &f, double (*fn)(double)) {
  Tensor t = f[op->getOperand(0)];
  for (double &x : t.data)
    x = fn(x);
  return f.set(op->getResult(0), std::move(t));
}

/// `dx = dy * derivative(x)` for the activation gradient ops.
static LogicalResult activationGrad(Operation *op, Frame &f, double (*derivative)(double)) {
  const Tensor &x = f[op->getOperand(0)];
  Tensor dy = f[op->getOperand(1)];
  if (x.shape != dy.shape)
    return fail(op, "'input' and 'grad' differ in shape");
  for (int64_t i = 0; i < dy.size(); ++i)
    dy.data[i] *= derivative(x.data[i]);
  return f.set(op->getResult(0), std::move(dy));
}

static double normalCdf(double x) { return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0))); }
static double normalPdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI); }

EvalResult evalElementwiseOp(Operation *op, Frame &f) {
  return llvm::TypeSwitch<Operation *, EvalResult>(op)
      .Case([&](AddOp) { return binary(op, f, [](double a, double b) { return a + b; }); })
      .Case([&](SubOp) { return binary(op, f, [](double a, double b) { return a - b; }); })
      .Case([&](MulOp) { return binary(op, f, [](double a, double b) { return a * b; }); })
      .Case([&](DivOp) { return binary(op, f, [](double a, double b) { return a / b; }); })
      .Case([&](NegOp) { return unary(op, f, [](double x) { return -x; }); })
      .Case([&](ExpOp) { return unary(op, f, [](double x) { return std::exp(x); }); })
      .Case([&](LogOp) { return unary(op, f, [](double x) { return std::log(x); }); })
      .Case([&](SqrtOp) { return unary(op, f, [](double x) { return std::sqrt(x); }); })
      .Case([&](TanhOp) { return unary(op, f, [](double x) { return std::tanh(x); }); })
      .Case([&](SigmoidOp) {
        return unary(op, f, [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
      })
      .Case([&](ReluOp) { return unary(op, f, [](double x) { return x > 0 ? x : 0.0; }); })
      .Case([&](GeluOp) { return unary(op, f, [](double x) { return x * normalCdf(x); }); })
      .Case([&](BroadcastOp o) -> LogicalResult {
        // The target shape is the result type with `?` = N, which the
        // input's `?` (if any) has already fixed.
        const Tensor &in = f[o.getInput()];
        std::vector<int64_t> shape;
        for (int64_t d : o.getResult().getType().getShape()) {
          if (ShapedType::isDynamic(d) && !f.batch)
            return fail(op, "the batch size N is unknown");
          shape.push_back(ShapedType::isDynamic(d) ? *f.batch : d);
        }
        std::optional<Tensor> out = broadcastTo(in, shape);
        if (!out)
          return fail(op, "cannot broadcast " + shapeToString(in.shape) + " to " +
                              shapeToString(shape));
        return f.set(o.getResult(), std::move(*out));
      })
      .Case([&](ReluGradOp) {
        return activationGrad(op, f, [](double x) { return x > 0 ? 1.0 : 0.0; });
      })
      .Case([&](GeluGradOp) {
        return activationGrad(op, f, [](double x) { return normalCdf(x) + x * normalPdf(x); });
      })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace mlc::oracle
