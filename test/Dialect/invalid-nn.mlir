// RUN: mlc-opt %s -split-input-file -verify-diagnostics

func.func @linear_scalar_input(%x: tensor<f32>, %w: tensor<4x1xf32>) {
  // expected-error @+1 {{'input' must have rank >= 1, got 'tensor<f32>'}}
  %0 = mlc.linear %x, %w : tensor<f32>, tensor<4x1xf32> -> tensor<4xf32>
  return
}

// -----

func.func @linear_in_features(%x: tensor<?x8xf32>, %w: tensor<4x6xf32>) {
  // expected-error @+1 {{the last dim of 'input' (8) must match dim 1 of 'weight' (6)}}
  %0 = mlc.linear %x, %w : tensor<?x8xf32>, tensor<4x6xf32> -> tensor<?x4xf32>
  return
}

// -----

// The weight is [out, in] (PyTorch's layout), not [in, out].
func.func @linear_transposed_weight(%x: tensor<?x8xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+1 {{the last dim of 'input' (8) must match dim 1 of 'weight' (4)}}
  %0 = mlc.linear %x, %w : tensor<?x8xf32>, tensor<8x4xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<?x8xf32>, %w: tensor<4x8xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{dim 0 of 'bias' (8) must match dim 0 of 'weight' (4)}}
  %0 = mlc.linear %x, %w, %b : tensor<?x8xf32>, tensor<4x8xf32>, tensor<8xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<?x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{operand #1 must be 2D tensor of 32-bit float values, but got 'tensor<8xf32>'}}
  %0 = mlc.linear %x, %w : tensor<?x8xf32>, tensor<8xf32> -> tensor<?xf32>
  return
}

// -----

func.func @linear_wrong_result(%x: tensor<?x3x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'result' must be 'tensor<?x3x4xf32>', got 'tensor<?x4xf32>'}}
  %0 = mlc.linear %x, %w : tensor<?x3x8xf32>, tensor<4x8xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @layer_norm_weight(%x: tensor<?x8xf32>, %g: tensor<4xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{dim 0 of 'weight' (4) must match the last dim of 'input' (8)}}
  %0 = mlc.layer_norm %x, %g, %b eps = 1.0e-5 : tensor<?x8xf32>, tensor<4xf32>, tensor<8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @layer_norm_bias(%x: tensor<?x8xf32>, %g: tensor<8xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{dim 0 of 'bias' (4) must match the last dim of 'input' (8)}}
  %0 = mlc.layer_norm %x, %g, %b eps = 1.0e-5 : tensor<?x8xf32>, tensor<8xf32>, tensor<4xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @layer_norm_eps(%x: tensor<?x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'eps' must be >= 0, got -1.0}}
  %0 = mlc.layer_norm %x, %g, %g eps = -1.0 : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @layer_norm_result(%x: tensor<?x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'result' must be 'tensor<?x8xf32>', got 'tensor<4x8xf32>'}}
  %0 = mlc.layer_norm %x, %g, %g eps = 1.0e-5 : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @embedding_f32_indices(%w: tensor<100x16xf32>, %i: tensor<?x8xf32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 64-bit signless integer values, but got 'tensor<?x8xf32>'}}
  %0 = mlc.embedding %w, %i : tensor<100x16xf32>, tensor<?x8xf32> -> tensor<?x8x16xf32>
  return
}

// -----

func.func @embedding_result(%w: tensor<100x16xf32>, %i: tensor<?x8xi64>) {
  // expected-error @+1 {{'result' must be 'tensor<?x8x16xf32>', got 'tensor<?x8x100xf32>'}}
  %0 = mlc.embedding %w, %i : tensor<100x16xf32>, tensor<?x8xi64> -> tensor<?x8x100xf32>
  return
}

// -----

func.func @causal_mask_not_square(%s: tensor<?x4x5xf32>) {
  // expected-error @+1 {{the last two dims of 'input' must be equal (scores [..., T, T]), got 'tensor<?x4x5xf32>'}}
  %0 = mlc.causal_mask %s : tensor<?x4x5xf32>
  return
}

// -----

func.func @causal_mask_rank_1(%s: tensor<4xf32>) {
  // expected-error @+1 {{'input' must have rank >= 2, got 'tensor<4xf32>'}}
  %0 = mlc.causal_mask %s : tensor<4xf32>
  return
}

// -----

func.func @mse_shapes(%y: tensor<?x4xf32>, %t: tensor<?x5xf32>) {
  // expected-error @+1 {{'input' and 'target' must have the same shape, got 'tensor<?x4xf32>' and 'tensor<?x5xf32>'}}
  %0 = mlc.mse_loss %y, %t : tensor<?x4xf32>, tensor<?x5xf32> -> tensor<f32>
  return
}

// -----

func.func @mse_not_scalar(%y: tensor<?x4xf32>) {
  // expected-error @+1 {{result #0 must be 0D tensor of 32-bit float values, but got 'tensor<?xf32>'}}
  %0 = mlc.mse_loss %y, %y : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?xf32>
  return
}

// -----

func.func @cross_entropy_labels_shape(%l: tensor<?x10xf32>, %y: tensor<10xi64>) {
  // expected-error @+1 {{'labels' must be 'tensor<?xi64>' (the shape of 'logits' without its last dim), got 'tensor<10xi64>'}}
  %0 = mlc.cross_entropy %l, %y : tensor<?x10xf32>, tensor<10xi64> -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_labels_rank(%l: tensor<?x16x10xf32>, %y: tensor<?xi64>) {
  // expected-error @+1 {{'labels' must be 'tensor<?x16xi64>' (the shape of 'logits' without its last dim), got 'tensor<?xi64>'}}
  %0 = mlc.cross_entropy %l, %y : tensor<?x16x10xf32>, tensor<?xi64> -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_labels_dtype(%l: tensor<?x10xf32>, %y: tensor<?xf32>) {
  // expected-error @+1 {{operand #1 must be 1D/2D tensor of 64-bit signless integer values, but got 'tensor<?xf32>'}}
  %0 = mlc.cross_entropy %l, %y : tensor<?x10xf32>, tensor<?xf32> -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_logits_rank(%l: tensor<?x2x3x10xf32>, %y: tensor<?x2x3xi64>) {
  // expected-error @+1 {{operand #0 must be 2D/3D tensor of 32-bit float values, but got 'tensor<?x2x3x10xf32>'}}
  %0 = mlc.cross_entropy %l, %y : tensor<?x2x3x10xf32>, tensor<?x2x3xi64> -> tensor<f32>
  return
}

// -----

func.func @accuracy_labels_shape(%l: tensor<?x10xf32>, %y: tensor<?x10xi64>) {
  // expected-error @+1 {{'labels' must be 'tensor<?xi64>' (the shape of 'logits' without its last dim), got 'tensor<?x10xi64>'}}
  %0 = mlc.accuracy %l, %y : tensor<?x10xf32>, tensor<?x10xi64> -> tensor<f32>
  return
}
