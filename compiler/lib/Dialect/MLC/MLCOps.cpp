//===- MLCOps.cpp - mlc dialect ops and verifiers -------------------------===//
//
// ODS checks element types and fixed ranks; the verifiers here check the
// shape relations between operands, attributes and results.
//
// Shape rule used throughout: two dims are compatible when they are equal or
// both dynamic. A `?` always stands for the batch dim N, so a dynamic dim
// never matches a static one; since ShapedType::kDynamic is a single
// sentinel value, "compatible" is plain equality of the stored sizes.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/MLC/MLCOps.h"
#include "mlc/Dialect/MLC/ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <optional>
#include <string>

using namespace mlir;
using namespace mlc;

#define GET_OP_CLASSES
#include "mlc/Dialect/MLC/MLCOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shape helpers
//===----------------------------------------------------------------------===//

static bool compatible(int64_t a, int64_t b) { return a == b; }

static std::string dimStr(int64_t dim) {
  return ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
}

//===----------------------------------------------------------------------===//
// ParamOp
//===----------------------------------------------------------------------===//

LogicalResult ParamOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
    return emitOpError("'type' must be a statically shaped f32 tensor, got ")
           << getType();

  StringRef init = getInit();
  if (!llvm::is_contained({"uniform", "normal", "ones", "zeros"}, init))
    return emitOpError("'init' must be one of 'uniform', 'normal', 'ones', "
                       "'zeros', got '")
           << init << "'";

  double scale = getScale().convertToDouble();
  if (!(scale >= 0.0)) // also rejects NaN
    return emitOpError("'scale' must be >= 0, got ") << scale;

  if (getInitKey() && !getInitFrom())
    return emitOpError("'init_key' requires 'init_from'");
  return success();
}

//===----------------------------------------------------------------------===//
// ParamRefOp
//===----------------------------------------------------------------------===//

LogicalResult ParamRefOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto param =
      symbolTable.lookupNearestSymbolFrom<ParamOp>(*this, getParamAttr());
  if (!param)
    return emitOpError("'@") << getParam() << "' does not name an 'mlc.param'";
  if (param.getType() != getResult().getType())
    return emitOpError("result type ")
           << getResult().getType() << " does not match the type "
           << param.getType() << " of '@" << getParam() << "'";
  return success();
}

//===----------------------------------------------------------------------===//
// IotaOp
//===----------------------------------------------------------------------===//

LogicalResult IotaOp::verify() {
  if (!getResult().getType().hasStaticShape())
    return emitOpError("'result' must have a static length, got ")
           << getResult().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Binary elementwise ops
//===----------------------------------------------------------------------===//

static LogicalResult verifyBroadcastOp(Operation *op) {
  auto lhs = cast<RankedTensorType>(op->getOperand(0).getType());
  auto rhs = cast<RankedTensorType>(op->getOperand(1).getType());
  std::optional<SmallVector<int64_t>> shape =
      broadcastShapes(lhs.getShape(), rhs.getShape());
  if (!shape)
    return op->emitOpError("'lhs' and 'rhs' are not broadcast-compatible: ")
           << lhs << " vs " << rhs;
  return verifyResult(op, *shape, lhs.getElementType());
}

LogicalResult AddOp::verify() { return verifyBroadcastOp(*this); }
LogicalResult SubOp::verify() { return verifyBroadcastOp(*this); }
LogicalResult MulOp::verify() { return verifyBroadcastOp(*this); }
LogicalResult DivOp::verify() { return verifyBroadcastOp(*this); }

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  RankedTensorType lhs = getLhs().getType(), rhs = getRhs().getType();
  if (failed(verifyMinRank(*this, "lhs", lhs, 2)) ||
      failed(verifyMinRank(*this, "rhs", rhs, 2)))
    return failure();

  ArrayRef<int64_t> l = lhs.getShape(), r = rhs.getShape();
  int64_t lhsK = l.back(), rhsK = r[r.size() - 2];
  if (!compatible(lhsK, rhsK))
    return emitOpError("the last dim of 'lhs' (")
           << dimStr(lhsK) << ") must match the second-to-last dim of 'rhs' ("
           << dimStr(rhsK) << ")";

  std::optional<SmallVector<int64_t>> shape =
      broadcastShapes(l.drop_back(2), r.drop_back(2));
  if (!shape)
    return emitOpError("the batch dims of 'lhs' and 'rhs' are not "
                       "broadcast-compatible: ")
           << lhs << " vs " << rhs;
  shape->push_back(l[l.size() - 2]);
  shape->push_back(r.back());
  return verifyResult(*this, *shape, lhs.getElementType());
}

LogicalResult PermuteOp::verify() {
  RankedTensorType input = getInput().getType();
  ArrayRef<int64_t> perm = getPerm();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(perm.size()) != rank)
    return emitOpError("'perm' has ")
           << perm.size() << " entries, but 'input' has rank " << rank;

  SmallVector<bool> seen(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return emitOpError("'perm' must be a permutation of 0..")
             << rank - 1 << ", got [" << perm << "]";
    seen[p] = true;
    shape.push_back(input.getDimSize(p));
  }
  return verifyResult(*this, shape, input.getElementType());
}

LogicalResult ReshapeOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType result = getResult().getType();
  if (input.getElementType() != result.getElementType())
    return emitOpError("'result' element type must match 'input', got ")
           << input << " and " << result;

  if (input.getNumDynamicDims() > 1)
    return emitOpError("'input' may have at most one dynamic dim (the batch "
                       "dim), got ")
           << input;
  if (input.getNumDynamicDims() != result.getNumDynamicDims())
    return emitOpError("'input' and 'result' must have the same number of "
                       "dynamic dims, got ")
           << input << " and " << result;

  auto staticProduct = [](RankedTensorType type) {
    int64_t product = 1;
    for (int64_t dim : type.getShape())
      if (!ShapedType::isDynamic(dim))
        product *= dim;
    return product;
  };
  int64_t inCount = staticProduct(input), outCount = staticProduct(result);
  if (inCount != outCount)
    return emitOpError("'input' and 'result' must have the same number of "
                       "static elements, got ")
           << inCount << " and " << outCount;
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions and normalisations
//===----------------------------------------------------------------------===//

template <typename OpTy> static LogicalResult verifyReduction(OpTy op) {
  RankedTensorType input = op.getInput().getType();
  if (failed(verifyAxes(op, op.getAxes(), input.getRank())))
    return failure();
  return verifyResult(op, reducedShape(input.getShape(), op.getAxes(), op.getKeepdim()),
                      input.getElementType());
}
LogicalResult SumOp::verify() { return verifyReduction(*this); }
LogicalResult MeanOp::verify() { return verifyReduction(*this); }
LogicalResult MaxOp::verify() { return verifyReduction(*this); }

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, "axis", getAxisAttr().getInt(),
                    getInput().getType().getRank());
}

LogicalResult LogSoftmaxOp::verify() {
  return verifyAxis(*this, "axis", getAxisAttr().getInt(),
                    getInput().getType().getRank());
}

//===----------------------------------------------------------------------===//
// Neural-network layers
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType weight = getWeight().getType();
  if (failed(verifyMinRank(*this, "input", input, 1)))
    return failure();

  int64_t outFeatures = weight.getDimSize(0);
  int64_t inFeatures = weight.getDimSize(1);
  if (!compatible(input.getShape().back(), inFeatures))
    return emitOpError("the last dim of 'input' (")
           << dimStr(input.getShape().back())
           << ") must match dim 1 of 'weight' (" << dimStr(inFeatures) << ")";
  if (Value bias = getBias()) {
    int64_t biasDim = cast<RankedTensorType>(bias.getType()).getDimSize(0);
    if (!compatible(biasDim, outFeatures))
      return emitOpError("dim 0 of 'bias' (")
             << dimStr(biasDim) << ") must match dim 0 of 'weight' ("
             << dimStr(outFeatures) << ")";
  }

  SmallVector<int64_t> shape(input.getShape().drop_back());
  shape.push_back(outFeatures);
  return verifyResult(*this, shape, input.getElementType());
}

LogicalResult LayerNormOp::verify() {
  RankedTensorType input = getInput().getType();
  if (failed(verifyMinRank(*this, "input", input, 1)))
    return failure();

  int64_t features = input.getShape().back();
  for (auto [name, value] : {std::pair<StringRef, Value>{"weight", getWeight()},
                             std::pair<StringRef, Value>{"bias", getBias()}}) {
    int64_t dim = cast<RankedTensorType>(value.getType()).getDimSize(0);
    if (!compatible(dim, features))
      return emitOpError("dim 0 of '")
             << name << "' (" << dimStr(dim)
             << ") must match the last dim of 'input' (" << dimStr(features)
             << ")";
  }

  double eps = getEps().convertToDouble();
  if (!(eps >= 0.0)) // also rejects NaN
    return emitOpError("'eps' must be >= 0, got ") << eps;
  return verifyResult(*this, input.getShape(), input.getElementType());
}

LogicalResult EmbeddingOp::verify() {
  RankedTensorType weight = getWeight().getType();
  SmallVector<int64_t> shape(getIndices().getType().getShape());
  shape.push_back(weight.getDimSize(1));
  return verifyResult(*this, shape, weight.getElementType());
}

LogicalResult CausalMaskOp::verify() {
  RankedTensorType input = getInput().getType();
  if (failed(verifyMinRank(*this, "input", input, 2)))
    return failure();
  ArrayRef<int64_t> shape = input.getShape();
  if (!compatible(shape[shape.size() - 2], shape.back()))
    return emitOpError("the last two dims of 'input' must be equal (scores "
                       "[..., T, T]), got ")
           << input;
  return success();
}

//===----------------------------------------------------------------------===//
// Losses and metrics
//===----------------------------------------------------------------------===//

LogicalResult MseLossOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType target = getTarget().getType();
  if (input.getShape() != target.getShape())
    return emitOpError("'input' and 'target' must have the same shape, got ")
           << input << " and " << target;
  return success();
}

/// Labels are the logits' shape without the class dim: [B] for [B, C],
/// [B, T] for [B, T, C].
template <typename OpTy> static LogicalResult verifyLogitsAndLabels(OpTy op) {
  RankedTensorType logits = op.getLogits().getType();
  RankedTensorType labels = op.getLabels().getType();
  auto expected = RankedTensorType::get(logits.getShape().drop_back(),
                                        labels.getElementType());
  if (labels != expected)
    return op.emitOpError("'labels' must be ")
           << expected << " (the shape of 'logits' without its last dim), got "
           << labels;
  return success();
}

LogicalResult CrossEntropyOp::verify() { return verifyLogitsAndLabels(*this); }
LogicalResult AccuracyOp::verify() { return verifyLogitsAndLabels(*this); }
