# RUN: mlc compile %s --emit=halide | FileCheck %s
# A product's column strips run over the threads only when there is more
# than one strip and enough work (32768 multiply-adds, rows counted as a
# batch of 64): a 10-class head over 32 features (20480) and a one-strip
# product run serially, a [N, 64] x [64, 32] one in parallel.

model M {
  up = Linear(64, 32)
  head = Linear(32, 10)
  one = Linear(10, 16)
  def forward(x: f32[N, 64]) -> f32[N, 16] { return one(head(up(x))) }
}
train t(model: M) {
  data x: f32[N, 64]
  data y: f32[N, 16]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}

# CHECK: kernel train_step_k0_linear(up_bias, up_weight, x, batch)
# CHECK: .reorder(pi, mi, mo, po).vectorize(pi, 8).unroll(pi).unroll(mi).parallel(po);
# CHECK: kernel train_step_k1_linear(head_bias, head_weight, train_step_k0_linear_r0, batch)
# CHECK: .split(d0, po, pi, 8).split(d1, mo, mi, 6).reorder(pi, mi, mo, po).vectorize(pi, 8).unroll(pi).unroll(mi); f{{[0-9]+}}_linear_acc
# CHECK: kernel train_step_k2_linear(one_bias, one_weight, train_step_k1_linear_r0, batch)
# CHECK: .split(d0, po, pi, 16).split(d1, mo, mi, 6).reorder(pi, mi, mo, po).vectorize(pi, 8).unroll(pi).unroll(mi); f{{[0-9]+}}_linear_acc
