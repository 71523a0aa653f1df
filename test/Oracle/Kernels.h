//===- Kernels.h - Internals of the oracle's op kernels ---------*- C++ -*-===//
//
// The value table of one evaluation, index helpers shared by the kernels,
// and one entry point per op group (one .cpp each).
//
//===----------------------------------------------------------------------===//

#ifndef MLC_TEST_ORACLE_KERNELS_H
#define MLC_TEST_ORACLE_KERNELS_H

#include "Evaluator.h"

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"

#include <functional>
#include <optional>

namespace mlc::oracle {

/// The values of one function evaluation.
class Frame {
public:
  explicit Frame(const ParamMap &params) : params(params) {}

  /// The value of `v`, which dominance guarantees has been set.
  const Tensor &operator[](mlir::Value v) const;

  /// Binds `v` to `t` after checking `t`'s shape against `v`'s type: equal
  /// static dims, and every `?` equal to the one batch size N (fixed by the
  /// first `?` seen).
  mlir::LogicalResult set(mlir::Value v, Tensor t);

  const ParamMap &params;
  std::optional<int64_t> batch;

private:
  llvm::DenseMap<mlir::Value, Tensor> values;
};

/// What an op group's entry point did with an op: std::nullopt when the op
/// is not in its group.
using EvalResult = std::optional<mlir::LogicalResult>;

EvalResult evalElementwiseOp(mlir::Operation *op, Frame &frame); // ElementwiseOps.cpp
EvalResult evalShapeOp(mlir::Operation *op, Frame &frame);       // ShapeOps.cpp
EvalResult evalNNOp(mlir::Operation *op, Frame &frame);          // NNOps.cpp
EvalResult evalUpdateOp(mlir::Operation *op, Frame &frame);      // UpdateOps.cpp

//===----------------------------------------------------------------------===//
// Index helpers
//===----------------------------------------------------------------------===//

int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// Row-major strides of `shape`.
std::vector<int64_t> stridesOf(llvm::ArrayRef<int64_t> shape);

/// numpy broadcasting of concrete shapes (aligned from the right, a missing
/// dim is 1); std::nullopt when they do not broadcast.
std::optional<std::vector<int64_t>> broadcastShape(llvm::ArrayRef<int64_t> a,
                                                   llvm::ArrayRef<int64_t> b);

/// numpy `broadcast_to`; std::nullopt when `t` does not broadcast to `shape`.
std::optional<Tensor> broadcastTo(const Tensor &t, llvm::ArrayRef<int64_t> shape);

/// Calls `fn(flat, index)` for every multi-index of `shape` in row-major
/// order (`flat` counts from 0).
void forEachIndex(llvm::ArrayRef<int64_t> shape,
                  const std::function<void(int64_t, llvm::ArrayRef<int64_t>)> &fn);

/// The shape of a reduction over sorted `axes`, and for every input element
/// (row-major) the flat index of its group in that shape.
std::vector<int64_t> reduceShape(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> axes,
                                 bool keepdim);
std::vector<int64_t> reduceGroups(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> axes);

/// A tensor viewed as [outer, n, inner] around dimension `axis`.
struct AxisView {
  int64_t outer, n, inner;
  AxisView(llvm::ArrayRef<int64_t> shape, int64_t axis);
  int64_t at(int64_t o, int64_t k, int64_t i) const { return (o * n + k) * inner + i; }
};

/// Emits "<what>" at `op` and returns failure: for runtime conditions the
/// verifier cannot see (index values, inconsistent inputs).
mlir::LogicalResult fail(mlir::Operation *op, const llvm::Twine &what);

} // namespace mlc::oracle

#endif // MLC_TEST_ORACLE_KERNELS_H
