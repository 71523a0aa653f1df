//===- Commands.h - The subcommands of mlc-oracle ---------------*- C++ -*-===//

#ifndef MLC_TEST_ORACLE_COMMANDS_H
#define MLC_TEST_ORACLE_COMMANDS_H

#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>
#include <vector>

namespace mlc::oracle {

struct GradCheckOptions {
  int64_t batch = 3;
  uint64_t seed = 1;
  int64_t samples = 8;
  double rtol = 1e-5, atol = 1e-7, step = 1e-6;
  /// U(-scale, scale) parameters instead of U(-1, 1): deep, wide models
  /// reach losses so large at U(-1, 1) that the rounding error of the
  /// finite differences exceeds the tolerance.
  bool scaledParams = false;
};

/// Compares every gradient of @gradients with central differences of the
/// loss of @loss; failure when one differs or on any error.
mlir::LogicalResult gradCheck(mlir::ModuleOp module, const GradCheckOptions &options);

struct RunOptions {
  std::optional<int64_t> batch; // else inferred from `sets`, else 3
  uint64_t seed = 1;
  std::vector<std::string> sets; // "NAME=v1,v2,..."
};

/// Evaluates `func` once and prints every result.
mlir::LogicalResult runFunction(mlir::ModuleOp module, llvm::StringRef func,
                                const RunOptions &options);

/// Runs @train_step `steps` times, feeding updated params and state back.
mlir::LogicalResult train(mlir::ModuleOp module, int64_t steps, const RunOptions &options);

} // namespace mlc::oracle

#endif // MLC_TEST_ORACLE_COMMANDS_H
