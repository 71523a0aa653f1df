//===- ShapeOps.cpp - Oracle kernels: shape ops and reductions ------------===//
//
// matmul, permute, reshape, sum/mean/max and their helpers count and
// max_grad, softmax, log_softmax and softmax_grad.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace mlc::oracle {

static LogicalResult matmul(MatmulOp op, Frame &f) {
  const Tensor &a = f[op.getLhs()], &b = f[op.getRhs()];
  if (a.rank() < 2 || b.rank() < 2)
    return fail(op, "operands must have rank >= 2");
  int64_t m = a.shape[a.rank() - 2], k = a.shape.back();
  int64_t p = b.shape.back();
  if (b.shape[b.rank() - 2] != k)
    return fail(op, "contraction dims differ: " + shapeToString(a.shape) + " x " +
                        shapeToString(b.shape));
  ArrayRef<int64_t> batchA = ArrayRef<int64_t>(a.shape).drop_back(2);
  ArrayRef<int64_t> batchB = ArrayRef<int64_t>(b.shape).drop_back(2);
  auto batch = broadcastShape(batchA, batchB);
  if (!batch)
    return fail(op, "batch dims do not broadcast");
  // Materialise both operands over the common batch shape, then one plain
  // [M, K] x [K, P] product per batch entry.
  auto with = [&](int64_t r, int64_t c) {
    std::vector<int64_t> s = *batch;
    s.push_back(r);
    s.push_back(c);
    return s;
  };
  Tensor l = *broadcastTo(a, with(m, k)), r = *broadcastTo(b, with(k, p));
  Tensor out(with(m, p));
  for (int64_t bi = 0, nb = numElements(*batch); bi < nb; ++bi) {
    const double *x = &l.data[bi * m * k], *y = &r.data[bi * k * p];
    double *z = &out.data[bi * m * p];
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < p; ++j) {
        double s = 0;
        for (int64_t kk = 0; kk < k; ++kk)
          s += x[i * k + kk] * y[kk * p + j];
        z[i * p + j] = s;
      }
  }
  return f.set(op.getResult(), std::move(out));
}

static LogicalResult permute(PermuteOp op, Frame &f) {
  const Tensor &in = f[op.getInput()];
  ArrayRef<int64_t> perm = op.getPerm();
  std::vector<int64_t> shape, inStrides = stridesOf(in.shape);
  for (int64_t p : perm)
    shape.push_back(in.shape[p]);
  Tensor out(shape);
  forEachIndex(shape, [&](int64_t flat, ArrayRef<int64_t> idx) {
    int64_t src = 0;
    for (size_t i = 0; i < idx.size(); ++i)
      src += idx[i] * inStrides[perm[i]]; // result dim i is input dim perm[i]
    out.data[flat] = in.data[src];
  });
  return f.set(op.getResult(), std::move(out));
}

static LogicalResult reshape(ReshapeOp op, Frame &f) {
  Tensor t = f[op.getInput()];
  // Row-major: the data stays; a `?` in the result takes whatever size the
  // element count leaves for it (Frame::set then checks it is N).
  ArrayRef<int64_t> type = op.getResult().getType().getShape();
  int64_t known = 1;
  for (int64_t d : type)
    known *= ShapedType::isDynamic(d) ? 1 : d;
  if (known == 0 || t.size() % known != 0)
    return fail(op, "cannot reshape " + shapeToString(t.shape) + " to the result type");
  t.shape.assign(type.begin(), type.end());
  for (int64_t &d : t.shape)
    if (ShapedType::isDynamic(d))
      d = t.size() / known;
  if (numElements(t.shape) != t.size())
    return fail(op, "cannot reshape to " + shapeToString(t.shape));
  return f.set(op.getResult(), std::move(t));
}

enum class Reduction { Sum, Mean, Max };

static LogicalResult reduce(Operation *op, ArrayRef<int64_t> axes, bool keepdim, Reduction kind,
                            Frame &f) {
  const Tensor &in = f[op->getOperand(0)];
  Tensor out(reduceShape(in.shape, axes, keepdim));
  std::vector<int64_t> groups = reduceGroups(in.shape, axes);
  if (kind == Reduction::Max) {
    std::vector<bool> seen(out.size(), false);
    for (int64_t i = 0; i < in.size(); ++i) {
      int64_t g = groups[i];
      if (!seen[g] || in.data[i] > out.data[g])
        out.data[g] = in.data[i];
      seen[g] = true;
    }
    return f.set(op->getResult(0), std::move(out));
  }
  for (int64_t i = 0; i < in.size(); ++i)
    out.data[groups[i]] += in.data[i];
  if (kind == Reduction::Mean) {
    double count = static_cast<double>(in.size()) / static_cast<double>(out.size());
    for (double &x : out.data)
      x /= count;
  }
  return f.set(op->getResult(0), std::move(out));
}

static LogicalResult maxGrad(MaxGradOp op, Frame &f) {
  const Tensor &in = f[op.getInput()], &dy = f[op.getGrad()];
  std::vector<int64_t> groups = reduceGroups(in.shape, op.getAxes());
  int64_t numGroups = numElements(reduceShape(in.shape, op.getAxes(), false));
  if (dy.size() != numGroups)
    return fail(op, "'grad' has " + Twine(dy.size()) + " elements, expected " + Twine(numGroups));
  // The first maximum in row-major order of each group: a strict `>` while
  // scanning in order.
  std::vector<int64_t> argmax(numGroups, -1);
  for (int64_t i = 0; i < in.size(); ++i) {
    int64_t &best = argmax[groups[i]];
    if (best < 0 || in.data[i] > in.data[best])
      best = i;
  }
  Tensor out(in.shape);
  for (int64_t g = 0; g < numGroups; ++g)
    out.data[argmax[g]] = dy.data[g];
  return f.set(op.getResult(), std::move(out));
}

static LogicalResult count(CountOp op, Frame &f) {
  const Tensor &in = f[op.getInput()];
  double n = 1;
  for (int64_t i = 0; i < in.rank(); ++i)
    if (op.getAxes().empty() || llvm::is_contained(op.getAxes(), i))
      n *= static_cast<double>(in.shape[i]);
  return f.set(op.getResult(), Tensor({}, n));
}

static LogicalResult softmax(Operation *op, int64_t axis, bool log, Frame &f) {
  Tensor t = f[op->getOperand(0)];
  if (axis < 0 || axis >= t.rank())
    return fail(op, "'axis' out of range");
  AxisView v(t.shape, axis);
  for (int64_t o = 0; o < v.outer; ++o)
    for (int64_t i = 0; i < v.inner; ++i) {
      double m = -std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < v.n; ++k)
        m = std::max(m, t.data[v.at(o, k, i)]);
      double s = 0;
      for (int64_t k = 0; k < v.n; ++k)
        s += std::exp(t.data[v.at(o, k, i)] - m);
      for (int64_t k = 0; k < v.n; ++k) {
        double &x = t.data[v.at(o, k, i)];
        x = log ? x - m - std::log(s) : std::exp(x - m) / s;
      }
    }
  return f.set(op->getResult(0), std::move(t));
}

/// y * (dy - sum(dy * y)) along the axis, from softmax_grad's formula.
static LogicalResult softmaxGrad(SoftmaxGradOp op, Frame &f) {
  const Tensor &y = f[op.getSoftmax()], &dy = f[op.getGrad()];
  int64_t axis = op.getAxis();
  if (axis < 0 || axis >= y.rank())
    return fail(op, "'axis' out of range");
  Tensor dx = y;
  AxisView v(y.shape, axis);
  for (int64_t o = 0; o < v.outer; ++o)
    for (int64_t i = 0; i < v.inner; ++i) {
      double s = 0;
      for (int64_t k = 0; k < v.n; ++k)
        s += dy.data[v.at(o, k, i)] * y.data[v.at(o, k, i)];
      for (int64_t k = 0; k < v.n; ++k)
        dx.data[v.at(o, k, i)] = y.data[v.at(o, k, i)] * (dy.data[v.at(o, k, i)] - s);
    }
  return f.set(op.getResult(), std::move(dx));
}

EvalResult evalShapeOp(Operation *op, Frame &f) {
  return llvm::TypeSwitch<Operation *, EvalResult>(op)
      .Case([&](MatmulOp o) { return matmul(o, f); })
      .Case([&](PermuteOp o) { return permute(o, f); })
      .Case([&](ReshapeOp o) { return reshape(o, f); })
      .Case([&](SumOp o) { return reduce(o, o.getAxes(), o.getKeepdim(), Reduction::Sum, f); })
      .Case([&](MeanOp o) { return reduce(o, o.getAxes(), o.getKeepdim(), Reduction::Mean, f); })
      .Case([&](MaxOp o) { return reduce(o, o.getAxes(), o.getKeepdim(), Reduction::Max, f); })
      .Case([&](MaxGradOp o) { return maxGrad(o, f); })
      .Case([&](CountOp o) { return count(o, f); })
      .Case([&](SoftmaxOp o) { return softmax(o, o.getAxis(), /*log=*/false, f); })
      .Case([&](LogSoftmaxOp o) { return softmax(o, o.getAxis(), /*log=*/true, f); })
      .Case([&](SoftmaxGradOp o) { return softmaxGrad(o, f); })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace mlc::oracle
