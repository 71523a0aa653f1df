// softmax / log_softmax against exp(x_i) / sum_j exp(x_j) worked out by hand
// (7 significant digits), including the max-stabilised large inputs, and the
// reductions sum / mean / max, and softmax_grad.
// RUN: mlc-oracle run %s --func softmax --set x=1,2,3,1000,1001,1002 | FileCheck %s --check-prefix=SOFTMAX
// RUN: mlc-oracle run %s --func axis0 --set x=0,1,2,1 | FileCheck %s --check-prefix=AXIS0
// RUN: mlc-oracle run %s --func reduce --set x=1,5,2,7,3,4 | FileCheck %s --check-prefix=REDUCE
// RUN: mlc-oracle run %s --func grad --set y=0.09003057,0.24472847,0.66524096,0.33333333,0.33333333,0.33333333 --set dy=1,0,0,3,0,-3 | FileCheck %s --check-prefix=GRAD

// Row [1,2,3]: e^1, e^2, e^3 over their sum; row [1000,1001,1002] is the
// same after subtracting its max, and must not overflow.
// SOFTMAX: result 0 p shape [2, 3] values 0.09003057{{[0-9]*}} 0.2447284{{[0-9]*}} 0.6652409{{[0-9]*}} 0.09003057{{[0-9]*}} 0.2447284{{[0-9]*}} 0.6652409{{[0-9]*}}
// SOFTMAX: result 1 lp shape [2, 3] values -2.407605{{[0-9]*}} -1.407605{{[0-9]*}} -0.4076059{{[0-9]*}} -2.407605{{[0-9]*}} -1.407605{{[0-9]*}} -0.4076059{{[0-9]*}}
func.func @softmax(%x: tensor<?x3xf32> {mlc.name = "x"})
    -> (tensor<?x3xf32> {mlc.name = "p"}, tensor<?x3xf32> {mlc.name = "lp"}) {
  %p = mlc.softmax %x axis = 1 : tensor<?x3xf32>
  %lp = mlc.log_softmax %x axis = 1 : tensor<?x3xf32>
  return %p, %lp : tensor<?x3xf32>, tensor<?x3xf32>
}

// Along axis 0 of [[0,1],[2,1]]: column [0,2] gives 1/(1+e^2), e^2/(1+e^2);
// column [1,1] gives 1/2, 1/2.
// AXIS0: result 0 p shape [2, 2] values 0.1192029{{[0-9]*}} 0.5 0.8807970{{[0-9]*}} 0.5
func.func @axis0(%x: tensor<2x2xf32> {mlc.name = "x"}) -> (tensor<2x2xf32> {mlc.name = "p"}) {
  %p = mlc.softmax %x axis = 0 : tensor<2x2xf32>
  return %p : tensor<2x2xf32>
}

// x = [[1,5,2],[7,3,4]].
// REDUCE: result 0 sum1 shape [2] values 8 14
// REDUCE: result 1 mean0 shape [1, 3] values 4 4 3
// REDUCE: result 2 max01 shape [] values 7
func.func @reduce(%x: tensor<2x3xf32> {mlc.name = "x"})
    -> (tensor<2xf32> {mlc.name = "sum1"}, tensor<1x3xf32> {mlc.name = "mean0"},
        tensor<f32> {mlc.name = "max01"}) {
  %s = mlc.sum %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %m = mlc.mean %x axes = [0] keepdim : tensor<2x3xf32> -> tensor<1x3xf32>
  %mx = mlc.max %x axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  return %s, %m, %mx : tensor<2xf32>, tensor<1x3xf32>, tensor<f32>
}

// softmax_grad y (dy - sum(dy y)): row y = softmax([1,2,3]), dy = [1,0,0]:
// sum = 0.09003057, so [0.09003057 * 0.90996943, -0.24472847 * 0.09003057,
// -0.66524096 * 0.09003057]; row y = [1/3]*3, dy = [3,0,-3]: sum 0, dy / 3.
// GRAD: result 0 dx shape [2, 3] values 0.0819250{{[0-9]*}} -0.0220330{{[0-9]*}} -0.0598920{{[0-9]*}} 0.99999{{[0-9]*}} 0 -0.99999{{[0-9]*}}
func.func @grad(%y: tensor<?x3xf32> {mlc.name = "y"}, %dy: tensor<?x3xf32> {mlc.name = "dy"})
    -> (tensor<?x3xf32> {mlc.name = "dx"}) {
  %dx = mlc.softmax_grad %y, %dy axis = 1 : tensor<?x3xf32>
  return %dx : tensor<?x3xf32>
}
