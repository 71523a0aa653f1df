//===- Pipelines.cpp - Pass pipelines shared by mlc and mlc-opt -----------===//

#include "mlc/Pipelines/Pipelines.h"
#include "mlc/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlc::buildTrainingPipeline(OpPassManager &pm) {
  // The loss and the metrics call the model on the same data: merge first,
  // so the backward pass sees each forward value once.
  pm.addPass(createCSEPass());
  pm.addPass(createMlcAutodiff());
  pm.addPass(createMlcOptimizer());
  pm.addPass(createCSEPass());
}

void mlc::buildCodegenPipeline(OpPassManager &pm, bool gpu) {
  buildTrainingPipeline(pm);
  MlcScheduleOptions options;
  options.gpu = gpu;
  pm.addPass(createMlcSchedule(options));
}

void mlc::registerPipelines() {
  PassPipelineRegistration<>("mlc-codegen-pipeline",
                             "the training pipeline, then -mlc-schedule",
                             [](OpPassManager &pm) { buildCodegenPipeline(pm); });
  PassPipelineRegistration<>("mlc-train-pipeline",
                             "MLIRGen output to @train_step, @eval_step, @predict",
                             [](OpPassManager &pm) { buildTrainingPipeline(pm); });
}
