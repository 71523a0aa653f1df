// Forward values of matmul (batch broadcasting), linear, permute and reshape
// against products worked out by hand.
// RUN: mlc-oracle run %s --func plain --set a=1,2,3,4,5,6 --set b=7,8,9,10,11,12 | FileCheck %s --check-prefix=PLAIN
// RUN: mlc-oracle run %s --func batched --set x=1,2,3,4 --set w=1,0,1,0,1,2 | FileCheck %s --check-prefix=BATCHED
// RUN: mlc-oracle run %s --func both --set a=1,2,3,4 --set b=1,1,1,-1,2,0 | FileCheck %s --check-prefix=BOTH
// RUN: mlc-oracle run %s --func linear --set x=1,2,3,-1,0,1 --set w=1,1,1,0,1,0 --set b=10,20 | FileCheck %s --check-prefix=LINEAR
// RUN: mlc-oracle run %s --func shapes --set x=0,1,2,3,4,5 | FileCheck %s --check-prefix=SHAPES

// [[1,2,3],[4,5,6]] x [[7,8],[9,10],[11,12]]
// PLAIN: result 0 c shape [2, 2] values 58 64 139 154
func.func @plain(%a: tensor<2x3xf32> {mlc.name = "a"}, %b: tensor<3x2xf32> {mlc.name = "b"})
    -> (tensor<2x2xf32> {mlc.name = "c"}) {
  %c = mlc.matmul %a, %b : tensor<2x3xf32>, tensor<3x2xf32> -> tensor<2x2xf32>
  return %c : tensor<2x2xf32>
}

// N = 2 from --set x; the rank-2 rhs applies to both matrices:
// [1,2] x [[1,0,1],[0,1,2]] = [1,2,5]; [3,4] x ... = [3,4,11].
// BATCHED: result 0 y shape [2, 1, 3] values 1 2 5 3 4 11
func.func @batched(%x: tensor<?x1x2xf32> {mlc.name = "x"}, %w: tensor<2x3xf32> {mlc.name = "w"})
    -> (tensor<?x1x3xf32> {mlc.name = "y"}) {
  %y = mlc.matmul %x, %w : tensor<?x1x2xf32>, tensor<2x3xf32> -> tensor<?x1x3xf32>
  return %y : tensor<?x1x3xf32>
}

// Batch dims [2,1] and [3] broadcast to [2,3]: entry (i,j) = a_i . b_j with
// a = [1,2], [3,4] and b = [1,1], [1,-1], [2,0].
// BOTH: result 0 y shape [2, 3, 1, 1] values 3 -1 2 7 -1 6
func.func @both(%a: tensor<2x1x1x2xf32> {mlc.name = "a"}, %b: tensor<3x2x1xf32> {mlc.name = "b"})
    -> (tensor<2x3x1x1xf32> {mlc.name = "y"}) {
  %y = mlc.matmul %a, %b : tensor<2x1x1x2xf32>, tensor<3x2x1xf32> -> tensor<2x3x1x1xf32>
  return %y : tensor<2x3x1x1xf32>
}

// y = x W^T + b over the last dim of a rank-3 input: rows [1,2,3], [-1,0,1]
// with W = [[1,1,1],[0,1,0]] give [6,2] and [0,0], plus b = [10,20].
// LINEAR: result 0 y shape [2, 1, 2] values 16 22 10 20
func.func @linear(%x: tensor<?x1x3xf32> {mlc.name = "x"}, %w: tensor<2x3xf32> {mlc.name = "w"},
                  %b: tensor<2xf32> {mlc.name = "b"}) -> (tensor<?x1x2xf32> {mlc.name = "y"}) {
  %y = mlc.linear %x, %w, %b : tensor<?x1x3xf32>, tensor<2x3xf32>, tensor<2xf32> -> tensor<?x1x2xf32>
  return %y : tensor<?x1x2xf32>
}

// x = [[[0,1,2]],[[3,4,5]]] (N = 2); permute [2,0,1] gives [3,2,1]:
// entry (k,n,0) = x[n,0,k]. The reshape keeps row-major order.
// SHAPES: result 0 p shape [3, 2, 1] values 0 3 1 4 2 5
// SHAPES: result 1 r shape [2, 3] values 0 1 2 3 4 5
func.func @shapes(%x: tensor<?x1x3xf32> {mlc.name = "x"})
    -> (tensor<3x?x1xf32> {mlc.name = "p"}, tensor<?x3xf32> {mlc.name = "r"}) {
  %p = mlc.permute %x perm = [2, 0, 1] : tensor<?x1x3xf32> -> tensor<3x?x1xf32>
  %r = mlc.reshape %x : tensor<?x1x3xf32> -> tensor<?x3xf32>
  return %p, %r : tensor<3x?x1xf32>, tensor<?x3xf32>
}
