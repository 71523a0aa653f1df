// Seeded inputs: i64 arguments draw from [0, R) with R the table size of the
// embedding they index (also through a reshape), the class count of the
// logits they label, else 4; parameters honor their init and scale.
// RUN: mlc-oracle run %s --func ranges --batch 4 | FileCheck %s --check-prefix=RANGES
// RUN: mlc-oracle run %s --func params | FileCheck %s --check-prefix=PARAMS
// RUN: mlc-oracle run %s --func params --seed 2 --set u=1,2,3,4 | FileCheck %s --check-prefix=SET

// RANGES: result 0 ids shape [4, 8] values{{( [0-2])+$}}
// RANGES: result 1 labels shape [4] values{{( [0-6])+$}}
// RANGES: result 2 other shape [4] values{{( [0-3])+$}}
func.func @ranges(%ids: tensor<?x8xi64> {mlc.name = "ids"}, %y: tensor<?xi64> {mlc.name = "labels"},
                  %o: tensor<?xi64> {mlc.name = "other"}, %table: tensor<3x2xf32> {mlc.name = "table"},
                  %z: tensor<?x7xf32> {mlc.name = "z"})
    -> (tensor<?x8xi64> {mlc.name = "ids"}, tensor<?xi64> {mlc.name = "labels"},
        tensor<?xi64> {mlc.name = "other"}, tensor<?x2x4x2xf32>, tensor<f32>) {
  %r = mlc.reshape %ids : tensor<?x8xi64> -> tensor<?x2x4xi64>
  %e = mlc.embedding %table, %r : tensor<3x2xf32>, tensor<?x2x4xi64> -> tensor<?x2x4x2xf32>
  %l = mlc.cross_entropy %z, %y : tensor<?x7xf32>, tensor<?xi64> -> tensor<f32>
  return %ids, %y, %o, %e, %l : tensor<?x8xi64>, tensor<?xi64>, tensor<?xi64>, tensor<?x2x4x2xf32>, tensor<f32>
}

// U(-0.01, 0.01), N(0, 0.001), ones, zeros; --set replaces one of them.
// PARAMS: result 0 u shape [4] values{{( -?0\.00[0-9]+| -?[0-9.]+e-0[5-9])+$}}
// PARAMS: result 1 n shape [4] values{{( -?0\.00[0-9]+| -?[0-9.]+e-0[5-9])+$}}
// PARAMS: result 2 ones shape [2] values 1 1
// PARAMS: result 3 zeros shape [2] values 0 0
// SET: result 0 u shape [4] values 1 2 3 4
mlc.param @u : tensor<4xf32> {init = "uniform", scale = 0.01 : f64}
mlc.param @n : tensor<4xf32> {init = "normal", scale = 0.001 : f64}
mlc.param @ones : tensor<2xf32> {init = "ones", scale = 0.0 : f64}
mlc.param @zeros : tensor<2xf32> {init = "zeros", scale = 0.0 : f64}
func.func @params() -> (tensor<4xf32> {mlc.name = "u"}, tensor<4xf32> {mlc.name = "n"},
                        tensor<2xf32> {mlc.name = "ones"}, tensor<2xf32> {mlc.name = "zeros"}) {
  %u = mlc.param_ref @u : tensor<4xf32>
  %n = mlc.param_ref @n : tensor<4xf32>
  %o = mlc.param_ref @ones : tensor<2xf32>
  %z = mlc.param_ref @zeros : tensor<2xf32>
  return %u, %n, %o, %z : tensor<4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<2xf32>
}
