// RUN: mlc-opt %s -split-input-file -mlc-autodiff | FileCheck %s
// One vector-Jacobian rule per elementwise op (lib/Dialect/MLC/Gradients.cpp).

// Broadcasting in the forward is a sum in the backward.
mlc.param @w : tensor<4xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%x: tensor<?x4xf32>) -> tensor<f32> {
  %w = mlc.param_ref @w : tensor<4xf32>
  %y = mlc.add %x, %w : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %l = mlc.sum %y axes = [0, 1] : tensor<?x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}
// CHECK-LABEL: func.func @gradients(
// CHECK-SAME: -> (tensor<f32>, tensor<4xf32> {mlc.grad = "w"})
// CHECK: %[[ONE:.+]] = mlc.constant 1.000000e+00 : tensor<f32>
// CHECK: %[[R:.+]] = mlc.reshape %[[ONE]] : tensor<f32> -> tensor<1x1xf32>
// CHECK: %[[B:.+]] = mlc.broadcast %[[R]] : tensor<1x1xf32> -> tensor<?x4xf32>
// Only leading dims are summed: no keepdim, no reshape after the sum.
// CHECK: %[[G:.+]] = mlc.sum %[[B]] axes = [0] : tensor<?x4xf32> -> tensor<4xf32>
// CHECK-NEXT: return %{{.+}}, %[[G]]

// -----

mlc.param @w : tensor<4xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%x: tensor<4xf32>) -> tensor<f32> {
  %w = mlc.param_ref @w : tensor<4xf32>
  %y = mlc.sub %x, %w : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %l = mlc.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  return %l : tensor<f32>
}
// d(x - w)/dw = -dy; nothing is computed for the data %x.
// CHECK-LABEL: func.func @gradients(
// CHECK: %[[B:.+]] = mlc.broadcast
// CHECK-NEXT: %[[N:.+]] = mlc.neg %[[B]] : tensor<4xf32>
// CHECK-NEXT: return %{{.+}}, %[[N]]

// -----

mlc.param @w : tensor<4xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%x: tensor<4xf32>) -> tensor<f32> {
  %w = mlc.param_ref @w : tensor<4xf32>
  %y = mlc.div %x, %w : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %l = mlc.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  return %l : tensor<f32>
}
// d(x / w)/dw = -(dy * y) / w
// CHECK-LABEL: func.func @gradients(
// CHECK: %[[Y:.+]] = mlc.div %arg0, %[[W:.+]] :
// CHECK: %[[DY:.+]] = mlc.broadcast
// CHECK: %[[T:.+]] = mlc.mul %[[DY]], %[[Y]]
// CHECK: %[[Q:.+]] = mlc.div %[[T]], %[[W]]
// CHECK: %[[G:.+]] = mlc.neg %[[Q]]
// CHECK: return %{{.+}}, %[[G]]

// -----

mlc.param @w : tensor<4xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss(%x: tensor<4xf32>) -> tensor<f32> {
  %w = mlc.param_ref @w : tensor<4xf32>
  %y = mlc.mul %w, %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %e = mlc.exp %y : tensor<4xf32>
  %t = mlc.tanh %e : tensor<4xf32>
  %l = mlc.sum %t axes = [0] : tensor<4xf32> -> tensor<f32>
  return %l : tensor<f32>
}
// Chain rule, innermost last: tanh' = 1 - y^2, exp' = y, (w*x)' = x.
// CHECK-LABEL: func.func @gradients(
// CHECK: %[[E:.+]] = mlc.exp
// CHECK: %[[T:.+]] = mlc.tanh %[[E]]
// CHECK: %[[DT:.+]] = mlc.broadcast
// CHECK: %[[ONE:.+]] = mlc.constant 1.000000e+00
// CHECK: %[[SQ:.+]] = mlc.mul %[[T]], %[[T]]
// CHECK: %[[D:.+]] = mlc.sub %[[ONE]], %[[SQ]]
// CHECK: %[[DE:.+]] = mlc.mul %[[DT]], %[[D]]
// CHECK: %[[DY:.+]] = mlc.mul %[[DE]], %[[E]]
// CHECK: %[[DW:.+]] = mlc.mul %[[DY]], %arg0
// CHECK: return %{{.+}}, %[[DW]]

// -----

mlc.param @w : tensor<4xf32> {init = "zeros", scale = 0.0 : f64}
func.func @loss() -> tensor<f32> {
  %w = mlc.param_ref @w : tensor<4xf32>
  %a = mlc.relu %w : tensor<4xf32>
  %b = mlc.gelu %a : tensor<4xf32>
  %c = mlc.sigmoid %b : tensor<4xf32>
  %d = mlc.sqrt %c : tensor<4xf32>
  %e = mlc.log %d : tensor<4xf32>
  %f = mlc.neg %e : tensor<4xf32>
  %l = mlc.sum %f axes = [0] : tensor<4xf32> -> tensor<f32>
  return %l : tensor<f32>
}
// CHECK-LABEL: func.func @gradients(
// CHECK: mlc.broadcast
// CHECK-NEXT: %[[DE:.+]] = mlc.neg
// CHECK: %[[DD:.+]] = mlc.div %[[DE]], %{{.+}} : tensor<4xf32>, tensor<4xf32>
// CHECK: %[[TWO:.+]] = mlc.constant 2.000000e+00
// CHECK: %[[TWOY:.+]] = mlc.mul %{{.+}}, %[[TWO]]
// CHECK: %[[DC:.+]] = mlc.div %[[DD]], %[[TWOY]]
// CHECK: mlc.sub
// CHECK: %[[DB:.+]] = mlc.mul %[[DC]],
// CHECK: %[[DA:.+]] = mlc.gelu_grad %{{.+}}, %[[DB]] : tensor<4xf32>
// CHECK: %[[DW:.+]] = mlc.relu_grad %{{.+}}, %[[DA]] : tensor<4xf32>
// CHECK: return %{{.+}}, %[[DW]]
