# RUN: mlc compile %s --emit=halide | FileCheck %s
# A product over [N, T] rows whose epilogue is transcendental (the GELU
# backward) computes each sample's product into a buffer of its own and
# streams the epilogue over it (scheduleStaged, ScheduleCPU.cpp); a cheap
# epilogue (the residual add) stays in the register block.

model Ffn {
  up = Linear(32, 128)
  down = Linear(128, 32)
  def forward(x: f32[N, 16, 32]) -> f32[N, 16, 32] { return x + down(gelu(up(x))) }
}
train t(model: Ffn) {
  data x: f32[N, 16, 32]
  loss = mse(model(x), x)
  optimizer = SGD(lr=0.1)
}

# The residual add of the forward pass: prefetched in the register block.
# CHECK: kernel train_step_k{{[0-9]+}}_add(
# CHECK: .prefetch({{.*}}).split(d0, po, pi, 16).split(d1, mo, mi, 6)
# CHECK: kernel train_step_k{{[0-9]+}}_gelu_grad(
# CHECK: _gelu_grad.bound(d0, 0, 128).parallel(d2).vectorize(d0, 8); [[ACC:f[0-9]+_matmul_acc]]_global_wrapper{{.*}}.compute_at(d2).split(d0, po, pi, 16).split(d1, mo, mi, 6).reorder(pi, mi, mo, po) (each sample's product staged, the epilogue streamed over it); [[ACC]].compute_at(mo)
