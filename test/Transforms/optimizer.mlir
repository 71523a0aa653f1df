// RUN: mlc-opt %s -split-input-file -mlc-autodiff -mlc-optimizer | FileCheck %s
// Update synthesis: one fused update per parameter with a gradient, PyTorch's
// hyper-parameters, state only for updated parameters.

module attributes {mlc.optimizer = {kind = "Adam", lr = 1.0e-02 : f64, betas = [0.8 : f64, 0.9 : f64], eps = 1.0e-06 : f64, weight_decay = 1.0e-01 : f64}} {
  mlc.param @w : tensor<2x4xf32> {init = "uniform", scale = 0.5 : f64}
  mlc.param @f : tensor<4xf32> {frozen, init = "ones", scale = 0.0 : f64}
  func.func @loss(%x: tensor<?x4xf32> {mlc.name = "x"}) -> (tensor<f32> {mlc.name = "loss"}) {
    %w = mlc.param_ref @w : tensor<2x4xf32>
    %f = mlc.param_ref @f : tensor<4xf32>
    %s = mlc.mul %x, %f : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
    %z = mlc.linear %s, %w : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
    %l = mlc.mean %z axes = [0, 1] : tensor<?x2xf32> -> tensor<f32>
    return %l : tensor<f32>
  }
  func.func @predict(%x: tensor<?x4xf32> {mlc.name = "x"}) -> (tensor<?x2xf32> {mlc.name = "output"}) {
    %w = mlc.param_ref @w : tensor<2x4xf32>
    %z = mlc.linear %x, %w : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
    return %z : tensor<?x2xf32>
  }
}
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W:[^:]+]]: tensor<2x4xf32> {mlc.param = "w"}, %[[F:[^:]+]]: tensor<4xf32> {mlc.param = "f"},
// CHECK-SAME: %[[M:[^:]+]]: tensor<2x4xf32> {mlc.state = "optimizer.w.exp_avg"}, %[[V:[^:]+]]: tensor<2x4xf32> {mlc.state = "optimizer.w.exp_avg_sq"},
// CHECK-SAME: %[[T:[^:]+]]: tensor<i64> {mlc.step}, %[[X:[^:]+]]: tensor<?x4xf32> {mlc.data = "x"})
// CHECK-SAME: -> (tensor<2x4xf32> {mlc.param = "w"}, tensor<2x4xf32> {mlc.state = "optimizer.w.exp_avg"}, tensor<2x4xf32> {mlc.state = "optimizer.w.exp_avg_sq"}, tensor<f32> {mlc.name = "loss"})
// CHECK-NOT: mlc.param_ref
// CHECK: %[[G:.+]] = mlc.linear_weight_grad
// CHECK: %[[P:.+]], %[[M1:.+]], %[[V1:.+]] = mlc.adam_update %[[W]], %[[G]], %[[M]], %[[V]], %[[T]] {beta1 = 8.000000e-01 : f64, beta2 = 9.000000e-01 : f64, eps = 9.9999999999999995E-7 : f64, lr = 1.000000e-02 : f64, weight_decay = 1.000000e-01 : f64} : tensor<2x4xf32>, tensor<i64>
// CHECK-NOT: adam_update
// CHECK: return %[[P]], %[[M1]], %[[V1]], %{{.+}} :
// CHECK-LABEL: func.func @eval_step(
// CHECK-SAME: tensor<2x4xf32> {mlc.param = "w"}, %{{.+}}: tensor<4xf32> {mlc.param = "f"}, %{{.+}}: tensor<?x4xf32> {mlc.data = "x"}) -> (tensor<f32> {mlc.name = "loss"})
// CHECK-NOT: _grad
// CHECK-LABEL: func.func @predict(
// CHECK-SAME: %[[PW:[^:]+]]: tensor<2x4xf32> {mlc.param = "w"}, %{{.+}}: tensor<4xf32> {mlc.param = "f"}, %[[PX:[^:]+]]: tensor<?x4xf32> {mlc.data = "x"}) -> (tensor<?x2xf32> {mlc.name = "output"})
// CHECK-NEXT: mlc.linear %[[PX]], %[[PW]]
// CHECK-NOT: func.func @loss
// CHECK-NOT: func.func @gradients

// -----

module attributes {mlc.optimizer = {kind = "AdamW", lr = 1.0e-03 : f64, betas = [0.9 : f64, 0.999 : f64], eps = 1.0e-08 : f64, weight_decay = 1.0e-02 : f64}} {
  mlc.param @w : tensor<4xf32> {init = "uniform", scale = 0.5 : f64}
  func.func @loss(%x: tensor<?x4xf32> {mlc.name = "x"}) -> (tensor<f32> {mlc.name = "loss"}) {
    %w = mlc.param_ref @w : tensor<4xf32>
    %s = mlc.mul %x, %w : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
    %l = mlc.sum %s axes = [0, 1] : tensor<?x4xf32> -> tensor<f32>
    return %l : tensor<f32>
  }
}
// AdamW: decoupled weight decay.
// CHECK-LABEL: func.func @train_step(
// CHECK: mlc.adam_update {{.*}} {beta1 = {{.*}}, decoupled, eps = {{.*}}, weight_decay = 1.000000e-02 : f64}

// -----

module attributes {mlc.optimizer = {kind = "SGD", lr = 1.0e-01 : f64, momentum = 9.0e-01 : f64, weight_decay = 0.0 : f64}} {
  mlc.param @w : tensor<4xf32> {init = "uniform", scale = 0.5 : f64}
  func.func @loss(%x: tensor<?x4xf32> {mlc.name = "x"}) -> (tensor<f32> {mlc.name = "loss"}) {
    %w = mlc.param_ref @w : tensor<4xf32>
    %s = mlc.mul %x, %w : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
    %l = mlc.sum %s axes = [0, 1] : tensor<?x4xf32> -> tensor<f32>
    return %l : tensor<f32>
  }
}
// SGD with momentum: a momentum buffer, no step.
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W:[^:]+]]: tensor<4xf32> {mlc.param = "w"}, %[[B:[^:]+]]: tensor<4xf32> {mlc.state = "optimizer.w.momentum_buffer"}, %{{.+}}: tensor<?x4xf32> {mlc.data = "x"})
// CHECK: %[[P:.+]], %[[B1:.+]] = mlc.sgd_update %[[W]], %{{.+}}, %[[B]] {lr = 1.000000e-01 : f64, momentum = 9.000000e-01 : f64, weight_decay = 0.000000e+00 : f64}
// CHECK: return %[[P]], %[[B1]], %{{.+}} :

// -----

module attributes {mlc.optimizer = {kind = "SGD", lr = 1.0e-01 : f64, momentum = 0.0 : f64, weight_decay = 0.0 : f64}} {
  mlc.param @w : tensor<4xf32> {init = "uniform", scale = 0.5 : f64}
  func.func @loss(%x: tensor<?x4xf32> {mlc.name = "x"}) -> (tensor<f32> {mlc.name = "loss"}) {
    %w = mlc.param_ref @w : tensor<4xf32>
    %s = mlc.mul %x, %w : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
    %l = mlc.sum %s axes = [0, 1] : tensor<?x4xf32> -> tensor<f32>
    return %l : tensor<f32>
  }
}
// Plain SGD: no state at all.
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W:[^:]+]]: tensor<4xf32> {mlc.param = "w"}, %{{.+}}: tensor<?x4xf32> {mlc.data = "x"}) -> (tensor<4xf32> {mlc.param = "w"}, tensor<f32> {mlc.name = "loss"})
// CHECK: %[[P:.+]] = mlc.sgd_update %[[W]], %{{[^,]+}} {lr
