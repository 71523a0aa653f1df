// RUN: mlc-opt %s | mlc-opt | FileCheck %s
// RUN: mlc-opt %s --mlir-print-op-generic | mlc-opt | FileCheck %s

// CHECK-LABEL: func.func @constant_and_iota
func.func @constant_and_iota() -> (tensor<f32>, tensor<8xi64>) {
  // CHECK: %[[C:.+]] = mlc.constant 5.000000e-01 : tensor<f32>
  %c = mlc.constant 0.5 : tensor<f32>
  // CHECK: %[[I:.+]] = mlc.iota : tensor<8xi64>
  %i = mlc.iota : tensor<8xi64>
  // CHECK: return %[[C]], %[[I]]
  return %c, %i : tensor<f32>, tensor<8xi64>
}

// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[A:.+]]: tensor<?x4xf32>, %[[B:.+]]: tensor<4xf32>, %[[S:.+]]: tensor<f32>, %[[C:.+]]: tensor<3x1xf32>, %[[D:.+]]: tensor<?x1x4xf32>, %[[E:.+]]: tensor<1x4xf32>)
func.func @binary(%a: tensor<?x4xf32>, %b: tensor<4xf32>, %s: tensor<f32>,
                  %c: tensor<3x1xf32>, %d: tensor<?x1x4xf32>, %e: tensor<1x4xf32>) {
  // CHECK: mlc.add %[[A]], %[[B]] : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %0 = mlc.add %a, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  // CHECK: mlc.sub %[[S]], %[[A]] : tensor<f32>, tensor<?x4xf32> -> tensor<?x4xf32>
  %1 = mlc.sub %s, %a : tensor<f32>, tensor<?x4xf32> -> tensor<?x4xf32>
  // CHECK: mlc.mul %[[C]], %[[B]] : tensor<3x1xf32>, tensor<4xf32> -> tensor<3x4xf32>
  %2 = mlc.mul %c, %b : tensor<3x1xf32>, tensor<4xf32> -> tensor<3x4xf32>
  // CHECK: mlc.div %[[D]], %[[C]] : tensor<?x1x4xf32>, tensor<3x1xf32> -> tensor<?x3x4xf32>
  %3 = mlc.div %d, %c : tensor<?x1x4xf32>, tensor<3x1xf32> -> tensor<?x3x4xf32>
  // A static 1 broadcasts against the batch dim.
  // CHECK: mlc.add %[[E]], %[[A]] : tensor<1x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  %4 = mlc.add %e, %a : tensor<1x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  return
}

// CHECK-LABEL: func.func @unary
// CHECK-SAME: (%[[X:.+]]: tensor<?x4xf32>)
func.func @unary(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // CHECK: %[[NEG:.+]] = mlc.neg %[[X]] : tensor<?x4xf32>
  %0 = mlc.neg %x : tensor<?x4xf32>
  // CHECK: %[[EXP:.+]] = mlc.exp %[[NEG]] : tensor<?x4xf32>
  %1 = mlc.exp %0 : tensor<?x4xf32>
  // CHECK: %[[LOG:.+]] = mlc.log %[[EXP]] : tensor<?x4xf32>
  %2 = mlc.log %1 : tensor<?x4xf32>
  // CHECK: %[[SQRT:.+]] = mlc.sqrt %[[LOG]] : tensor<?x4xf32>
  %3 = mlc.sqrt %2 : tensor<?x4xf32>
  // CHECK: %[[TANH:.+]] = mlc.tanh %[[SQRT]] : tensor<?x4xf32>
  %4 = mlc.tanh %3 : tensor<?x4xf32>
  // CHECK: %[[SIG:.+]] = mlc.sigmoid %[[TANH]] : tensor<?x4xf32>
  %5 = mlc.sigmoid %4 : tensor<?x4xf32>
  // CHECK: %[[RELU:.+]] = mlc.relu %[[SIG]] : tensor<?x4xf32>
  %6 = mlc.relu %5 : tensor<?x4xf32>
  // CHECK: %[[GELU:.+]] = mlc.gelu %[[RELU]] : tensor<?x4xf32>
  %7 = mlc.gelu %6 : tensor<?x4xf32>
  // CHECK: return %[[GELU]]
  return %7 : tensor<?x4xf32>
}
