# A reshape reads its input through groups of dims that map onto each other:
# a dim split in several is indexed 16 h + e (no division or modulo per
# element), and only a merge divides.
# RUN: mlc compile %s --train t --emit=halide | FileCheck %s
# RUN: mlc compile %s --train merged --emit=halide | FileCheck %s --check-prefix=MERGED
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

# A merge read by a Linear layer is a kernel of its own (the attention's
# heads merged back): its vectors stay within one run of 16 contiguous
# input floats (split by the run, the output bound to whole runs), where
# the division and modulo vanish and the loads are whole vectors.
model Merged {
  l = Linear(64, 64)
  o = Linear(64, 64)
  def forward(x: f32[N, 8, 64]) -> f32[N, 8, 64] {
    let h = reshape(l(x), [N, 8, 4, 16])
    return o(reshape(relu(h), [N, 8, 64]))
  }
}
train merged(model: Merged) {
  data x: f32[N, 8, 64]
  data y: f32[N, 8, 64]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}
# MERGED: kernel train_step_k{{[0-9]+}}_reshape(
# MERGED: [[R:f[0-9]+_reshape]](d0, d1, d2) = (float32){{.*}}(d0 % 16, d0/16, d1, d2)
# MERGED: [[R]].bound(d0, 0, 64).split(d0, run, at, 16).vectorize(at, 8)
