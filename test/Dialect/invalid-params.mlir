// RUN: mlc-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{'type' must be a statically shaped f32 tensor, got 'f32'}}
mlc.param @p : f32 {init = "zeros", scale = 0.0 : f64}

// -----

// expected-error @+1 {{'type' must be a statically shaped f32 tensor, got 'tensor<?x4xf32>'}}
mlc.param @p : tensor<?x4xf32> {init = "zeros", scale = 0.0 : f64}

// -----

// expected-error @+1 {{'type' must be a statically shaped f32 tensor, got 'tensor<4xi64>'}}
mlc.param @p : tensor<4xi64> {init = "zeros", scale = 0.0 : f64}

// -----

// expected-error @+1 {{'init' must be one of 'uniform', 'normal', 'ones', 'zeros', got 'xavier'}}
mlc.param @p : tensor<4xf32> {init = "xavier", scale = 1.0 : f64}

// -----

// expected-error @+1 {{'scale' must be >= 0, got -1.0}}
mlc.param @p : tensor<4xf32> {init = "normal", scale = -1.0 : f64}

// -----

// expected-error @+1 {{'init_key' requires 'init_from'}}
mlc.param @p : tensor<4xf32> {init = "zeros", scale = 0.0 : f64, init_key = "w"}

// -----

// expected-error @+1 {{requires attribute 'scale'}}
mlc.param @p : tensor<4xf32> {init = "zeros"}

// -----

func.func @param_in_function() {
  // expected-error @+1 {{expects parent op 'builtin.module'}}
  mlc.param @p : tensor<4xf32> {init = "zeros", scale = 0.0 : f64}
  return
}

// -----

// expected-note @+1 {{see existing symbol definition here}}
mlc.param @p : tensor<4xf32> {init = "zeros", scale = 0.0 : f64}
// expected-error @+1 {{redefinition of symbol named 'p'}}
mlc.param @p : tensor<4xf32> {init = "ones", scale = 0.0 : f64}

// -----

func.func @unknown_param() {
  // expected-error @+1 {{'@nope' does not name an 'mlc.param'}}
  %0 = mlc.param_ref @nope : tensor<4xf32>
  return
}

// -----

func.func @not_a_param() {
  // expected-error @+1 {{'@not_a_param' does not name an 'mlc.param'}}
  %0 = mlc.param_ref @not_a_param : tensor<4xf32>
  return
}

// -----

mlc.param @w : tensor<4x8xf32> {init = "uniform", scale = 0.1 : f64}

func.func @wrong_type() {
  // expected-error @+1 {{result type 'tensor<8x4xf32>' does not match the type 'tensor<4x8xf32>' of '@w'}}
  %0 = mlc.param_ref @w : tensor<8x4xf32>
  return
}
