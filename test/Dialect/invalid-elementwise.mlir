// RUN: mlc-opt %s -split-input-file -verify-diagnostics

func.func @constant_not_scalar() {
  // expected-error @+1 {{result #0 must be 0D tensor of 32-bit float values}}
  %0 = mlc.constant 1.0 : tensor<1xf32>
  return
}

// -----

func.func @iota_not_i64() {
  // expected-error @+1 {{result #0 must be 1D tensor of 64-bit signless integer values, but got 'tensor<8xf32>'}}
  %0 = mlc.iota : tensor<8xf32>
  return
}

// -----

func.func @iota_rank_2() {
  // expected-error @+1 {{result #0 must be 1D tensor of 64-bit signless integer values, but got 'tensor<2x4xi64>'}}
  %0 = mlc.iota : tensor<2x4xi64>
  return
}

// -----

func.func @iota_dynamic() {
  // expected-error @+1 {{'result' must have a static length, got 'tensor<?xi64>'}}
  %0 = mlc.iota : tensor<?xi64>
  return
}

// -----

func.func @add_mismatch(%a: tensor<?x4xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'lhs' and 'rhs' are not broadcast-compatible: 'tensor<?x4xf32>' vs 'tensor<3xf32>'}}
  %0 = mlc.add %a, %b : tensor<?x4xf32>, tensor<3xf32> -> tensor<?x4xf32>
  return
}

// -----

// '?' is the batch dim: it never matches a static dim other than 1.
func.func @sub_dynamic_vs_static(%a: tensor<?x4xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+1 {{'lhs' and 'rhs' are not broadcast-compatible: 'tensor<?x4xf32>' vs 'tensor<8x4xf32>'}}
  %0 = mlc.sub %a, %b : tensor<?x4xf32>, tensor<8x4xf32> -> tensor<8x4xf32>
  return
}

// -----

func.func @mul_wrong_result(%a: tensor<?x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'result' must be 'tensor<?x4xf32>', got 'tensor<4x4xf32>'}}
  %0 = mlc.mul %a, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @div_i64(%a: tensor<4xi64>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4xi64>'}}
  %0 = mlc.div %a, %b : tensor<4xi64>, tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @unary_i64(%a: tensor<4xi64>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4xi64>'}}
  %0 = mlc.relu %a : tensor<4xi64>
  return
}

// -----

func.func @unary_type_change(%a: tensor<4xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "mlc.exp"(%a) : (tensor<4xf32>) -> tensor<5xf32>
  return
}
