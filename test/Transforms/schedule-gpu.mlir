// RUN: mlc-opt %s -mlc-schedule=gpu=true | FileCheck %s
// On a GPU a softmax gradient is a row kernel of its own (a thread per row
// is given only to a row op's own kernel); its scale is elementwise.

func.func @train_step(%y: tensor<?x4x8x8xf32>, %dy: tensor<?x4x8x8xf32>) -> tensor<?x4x8x8xf32> {
  %g = mlc.softmax_grad %y, %dy axis = 3 : tensor<?x4x8x8xf32>
  %c = mlc.constant 4.000000e+00 : tensor<f32>
  %d = mlc.div %g, %c : tensor<?x4x8x8xf32>, tensor<f32> -> tensor<?x4x8x8xf32>
  return %d : tensor<?x4x8x8xf32>
}
// CHECK-LABEL: func.func @train_step
// CHECK: mlc.softmax_grad %{{.+}} {mlc.gpu = "rows", mlc.schedule = "root"}
// CHECK: mlc.div %{{.+}} {mlc.gpu = "elementwise", mlc.schedule = "root"}
