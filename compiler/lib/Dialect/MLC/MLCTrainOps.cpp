//===- MLCTrainOps.cpp - Verifiers of the backward and update ops ---------===//

#include "mlc/Dialect/MLC/MLCOps.h"
#include "mlc/Dialect/MLC/ShapeUtils.h"

using namespace mlir;
using namespace mlc;

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

LogicalResult BroadcastOp::verify() {
  auto shape = broadcastShapes(shapeOf(getInput()), shapeOf(getResult()));
  if (!shape || ArrayRef<int64_t>(*shape) != shapeOf(getResult()))
    return emitOpError("cannot broadcast ")
           << getInput().getType() << " to " << getResult().getType();
  return success();
}

LogicalResult CountOp::verify() {
  return verifyAxes(*this, getAxes(), getInput().getType().getRank());
}

LogicalResult CausalMaskGradOp::verify() {
  ArrayRef<int64_t> s = shapeOf(getInput());
  if (s.size() < 2 || s[s.size() - 1] != s[s.size() - 2] || ShapedType::isDynamic(s.back()))
    return emitOpError("'input' must be [..., T, T] with a static T, got ")
           << getInput().getType();
  return success();
}

LogicalResult MaxGradOp::verify() {
  RankedTensorType input = getInput().getType();
  if (failed(verifyAxes(*this, getAxes(), input.getRank())))
    return failure();
  auto reduced = RankedTensorType::get(
      reducedShape(input.getShape(), getAxes(), getKeepdim()), input.getElementType());
  if (getGrad().getType() != reduced)
    return emitOpError("'grad' must have the reduced type ")
           << reduced << ", got " << getGrad().getType();
  if (getResult().getType() != input)
    return emitOpError("'result' must have the type of 'input', got ")
           << getResult().getType();
  return success();
}

LogicalResult SoftmaxGradOp::verify() {
  return verifyAxis(*this, "axis", getAxisAttr().getInt(), getSoftmax().getType().getRank());
}

LogicalResult LinearWeightGradOp::verify() {
  ArrayRef<int64_t> g = shapeOf(getGrad()), x = shapeOf(getInput());
  if (g.empty() || g.size() != x.size() || g.drop_back() != x.drop_back())
    return emitOpError("'grad' and 'input' must share their leading dims, got ")
           << getGrad().getType() << " and " << getInput().getType();
  return verifyResult(*this, {g.back(), x.back()}, getGrad().getType().getElementType());
}

LogicalResult LayerNormGradOp::verify() {
  RankedTensorType input = getInput().getType();
  if (input.getRank() < 1 || getGrad().getType() != input)
    return emitOpError("'grad' must have the type of 'input' (rank >= 1), got ")
           << getGrad().getType();
  auto vec = RankedTensorType::get({input.getShape().back()}, input.getElementType());
  if (getWeight().getType() != vec || getWeightGrad().getType() != vec ||
      getBiasGrad().getType() != vec)
    return emitOpError("'weight' and the parameter gradients must be ") << vec;
  if (getInputGrad().getType() != input)
    return emitOpError("'input_grad' must have the type of 'input'");
  return success();
}

LogicalResult EmbeddingGradOp::verify() {
  ArrayRef<int64_t> ids = shapeOf(getIndices()), g = shapeOf(getGrad());
  ArrayRef<int64_t> table = shapeOf(getResult());
  if (g.size() != ids.size() + 1 || g.drop_back() != ids || g.back() != table[1])
    return emitOpError("'grad' must be [indices..., ")
           << table[1] << "], got " << getGrad().getType();
  if (ShapedType::isDynamic(table[0]) || ShapedType::isDynamic(table[1]))
    return emitOpError("'result' must be a static table, got ") << getResult().getType();
  return success();
}

LogicalResult CrossEntropyGradOp::verify() {
  ArrayRef<int64_t> l = shapeOf(getLogits()), y = shapeOf(getLabels());
  if (l.drop_back() != y)
    return emitOpError("'labels' must have the shape of 'logits' without the last dim, got ")
           << getLabels().getType();
  if (getResult().getType() != getLogits().getType())
    return emitOpError("'result' must have the type of 'logits'");
  return success();
}

LogicalResult SgdUpdateOp::verify() {
  Type t = getParam().getType();
  bool hasBuffer = getMomentumBuffer() != nullptr;
  if (getGrad().getType() != t || getNewParam().getType() != t)
    return emitOpError("'grad' and 'new_param' must have the type of 'param'");
  if (hasBuffer != (getMomentum().convertToDouble() != 0.0))
    return emitOpError("a momentum buffer is required exactly when 'momentum' is not 0");
  if (hasBuffer != (getNewMomentumBuffer() != nullptr) ||
      (hasBuffer && (getMomentumBuffer().getType() != t ||
                     getNewMomentumBuffer().getType() != t)))
    return emitOpError("the momentum buffer and its update must have the type of 'param'");
  if (getLr().convertToDouble() <= 0 || getMomentum().convertToDouble() < 0 ||
      getWeightDecay().convertToDouble() < 0)
    return emitOpError("'lr' must be > 0, 'momentum' and 'weight_decay' >= 0");
  return success();
}

LogicalResult AdamUpdateOp::verify() {
  double b1 = getBeta1().convertToDouble(), b2 = getBeta2().convertToDouble();
  if (getLr().convertToDouble() <= 0 || getEps().convertToDouble() <= 0 ||
      getWeightDecay().convertToDouble() < 0 || b1 < 0 || b1 >= 1 || b2 < 0 || b2 >= 1)
    return emitOpError("'lr' and 'eps' must be > 0, 'weight_decay' >= 0, betas in [0, 1)");
  return success();
}
