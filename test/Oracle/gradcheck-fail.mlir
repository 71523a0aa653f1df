// gradcheck fails (exit 1) on a wrong gradient and on a parameter that the
// loss depends on but @gradients has no gradient for, and it names the
// elements that differ.
// RUN: not mlc-oracle gradcheck %s | FileCheck %s

// The gradient of w below is wrong: it lacks the factor 2 of d/ds (s - t)^2
// and the chain through the frozen scale (which gradcheck also draws from
// U(-1, 1), and must not check).
// CHECK: w[{{[0-9]+}}, {{[0-9]+}}]: gradient {{.*}}, finite difference
// CHECK: w: 6 samples, max abs error {{.*}}: FAIL
// CHECK: b[{{[0-9]+}}]: gradient 0, finite difference
// CHECK: b (no gradient: checked against 0): 2 samples, max abs error {{.*}}: FAIL
// CHECK-NOT: frozen
// CHECK: gradcheck: 2 parameters, 8 samples, max rel error {{.*}}: FAIL

mlc.param @w : tensor<2x3xf32> {init = "uniform", scale = 1.0 : f64}
mlc.param @b : tensor<2xf32> {init = "zeros", scale = 0.0 : f64}
mlc.param @frozen : tensor<2xf32> {frozen, init = "ones", scale = 0.0 : f64}

func.func @loss(%x: tensor<?x3xf32> {mlc.name = "x"}, %t: tensor<?x2xf32> {mlc.name = "t"})
    -> (tensor<f32> {mlc.name = "loss"}) {
  %w = mlc.param_ref @w : tensor<2x3xf32>
  %b = mlc.param_ref @b : tensor<2xf32>
  %f = mlc.param_ref @frozen : tensor<2xf32>
  %y = mlc.linear %x, %w, %b : tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32> -> tensor<?x2xf32>
  %s = mlc.mul %y, %f : tensor<?x2xf32>, tensor<2xf32> -> tensor<?x2xf32>
  %l = mlc.mse_loss %s, %t : tensor<?x2xf32>, tensor<?x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

func.func @gradients(%x: tensor<?x3xf32> {mlc.name = "x"}, %t: tensor<?x2xf32> {mlc.name = "t"})
    -> (tensor<f32> {mlc.name = "loss"}, tensor<2x3xf32> {mlc.grad = "w"}) {
  %w = mlc.param_ref @w : tensor<2x3xf32>
  %b = mlc.param_ref @b : tensor<2xf32>
  %f = mlc.param_ref @frozen : tensor<2xf32>
  %y = mlc.linear %x, %w, %b : tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32> -> tensor<?x2xf32>
  %s = mlc.mul %y, %f : tensor<?x2xf32>, tensor<2xf32> -> tensor<?x2xf32>
  %l = mlc.mse_loss %s, %t : tensor<?x2xf32>, tensor<?x2xf32> -> tensor<f32>
  %d = mlc.sub %s, %t : tensor<?x2xf32>, tensor<?x2xf32> -> tensor<?x2xf32>
  %n = mlc.count %d axes = [] : tensor<?x2xf32> -> tensor<f32>
  %dy = mlc.div %d, %n : tensor<?x2xf32>, tensor<f32> -> tensor<?x2xf32>
  %dw = mlc.linear_weight_grad %dy, %x : tensor<?x2xf32>, tensor<?x3xf32> -> tensor<2x3xf32>
  return %l, %dw : tensor<f32>, tensor<2x3xf32>
}
