# A reshape reads its input through groups of dims that map onto each other:
# a dim split in several is indexed 16 h + e (no division or modulo per
# element), and only a merge divides.
# RUN: mlc compile %s --emit=halide | FileCheck %s
model M {
  l = Linear(64, 64)
  def forward(x: f32[N, 8, 64]) -> f32[N, 8, 64] {
    let h = reshape(l(x), [N, 8, 4, 16])
    return reshape(relu(h), [N, 8, 64])
  }
}
train t(model: M) {
  data x: f32[N, 8, 64]
  data y: f32[N, 8, 64]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}
# CHECK-LABEL: function predict
# CHECK: _reshape{{.*}}(d0, d1, d2, d3) = (float32)predict_k0_linear_r0((d1*16) + d0, d2, d3)
# CHECK: _reshape{{.*}}(d0, d1, d2) = (float32){{.*}}_relu{{.*}}(d0 % 16, d0/16, d1, d2)
