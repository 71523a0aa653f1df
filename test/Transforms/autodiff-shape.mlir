// RUN: mlc-opt %s -split-input-file -mlc-autodiff | FileCheck %s
// Contractions, shape ops, reductions and softmaxes.

mlc.param @a : tensor<3x4xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%x: tensor<?x4x5xf32>) -> tensor<f32> {
  %a = mlc.param_ref @a : tensor<3x4xf32>
  %y = mlc.matmul %a, %x : tensor<3x4xf32>, tensor<?x4x5xf32> -> tensor<?x3x5xf32>
  %l = mlc.sum %y axes = [0, 1, 2] : tensor<?x3x5xf32> -> tensor<f32>
  return %l : tensor<f32>
}
// A rank-2 lhs broadcast over the batch: dA = dy @ x^T summed over the batch.
// CHECK-LABEL: func.func @gradients(
// CHECK: %[[DY:.+]] = mlc.broadcast {{.*}} -> tensor<?x3x5xf32>
// CHECK: %[[XT:.+]] = mlc.permute %arg0 perm = [0, 2, 1] : tensor<?x4x5xf32> -> tensor<?x5x4xf32>
// CHECK: %[[P:.+]] = mlc.matmul %[[DY]], %[[XT]] : tensor<?x3x5xf32>, tensor<?x5x4xf32> -> tensor<?x3x4xf32>
// CHECK: %[[G:.+]] = mlc.sum %[[P]] axes = [0] : tensor<?x3x4xf32> -> tensor<3x4xf32>
// CHECK-NEXT: return %{{.+}}, %[[G]]

// -----

mlc.param @w : tensor<2x6xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss() -> tensor<f32> {
  %w = mlc.param_ref @w : tensor<2x6xf32>
  %r = mlc.reshape %w : tensor<2x6xf32> -> tensor<2x3x2xf32>
  %p = mlc.permute %r perm = [2, 0, 1] : tensor<2x3x2xf32> -> tensor<2x2x3xf32>
  %m = mlc.mean %p axes = [1] keepdim : tensor<2x2x3xf32> -> tensor<2x1x3xf32>
  %l = mlc.max %m axes = [0, 1, 2] : tensor<2x1x3xf32> -> tensor<f32>
  return %l : tensor<f32>
}
// Each op's adjoint goes back through the inverse: max -> max_grad, mean ->
// broadcast / count, permute -> inverse permutation, reshape -> reshape back.
// CHECK-LABEL: func.func @gradients(
// CHECK: %[[DM:.+]] = mlc.max_grad %[[M:.+]], %{{.+}} axes = [0, 1, 2] : tensor<2x1x3xf32>, tensor<f32> -> tensor<2x1x3xf32>
// CHECK: %[[B:.+]] = mlc.broadcast %[[DM]] : tensor<2x1x3xf32> -> tensor<2x2x3xf32>
// CHECK: %[[N:.+]] = mlc.count %{{.+}} axes = [1] : tensor<2x2x3xf32> -> tensor<f32>
// CHECK: %[[DP:.+]] = mlc.div %[[B]], %[[N]]
// CHECK: %[[DR:.+]] = mlc.permute %[[DP]] perm = [1, 2, 0] : tensor<2x2x3xf32> -> tensor<2x3x2xf32>
// CHECK: %[[DW:.+]] = mlc.reshape %[[DR]] : tensor<2x3x2xf32> -> tensor<2x6xf32>
// CHECK: return %{{.+}}, %[[DW]]

// -----

mlc.param @w : tensor<4x5xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%t: tensor<4x5xf32>) -> tensor<f32> {
  %w = mlc.param_ref @w : tensor<4x5xf32>
  %s = mlc.softmax %w axis = 1 : tensor<4x5xf32>
  %ls = mlc.log_softmax %s axis = 0 : tensor<4x5xf32>
  %l = mlc.mse_loss %ls, %t : tensor<4x5xf32>, tensor<4x5xf32> -> tensor<f32>
  return %l : tensor<f32>
}
// mse: 2 (x - t) dy / count; log_softmax: dy - exp(y) sum(dy);
// softmax: softmax_grad, y (dy - sum(dy y)). No gradient for the data %t.
// CHECK-LABEL: func.func @gradients(
// CHECK: %[[LS:.+]] = mlc.log_softmax %[[S:.+]] axis = 0
// CHECK: %[[N:.+]] = mlc.count %[[LS]] axes = [0, 1]
// CHECK: %[[D:.+]] = mlc.sub %[[LS]], %arg0
// CHECK: %[[DLS:.+]] = mlc.mul %[[D]],
// CHECK-NOT: mlc.neg
// CHECK: %[[SUM:.+]] = mlc.sum %[[DLS]] axes = [0] keepdim : tensor<4x5xf32> -> tensor<1x5xf32>
// CHECK: %[[E:.+]] = mlc.exp %[[LS]]
// CHECK: %[[ES:.+]] = mlc.mul %[[E]], %[[SUM]]
// CHECK: %[[DS:.+]] = mlc.sub %[[DLS]], %[[ES]]
// CHECK: %[[DW:.+]] = mlc.softmax_grad %[[S]], %[[DS]] axis = 1 : tensor<4x5xf32>
// CHECK: return %{{.+}}, %[[DW]]
