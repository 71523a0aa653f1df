//===- Gradients.cpp - One vector-Jacobian product rule per op ------------===//
//
// The whole gradient table of the mlc dialect, so the math can be audited in
// one place. Each rule receives the adjoint `dy` of its result and builds the
// adjoint of every operand that autodiff wants, of that operand's exact type:
// broadcasting in the forward becomes a sum in the backward (reduceTo), a
// reduction becomes a broadcast (expand).
//
// Notation: x, y = forward input and result; dy = adjoint of y.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/MLC/MLCOps.h"
#include "mlc/Dialect/MLC/ShapeUtils.h"

using namespace mlir;
using namespace mlc;

#include "mlc/Dialect/MLC/MLCInterfaces.cpp.inc"

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// A 0-d f32 constant.
Value scalar(OpBuilder &b, Location loc, double v) {
  return b.create<ConstantOp>(loc, RankedTensorType::get({}, b.getF32Type()), v);
}

/// Elementwise binary op with the broadcast result type.
template <typename OpTy> Value binary(OpBuilder &b, Location loc, Value l, Value r) {
  auto shape = broadcastShapes(typeOf(l).getShape(), typeOf(r).getShape());
  return b.create<OpTy>(loc, RankedTensorType::get(*shape, b.getF32Type()), l, r);
}

/// Sums `g` over the dims that broadcasting stretched, back to `target`.
Value reduceTo(OpBuilder &b, Location loc, Value g, RankedTensorType target) {
  if (g.getType() == target)
    return g;
  ArrayRef<int64_t> gs = typeOf(g).getShape(), ts = target.getShape();
  int64_t lead = gs.size() - ts.size();
  SmallVector<int64_t> axes;
  for (int64_t i = 0; i < static_cast<int64_t>(gs.size()); ++i)
    if (i < lead || (ts[i - lead] == 1 && gs[i] != 1))
      axes.push_back(i);
  Value s = g;
  if (!axes.empty()) {
    // Only leading dims summed (a bias's gradient): the sum has the target's
    // shape already, with no reshape after it for the optimizer to read
    // through (its kernel then reads buffers only: Kernel::anyShape).
    bool keepdim = llvm::any_of(axes, [&](int64_t a) { return a >= lead; });
    auto t = RankedTensorType::get(reducedShape(gs, axes, keepdim), b.getF32Type());
    s = b.create<SumOp>(loc, t, g, b.getDenseI64ArrayAttr(axes),
                        keepdim ? b.getUnitAttr() : nullptr);
  }
  return s.getType() == target ? s : b.create<ReshapeOp>(loc, target, s);
}

/// Sends the adjoint of a reduction over `axes` back to every input element.
Value expand(OpBuilder &b, Location loc, Value g, RankedTensorType input,
             ArrayRef<int64_t> axes, bool keepdim) {
  if (!keepdim) {
    auto kept = RankedTensorType::get(reducedShape(input.getShape(), axes, true),
                                      b.getF32Type());
    g = b.create<ReshapeOp>(loc, kept, g);
  }
  return g.getType() == input ? g : b.create<BroadcastOp>(loc, input, g);
}

SmallVector<int64_t> allAxes(RankedTensorType t) {
  SmallVector<int64_t> axes;
  for (int64_t i = 0; i < t.getRank(); ++i)
    axes.push_back(i);
  return axes;
}

/// Swaps the last two dims.
Value transposeLast(OpBuilder &b, Location loc, Value v) {
  RankedTensorType t = typeOf(v);
  SmallVector<int64_t> perm = allAxes(t), shape(t.getShape());
  std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
  std::swap(shape[shape.size() - 1], shape[shape.size() - 2]);
  return b.create<PermuteOp>(loc, RankedTensorType::get(shape, t.getElementType()), v,
                             b.getDenseI64ArrayAttr(perm));
}

/// Matmul with the broadcast batch shape.
Value matmul(OpBuilder &b, Location loc, Value l, Value r) {
  ArrayRef<int64_t> ls = typeOf(l).getShape(), rs = typeOf(r).getShape();
  SmallVector<int64_t> shape = *broadcastShapes(ls.drop_back(2), rs.drop_back(2));
  shape.append({ls[ls.size() - 2], rs.back()});
  return b.create<MatmulOp>(loc, RankedTensorType::get(shape, b.getF32Type()), l, r);
}

/// Shared shape of every rule: fill `grads` with nulls, run `rule`.
template <typename F>
LogicalResult vjp(Operation *op, SmallVectorImpl<Value> &grads, F rule) {
  grads.assign(op->getNumOperands(), Value());
  rule();
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Elementwise binary ops: broadcast operands get their adjoint summed back.
//===----------------------------------------------------------------------===//

LogicalResult AddOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                              SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] {
    if (want[0]) grads[0] = reduceTo(b, getLoc(), dy[0], getLhs().getType()); // dl = dy
    if (want[1]) grads[1] = reduceTo(b, getLoc(), dy[0], getRhs().getType()); // dr = dy
  });
}

LogicalResult SubOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                              SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] {
    if (want[0]) grads[0] = reduceTo(b, getLoc(), dy[0], getLhs().getType()); // dl = dy
    if (want[1])                                                                 // dr = -dy
      grads[1] = reduceTo(b, getLoc(), b.create<NegOp>(getLoc(), dy[0]), getRhs().getType());
  });
}

LogicalResult MulOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                              SmallVectorImpl<Value> &grads) {
  Location l = getLoc();
  return vjp(*this, grads, [&] {
    if (want[0]) // dl = dy * r
      grads[0] = reduceTo(b, l, binary<MulOp>(b, l, dy[0], getRhs()), getLhs().getType());
    if (want[1]) // dr = dy * l
      grads[1] = reduceTo(b, l, binary<MulOp>(b, l, dy[0], getLhs()), getRhs().getType());
  });
}

LogicalResult DivOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                              SmallVectorImpl<Value> &grads) {
  Location l = getLoc();
  return vjp(*this, grads, [&] {
    if (want[0]) // dl = dy / r
      grads[0] = reduceTo(b, l, binary<DivOp>(b, l, dy[0], getRhs()), getLhs().getType());
    if (want[1]) { // dr = -dy * l / r^2 = -(dy * y) / r
      Value t = binary<DivOp>(b, l, binary<MulOp>(b, l, dy[0], getResult()), getRhs());
      grads[1] = reduceTo(b, l, b.create<NegOp>(l, t), getRhs().getType());
    }
  });
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

LogicalResult NegOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                              SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { grads[0] = b.create<NegOp>(getLoc(), dy[0]); }); // -dy
}

LogicalResult ExpOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                              SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // dy * y
    grads[0] = binary<MulOp>(b, getLoc(), dy[0], getResult());
  });
}

LogicalResult LogOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                              SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // dy / x
    grads[0] = binary<DivOp>(b, getLoc(), dy[0], getInput());
  });
}

LogicalResult SqrtOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                               SmallVectorImpl<Value> &grads) {
  Location l = getLoc();
  return vjp(*this, grads, [&] { // dy / (2 y)
    grads[0] = binary<DivOp>(b, l, dy[0], binary<MulOp>(b, l, getResult(), scalar(b, l, 2)));
  });
}

LogicalResult TanhOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                               SmallVectorImpl<Value> &grads) {
  Location l = getLoc();
  return vjp(*this, grads, [&] { // dy * (1 - y^2)
    Value y = getResult();
    Value one = scalar(b, l, 1); // ops in a fixed order: no two builds in one call
    Value d = binary<SubOp>(b, l, one, binary<MulOp>(b, l, y, y));
    grads[0] = binary<MulOp>(b, l, dy[0], d);
  });
}

LogicalResult SigmoidOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                  SmallVectorImpl<Value> &grads) {
  Location l = getLoc();
  return vjp(*this, grads, [&] { // dy * y * (1 - y)
    Value y = getResult();
    Value d = binary<MulOp>(b, l, y, binary<SubOp>(b, l, scalar(b, l, 1), y));
    grads[0] = binary<MulOp>(b, l, dy[0], d);
  });
}

LogicalResult ReluOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                               SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // dy * (relu(x) > 0): see MLC_ReluGradOp
    grads[0] = b.create<ReluGradOp>(getLoc(), getInput().getType(), getResult(), dy[0]);
  });
}

LogicalResult GeluOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                               SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // dy * (Phi(x) + x phi(x))
    grads[0] = b.create<GeluGradOp>(getLoc(), getInput().getType(), getInput(), dy[0]);
  });
}

//===----------------------------------------------------------------------===//
// Shape ops and contractions
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                 SmallVectorImpl<Value> &grads) {
  Location l = getLoc();
  return vjp(*this, grads, [&] {
    if (want[0]) // dA = dy @ B^T, summed over broadcast batch dims
      grads[0] = reduceTo(b, l, matmul(b, l, dy[0], transposeLast(b, l, getRhs())),
                          getLhs().getType());
    if (want[1]) // dB = A^T @ dy
      grads[1] = reduceTo(b, l, matmul(b, l, transposeLast(b, l, getLhs()), dy[0]),
                          getRhs().getType());
  });
}

LogicalResult PermuteOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                  SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // the inverse permutation
    ArrayRef<int64_t> perm = getPerm();
    SmallVector<int64_t> inverse(perm.size());
    for (size_t i = 0; i < perm.size(); ++i)
      inverse[perm[i]] = i;
    grads[0] = b.create<PermuteOp>(getLoc(), getInput().getType(), dy[0],
                                   b.getDenseI64ArrayAttr(inverse));
  });
}

LogicalResult ReshapeOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                  SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // reshape back
    grads[0] = b.create<ReshapeOp>(getLoc(), getInput().getType(), dy[0]);
  });
}

//===----------------------------------------------------------------------===//
// Reductions and normalisations
//===----------------------------------------------------------------------===//

LogicalResult SumOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                              SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // dy broadcast back
    grads[0] = expand(b, getLoc(), dy[0], getInput().getType(), getAxes(), getKeepdim());
  });
}

LogicalResult MeanOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                               SmallVectorImpl<Value> &grads) {
  Location l = getLoc();
  return vjp(*this, grads, [&] { // dy broadcast back / count
    Value g = expand(b, l, dy[0], getInput().getType(), getAxes(), getKeepdim());
    Value n = b.create<CountOp>(l, RankedTensorType::get({}, b.getF32Type()), getInput(),
                                getAxesAttr());
    grads[0] = binary<DivOp>(b, l, g, n);
  });
}

LogicalResult MaxOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                              SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // dy at the (first) maximum
    grads[0] = b.create<MaxGradOp>(getLoc(), getInput().getType(), getInput(), dy[0],
                                   getAxesAttr(), getKeepdimAttr());
  });
}

LogicalResult SoftmaxOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                  SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // y * (dy - sum(dy * y, axis))
    grads[0] = b.create<SoftmaxGradOp>(getLoc(), getResult().getType(), getResult(), dy[0],
                                       getAxisAttr());
  });
}

LogicalResult LogSoftmaxOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                     SmallVectorImpl<Value> &grads) {
  Location l = getLoc();
  return vjp(*this, grads, [&] { // dy - exp(y) * sum(dy, axis)
    RankedTensorType t = typeOf(getResult());
    SmallVector<int64_t> axis = {static_cast<int64_t>(getAxis())};
    auto kept = RankedTensorType::get(reducedShape(t.getShape(), axis, true), b.getF32Type());
    Value s = b.create<SumOp>(l, kept, dy[0], b.getDenseI64ArrayAttr(axis), b.getUnitAttr());
    Value p = b.create<ExpOp>(l, getResult());
    grads[0] = binary<SubOp>(b, l, dy[0], binary<MulOp>(b, l, p, s));
  });
}

LogicalResult LayerNormOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                    SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // one kernel for dx, dw, db
    auto g = b.create<LayerNormGradOp>(getLoc(), getInput(), getWeight(), dy[0],
                                       getEps().convertToDouble());
    if (want[0]) grads[0] = g.getInputGrad();
    if (want[1]) grads[1] = g.getWeightGrad();
    if (want[2]) grads[2] = g.getBiasGrad();
  });
}

//===----------------------------------------------------------------------===//
// Layers, masks, losses
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                 SmallVectorImpl<Value> &grads) {
  Location l = getLoc();
  return vjp(*this, grads, [&] {
    Value g = dy[0];
    if (want[0]) { // dx = dy @ W  (a rank-1 input goes through [1, out])
      RankedTensorType xt = getInput().getType();
      Value g2 = g;
      if (xt.getRank() == 1)
        g2 = b.create<ReshapeOp>(l, RankedTensorType::get({1, typeOf(g).getDimSize(0)},
                                                          b.getF32Type()), g);
      Value dx = matmul(b, l, g2, getWeight());
      grads[0] = dx.getType() == xt ? dx : b.create<ReshapeOp>(l, xt, dx);
    }
    if (want[1]) // dW = sum over positions of dy^T x
      grads[1] = b.create<LinearWeightGradOp>(l, getWeight().getType(), g, getInput());
    if (getBias() && want[2]) // db = sum over positions of dy
      grads[2] = reduceTo(b, l, g, getBias().getType());
  });
}

bool EmbeddingOp::isDifferentiableOperand(unsigned index) { return index == 0; }

LogicalResult EmbeddingOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                    SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // scatter-add dy rows into the table
    grads[0] = b.create<EmbeddingGradOp>(getLoc(), getWeight().getType(), getIndices(), dy[0]);
  });
}

LogicalResult CausalMaskOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                     SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // masked scores get no gradient
    grads[0] = b.create<CausalMaskGradOp>(getLoc(), dy[0].getType(), dy[0]);
  });
}

LogicalResult MseLossOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                  SmallVectorImpl<Value> &grads) {
  Location l = getLoc();
  return vjp(*this, grads, [&] { // dx = 2 (x - t) dy / count, dt = -dx
    RankedTensorType t = getInput().getType();
    Value n = b.create<CountOp>(l, RankedTensorType::get({}, b.getF32Type()), getInput(),
                                b.getDenseI64ArrayAttr(allAxes(t)));
    Value scale = binary<DivOp>(b, l, binary<MulOp>(b, l, dy[0], scalar(b, l, 2)), n);
    Value dx = binary<MulOp>(b, l, binary<SubOp>(b, l, getInput(), getTarget()), scale);
    if (want[0]) grads[0] = dx;
    if (want[1]) grads[1] = b.create<NegOp>(l, dx);
  });
}

bool CrossEntropyOp::isDifferentiableOperand(unsigned index) { return index == 0; }

LogicalResult CrossEntropyOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy, ArrayRef<bool> want,
                                       SmallVectorImpl<Value> &grads) {
  return vjp(*this, grads, [&] { // (softmax(z) - onehot(y)) dy / positions
    grads[0] = b.create<CrossEntropyGradOp>(getLoc(), getLogits(), getLabels(), dy[0]);
  });
}
