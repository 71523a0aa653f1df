# A loss summed over every element (MSE): on the CPU the sum keeps 8
# partial sums in one vector (rfactor of the contiguous dim); on a GPU each
# row is summed by its own thread, then the rows by one thread (no atomics;
# ScheduleGPU.cpp's splitByDim, more in gpu-reductions.dsl).
# RUN: mlc compile %s --target x86-64-linux-avx2-fma-sse41 --emit=halide | FileCheck %s --check-prefix=CPU
# RUN: mlc compile %s --target opencl --emit=halide | FileCheck %s --check-prefix=GPU

model M {
  l = Linear(16, 64)
  def forward(x: f32[N, 16]) -> f32[N, 64] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 16]
  data y: f32[N, 64]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}

# CPU: kernel train_step_k1_mse_loss(
# CPU: schedule:
# CPU: sum.compute_root(); update(0).split(r, ro, ri, 8).rfactor(ri, lane): 8 partial sums in a vector;
# GPU: kernel train_step_k1_mse_loss(
# GPU: schedule:
# GPU: sum.compute_root().gpu_single_thread(); update(0) split by dim: sum_intm.compute_root().gpu_tile(l0_1, 128).update().gpu_tile(l0_1, 128); then update(0).gpu_single_thread();

# A sum along the contiguous dim of each row (softmax's backward, here
# softmax_grad over the last axis of [N, 4, 16]): 8 partial sums per row
# from whole vector loads, inside the gradient's loop over rows, not 8 rows
# gathered into the lanes of a vector.
# RUN: mlc compile %S/Inputs/row-sum.dsl --target x86-64-linux-avx2-fma-sse41 --emit=halide | FileCheck %s --check-prefix=ROW
# ROW: kernel train_step_k{{[0-9]+}}_softmax_grad(
# ROW: schedule:
# ROW: [[G:f[0-9]+_softmax_grad]].vectorize(d0, 8);
# ROW: [[G]]_dot.compute_at([[G]], d1); update(0).split(r, ro, ri, 8).rfactor(ri, lane): 8 partial sums per row in a vector;

# Fused into its scale (read by two products), softmax_grad's row sums are
# computed in the scale's loop over rows.
# RUN: mlc compile %S/Inputs/scaled-softmax.dsl --target x86-64-linux-avx2-fma-sse41 --emit=halide | FileCheck %s --check-prefix=SCALED
# SCALED: kernel train_step_k{{[0-9]+}}_div(
# SCALED: schedule:
# SCALED-DAG: [[G:f[0-9]+_softmax_grad]].compute_inline();
# SCALED-DAG: [[G]]_dot.compute_at([[D:f[0-9]+_div]], d1); update(0).split(r, ro, ri, 8).rfactor(ri, lane): 8 partial sums per row in a vector;
# SCALED-DAG: [[D]].vectorize(d0, 8);

# predict's and eval_step's copies of an op (Funcs Halide renamed
# "f2_softmax$2") keep their row helpers in their own loop over rows.
# RUN: mlc compile %S/Inputs/row-sum.dsl --target x86-64-linux-avx2-fma-sse41 --emit=halide | FileCheck %s --check-prefix=PREDICT
# PREDICT: kernel predict_k{{[0-9]+}}_softmax(
# PREDICT: schedule:
# PREDICT: [[S:f[0-9]+_softmax\$[0-9]+]].vectorize(d0, 8);
# PREDICT-NEXT: {{f[0-9]+}}_softmax_den{{\$[0-9]+}}.compute_at([[S]], d1);
# PREDICT-NEXT: {{f[0-9]+}}_softmax_exp{{\$[0-9]+}}.compute_at([[S]], d1)
# PREDICT-NEXT: {{f[0-9]+}}_softmax_max{{\$[0-9]+}}.compute_at([[S]], d1);

# Cross-entropy over 16 classes: the sum of exp(z - max) over each row's
# classes keeps 8 partial sums per row like the maximum does (it reads the
# row's max along the rows, but that is one value per row; with the rows in
# lanes each load gathered 8 rows).
# RUN: mlc compile %S/Inputs/ce16.dsl --target x86-64-linux-avx2-fma-sse41 --emit=halide | FileCheck %s --check-prefix=CE
# CE: kernel train_step_k{{[0-9]+}}_cross_entropy(
# CE: schedule:
# CE: maximum.compute_root().vectorize(d0, 8); update(0).split(r, ro, ri, 8).rfactor(ri, lane): 8 partial sums per row in a vector;
# CE-NEXT: sum.compute_root().vectorize(d0, 8); update(0).split(r, ro, ri, 8).rfactor(ri, lane): 8 partial sums per row in a vector;

# Sums over the batch of a sequence model, for x86: split in two halves of
# the batch, one partial sum per thread, added in a fixed order (numerics:
# compiled-vs-oracle.test, seq_grad.dsl at batch 13). The bias gradient
# over [N, 64] rows (a kernel for any extents):
# RUN: mlc compile %S/Inputs/ln-grad.dsl --target x86-64-linux-avx2-fma-sse41 --emit=halide | FileCheck %s --check-prefix=LN
# LN: kernel train_step_k{{[0-9]+}}_sum(
# LN: _sum_sum.compute_root().vectorize(d0, 8); update(0).split(batch, ro, ri, (batch + 1) / 2).rfactor(ro, half): a partial sum per half of the batch, in parallel;  // any extents
# Layer norm's dw and db likewise; its row statistics ([N, 64, 1]) are few
# values but read every row, so they are computed over the threads.
# LN: kernel train_step_k{{[0-9]+}}_layer_norm_grad(
# LN: [[D:f[0-9]+_layer_norm_grad_dwdb]].compute_root().vectorize(d0, 8); update(0).split(batch, ro, ri, (batch + 1) / 2).rfactor(ro, half): a partial sum per half of the batch, in parallel;
# LN: _layer_norm_grad_stats.compute_root().parallel(d2);

# A loss over a batch of larger samples ([N, 1000], the seed autoencoder's
# MSE): a partial sum per half of the batch on the two threads, each from 8
# partial sums in a vector. ([N, 64] above: one thread.)
# RUN: mlc compile %S/../../examples/autoencoder.dsl --target x86-64-linux-avx2-fma-sse41 --emit=halide | FileCheck %s --check-prefix=HALVES
# HALVES: kernel train_step_k{{[0-9]+}}_mse_loss(
# HALVES: sum.compute_root(); update(0).split(batch, bo, bi, (batch + 1) / 2).rfactor(bo, half) in parallel, each half .split(r, ro, ri, 8).rfactor(ri, lane): 8 partial sums in a vector;
