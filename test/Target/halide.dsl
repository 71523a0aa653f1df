# RUN: mlc compile %s --train t --emit=halide | FileCheck %s
# Each entry point as a sequence of Halide kernels (one per op computed at
# root, with the elementwise ops fused into it): the kernel's inputs (the
# function's arguments, earlier kernels' results `<kernel>_r<n>`, the batch
# size), its algorithm (Halide dim d0 = the last tensor dim), its schedule.

model M {
  l = Linear(64, 32)
  def forward(x: f32[N, 64]) -> f32[N, 32] { return softmax(l(x) * 2 - 1, axis=-1) }
}
train t(model: M) {
  data x: f32[N, 64]
  data y: i64[N]
  loss = cross_entropy(model(x), y)
  optimizer = SGD(lr=0.1)
}

# CHECK-LABEL: function train_step
# CHECK-SAME: kernels
# CHECK-NEXT: inputs: l_weight:f32x2d l_bias:f32x1d x:f32x2d y:i64x1d

# The forward Linear is a packed, register-blocked matrix product.
# CHECK-NEXT: kernel train_step_k0_linear(l_bias, l_weight, x, batch) -> f0_linear
# CHECK-NEXT: algorithm:
# CHECK-NEXT: f0_linear_packed(d0, d1) = (float32)l_weight(d1, d0)
# CHECK-NEXT: f0_linear_acc(d0, d1) = 0.000000f
# CHECK-NEXT: f0_linear_acc(d0, d1) = ((float32)f0_linear_acc(d0, d1) + ((float32)x(f0_linear_k$x, d1)*(float32)f0_linear_packed(d0, f0_linear_k$x)))
# CHECK-NEXT: f0_linear(d0, d1) = ((float32)f0_linear_acc(d0, d1) + (float32)l_bias(d0))
# CHECK-NEXT: schedule:
# CHECK-NEXT: f0_linear.split(d0, po, pi, 16).split(d1, mo, mi, 6).reorder(pi, mi, mo, po).vectorize(pi, 8).unroll(pi).unroll(mi).parallel(po); f0_linear_acc.compute_at(mo) 2x8x6 registers, k innermost; f0_linear_packed.compute_at(po); rows shifted inwards when batch >= 6 (specialize), else one at a time;

# The scale-and-shift chain (and its constants) is computed inside the
# softmax that reads it, in its passes over each row.
# CHECK-NEXT: kernel train_step_k1_softmax(train_step_k0_linear_r0, batch) -> f5_softmax
# CHECK: f2_mul(d0, d1) = ((float32)train_step_k0_linear_r0(d0, d1)*(float32)f1_constant())
# CHECK: f5_softmax_max_intm(d0, d1, lane) = max((float32)f5_softmax_max_intm(d0, d1, lane), (float32)f4_sub(((f5_softmax_r$x.ro*8) + 0) + lane, d1))
# CHECK: schedule:
# CHECK-NEXT: f1_constant.compute_inline();
# CHECK-NEXT: f2_mul.compute_inline();
# CHECK-NEXT: f3_constant.compute_inline();
# CHECK-NEXT: f4_sub.compute_inline();
# CHECK-NEXT: f5_softmax.vectorize(d0, 8);

# The weight gradient contracts over the batch.
# CHECK: kernel train_step_k{{[0-9]+}}_linear_weight_grad({{.*}}x, batch) -> [[WG:f[0-9]+_linear_weight_grad]]
# CHECK: [[WG]].split(d0, po, pi, 16).split(d1, mo, mi, 6)

# CHECK-LABEL: function eval_step
# CHECK-LABEL: function predict

# A product narrower than a register block (3 classes) runs a row at a
# time; its output's class dim is bounded so the row's accumulator has a
# constant size (on the stack, not a halide_malloc per row).
model Narrow {
  l = Linear(64, 3)
  def forward(x: f32[N, 64]) -> f32[N, 3] { return l(x) }
}
train narrow(model: Narrow) {
  data x: f32[N, 64]
  data y: i64[N]
  loss = cross_entropy(model(x), y)
  optimizer = SGD(lr=0.1)
}
# RUN: mlc compile %s --train narrow --emit=halide | FileCheck %s --check-prefix=NARROW
# NARROW: kernel train_step_k0_linear
# NARROW: schedule:
# NARROW-NEXT: f0_linear.bound(d0, 0, 3); f0_linear_acc.compute_at(f0_linear, d1); f0_linear_packed.compute_root();

# A pure Func over the batch's rows with short rows (the MSE gradient,
# [N, 300]) runs over the threads as two halves of the batch, not a task a
# row (Halide hands tasks out one at a time under a lock).
model Wide {
  l = Linear(16, 300)
  def forward(x: f32[N, 16]) -> f32[N, 300] { return l(x) }
}
train wide(model: Wide) {
  data x: f32[N, 16]
  data y: f32[N, 300]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}
# RUN: mlc compile %s --train wide --emit=halide | FileCheck %s --check-prefix=WIDE
# WIDE: kernel train_step_k{{[0-9]+}}_mul(
# WIDE: [[G:f[0-9]+_mul]].vectorize(d0, 8).split(d1, ho, hi, (batch + 1) / 2).parallel(ho);
