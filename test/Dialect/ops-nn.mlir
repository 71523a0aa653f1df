// RUN: mlc-opt %s | mlc-opt | FileCheck %s
// RUN: mlc-opt %s --mlir-print-op-generic | mlc-opt | FileCheck %s

// CHECK: mlc.param @encoder.0.weight : tensor<256x1000xf32> {init = "uniform", scale = 3.100000e-02 : f64}
mlc.param @encoder.0.weight : tensor<256x1000xf32> {init = "uniform", scale = 3.1e-02 : f64}
// CHECK: mlc.param @encoder.0.bias : tensor<256xf32> {frozen, init = "zeros", scale = 0.000000e+00 : f64}
mlc.param @encoder.0.bias : tensor<256xf32> {frozen, init = "zeros", scale = 0.0 : f64}
// CHECK: mlc.param @emb.weight : tensor<1000x32xf32> {init = "normal", init_from = "pretrained.bin", init_key = "wte", scale = 2.000000e-02 : f64}
mlc.param @emb.weight : tensor<1000x32xf32> {init = "normal", scale = 2.0e-02 : f64, init_from = "pretrained.bin", init_key = "wte"}
// CHECK: mlc.param @ln.weight : tensor<32xf32> {init = "ones", init_from = "ckpt.bin", scale = 0.000000e+00 : f64}
mlc.param @ln.weight : tensor<32xf32> {init = "ones", scale = 0.0 : f64, init_from = "ckpt.bin"}

// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.+]]: tensor<?x1000xf32>, %[[H:.+]]: tensor<?x8x256xf32>, %[[W2:.+]]: tensor<4x256xf32>)
func.func @linear(%x: tensor<?x1000xf32>, %h: tensor<?x8x256xf32>, %w2: tensor<4x256xf32>) {
  // CHECK: %[[W:.+]] = mlc.param_ref @encoder.0.weight : tensor<256x1000xf32>
  %w = mlc.param_ref @encoder.0.weight : tensor<256x1000xf32>
  // CHECK: %[[B:.+]] = mlc.param_ref @encoder.0.bias : tensor<256xf32>
  %b = mlc.param_ref @encoder.0.bias : tensor<256xf32>
  // CHECK: mlc.linear %[[X]], %[[W]], %[[B]] : tensor<?x1000xf32>, tensor<256x1000xf32>, tensor<256xf32> -> tensor<?x256xf32>
  %0 = mlc.linear %x, %w, %b : tensor<?x1000xf32>, tensor<256x1000xf32>, tensor<256xf32> -> tensor<?x256xf32>
  // CHECK: mlc.linear %[[X]], %[[W]] : tensor<?x1000xf32>, tensor<256x1000xf32> -> tensor<?x256xf32>
  %1 = mlc.linear %x, %w : tensor<?x1000xf32>, tensor<256x1000xf32> -> tensor<?x256xf32>
  // CHECK: mlc.linear %[[H]], %[[W2]] : tensor<?x8x256xf32>, tensor<4x256xf32> -> tensor<?x8x4xf32>
  %2 = mlc.linear %h, %w2 : tensor<?x8x256xf32>, tensor<4x256xf32> -> tensor<?x8x4xf32>
  return
}

// CHECK-LABEL: func.func @transformer_block
// CHECK-SAME: (%[[T:.+]]: tensor<?x16xi64>, %[[S:.+]]: tensor<?x16x16xf32>)
func.func @transformer_block(%tokens: tensor<?x16xi64>, %scores: tensor<?x16x16xf32>) {
  // CHECK: %[[E:.+]] = mlc.param_ref @emb.weight
  %e = mlc.param_ref @emb.weight : tensor<1000x32xf32>
  // CHECK: %[[G:.+]] = mlc.param_ref @ln.weight
  %g = mlc.param_ref @ln.weight : tensor<32xf32>
  // CHECK: %[[X:.+]] = mlc.embedding %[[E]], %[[T]] : tensor<1000x32xf32>, tensor<?x16xi64> -> tensor<?x16x32xf32>
  %x = mlc.embedding %e, %tokens : tensor<1000x32xf32>, tensor<?x16xi64> -> tensor<?x16x32xf32>
  // CHECK: %[[P:.+]] = mlc.iota : tensor<16xi64>
  %pos = mlc.iota : tensor<16xi64>
  // CHECK: mlc.embedding %[[E]], %[[P]] : tensor<1000x32xf32>, tensor<16xi64> -> tensor<16x32xf32>
  %pe = mlc.embedding %e, %pos : tensor<1000x32xf32>, tensor<16xi64> -> tensor<16x32xf32>
  // CHECK: mlc.layer_norm %[[X]], %[[G]], %[[G]] eps = 1.000000e-05 : tensor<?x16x32xf32>, tensor<32xf32>, tensor<32xf32> -> tensor<?x16x32xf32>
  %n = mlc.layer_norm %x, %g, %g eps = 1.0e-5 : tensor<?x16x32xf32>, tensor<32xf32>, tensor<32xf32> -> tensor<?x16x32xf32>
  // CHECK: mlc.causal_mask %[[S]] : tensor<?x16x16xf32>
  %m = mlc.causal_mask %scores : tensor<?x16x16xf32>
  return
}

// CHECK-LABEL: func.func @losses
// CHECK-SAME: (%[[Y:.+]]: tensor<?x10xf32>, %[[T:.+]]: tensor<?x10xf32>, %[[L:.+]]: tensor<?xi64>, %[[LM:.+]]: tensor<?x16x1000xf32>, %[[NEXT:.+]]: tensor<?x16xi64>)
func.func @losses(%y: tensor<?x10xf32>, %t: tensor<?x10xf32>, %labels: tensor<?xi64>,
                  %lm: tensor<?x16x1000xf32>, %next: tensor<?x16xi64>)
    -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  // CHECK: %[[MSE:.+]] = mlc.mse_loss %[[Y]], %[[T]] : tensor<?x10xf32>, tensor<?x10xf32> -> tensor<f32>
  %0 = mlc.mse_loss %y, %t : tensor<?x10xf32>, tensor<?x10xf32> -> tensor<f32>
  // CHECK: %[[CE:.+]] = mlc.cross_entropy %[[Y]], %[[L]] : tensor<?x10xf32>, tensor<?xi64> -> tensor<f32>
  %1 = mlc.cross_entropy %y, %labels : tensor<?x10xf32>, tensor<?xi64> -> tensor<f32>
  // CHECK: %[[CE3:.+]] = mlc.cross_entropy %[[LM]], %[[NEXT]] : tensor<?x16x1000xf32>, tensor<?x16xi64> -> tensor<f32>
  %2 = mlc.cross_entropy %lm, %next : tensor<?x16x1000xf32>, tensor<?x16xi64> -> tensor<f32>
  // CHECK: %[[ACC:.+]] = mlc.accuracy %[[Y]], %[[L]] : tensor<?x10xf32>, tensor<?xi64> -> tensor<f32>
  %3 = mlc.accuracy %y, %labels : tensor<?x10xf32>, tensor<?xi64> -> tensor<f32>
  // CHECK: return %[[MSE]], %[[CE]], %[[CE3]], %[[ACC]]
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>
}
