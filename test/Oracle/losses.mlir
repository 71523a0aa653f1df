// cross_entropy (2-d and 3-d logits), accuracy (first maximum on ties),
// mse_loss and cross_entropy_grad against values worked out by hand.
// RUN: mlc-oracle run %s --func ce2 --set z=1,2,3,1,1,1 --set y=2,1 | FileCheck %s --check-prefix=CE2
// RUN: mlc-oracle run %s --func ce3 --set z=1,3,2,2 --set y=1,0 | FileCheck %s --check-prefix=CE3
// RUN: mlc-oracle run %s --func mse --set x=1,2,3 --set t=1,0,0 | FileCheck %s --check-prefix=MSE
// RUN: mlc-oracle run %s --func ce_grad --set z=1,2,3,1,1,1 --set y=2,1 | FileCheck %s --check-prefix=GRAD

// Row [1,2,3], label 2: log(e + e^2 + e^3) - 3 = 0.4076060; row [1,1,1],
// label 1: log 3 = 1.098612; mean 0.7531091. Accuracy: row 0 is right; row 1
// ties, its arg-max is the first class 0, not 1: 0.5.
// CE2: result 0 loss shape [] values 0.7531091{{[0-9]*}}
// CE2: result 1 accuracy shape [] values 0.5
func.func @ce2(%z: tensor<?x3xf32> {mlc.name = "z"}, %y: tensor<?xi64> {mlc.name = "y"})
    -> (tensor<f32> {mlc.name = "loss"}, tensor<f32> {mlc.name = "accuracy"}) {
  %l = mlc.cross_entropy %z, %y : tensor<?x3xf32>, tensor<?xi64> -> tensor<f32>
  %a = mlc.accuracy %z, %y : tensor<?x3xf32>, tensor<?xi64> -> tensor<f32>
  return %l, %a : tensor<f32>, tensor<f32>
}

// [B=1, T=2, C=2]: position [1,3] label 1 gives log(1 + e^-2) = 0.1269280;
// position [2,2] label 0 gives log 2 = 0.6931472; mean over the B*T = 2
// positions 0.4100376. Both arg-maxes are right (the tie picks class 0).
// CE3: result 0 loss shape [] values 0.4100375{{[0-9]*}}
// CE3: result 1 accuracy shape [] values 1
func.func @ce3(%z: tensor<?x2x2xf32> {mlc.name = "z"}, %y: tensor<?x2xi64> {mlc.name = "y"})
    -> (tensor<f32> {mlc.name = "loss"}, tensor<f32> {mlc.name = "accuracy"}) {
  %l = mlc.cross_entropy %z, %y : tensor<?x2x2xf32>, tensor<?x2xi64> -> tensor<f32>
  %a = mlc.accuracy %z, %y : tensor<?x2x2xf32>, tensor<?x2xi64> -> tensor<f32>
  return %l, %a : tensor<f32>, tensor<f32>
}

// (0 + 4 + 9) / 3.
// MSE: result 0 loss shape [] values 4.333333{{[0-9]*}}
func.func @mse(%x: tensor<?xf32> {mlc.name = "x"}, %t: tensor<?xf32> {mlc.name = "t"})
    -> (tensor<f32> {mlc.name = "loss"}) {
  %l = mlc.mse_loss %x, %t : tensor<?xf32>, tensor<?xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// (softmax - one_hot) * g / P with g = 2 and P = 2 label positions:
// row 0 softmax [0.09003057, 0.2447285, 0.6652410] minus [0, 0, 1];
// row 1 [1/3, 1/3, 1/3] minus [0, 1, 0].
// GRAD: result 0 dz shape [2, 3] values 0.09003057{{[0-9]*}} 0.2447284{{[0-9]*}} -0.3347590{{[0-9]*}} 0.3333333{{[0-9]*}} -0.6666666{{[0-9]*}} 0.3333333{{[0-9]*}}
func.func @ce_grad(%z: tensor<?x3xf32> {mlc.name = "z"}, %y: tensor<?xi64> {mlc.name = "y"})
    -> (tensor<?x3xf32> {mlc.name = "dz"}) {
  %g = mlc.constant 2.0 : tensor<f32>
  %dz = mlc.cross_entropy_grad %z, %y, %g : tensor<?x3xf32>, tensor<?xi64>, tensor<f32>
  return %dz : tensor<?x3xf32>
}
