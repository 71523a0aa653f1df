// max_grad routes each group's gradient to the first maximum of the group in
// row-major order and zero elsewhere.
// RUN: mlc-oracle run %s --func rows --set x=1,3,3,2,2,1 --set dy=10,20 | FileCheck %s --check-prefix=ROWS
// RUN: mlc-oracle run %s --func all --set x=1,3,3,2,2,1 --set dy=10 | FileCheck %s --check-prefix=ALL
// RUN: mlc-oracle run %s --func cols --set x=1,3,3,2,2,1 --set dy=10,20,30 | FileCheck %s --check-prefix=COLS

// x = [[1,3,3],[2,2,1]]: row 0's maxima are at columns 1 and 2, row 1's at 0 and 1.
// ROWS: result 0 dx shape [2, 3] values 0 10 0 20 0 0
func.func @rows(%x: tensor<?x3xf32> {mlc.name = "x"}, %dy: tensor<?xf32> {mlc.name = "dy"})
    -> (tensor<?x3xf32> {mlc.name = "dx"}) {
  %dx = mlc.max_grad %x, %dy axes = [1] : tensor<?x3xf32>, tensor<?xf32> -> tensor<?x3xf32>
  return %dx : tensor<?x3xf32>
}

// One group over both axes (keepdim): the first 3 in row-major order.
// ALL: result 0 dx shape [2, 3] values 0 10 0 0 0 0
func.func @all(%x: tensor<2x3xf32> {mlc.name = "x"}, %dy: tensor<1x1xf32> {mlc.name = "dy"})
    -> (tensor<2x3xf32> {mlc.name = "dx"}) {
  %dx = mlc.max_grad %x, %dy axes = [0, 1] keepdim : tensor<2x3xf32>, tensor<1x1xf32> -> tensor<2x3xf32>
  return %dx : tensor<2x3xf32>
}

// Down the columns: [1,2] -> row 1, [3,2] -> row 0, [3,1] -> row 0.
// COLS: result 0 dx shape [2, 3] values 0 20 30 10 0 0
func.func @cols(%x: tensor<2x3xf32> {mlc.name = "x"}, %dy: tensor<3xf32> {mlc.name = "dy"})
    -> (tensor<2x3xf32> {mlc.name = "dx"}) {
  %dx = mlc.max_grad %x, %dy axes = [0] : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return %dx : tensor<2x3xf32>
}
