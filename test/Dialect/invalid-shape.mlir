// RUN: mlc-opt %s -split-input-file -verify-diagnostics

func.func @matmul_rank_1(%a: tensor<8xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+1 {{'lhs' must have rank >= 2, got 'tensor<8xf32>'}}
  %0 = mlc.matmul %a, %b : tensor<8xf32>, tensor<8x4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @matmul_bad_k(%a: tensor<?x8xf32>, %b: tensor<6x4xf32>) {
  // expected-error @+1 {{the last dim of 'lhs' (8) must match the second-to-last dim of 'rhs' (6)}}
  %0 = mlc.matmul %a, %b : tensor<?x8xf32>, tensor<6x4xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<?x4x8xf32>, %b: tensor<3x8x4xf32>) {
  // expected-error @+1 {{the batch dims of 'lhs' and 'rhs' are not broadcast-compatible: 'tensor<?x4x8xf32>' vs 'tensor<3x8x4xf32>'}}
  %0 = mlc.matmul %a, %b : tensor<?x4x8xf32>, tensor<3x8x4xf32> -> tensor<?x4x4xf32>
  return
}

// -----

func.func @matmul_wrong_result(%a: tensor<?x4x8xf32>, %b: tensor<8x2xf32>) {
  // expected-error @+1 {{'result' must be 'tensor<?x4x2xf32>', got 'tensor<?x4x8xf32>'}}
  %0 = mlc.matmul %a, %b : tensor<?x4x8xf32>, tensor<8x2xf32> -> tensor<?x4x8xf32>
  return
}

// -----

func.func @permute_length(%a: tensor<?x4x8xf32>) {
  // expected-error @+1 {{'perm' has 2 entries, but 'input' has rank 3}}
  %0 = mlc.permute %a perm = [1, 0] : tensor<?x4x8xf32> -> tensor<4x?x8xf32>
  return
}

// -----

func.func @permute_duplicate(%a: tensor<?x4x8xf32>) {
  // expected-error @+1 {{'perm' must be a permutation of 0..2, got [0, 1, 1]}}
  %0 = mlc.permute %a perm = [0, 1, 1] : tensor<?x4x8xf32> -> tensor<?x4x4xf32>
  return
}

// -----

func.func @permute_out_of_range(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{'perm' must be a permutation of 0..1, got [2, 0]}}
  %0 = mlc.permute %a perm = [2, 0] : tensor<?x4xf32> -> tensor<4x?xf32>
  return
}

// -----

func.func @permute_wrong_result(%a: tensor<?x4x8xf32>) {
  // expected-error @+1 {{'result' must be 'tensor<?x8x4xf32>', got 'tensor<?x4x8xf32>'}}
  %0 = mlc.permute %a perm = [0, 2, 1] : tensor<?x4x8xf32> -> tensor<?x4x8xf32>
  return
}

// -----

func.func @reshape_element_type(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{'result' element type must match 'input', got 'tensor<?x4xf32>' and 'tensor<?x4xi64>'}}
  %0 = mlc.reshape %a : tensor<?x4xf32> -> tensor<?x4xi64>
  return
}

// -----

func.func @reshape_dynamic_count(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{'input' and 'result' must have the same number of dynamic dims, got 'tensor<?x4xf32>' and 'tensor<4x4xf32>'}}
  %0 = mlc.reshape %a : tensor<?x4xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @reshape_two_dynamic(%a: tensor<?x?xf32>) {
  // expected-error @+1 {{'input' may have at most one dynamic dim (the batch dim), got 'tensor<?x?xf32>'}}
  %0 = mlc.reshape %a : tensor<?x?xf32> -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_count(%a: tensor<?x4x3xf32>) {
  // expected-error @+1 {{'input' and 'result' must have the same number of static elements, got 12 and 16}}
  %0 = mlc.reshape %a : tensor<?x4x3xf32> -> tensor<?x16xf32>
  return
}

// -----

func.func @sum_axis_out_of_range(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{'axes' must be in [0, 2), got 2}}
  %0 = mlc.sum %a axes = [2] : tensor<?x4xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @sum_negative_axis(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{'axes' must be in [0, 2), got -1}}
  %0 = mlc.sum %a axes = [-1] : tensor<?x4xf32> -> tensor<?xf32>
  return
}

// -----

func.func @mean_unsorted(%a: tensor<?x4x8xf32>) {
  // expected-error @+1 {{'axes' must be sorted and unique, got [2, 1]}}
  %0 = mlc.mean %a axes = [2, 1] : tensor<?x4x8xf32> -> tensor<?xf32>
  return
}

// -----

func.func @max_duplicate(%a: tensor<?x4x8xf32>) {
  // expected-error @+1 {{'axes' must be sorted and unique, got [1, 1]}}
  %0 = mlc.max %a axes = [1, 1] : tensor<?x4x8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @sum_missing_keepdim(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{'result' must be 'tensor<?xf32>', got 'tensor<?x1xf32>'}}
  %0 = mlc.sum %a axes = [1] : tensor<?x4xf32> -> tensor<?x1xf32>
  return
}

// -----

func.func @mean_keepdim_wrong_result(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{'result' must be 'tensor<?x1xf32>', got 'tensor<?xf32>'}}
  %0 = mlc.mean %a axes = [1] keepdim : tensor<?x4xf32> -> tensor<?xf32>
  return
}

// -----

func.func @softmax_axis(%a: tensor<?x10xf32>) {
  // expected-error @+1 {{'axis' must be in [0, 2), got 2}}
  %0 = mlc.softmax %a axis = 2 : tensor<?x10xf32>
  return
}

// -----

func.func @log_softmax_negative_axis(%a: tensor<?x10xf32>) {
  // expected-error @+1 {{'axis' must be in [0, 2), got -1}}
  %0 = mlc.log_softmax %a axis = -1 : tensor<?x10xf32>
  return
}

// -----

func.func @softmax_grad_axis(%y: tensor<?x10xf32>, %dy: tensor<?x10xf32>) {
  // expected-error @+1 {{'axis' must be in [0, 2), got 3}}
  %0 = mlc.softmax_grad %y, %dy axis = 3 : tensor<?x10xf32>
  return
}
