// Elementwise ops, broadcasting and the leaves (constant, iota, count)
// against values worked out by hand (7 significant digits).
// RUN: mlc-oracle run %s --func gelu --set x=-1,0,1,2 --set dy=1,1,2,-1 | FileCheck %s --check-prefix=GELU
// RUN: mlc-oracle run %s --func relu --set x=-1,0,1,2 --set dy=1,1,2,-1 | FileCheck %s --check-prefix=RELU
// RUN: mlc-oracle run %s --func bcast --set a=1,2 --set b=10,20,30 | FileCheck %s --check-prefix=BCAST
// RUN: mlc-oracle run %s --func leaves --set x=1,2,3,4,5,6 | FileCheck %s --check-prefix=LEAVES

// gelu(x) = x * Phi(x): Phi(-1) = 0.1586553, Phi(1) = 0.8413447,
// Phi(2) = 0.9772499 (exact erf, not the tanh approximation).
// gelu_grad = dy * (Phi(x) + x * phi(x)), phi(1) = 0.2419707, phi(2) = 0.05399097.
// GELU: result 0 y shape [4] values -0.1586552{{[0-9]*}} 0 0.8413447{{[0-9]*}} 1.954499{{[0-9]*}}
// GELU: result 1 dx shape [4] values -0.08331547{{[0-9]*}} 0.5 2.166630{{[0-9]*}} -1.085231{{[0-9]*}}
func.func @gelu(%x: tensor<4xf32> {mlc.name = "x"}, %dy: tensor<4xf32> {mlc.name = "dy"})
    -> (tensor<4xf32> {mlc.name = "y"}, tensor<4xf32> {mlc.name = "dx"}) {
  %y = mlc.gelu %x : tensor<4xf32>
  %dx = mlc.gelu_grad %x, %dy : tensor<4xf32>
  return %y, %dx : tensor<4xf32>, tensor<4xf32>
}

// relu_grad passes dy where x > 0 (not at 0); sigmoid(-1) = 0.2689414,
// tanh(0.5) = 0.4621172.
// RELU: result 0 y shape [4] values 0 0 1 2
// RELU: result 1 dx shape [4] values 0 0 2 -1
// RELU: result 2 s shape [4] values 0.2689414{{[0-9]*}} 0.5 0.7310585{{[0-9]*}} 0.8807970{{[0-9]*}}
// RELU: result 3 t shape [4] values -0.4621171{{[0-9]*}} 0 0.4621171{{[0-9]*}} 0.7615941{{[0-9]*}}
func.func @relu(%x: tensor<4xf32> {mlc.name = "x"}, %dy: tensor<4xf32> {mlc.name = "dy"})
    -> (tensor<4xf32> {mlc.name = "y"}, tensor<4xf32> {mlc.name = "dx"},
        tensor<4xf32> {mlc.name = "s"}, tensor<4xf32> {mlc.name = "t"}) {
  %y = mlc.relu %x : tensor<4xf32>
  %dx = mlc.relu_grad %x, %dy : tensor<4xf32>
  %s = mlc.sigmoid %x : tensor<4xf32>
  %half = mlc.constant 5.000000e-01 : tensor<f32>
  %h = mlc.mul %x, %half : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %t = mlc.tanh %h : tensor<4xf32>
  return %y, %dx, %s, %t : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// [?, 1] (N = 2) against [3] broadcasts to [2, 3]; mlc.broadcast stretches
// the same way.
// BCAST: result 0 sum shape [2, 3] values 11 21 31 12 22 32
// BCAST: result 1 quot shape [2, 3] values 0.1 0.05 0.0333333{{[0-9]*}} 0.2 0.1 0.0666666{{[0-9]*}}
// BCAST: result 2 stretched shape [2, 3] values 1 1 1 2 2 2
func.func @bcast(%a: tensor<?x1xf32> {mlc.name = "a"}, %b: tensor<3xf32> {mlc.name = "b"})
    -> (tensor<?x3xf32> {mlc.name = "sum"}, tensor<?x3xf32> {mlc.name = "quot"},
        tensor<?x3xf32> {mlc.name = "stretched"}) {
  %s = mlc.add %a, %b : tensor<?x1xf32>, tensor<3xf32> -> tensor<?x3xf32>
  %q = mlc.div %a, %b : tensor<?x1xf32>, tensor<3xf32> -> tensor<?x3xf32>
  %r = mlc.broadcast %a : tensor<?x1xf32> -> tensor<?x3xf32>
  return %s, %q, %r : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
}

// The constant is rounded to f32 (0.1f = 0.100000001490116); count is the
// element count over the given axes (all when empty), with N = 2.
// LEAVES: result 0 c shape [] values 0.100000001
// LEAVES: result 1 iota shape [4] values 0 1 2 3
// LEAVES: result 2 n1 shape [] values 3
// LEAVES: result 3 nall shape [] values 6
func.func @leaves(%x: tensor<?x3xf32> {mlc.name = "x"})
    -> (tensor<f32> {mlc.name = "c"}, tensor<4xi64> {mlc.name = "iota"},
        tensor<f32> {mlc.name = "n1"}, tensor<f32> {mlc.name = "nall"}) {
  %c = mlc.constant 1.000000e-01 : tensor<f32>
  %i = mlc.iota : tensor<4xi64>
  %n1 = mlc.count %x axes = [1] : tensor<?x3xf32> -> tensor<f32>
  %n = mlc.count %x axes = [] : tensor<?x3xf32> -> tensor<f32>
  return %c, %i, %n1, %n : tensor<f32>, tensor<4xi64>, tensor<f32>, tensor<f32>
}
