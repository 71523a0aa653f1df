// RUN: mlc-opt %s -split-input-file -mlc-autodiff | FileCheck %s
// Layers and losses: their backward kernels stay whole.

mlc.param @w : tensor<8x4xf32> {init = "zeros", scale = 0.0 : f64}
mlc.param @b : tensor<8xf32> {init = "zeros", scale = 0.0 : f64}
mlc.param @u : tensor<3x8xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%x: tensor<?x5x4xf32>, %y: tensor<?x5xi64>) -> tensor<f32> {
  %w = mlc.param_ref @w : tensor<8x4xf32>
  %b = mlc.param_ref @b : tensor<8xf32>
  %u = mlc.param_ref @u : tensor<3x8xf32>
  %h = mlc.linear %x, %w, %b : tensor<?x5x4xf32>, tensor<8x4xf32>, tensor<8xf32> -> tensor<?x5x8xf32>
  %z = mlc.linear %h, %u : tensor<?x5x8xf32>, tensor<3x8xf32> -> tensor<?x5x3xf32>
  %l = mlc.cross_entropy %z, %y : tensor<?x5x3xf32>, tensor<?x5xi64> -> tensor<f32>
  return %l : tensor<f32>
}
// CHECK-LABEL: func.func @gradients(
// CHECK-SAME: -> (tensor<f32>, tensor<8x4xf32> {mlc.grad = "w"}, tensor<8xf32> {mlc.grad = "b"}, tensor<3x8xf32> {mlc.grad = "u"})
// CHECK: %[[ONE:.+]] = mlc.constant 1.000000e+00
// CHECK: %[[DZ:.+]] = mlc.cross_entropy_grad %[[Z:.+]], %arg1, %[[ONE]] : tensor<?x5x3xf32>, tensor<?x5xi64>, tensor<f32>
// CHECK: %[[DH:.+]] = mlc.matmul %[[DZ]], %[[U:.+]] : tensor<?x5x3xf32>, tensor<3x8xf32> -> tensor<?x5x8xf32>
// CHECK: %[[DU:.+]] = mlc.linear_weight_grad %[[DZ]], %[[H:.+]] : tensor<?x5x3xf32>, tensor<?x5x8xf32> -> tensor<3x8xf32>
// The first layer's input is data: no dx.
// CHECK-NOT: mlc.matmul
// CHECK: %[[DW:.+]] = mlc.linear_weight_grad %[[DH]], %arg0 : tensor<?x5x8xf32>, tensor<?x5x4xf32> -> tensor<8x4xf32>
// CHECK: %[[DB:.+]] = mlc.sum %[[DH]] axes = [0, 1] : tensor<?x5x8xf32> -> tensor<8xf32>
// CHECK: return %{{.+}}, %[[DW]], %[[DB]], %[[DU]]

// -----

mlc.param @e : tensor<10x4xf32> {init = "normal", scale = 1.0 : f64}
mlc.param @g : tensor<4xf32> {init = "ones", scale = 0.0 : f64}
mlc.param @h : tensor<4xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%ids: tensor<?x6xi64>) -> tensor<f32> {
  %e = mlc.param_ref @e : tensor<10x4xf32>
  %g = mlc.param_ref @g : tensor<4xf32>
  %h = mlc.param_ref @h : tensor<4xf32>
  %x = mlc.embedding %e, %ids : tensor<10x4xf32>, tensor<?x6xi64> -> tensor<?x6x4xf32>
  %n = mlc.layer_norm %x, %g, %h eps = 1.000000e-05 : tensor<?x6x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x6x4xf32>
  %xt = mlc.permute %n perm = [0, 2, 1] : tensor<?x6x4xf32> -> tensor<?x4x6xf32>
  %s = mlc.matmul %n, %xt : tensor<?x6x4xf32>, tensor<?x4x6xf32> -> tensor<?x6x6xf32>
  %m = mlc.causal_mask %s : tensor<?x6x6xf32>
  %p = mlc.softmax %m axis = 2 : tensor<?x6x6xf32>
  %l = mlc.mean %p axes = [0, 1, 2] : tensor<?x6x6xf32> -> tensor<f32>
  return %l : tensor<f32>
}
// CHECK-LABEL: func.func @gradients(
// CHECK: %[[DP:.+]] = mlc.softmax_grad %{{.+}}, %{{.+}} axis = 2 : tensor<?x6x6xf32>
// CHECK: %[[DM:.+]] = mlc.causal_mask_grad %[[DP]] : tensor<?x6x6xf32>
// The two uses of the normalised %n add up.
// CHECK: %[[A:.+]] = mlc.matmul %[[DM]],
// CHECK: %[[B:.+]] = mlc.matmul %{{.+}}, %[[DM]]
// CHECK: %[[DT:.+]] = mlc.permute %[[B]] perm = [0, 2, 1]
// CHECK: %[[DN:.+]] = mlc.add %[[A]], %[[DT]] : tensor<?x6x4xf32>
// CHECK: %[[DX:.+]], %[[DG:.+]], %[[DH:.+]] = mlc.layer_norm_grad %{{.+}}, %{{.+}}, %[[DN]] eps = 1.000000e-05
// CHECK: %[[DE:.+]] = mlc.embedding_grad %arg0, %[[DX]] : tensor<?x6xi64>, tensor<?x6x4xf32> -> tensor<10x4xf32>
// CHECK: return %{{.+}}, %[[DE]], %[[DG]], %[[DH]]
