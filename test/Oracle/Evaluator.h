//===- Evaluator.h - Reference evaluator of the mlc dialect -----*- C++ -*-===//
//
// A test oracle: runs a `func.func` of mlc ops elementwise in double
// precision, straight from the op descriptions in MLCOps.td and
// MLCTrainOps.td. It is deliberately naive (no fusion, no tiling, every
// intermediate materialised) so that each kernel can be read against its
// op's contract. Test-only code: never on the product path.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_TEST_ORACLE_EVALUATOR_H
#define MLC_TEST_ORACLE_EVALUATOR_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlc::oracle {

/// A dense row-major tensor. `i64` tensors hold their integers as doubles
/// (exact up to 2^53, far beyond any index or label).
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> shape, double fill = 0.0);
  Tensor(std::vector<int64_t> shape, std::vector<double> data);

  int64_t size() const { return static_cast<int64_t>(data.size()); }
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
};

/// Parameter values by `mlc.param` symbol name.
using ParamMap = std::map<std::string, Tensor>;

/// Evaluates `fn` (one block of mlc ops ending in `func.return`) on `args`,
/// reading `mlc.param_ref`s from `params`. The batch dim N is taken from
/// the arguments; every value's shape is checked against its type. On an
/// error (an op the oracle does not know, an index out of range, a shape
/// that contradicts the IR) a diagnostic is emitted at the op and failure
/// returned.
mlir::FailureOr<std::vector<Tensor>> evaluate(mlir::func::FuncOp fn, llvm::ArrayRef<Tensor> args,
                                              const ParamMap &params);

/// "[2, 3]"; "[]" for a 0-d tensor.
std::string shapeToString(llvm::ArrayRef<int64_t> shape);

} // namespace mlc::oracle

#endif // MLC_TEST_ORACLE_EVALUATOR_H
