# GPU targets: the schedule pass labels every root op with its GPU schedule
# class (mlc.gpu), and code generation gives each class its GPU schedule.
# Nothing here needs a GPU: --emit stops before code is generated.
# RUN: mlc compile %s --target cuda --emit=mlir-sched | FileCheck %s --check-prefix=SCHED
# RUN: mlc compile %s --target cuda --emit=halide | FileCheck %s --check-prefix=CUDA
# RUN: mlc compile %s --target opencl --emit=halide | FileCheck %s --check-prefix=OCL
# A CPU target gets no labels.
# RUN: mlc compile %s --emit=mlir-sched | FileCheck %s --check-prefix=CPU

model M {
  l = Linear(64, 32)
  n = LayerNorm(32)
  def forward(x: f32[N, 64]) -> f32[N, 32] { return softmax(n(relu(l(x))), axis=-1) }
}
train t(model: M) {
  data x: f32[N, 64]
  data y: i64[N]
  loss = cross_entropy(model(x), y)
  optimizer = Adam(lr=0.01)
}

# SCHED-LABEL: func.func @train_step
# The product fuses into its ReLU; the kernel is a product.
# SCHED: mlc.linear {{.*}}mlc.schedule = "fuse"
# SCHED: mlc.relu {{.*}}{mlc.gpu = "gemm", mlc.schedule = "root"}
# SCHED: mlc.layer_norm {{.*}}{mlc.gpu = "rows", mlc.schedule = "root"}
# SCHED: mlc.softmax {{.*}}{mlc.gpu = "rows", mlc.schedule = "root"}
# SCHED: mlc.cross_entropy {{.*}}{mlc.gpu = "scalar", mlc.schedule = "root"}
# SCHED: mlc.softmax_grad {{.*}}{mlc.gpu = "rows", mlc.schedule = "root"}
# SCHED: mlc.layer_norm_grad {{.*}}{mlc.gpu = "reduce", mlc.schedule = "root"}
# SCHED: mlc.linear_weight_grad {{.*}}{mlc.gpu = "gemm", mlc.schedule = "root"}
# SCHED: mlc.sum {{.*}}{mlc.gpu = "reduce", mlc.schedule = "root"}
# SCHED: mlc.adam_update {{.*}}mlc.gpu = "elementwise", mlc.schedule = "root"
# CPU-NOT: mlc.gpu

# CUDA-LABEL: function train_step (target {{.*}}cuda-cuda_capability_86
# Products: 16x16 output tiles per block, accumulators in shared memory, B
# staged in shared memory a 16-wide k chunk at a time. Every operand index
# is clamped, so whole tiles past the edges read valid memory.
# CUDA: kernel train_step_k0_relu(l_bias, l_weight, x, batch) -> f1_relu
# CUDA-NEXT: algorithm:
# CUDA-NEXT: f0_linear_packed(d0, d1) = (float32)l_weight(max(min(d1, 64 - 1), 0), max(min(d0, 32 - 1), 0))
# CUDA: f0_linear_acc(d0, d1) = ((float32)f0_linear_acc(d0, d1) + ((float32)x(f0_linear_k$x, max(min(d1, batch - 1), 0))*(float32)f0_linear_packed(d0, f0_linear_k$x)))
# CUDA: schedule:
# CUDA-NEXT: // mlc.gpu = "gemm"
# CUDA-NEXT: f1_relu.gpu_tile(d0, d1, 16, 16); f0_linear_acc.compute_at(f1_relu, pb).gpu_threads(d0, d1) shared, update.split(k, ko, ki, 16).reorder(ki, d0, d1, ko); f0_linear_packed.compute_at(f0_linear_acc, ko).gpu_threads() B chunk staged in shared memory;
# CUDA-NEXT: f0_linear.compute_inline();
# Row ops: a thread per row computes the row's statistics, then the row.
# CUDA: kernel train_step_k1_layer_norm(
# CUDA: // mlc.gpu = "rows"
# CUDA-NEXT: f2_layer_norm.gpu_tile(d1, 64) one thread per row;
# CUDA-NEXT: f2_layer_norm_sum.compute_at(f2_layer_norm, t) in the row's thread;
# CUDA-NEXT: f2_layer_norm_var.compute_at(f2_layer_norm, t) in the row's thread;
# CUDA: kernel train_step_k2_softmax(
# CUDA: // mlc.gpu = "rows"
# CUDA-NEXT: f3_softmax.gpu_tile(d1, 64) one thread per row;
# The loss: one thread for the scalar, per-row helpers one thread per row.
# CUDA: kernel train_step_k3_cross_entropy(
# CUDA: // mlc.gpu = "scalar"
# CUDA-NEXT: f4_cross_entropy.gpu_single_thread();
# CUDA-NEXT: f4_cross_entropy_lse.compute_root().gpu_tile(d0, 128);
# The softmax's gradient: a thread per row, its row sum in that thread.
# CUDA: kernel train_step_k{{[0-9]+}}_softmax_grad(
# CUDA: // mlc.gpu = "rows"
# CUDA-NEXT: [[G:f[0-9]+_softmax_grad]].gpu_tile(d1, 64) one thread per row;
# CUDA-NEXT: [[G]]_dot.compute_at([[G]], t) in the row's thread;
# The weight gradient is a product summed over the batch.
# CUDA: kernel train_step_k{{[0-9]+}}_linear_weight_grad(
# CUDA: // mlc.gpu = "gemm"
# CUDA-NEXT: .gpu_tile(d0, d1, 16, 16);
# Reductions: a thread per output element, the sum serial inside it (no
# atomics): a bias gradient sums its column over the batch.
# CUDA: kernel train_step_k{{[0-9]+}}_sum(
# CUDA: // mlc.gpu = "reduce"
# CUDA-NEXT: [[S:f[0-9]+_sum]].gpu_tile(d0, 128);
# CUDA-NEXT: [[S]]_sum.compute_root().gpu_tile(d0, 128); update(0).gpu_tile(d0, 128);
# Optimizer updates: elementwise 16x16 tiles, each output its own loop;
# the bias corrections once per step, in one thread.
# CUDA: kernel train_step_k{{[0-9]+}}_adam_update(
# CUDA: // mlc.gpu = "elementwise"
# CUDA-NEXT: _adam_update_bc2_rsqrt.compute_root().gpu_single_thread();
# CUDA-NEXT: _adam_update_m.gpu_tile(d0, d1, 16, 16);
# CUDA-NEXT: _adam_update_param.gpu_tile(d0, d1, 16, 16);
# CUDA-NEXT: _adam_update_step_size.compute_root().gpu_single_thread();
# CUDA-NEXT: _adam_update_v.gpu_tile(d0, d1, 16, 16);
# CUDA-LABEL: function eval_step
# CUDA-LABEL: function predict

# OCL-LABEL: function train_step (target {{.*}}cl_doubles{{.*}}opencl
# OCL: // mlc.gpu = "gemm"
# OCL-NEXT: f1_relu.gpu_tile(d0, d1, 16, 16);
