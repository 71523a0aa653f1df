# RUN: mlc compile %s --emit=halide | FileCheck %s
# Each entry point as a Halide pipeline: inputs, the algorithm (one Func per
# op, Halide dim d0 = the last tensor dim), then the schedule.

model M {
  l = Linear(4, 3)
  def forward(x: f32[N, 4]) -> f32[N, 3] { return softmax(l(x) * 2 - 1, axis=-1) }
}
train t(model: M) {
  data x: f32[N, 4]
  data y: i64[N]
  loss = cross_entropy(model(x), y)
  optimizer = SGD(lr=0.1)
}

# CHECK-LABEL: pipeline train_step
# CHECK-NEXT: inputs: l_weight:f32x2d l_bias:f32x1d x:f32x2d y:i64x1d
# CHECK-NEXT: algorithm:
# CHECK-NEXT: f0_linear(d0, d1) = ((float32)f0_linear_sum(d1, d0) + (float32)l_bias_im(d0))
# CHECK: f2_mul(d0, d1) = ((float32)f0_linear(d0, d1)*(float32)f1_constant())
# CHECK: f5_softmax(d0, d1) =
# CHECK: f0_linear_sum(d1, d0) = ((float32)f0_linear_sum(d1, d0) + ((float32)x_im(f0_linear_k$x, d1)*(float32)l_weight_im(f0_linear_k$x, d0)))
# CHECK: schedule:
# The scale-and-shift chain is fused into the softmax's input.
# CHECK-DAG: f2_mul.compute_inline();
# CHECK-DAG: f0_linear.compute_root().vectorize(d0, {{8|16}}).parallel(d1);
# CHECK-LABEL: pipeline eval_step
# CHECK-LABEL: pipeline predict
