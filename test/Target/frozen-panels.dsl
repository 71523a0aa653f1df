# RUN: mlc compile %s --emit=halide | FileCheck %s
# A frozen weight is the same at every step: its panels (LoweringGemm.cpp)
# are a kernel of their own, reading only that parameter (an invariant
# kernel, run once and kept by the runtime), and the product reads them
# from its buffer instead of packing B in every call. A trained weight's
# product packs as before; so does a frozen weight whose width is not a
# multiple of 16 (no whole panels).

model Enc {
  up = Linear(24, 32)
  narrow = Linear(32, 10)
  def forward(x: f32[N, 24]) -> f32[N, 10] { return narrow(relu(up(x))) }
}
model M {
  enc = Enc()
  head = Linear(10, 16)
  def forward(x: f32[N, 24]) -> f32[N, 16] { return head(enc(x)) }
}
train t(model: M) {
  data x: f32[N, 24]
  data y: f32[N, 16]
  freeze model.enc
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}

# CHECK: kernel train_step_k0_pack(enc_up_weight) -> [[UP:f[0-9]+_linear]]_packed
# CHECK-NEXT: algorithm:
# CHECK-NEXT: [[UP]]_packed(d0, d1, d2) = (float32)enc_up_weight(d1, (d2*16) + d0)
# CHECK: kernel train_step_k1_relu(enc_up_bias, train_step_k0_pack_r0, x, batch)
# CHECK: [[UP]]_panels(d0, d1, d2) = (float32)train_step_k0_pack_r0(d0, d1, d2)
# CHECK: [[UP]]_acc(d0, d1) + ((float32)x([[UP]]_k$x, d1)*(float32)[[UP]]_panels(d0 % 16, [[UP]]_k$x, d0/16))
# CHECK: .bound(d0, 0, 32)
# CHECK-SAME: [[UP]]_panels inline (panels packed by an invariant kernel)
# CHECK-NOT: _pack(
# CHECK: kernel train_step_k2_linear(enc_narrow_bias, enc_narrow_weight,
# CHECK-NOT: _pack(
# CHECK: kernel train_step_k3_linear(head_bias, head_weight,
# CHECK: [[HEAD:f[0-9]+_linear]]_packed.compute_at(po)
# The same kernels in eval_step and predict (the runtime keeps their output
# over the batches of one command).
# CHECK: kernel eval_step_k0_pack(enc_up_weight)
# CHECK: kernel predict_k0_pack(enc_up_weight)
# RUN: rm -rf %t && mlc compile %s --emit=obj -o %t
# RUN: FileCheck %s --check-prefix=OBJ < %t/model.cpp
# OBJ: {"train_step_k0_pack", train_step_k0_pack_argv, 2, train_step_k0_pack_slots, 1, false, /*invariant=*/true},
# OBJ-NEXT: {"train_step_k1_relu", train_step_k1_relu_argv, 5, train_step_k1_relu_slots, 1, false},
