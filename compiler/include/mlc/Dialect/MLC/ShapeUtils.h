//===- ShapeUtils.h - Shape rules shared by verifiers and gradients -*- C++ -*-===//
//
// Two dims are compatible when they are equal or both dynamic: `?` always
// stands for the batch dim N, and ShapedType::kDynamic is one sentinel, so
// compatibility is plain equality of the stored sizes.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_DIALECT_MLC_SHAPEUTILS_H
#define MLC_DIALECT_MLC_SHAPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <optional>

namespace mlc {

/// numpy broadcasting of two shapes aligned from the right. A missing dim
/// counts as a static 1; compatible dims stay, a static 1 takes the other
/// dim. Returns std::nullopt when the shapes do not broadcast.
inline std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  llvm::SmallVector<int64_t> shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da == db || db == 1)
      shape[rank - 1 - i] = da;
    else if (da == 1)
      shape[rank - 1 - i] = db;
    else
      return std::nullopt;
  }
  return shape;
}

/// The shape of a reduction over sorted `axes`: those dims removed, or kept
/// as 1 with `keepdim`.
inline llvm::SmallVector<int64_t> reducedShape(llvm::ArrayRef<int64_t> shape,
                                               llvm::ArrayRef<int64_t> axes,
                                               bool keepdim) {
  llvm::SmallVector<int64_t> out;
  for (int64_t i = 0, e = shape.size(); i < e; ++i) {
    if (!llvm::is_contained(axes, i))
      out.push_back(shape[i]);
    else if (keepdim)
      out.push_back(1);
  }
  return out;
}

/// Checks that the single result of `op` is a tensor<`shape` x `elementType`>.
inline mlir::LogicalResult verifyResult(mlir::Operation *op, llvm::ArrayRef<int64_t> shape,
                                  mlir::Type elementType) {
  mlir::Type actual = op->getResult(0).getType();
  auto expected = mlir::RankedTensorType::get(shape, elementType);
  if (actual == expected)
    return mlir::success();
  return op->emitOpError("'result' must be ") << expected << ", got " << actual;
}

inline mlir::LogicalResult verifyMinRank(mlir::Operation *op, llvm::StringRef name,
                                   mlir::RankedTensorType type, int64_t minRank) {
  if (type.getRank() >= minRank)
    return mlir::success();
  return op->emitOpError() << "'" << name << "' must have rank >= " << minRank
                           << ", got " << type;
}

inline mlir::LogicalResult verifyAxis(mlir::Operation *op, llvm::StringRef name, int64_t axis,
                                int64_t rank) {
  if (axis >= 0 && axis < rank)
    return mlir::success();
  return op->emitOpError() << "'" << name << "' must be in [0, " << rank
                           << "), got " << axis;
}

/// `axes` sorted, unique and within [0, rank).
inline mlir::LogicalResult verifyAxes(mlir::Operation *op, llvm::ArrayRef<int64_t> axes,
                                      int64_t rank) {
  for (size_t i = 0; i < axes.size(); ++i) {
    if (mlir::failed(verifyAxis(op, "axes", axes[i], rank)))
      return mlir::failure();
    if (i > 0 && axes[i - 1] >= axes[i])
      return op->emitOpError("'axes' must be sorted and unique, got [") << axes << "]";
  }
  return mlir::success();
}

} // namespace mlc

#endif // MLC_DIALECT_MLC_SHAPEUTILS_H
