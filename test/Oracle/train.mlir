// The train loop: updated params and optimizer state feed the next step; a
// frozen param (an argument without a result) stays as it is.
// RUN: mlc-oracle train %s --steps 3 --set x=1,2 | FileCheck %s

// loss = mse(w * s, x) with w from zeros and the frozen s = ones; the
// gradient of the mean over 2 elements is (w - x); SGD with lr 0.5 and
// momentum 0.5:
// step 1: loss (1 + 4) / 2, g = [-1, -2], buf = g, w = -0.5 buf = [0.5, 1]
// step 2: loss (0.25 + 1) / 2, g = [-0.5, -1], buf = [-1, -2], w = [1, 2]
// step 3: loss 0, g = 0, buf = [-0.5, -1], w = [1.25, 2.5]
// CHECK:      step 1 loss 2.5
// CHECK-NEXT: param w 0.5 1
// CHECK-NEXT: step 2 loss 0.625
// CHECK-NEXT: param w 1 2
// CHECK-NEXT: step 3 loss 0
// CHECK-NEXT: param w 1.25 2.5
// CHECK-NOT: param s

mlc.param @w : tensor<2xf32> {init = "zeros", scale = 0.0 : f64}
mlc.param @s : tensor<2xf32> {frozen, init = "ones", scale = 0.0 : f64}

func.func @train_step(%w: tensor<2xf32> {mlc.param = "w"}, %s: tensor<2xf32> {mlc.param = "s"},
                      %buf: tensor<2xf32> {mlc.state = "optimizer.w.momentum_buffer"},
                      %x: tensor<2xf32> {mlc.data = "x"})
    -> (tensor<2xf32> {mlc.param = "w"}, tensor<2xf32> {mlc.state = "optimizer.w.momentum_buffer"},
        tensor<f32> {mlc.name = "loss"}) {
  %y = mlc.mul %w, %s : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %l = mlc.mse_loss %y, %x : tensor<2xf32>, tensor<2xf32> -> tensor<f32>
  %d = mlc.sub %y, %x : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %two = mlc.constant 2.0 : tensor<f32>
  %n = mlc.count %x axes = [] : tensor<2xf32> -> tensor<f32>
  %d2 = mlc.mul %d, %two : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
  %dy = mlc.div %d2, %n : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
  %g = mlc.mul %dy, %s : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %w1, %b1 = mlc.sgd_update %w, %g, %buf {lr = 5.0e-01 : f64, momentum = 5.0e-01 : f64, weight_decay = 0.0 : f64} : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %w1, %b1, %l : tensor<2xf32>, tensor<2xf32>, tensor<f32>
}
