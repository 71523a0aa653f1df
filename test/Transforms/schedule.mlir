// RUN: mlc-opt %s -split-input-file -mlc-schedule | FileCheck %s
// Elementwise chains fuse into their last op; a contraction, a reduction or
// a value with several uses is computed at root.

func.func @predict(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> (tensor<?x3xf32>, tensor<f32>) {
  %a = mlc.exp %x : tensor<?x4xf32>
  %b = mlc.neg %a : tensor<?x4xf32>
  %c = mlc.tanh %b : tensor<?x4xf32>
  %y = mlc.linear %c, %w : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<?x3xf32>
  %d = mlc.mul %y, %y : tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3xf32>
  %s = mlc.sum %d axes = [0, 1] : tensor<?x3xf32> -> tensor<f32>
  return %y, %s : tensor<?x3xf32>, tensor<f32>
}
// CHECK-LABEL: func.func @predict
// CHECK: mlc.exp %{{.+}} {mlc.schedule = "fuse"}
// CHECK: mlc.neg %{{.+}} {mlc.schedule = "fuse"}
// The tanh feeds a contraction: fusing would recompute it per output column.
// CHECK: mlc.tanh %{{.+}} {mlc.schedule = "root"}
// CHECK: mlc.linear %{{.+}} {mlc.schedule = "root"}
// CHECK: mlc.mul %{{.+}} {mlc.schedule = "root"}
// CHECK: mlc.sum %{{.+}} {mlc.schedule = "root"}

// Functions other than the three entry points are left alone.
func.func @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = mlc.exp %x : tensor<4xf32>
  %b = mlc.neg %a : tensor<4xf32>
  return %b : tensor<4xf32>
}
// CHECK-LABEL: func.func @helper
// CHECK-NOT: mlc.schedule

// A constant is recomputed wherever it is read, however many readers it has.
func.func @eval_step(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c = mlc.constant 2.000000e+00 : tensor<f32>
  %a = mlc.mul %x, %c : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %b = mlc.add %a, %c : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  return %b : tensor<?x4xf32>
}
// CHECK-LABEL: func.func @eval_step
// CHECK: mlc.constant 2.000000e+00 {mlc.schedule = "fuse"}
// CHECK: mlc.mul %{{.+}} {mlc.schedule = "fuse"}
// CHECK: mlc.add %{{.+}} {mlc.schedule = "root"}

// A permute fuses into a matmul that reads it (either operand); into a
// Linear layer it does not (its weight is packed, its input read in place).
func.func @train_step(%p: tensor<?x4x8x8xf32>, %v: tensor<?x4x8x16xf32>, %x: tensor<?x8x4xf32>,
                      %w: tensor<3x8xf32>) -> (tensor<?x4x8x16xf32>, tensor<?x4x3xf32>) {
  %pt = mlc.permute %p perm = [0, 1, 3, 2] : tensor<?x4x8x8xf32> -> tensor<?x4x8x8xf32>
  %o = mlc.matmul %pt, %v : tensor<?x4x8x8xf32>, tensor<?x4x8x16xf32> -> tensor<?x4x8x16xf32>
  %xt = mlc.permute %x perm = [0, 2, 1] : tensor<?x8x4xf32> -> tensor<?x4x8xf32>
  %y = mlc.linear %xt, %w : tensor<?x4x8xf32>, tensor<3x8xf32> -> tensor<?x4x3xf32>
  return %o, %y : tensor<?x4x8x16xf32>, tensor<?x4x3xf32>
}
// CHECK-LABEL: func.func @train_step
// CHECK: mlc.permute %{{.+}} {mlc.schedule = "fuse"}
// CHECK: mlc.matmul %{{.+}} {mlc.schedule = "root"}
// CHECK: mlc.permute %{{.+}} {mlc.schedule = "root"}
// CHECK: mlc.linear %{{.+}} {mlc.schedule = "root"}

// -----

// A permute read by several matmuls fuses into all of them (each reads it
// through its index arithmetic); one that a Linear layer also reads is
// computed at root.
func.func @predict(%q: tensor<?x4x8x16xf32>, %k: tensor<?x4x8x16xf32>, %x: tensor<?x8x4xf32>,
                   %w: tensor<3x8xf32>) -> (tensor<?x4x8x8xf32>, tensor<?x4x16x16xf32>, tensor<?x4x3xf32>, tensor<?x4x8xf32>) {
  %kt = mlc.permute %k perm = [0, 1, 3, 2] : tensor<?x4x8x16xf32> -> tensor<?x4x16x8xf32>
  %s = mlc.matmul %q, %kt : tensor<?x4x8x16xf32>, tensor<?x4x16x8xf32> -> tensor<?x4x8x8xf32>
  %g = mlc.matmul %kt, %q : tensor<?x4x16x8xf32>, tensor<?x4x8x16xf32> -> tensor<?x4x16x16xf32>
  %xt = mlc.permute %x perm = [0, 2, 1] : tensor<?x8x4xf32> -> tensor<?x4x8xf32>
  %y = mlc.linear %xt, %w : tensor<?x4x8xf32>, tensor<3x8xf32> -> tensor<?x4x3xf32>
  %e = mlc.exp %xt : tensor<?x4x8xf32>
  return %s, %g, %y, %e : tensor<?x4x8x8xf32>, tensor<?x4x16x16xf32>, tensor<?x4x3xf32>, tensor<?x4x8xf32>
}
// CHECK-LABEL: func.func @predict
// CHECK: mlc.permute %{{.+}} {mlc.schedule = "fuse"}
// CHECK: mlc.matmul %{{.+}} {mlc.schedule = "root"}
// CHECK: mlc.matmul %{{.+}} {mlc.schedule = "root"}
// CHECK: mlc.permute %{{.+}} {mlc.schedule = "root"}

// -----

// A softmax gradient fuses into the elementwise ops of its shape that read
// it (here a causal mask's gradient, then the scale), so its row sums are
// computed in their loop.
func.func @eval_step(%y: tensor<?x4x8x8xf32>, %dy: tensor<?x4x8x8xf32>) -> tensor<?x4x8x8xf32> {
  %g = mlc.softmax_grad %y, %dy axis = 3 : tensor<?x4x8x8xf32>
  %m = mlc.causal_mask_grad %g : tensor<?x4x8x8xf32>
  %c = mlc.constant 4.000000e+00 : tensor<f32>
  %d = mlc.div %m, %c : tensor<?x4x8x8xf32>, tensor<f32> -> tensor<?x4x8x8xf32>
  return %d : tensor<?x4x8x8xf32>
}
// CHECK-LABEL: func.func @eval_step
// CHECK: mlc.softmax_grad %{{.+}} {mlc.schedule = "fuse"}
// CHECK: mlc.causal_mask_grad %{{.+}} {mlc.schedule = "fuse"}
// CHECK: mlc.div %{{.+}} {mlc.schedule = "root"}

// -----

// Elementwise ops fuse into a softmax that reads them (the scores' scale
// and causal mask): its row passes read them where the row is cached. The
// product itself stays a kernel.
func.func @predict(%q: tensor<?x4x8x16xf32>, %kt: tensor<?x4x16x8xf32>) -> tensor<?x4x8x8xf32> {
  %s = mlc.matmul %q, %kt : tensor<?x4x8x16xf32>, tensor<?x4x16x8xf32> -> tensor<?x4x8x8xf32>
  %c = mlc.constant 4.000000e+00 : tensor<f32>
  %d = mlc.div %s, %c : tensor<?x4x8x8xf32>, tensor<f32> -> tensor<?x4x8x8xf32>
  %m = mlc.causal_mask %d : tensor<?x4x8x8xf32>
  %p = mlc.softmax %m axis = 3 : tensor<?x4x8x8xf32>
  return %p : tensor<?x4x8x8xf32>
}
// CHECK-LABEL: func.func @predict
// CHECK: mlc.matmul %{{.+}} {mlc.schedule = "root"}
// CHECK: mlc.div %{{.+}} {mlc.schedule = "fuse"}
// CHECK: mlc.causal_mask %{{.+}} {mlc.schedule = "fuse"}
// CHECK: mlc.softmax %{{.+}} {mlc.schedule = "root"}
