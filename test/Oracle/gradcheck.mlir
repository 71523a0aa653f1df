// gradcheck on a hand-written @gradients: token ids feed an embedding of 5
// rows and next-token labels a 5-class cross-entropy, so their random values
// must be drawn from [0, 5). The backward kernels (embedding_grad,
// layer_norm_grad, linear_weight_grad, cross_entropy_grad) must agree with
// finite differences of the forward ops.
// RUN: mlc-oracle gradcheck %s | FileCheck %s
// RUN: mlc-oracle gradcheck %s --batch 1 --seed 7 --samples 3 | FileCheck %s --check-prefix=SMALL
// RUN: mlc-oracle gradcheck %s --scaled-params | FileCheck %s --check-prefix=SCALED

// CHECK: loss {{.*}} at N = 3, seed 1
// CHECK-DAG: table: 8 samples, max abs error {{.*}}: OK
// CHECK-DAG: ln.weight: 4 samples, max abs error {{.*}}: OK
// CHECK-DAG: ln.bias: 4 samples, max abs error {{.*}}: OK
// CHECK-DAG: head: 8 samples, max abs error {{.*}}: OK
// CHECK: gradcheck: 4 parameters, 24 samples, max rel error {{.*}}: PASS
// SMALL: loss {{.*}} at N = 1, seed 7
// SMALL: gradcheck: 4 parameters, 12 samples, max rel error {{.*}}: PASS
// SCALED: gradcheck: 4 parameters, 24 samples, max rel error {{.*}}: PASS

mlc.param @table : tensor<5x4xf32> {init = "normal", scale = 1.0 : f64}
mlc.param @ln.weight : tensor<4xf32> {init = "ones", scale = 0.0 : f64}
mlc.param @ln.bias : tensor<4xf32> {init = "zeros", scale = 0.0 : f64}
mlc.param @head : tensor<5x4xf32> {init = "uniform", scale = 0.5 : f64}

func.func @loss(%tok: tensor<?x2xi64> {mlc.name = "tokens"}, %next: tensor<?x2xi64> {mlc.name = "next"})
    -> (tensor<f32> {mlc.name = "loss"}) {
  %t = mlc.param_ref @table : tensor<5x4xf32>
  %g = mlc.param_ref @ln.weight : tensor<4xf32>
  %b = mlc.param_ref @ln.bias : tensor<4xf32>
  %w = mlc.param_ref @head : tensor<5x4xf32>
  %e = mlc.embedding %t, %tok : tensor<5x4xf32>, tensor<?x2xi64> -> tensor<?x2x4xf32>
  %n = mlc.layer_norm %e, %g, %b eps = 1.000000e-05 : tensor<?x2x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x2x4xf32>
  %z = mlc.linear %n, %w : tensor<?x2x4xf32>, tensor<5x4xf32> -> tensor<?x2x5xf32>
  %l = mlc.cross_entropy %z, %next : tensor<?x2x5xf32>, tensor<?x2xi64> -> tensor<f32>
  return %l : tensor<f32>
}

func.func @gradients(%tok: tensor<?x2xi64> {mlc.name = "tokens"}, %next: tensor<?x2xi64> {mlc.name = "next"})
    -> (tensor<f32> {mlc.name = "loss"}, tensor<5x4xf32> {mlc.grad = "table"},
        tensor<4xf32> {mlc.grad = "ln.weight"}, tensor<4xf32> {mlc.grad = "ln.bias"},
        tensor<5x4xf32> {mlc.grad = "head"}) {
  %t = mlc.param_ref @table : tensor<5x4xf32>
  %g = mlc.param_ref @ln.weight : tensor<4xf32>
  %b = mlc.param_ref @ln.bias : tensor<4xf32>
  %w = mlc.param_ref @head : tensor<5x4xf32>
  %e = mlc.embedding %t, %tok : tensor<5x4xf32>, tensor<?x2xi64> -> tensor<?x2x4xf32>
  %n = mlc.layer_norm %e, %g, %b eps = 1.000000e-05 : tensor<?x2x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x2x4xf32>
  %z = mlc.linear %n, %w : tensor<?x2x4xf32>, tensor<5x4xf32> -> tensor<?x2x5xf32>
  %l = mlc.cross_entropy %z, %next : tensor<?x2x5xf32>, tensor<?x2xi64> -> tensor<f32>
  %one = mlc.constant 1.0 : tensor<f32>
  %dz = mlc.cross_entropy_grad %z, %next, %one : tensor<?x2x5xf32>, tensor<?x2xi64>, tensor<f32>
  %dw = mlc.linear_weight_grad %dz, %n : tensor<?x2x5xf32>, tensor<?x2x4xf32> -> tensor<5x4xf32>
  %dn = mlc.matmul %dz, %w : tensor<?x2x5xf32>, tensor<5x4xf32> -> tensor<?x2x4xf32>
  %de, %dg, %db = mlc.layer_norm_grad %e, %g, %dn eps = 1.000000e-05 : tensor<?x2x4xf32>, tensor<4xf32>, tensor<?x2x4xf32>
  %dt = mlc.embedding_grad %tok, %de : tensor<?x2xi64>, tensor<?x2x4xf32> -> tensor<5x4xf32>
  return %l, %dt, %dg, %db, %dw : tensor<f32>, tensor<5x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<5x4xf32>
}
