//===- Pipelines.h - Pass pipelines shared by mlc and mlc-opt ---*- C++ -*-===//
#ifndef MLC_PIPELINES_PIPELINES_H
#define MLC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace mlc {

/// MLIRGen output (@loss, @predict) -> @train_step, @eval_step, @predict:
/// cse, mlc-autodiff, mlc-optimizer, cse. `mlc compile --emit=mlir-train`
/// and `mlc-opt --mlc-train-pipeline` both run it.
void buildTrainingPipeline(mlir::OpPassManager &pm);

/// The training pipeline, then the schedule decisions (-mlc-schedule) that
/// code generation applies: `--emit=mlir-sched` and later stages.
void buildCodegenPipeline(mlir::OpPassManager &pm, bool gpu = false);

/// Registers the pipelines above with mlc-opt's command line.
void registerPipelines();

} // namespace mlc

#endif // MLC_PIPELINES_PIPELINES_H
