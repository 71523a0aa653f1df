# RUN: mlc compile %s --emit=mlir | FileCheck %s
# RUN: mlc compile %s --emit=mlir --print-debuginfo | FileCheck %s --check-prefix=LOC
# RUN: mlc compile %s --emit=mlir | mlc-opt | FileCheck %s
# One op per DSL operation, parameters as symbols with their state_dict names
# and initializers, data as named arguments, and DSL locations on every op.

model Net {
  body = Sequential(Linear(4, 3), Tanh(), Linear(3, 2, bias=false))
  norm = LayerNorm(2)

  def forward(x: f32[N, 4]) -> f32[N, 2] {
    let h = norm(body(x))
    return softmax(h * 2 - max(h, axis=1, keepdim=true), axis=-1)
  }
}

train fit(model: Net) {
  data x: f32[N, 4]
  data y: i64[N]
  freeze model.norm
  loss = cross_entropy(model(x), y)
  metric acc = accuracy(model(x), y)
  optimizer = SGD(lr=0.5, momentum=0.9)
  batch_size = 8
  epochs = 3
}

# CHECK-LABEL: module @fit attributes
# CHECK-SAME: mlc.batch_size = 8 : i64
# CHECK-SAME: mlc.epochs = 3 : i64
# CHECK-SAME: mlc.model = "Net"
# CHECK-SAME: mlc.optimizer = {kind = "SGD", lr = 5.000000e-01 : f64, momentum = 9.000000e-01 : f64, weight_decay = 0.000000e+00 : f64}
# CHECK: mlc.param @body.0.weight : tensor<3x4xf32> {init = "uniform", scale = 5.000000e-01 : f64}
# CHECK: mlc.param @body.0.bias : tensor<3xf32> {init = "uniform", scale = 5.000000e-01 : f64}
# CHECK: mlc.param @body.2.weight : tensor<2x3xf32> {init = "uniform", scale = 0.57735026918962584 : f64}
# CHECK-NOT: @body.2.bias
# CHECK: mlc.param @norm.weight : tensor<2xf32> {frozen, init = "ones", scale = 0.000000e+00 : f64}
# CHECK: mlc.param @norm.bias : tensor<2xf32> {frozen, init = "zeros", scale = 0.000000e+00 : f64}

# CHECK-LABEL: func.func @loss(
# CHECK-SAME: %[[X:.+]]: tensor<?x4xf32> {mlc.name = "x"}, %[[Y:.+]]: tensor<?xi64> {mlc.name = "y"})
# CHECK-SAME: -> (tensor<f32> {mlc.name = "loss"}, tensor<f32> {mlc.name = "acc"})
# CHECK: %[[W0:.+]] = mlc.param_ref @body.0.weight : tensor<3x4xf32>
# CHECK: %[[B0:.+]] = mlc.param_ref @body.0.bias : tensor<3xf32>
# CHECK: %[[L0:.+]] = mlc.linear %[[X]], %[[W0]], %[[B0]] : tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32> -> tensor<?x3xf32>
# CHECK: %[[T:.+]] = mlc.tanh %[[L0]] : tensor<?x3xf32>
# CHECK: %[[W2:.+]] = mlc.param_ref @body.2.weight
# CHECK: %[[L2:.+]] = mlc.linear %[[T]], %[[W2]] : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
# CHECK: %[[H:.+]] = mlc.layer_norm %[[L2]], %{{.+}}, %{{.+}} eps = 1.000000e-05
# CHECK: %[[TWO:.+]] = mlc.constant 2.000000e+00 : tensor<f32>
# CHECK: %[[S:.+]] = mlc.mul %[[H]], %[[TWO]] : tensor<?x2xf32>, tensor<f32> -> tensor<?x2xf32>
# CHECK: %[[M:.+]] = mlc.max %[[H]] axes = [1] keepdim : tensor<?x2xf32> -> tensor<?x1xf32>
# CHECK: %[[D:.+]] = mlc.sub %[[S]], %[[M]] : tensor<?x2xf32>, tensor<?x1xf32> -> tensor<?x2xf32>
# CHECK: %[[P:.+]] = mlc.softmax %[[D]] axis = 1 : tensor<?x2xf32>
# The metric reuses the loss's forward graph (CSE): one softmax in @loss.
# CHECK-NOT: mlc.softmax
# CHECK: %[[CE:.+]] = mlc.cross_entropy %[[P]], %[[Y]] : tensor<?x2xf32>, tensor<?xi64> -> tensor<f32>
# CHECK: %[[ACC:.+]] = mlc.accuracy %[[P]], %[[Y]] : tensor<?x2xf32>, tensor<?xi64> -> tensor<f32>
# CHECK: return %[[CE]], %[[ACC]] : tensor<f32>, tensor<f32>

# CHECK-LABEL: func.func @predict(
# CHECK-SAME: %{{.+}}: tensor<?x4xf32> {mlc.name = "x"}) -> (tensor<?x2xf32> {mlc.name = "output"})
# CHECK: mlc.softmax
# CHECK: return

# LOC: mlc.param @body.0.weight {{.*}} loc("{{.*}}mlirgen.dsl":8:21)
# Ops of layers in a Sequential point at the layer; others at the expression.
# LOC: mlc.linear {{.*}} loc("{{.*}}mlirgen.dsl":8:21)
# LOC: mlc.tanh {{.*}} loc("{{.*}}mlirgen.dsl":8:35)
# LOC: mlc.linear {{.*}} loc("{{.*}}mlirgen.dsl":8:43)
# LOC: mlc.layer_norm {{.*}} loc("{{.*}}mlirgen.dsl":12:13)
# LOC: mlc.mul {{.*}} loc("{{.*}}mlirgen.dsl":13:20)
# LOC: mlc.max {{.*}} loc("{{.*}}mlirgen.dsl":13:28)
# LOC: mlc.cross_entropy {{.*}} loc("{{.*}}mlirgen.dsl":21:10)
