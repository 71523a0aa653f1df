// Errors are diagnostics at the op and exit code 1, never a crash.
// RUN: not mlc-oracle run %s --func unknown 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not mlc-oracle run %s --func labels --set z=1,2,3,4 --set y=0,2 2>&1 | FileCheck %s --check-prefix=LABELS
// RUN: not mlc-oracle run %s --func labels --set z=1,2,3 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not mlc-oracle run %s --func labels --set q=1 2>&1 | FileCheck %s --check-prefix=NAME
// RUN: not mlc-oracle train %s --steps 1 2>&1 | FileCheck %s --check-prefix=TRAIN
// RUN: not mlc-oracle gradcheck %s 2>&1 | FileCheck %s --check-prefix=GRADCHECK

// UNKNOWN: errors.mlir:[[@LINE+2]]:8: error: mlc-oracle: cannot evaluate op 'arith.constant'
func.func @unknown() -> tensor<f32> {
  %c = arith.constant dense<1.0> : tensor<f32>
  return %c : tensor<f32>
}

// LABELS: errors.mlir:[[@LINE+4]]:8: error: mlc-oracle: label 2 is not in [0, 2)
// COUNT: mlc-oracle: error: --set z: 3 values do not fill a whole number of batch rows of 2
// NAME: mlc-oracle: error: --set q: no parameter or argument of @labels has that name
func.func @labels(%z: tensor<?x2xf32> {mlc.name = "z"}, %y: tensor<?xi64> {mlc.name = "y"}) -> tensor<f32> {
  %l = mlc.cross_entropy %z, %y : tensor<?x2xf32>, tensor<?xi64> -> tensor<f32>
  return %l : tensor<f32>
}

// TRAIN: errors.mlir:[[@LINE+1]]:1: error: argument #0 must carry exactly one of 'mlc.param', 'mlc.state', 'mlc.step' and 'mlc.data'
func.func @train_step(%x: tensor<2xf32>) -> (tensor<f32> {mlc.name = "loss"}) {
  %l = mlc.mse_loss %x, %x : tensor<2xf32>, tensor<2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// GRADCHECK: error: gradcheck needs 'func.func @loss' and 'func.func @gradients'
