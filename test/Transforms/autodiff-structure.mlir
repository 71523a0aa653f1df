// RUN: mlc-opt %s -split-input-file -mlc-autodiff -verify-diagnostics | FileCheck %s
// What gets a gradient: trainable parameters the loss depends on, nothing else.

mlc.param @frozen : tensor<4x4xf32> {frozen, init = "zeros", scale = 0.0 : f64}
mlc.param @head : tensor<2x4xf32> {init = "zeros", scale = 0.0 : f64}
mlc.param @unused : tensor<3xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%x: tensor<?x4xf32>, %y: tensor<?xi64>) -> (tensor<f32>, tensor<f32>) {
  %f = mlc.param_ref @frozen : tensor<4x4xf32>
  %h = mlc.param_ref @head : tensor<2x4xf32>
  %e = mlc.linear %x, %f : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %r = mlc.relu %e : tensor<?x4xf32>
  %z = mlc.linear %r, %h : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
  %l = mlc.cross_entropy %z, %y : tensor<?x2xf32>, tensor<?xi64> -> tensor<f32>
  %a = mlc.accuracy %z, %y : tensor<?x2xf32>, tensor<?xi64> -> tensor<f32>
  return %l, %a : tensor<f32>, tensor<f32>
}
// A frozen encoder: no gradient flows into it, no op computes one; the
// metric is returned, not differentiated; @unused gets nothing.
// CHECK-LABEL: func.func @gradients(
// CHECK-SAME: -> (tensor<f32>, tensor<f32>, tensor<2x4xf32> {mlc.grad = "head"})
// CHECK: mlc.cross_entropy_grad
// CHECK-NEXT: %[[DH:.+]] = mlc.linear_weight_grad
// CHECK-NEXT: return %{{.+}}, %{{.+}}, %[[DH]]
// CHECK-NOT: mlc.relu_grad

// -----

mlc.param @w : tensor<4xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%x: tensor<4xf32>) -> tensor<f32> {
  %w = mlc.param_ref @w : tensor<4xf32>
  %a = mlc.mul %w, %w : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %b = mlc.add %a, %w : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %l = mlc.sum %b axes = [0] : tensor<4xf32> -> tensor<f32>
  return %l : tensor<f32>
}
// w used three times: d/dw (w*w + w) = dy*w + dy*w + dy.
// CHECK-LABEL: func.func @gradients(
// CHECK: %[[DY:.+]] = mlc.broadcast
// CHECK: %[[M1:.+]] = mlc.mul %[[DY]], %[[W:.+]] :
// CHECK: %[[M2:.+]] = mlc.mul %[[DY]], %[[W]] :
// CHECK: %[[S1:.+]] = mlc.add %[[DY]], %[[M1]]
// CHECK: %[[S2:.+]] = mlc.add %[[S1]], %[[M2]]
// CHECK: return %{{.+}}, %[[S2]]

// -----

mlc.param @w : tensor<2x4xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%x: tensor<?x4xf32>, %y: tensor<?xi64>) -> tensor<f32> {
  %w = mlc.param_ref @w : tensor<2x4xf32>
  %z = mlc.linear %x, %w : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
  // expected-error @+1 {{'mlc.accuracy' has no gradient, but the loss depends on it through trainable parameters}}
  %a = mlc.accuracy %z, %y : tensor<?x2xf32>, tensor<?xi64> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// expected-error @+1 {{'mlc-autodiff' needs a 'func.func @loss' with a body}}
module {
  func.func @predict() { return }
}
