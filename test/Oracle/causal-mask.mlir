// causal_mask sets column > row to -inf over the last two dims;
// causal_mask_grad zeroes the same entries.
// RUN: mlc-oracle run %s --func mask --set s=1,2,3,4,5,6,7,8,9,-1,-2,-3,-4,-5,-6,-7,-8,-9 | FileCheck %s

// Two [3, 3] matrices (N = 2).
// CHECK: result 0 m shape [2, 3, 3] values 1 -inf -inf 4 5 -inf 7 8 9 -1 -inf -inf -4 -5 -inf -7 -8 -9
// CHECK: result 1 dm shape [2, 3, 3] values 1 0 0 4 5 0 7 8 9 -1 0 0 -4 -5 0 -7 -8 -9
// Row 0 attends only to itself; row 1 to [4, 5]: softmax e^4, e^5 over their sum.
// CHECK: result 2 p shape [2, 3, 3] values 1 0 0 0.2689414{{[0-9]*}} 0.7310585{{[0-9]*}} 0
func.func @mask(%s: tensor<?x3x3xf32> {mlc.name = "s"})
    -> (tensor<?x3x3xf32> {mlc.name = "m"}, tensor<?x3x3xf32> {mlc.name = "dm"},
        tensor<?x3x3xf32> {mlc.name = "p"}) {
  %m = mlc.causal_mask %s : tensor<?x3x3xf32>
  %dm = mlc.causal_mask_grad %s : tensor<?x3x3xf32>
  %p = mlc.softmax %m axis = 2 : tensor<?x3x3xf32>
  return %m, %dm, %p : tensor<?x3x3xf32>, tensor<?x3x3xf32>, tensor<?x3x3xf32>
}
