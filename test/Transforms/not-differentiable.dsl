# RUN: not mlc compile %s --emit=mlir-train 2>&1 | FileCheck %s
# Something the language accepts but cannot differentiate, on the path from a
# trainable parameter to the loss, is a located error.

model M {
  l = Linear(4, 3)
  def forward(x: f32[N, 4]) -> f32[N, 3] { return l(x) }
}

train t(model: M) {
  data x: f32[N, 4]
  data y: i64[N]
  loss = cross_entropy(model(x), y) + 0.1 * accuracy(model(x), y)
  optimizer = SGD(lr=0.1)
}

# CHECK: not-differentiable.dsl:13:45: error: 'mlc.accuracy' has no gradient, but the loss depends on it through trainable parameters
# CHECK-NEXT: loss = cross_entropy(model(x), y) + 0.1 * accuracy(model(x), y)
# CHECK-NEXT: ^
