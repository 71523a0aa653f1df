// RUN: mlc-opt %s --cse | FileCheck %s

// mlc ops are Pure: CSE merges identical ones.

mlc.param @w : tensor<4x4xf32> {init = "normal", scale = 1.0 : f64}

// CHECK-LABEL: func.func @cse
// CHECK-SAME: (%[[X:.+]]: tensor<?x4xf32>)
func.func @cse(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // CHECK: %[[W:.+]] = mlc.param_ref @w
  // CHECK-NOT: mlc.param_ref
  // CHECK: %[[Y:.+]] = mlc.linear %[[X]], %[[W]]
  // CHECK-NOT: mlc.linear
  // CHECK: %[[Z:.+]] = mlc.add %[[Y]], %[[Y]]
  // CHECK: return %[[Z]]
  %w0 = mlc.param_ref @w : tensor<4x4xf32>
  %w1 = mlc.param_ref @w : tensor<4x4xf32>
  %0 = mlc.linear %x, %w0 : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %1 = mlc.linear %x, %w1 : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %2 = mlc.add %0, %1 : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  return %2 : tensor<?x4xf32>
}
