# GPU reductions over several dims in few threads are split by dim
# (ScheduleGPU.cpp, splitByDim; for products, k over blocks per sample in
# scheduleGemm): one kernel loop per reduced dim, innermost
# first, each summing the partial sums of the one before (rfactor); the
# order of the additions is fixed. And no thread tile spans a dim of extent
# 1 (a row statistic's kept dim). Numerics: opencl-oracle.test (seq_grad, seq_weight_grads).
# RUN: mlc compile %s --target cuda --emit=halide | FileCheck %s
# Partials are kept per sample only for at most 2^18 outputs (1 MiB a
# sample): a 50k-word embedding's gradient stays one serial scatter per column.
# RUN: mlc compile %S/Inputs/big-embedding.dsl --target cuda --emit=halide | FileCheck %s --check-prefix=BIG
# BIG: kernel train_step_k{{[0-9]+}}_embedding_grad(
# BIG: _embedding_grad.gpu_tile(d0, d1, 16, 16); update(0).gpu_tile(d0, 128);

model M {
  tok = Embedding(16, 32)
  ln = LayerNorm(32)
  l = Linear(32, 32)
  def forward(ids: i64[N, 8]) -> f32[N, 8, 32] { return l(ln(tok(ids))) }
}
train t(model: M) {
  data ids: i64[N, 8]
  data y: f32[N, 8, 32]
  loss = mse(model(ids), y)
  optimizer = Adam(lr=0.01)
}

# CHECK-LABEL: function train_step
# The MSE over [N, 8, 32] into a scalar: a thread per (position, sample)
# sums 32 terms, a thread per sample 8 partial sums, one thread the samples.
# CHECK: kernel train_step_k3_mse_loss(
# CHECK: sum.compute_root().gpu_single_thread(); update(0) split by dim: sum_intm.compute_root().gpu_tile(l0_1, l0_2, 16, 16).update().gpu_tile(l0_1, l0_2, 16, 16); sum_intm$1.compute_root().gpu_tile(l1_1, 128).update().gpu_tile(l1_1, 128); then update(0).gpu_single_thread();
# The weight gradient over [N, 8] positions: k split over blocks, each
# sample's partial product in a block of its own (the usual tile: B staged
# a 16-wide chunk at a time), then each output's partials summed in order.
# CHECK: kernel train_step_k6_linear_weight_grad(
# CHECK: [[W:f[0-9]+_linear_weight_grad]].gpu_tile(d0, d1, 16, 16); [[W]]_acc.compute_at([[W]], pb).gpu_threads(d0, d1) shared, update sums over kb; split k: [[W]]_acc_intm = rfactor(outer k, kb) per sample, [[W]]_acc_intm_global_wrapper$0.compute_root().gpu_tile(d0, d1, 16, 16).gpu_blocks(kb); [[W]]_acc_intm.compute_at([[W]]_acc_intm_global_wrapper$0, pb) shared, update.split(k, ko, ki, 16).reorder(ki, d0, d1, ko); [[W]]_packed.compute_at([[W]]_acc_intm, ko).gpu_threads() B chunk staged in shared memory;
# The bias gradient over [N, 8]: per (column, sample), then per column.
# CHECK: kernel train_step_k7_sum(
# CHECK: [[S:f[0-9]+_sum_sum]].compute_root().gpu_tile(d0, 128); update(0) split by dim: [[S]]_intm.compute_root().gpu_tile(d0, l0_1, 16, 16).update().gpu_tile(d0, l0_1, 16, 16); then update(0).gpu_tile(d0, 128);
# Layer norm's dw/db likewise; its row statistics tile (rows, samples), not
# the kept dim d0 of extent 1.
# CHECK: kernel train_step_k8_layer_norm_grad(
# CHECK: [[D:f[0-9]+_layer_norm_grad_dwdb]].compute_root().gpu_tile(d0, 128); update(0) split by dim: [[D]]_intm.compute_root().gpu_tile(d0, l0_1, 16, 16).update().gpu_tile(d0, l0_1, 16, 16); then update(0).gpu_tile(d0, 128);
# CHECK: _layer_norm_grad_stats.compute_root().gpu_tile(d1, d2, 16, 16);  // (d0, d1, d2)
# CHECK: _layer_norm_grad_sum.compute_root().gpu_tile(d1, d2, 16, 16); update(0).gpu_tile(d1, d2, 16, 16);
# The embedding gradient, a scatter over [N, 8]: each sample's positions
# into a table of its own (threads over columns and samples), then the
# tables summed (threads over the whole table).
# CHECK: kernel train_step_k9_embedding_grad(
# CHECK: [[E:f[0-9]+_embedding_grad]].gpu_tile(d0, d1, 16, 16); update(0) split by dim: [[E]]_intm.compute_root().gpu_tile(d0, d1, 16, 16).gpu_blocks(l0_1).update().gpu_tile(d0, l0_1, 16, 16); then update(0).gpu_tile(d0, d1, 16, 16);
# CHECK-LABEL: function eval_step
