// RUN: mlc-opt %s | mlc-opt | FileCheck %s
// RUN: mlc-opt %s --mlir-print-op-generic | mlc-opt | FileCheck %s

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>, %[[W:.+]]: tensor<8x16xf32>, %[[Q:.+]]: tensor<?x4x8xf32>, %[[K:.+]]: tensor<?x8x4xf32>, %[[M:.+]]: tensor<3x8xf32>)
func.func @matmul(%x: tensor<?x8xf32>, %w: tensor<8x16xf32>,
                  %q: tensor<?x4x8xf32>, %k: tensor<?x8x4xf32>, %m: tensor<3x8xf32>) {
  // CHECK: mlc.matmul %[[X]], %[[W]] : tensor<?x8xf32>, tensor<8x16xf32> -> tensor<?x16xf32>
  %0 = mlc.matmul %x, %w : tensor<?x8xf32>, tensor<8x16xf32> -> tensor<?x16xf32>
  // CHECK: mlc.matmul %[[Q]], %[[K]] : tensor<?x4x8xf32>, tensor<?x8x4xf32> -> tensor<?x4x4xf32>
  %1 = mlc.matmul %q, %k : tensor<?x4x8xf32>, tensor<?x8x4xf32> -> tensor<?x4x4xf32>
  // A rank-2 operand broadcasts over the other's batch dims, on either side.
  // CHECK: mlc.matmul %[[Q]], %[[W]] : tensor<?x4x8xf32>, tensor<8x16xf32> -> tensor<?x4x16xf32>
  %2 = mlc.matmul %q, %w : tensor<?x4x8xf32>, tensor<8x16xf32> -> tensor<?x4x16xf32>
  // CHECK: mlc.matmul %[[M]], %[[K]] : tensor<3x8xf32>, tensor<?x8x4xf32> -> tensor<?x3x4xf32>
  %3 = mlc.matmul %m, %k : tensor<3x8xf32>, tensor<?x8x4xf32> -> tensor<?x3x4xf32>
  return
}

// CHECK-LABEL: func.func @permute
// CHECK-SAME: (%[[X:.+]]: tensor<?x4x8xf32>, %[[I:.+]]: tensor<?x3xi64>)
func.func @permute(%x: tensor<?x4x8xf32>, %i: tensor<?x3xi64>) {
  // CHECK: mlc.permute %[[X]] perm = [0, 2, 1] : tensor<?x4x8xf32> -> tensor<?x8x4xf32>
  %0 = mlc.permute %x perm = [0, 2, 1] : tensor<?x4x8xf32> -> tensor<?x8x4xf32>
  // CHECK: mlc.permute %[[I]] perm = [1, 0] : tensor<?x3xi64> -> tensor<3x?xi64>
  %1 = mlc.permute %i perm = [1, 0] : tensor<?x3xi64> -> tensor<3x?xi64>
  return
}

// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.+]]: tensor<?x28x28xf32>, %[[I:.+]]: tensor<2x3xi64>)
func.func @reshape(%x: tensor<?x28x28xf32>, %i: tensor<2x3xi64>) {
  // CHECK: mlc.reshape %[[X]] : tensor<?x28x28xf32> -> tensor<?x784xf32>
  %0 = mlc.reshape %x : tensor<?x28x28xf32> -> tensor<?x784xf32>
  // CHECK: mlc.reshape %[[X]] : tensor<?x28x28xf32> -> tensor<?x4x7x28xf32>
  %1 = mlc.reshape %x : tensor<?x28x28xf32> -> tensor<?x4x7x28xf32>
  // CHECK: mlc.reshape %[[I]] : tensor<2x3xi64> -> tensor<6xi64>
  %2 = mlc.reshape %i : tensor<2x3xi64> -> tensor<6xi64>
  return
}

// CHECK-LABEL: func.func @reductions
// CHECK-SAME: (%[[X:.+]]: tensor<?x8x4xf32>)
func.func @reductions(%x: tensor<?x8x4xf32>) {
  // CHECK: mlc.sum %[[X]] axes = [2] : tensor<?x8x4xf32> -> tensor<?x8xf32>
  %0 = mlc.sum %x axes = [2] : tensor<?x8x4xf32> -> tensor<?x8xf32>
  // CHECK: mlc.sum %[[X]] axes = [0, 1, 2] : tensor<?x8x4xf32> -> tensor<f32>
  %1 = mlc.sum %x axes = [0, 1, 2] : tensor<?x8x4xf32> -> tensor<f32>
  // CHECK: mlc.mean %[[X]] axes = [0, 2] keepdim : tensor<?x8x4xf32> -> tensor<1x8x1xf32>
  %2 = mlc.mean %x axes = [0, 2] keepdim : tensor<?x8x4xf32> -> tensor<1x8x1xf32>
  // CHECK: mlc.max %[[X]] axes = [1] keepdim : tensor<?x8x4xf32> -> tensor<?x1x4xf32>
  %3 = mlc.max %x axes = [1] keepdim : tensor<?x8x4xf32> -> tensor<?x1x4xf32>
  return
}

// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.+]]: tensor<?x8x10xf32>)
func.func @softmax(%x: tensor<?x8x10xf32>) {
  // CHECK: mlc.softmax %[[X]] axis = 2 : tensor<?x8x10xf32>
  %0 = mlc.softmax %x axis = 2 : tensor<?x8x10xf32>
  // CHECK: mlc.log_softmax %[[X]] axis = 1 : tensor<?x8x10xf32>
  %1 = mlc.log_softmax %x axis = 1 : tensor<?x8x10xf32>
  // CHECK: mlc.softmax_grad %[[P:.+]], %[[X]] axis = 2 : tensor<?x8x10xf32>
  %2 = mlc.softmax_grad %0, %x axis = 2 : tensor<?x8x10xf32>
  return
}
