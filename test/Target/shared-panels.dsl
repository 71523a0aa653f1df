# RUN: mlc compile %s --emit=halide | FileCheck %s
# A Linear's weight in a product over [N, T] rows is the same B for every
# sample: packed once, at root, in panels of 16 columns, each register
# block's strip contiguous (LoweringGemm.cpp), and the output bound to whole
# panels. A width that is not a multiple of 16 keeps the [k, p] copy.

model Seq {
  up = Linear(24, 32)
  head = Linear(32, 10)
  def forward(x: f32[N, 8, 24]) -> f32[N, 8, 10] { return head(relu(up(x))) }
}
train t(model: Seq) {
  data x: f32[N, 8, 24]
  data y: f32[N, 8, 10]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}

# CHECK: kernel train_step_k0_relu(
# CHECK: [[UP:f[0-9]+_linear]]_packed(d0, d1, d2) = (float32)up_weight(d1, (d2*16) + d0)
# CHECK: [[UP]]_acc(d0, d1, d2) + ((float32)x([[UP]]_k$x, d1, d2)*(float32)[[UP]]_packed(d0 % 16, [[UP]]_k$x, d0/16))
# CHECK: .bound(d0, 0, 32).parallel(d2).split(d0, po, pi, 16)
# CHECK-SAME: [[UP]]_packed.compute_root().vectorize(d0) (B shared by every sample, packed once)
# CHECK: kernel train_step_k1_linear(
# CHECK: [[HEAD:f[0-9]+_linear]]_packed(d0, d1) = (float32)head_weight(d1, max(min(d0, 10 - 1), 0))
# The input gradient through the head (B = its weight, 32 columns): panels.
# CHECK: kernel train_step_k{{[0-9]+}}_relu_grad(
# CHECK: [[DX:f[0-9]+_matmul]]_packed(d0, d1, d2) = (float32)head_weight((d2*16) + d0, d1)
# CHECK: .bound(d0, 0, 32).parallel(d2)
