//===- mlc-opt.cpp - the mlc dialect optimizer driver ---------------------===//
//
// mlir-opt with the mlc dialect: parses, verifies and prints mlc IR and runs
// the mlc passes (-mlc-autodiff, -mlc-optimizer), the pipeline mlc uses
// (-mlc-train-pipeline) and the upstream transform passes on it.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/MLC/MLCDialect.h"
#include "mlc/Pipelines/Pipelines.h"
#include "mlc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  mlc::registerMlcPasses();
  mlc::registerPipelines();

  mlir::DialectRegistry registry;
  registry.insert<mlc::MLCDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "mlc-opt: the mlc dialect optimizer driver\n", registry));
}
