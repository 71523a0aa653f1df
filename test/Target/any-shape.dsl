# Kernels compiled once for every shape (Kernel::anyShape): the optimizer
# updates and the bias gradients read buffers only, so one compiled kernel
# per rank serves every parameter; a layer repeated with the same shapes
# (b and c) calls the first one's kernels.
# RUN: rm -rf %t && mlc compile %s --emit=obj -o %t
# RUN: FileCheck %s --check-prefix=OBJ < %t/model.cpp
# RUN: mlc compile %s --emit=halide | FileCheck %s --check-prefix=SCHED
model M {
  a = Linear(16, 32)
  b = Linear(32, 32)
  c = Linear(32, 32)
  d = Linear(32, 8)
  def forward(x: f32[N, 16]) -> f32[N, 8] { return d(relu(c(relu(b(relu(a(x))))))) }
}
train t(model: M) {
  data x: f32[N, 16]
  data y: f32[N, 8]
  loss = mse(model(x), y)
  optimizer = Adam(lr=0.01)
}

# b and c: one forward kernel.
# OBJ: {"train_step_k1_relu", train_step_k1_relu_argv, 5, train_step_k1_relu_slots, 1, false},
# OBJ-NEXT: {"train_step_k2_relu", train_step_k1_relu_argv, 5, train_step_k2_relu_slots, 1, false},
# Every bias gradient (8 and 32 wide) is the first one's kernel.
# OBJ: {"train_step_k7_sum", train_step_k7_sum_argv, 2, train_step_k7_sum_slots, 1, false},
# OBJ: {"train_step_k10_sum", train_step_k7_sum_argv, 2, train_step_k10_sum_slots, 1, false},
# OBJ: {"train_step_k13_sum", train_step_k7_sum_argv, 2, train_step_k13_sum_slots, 1, false},
# OBJ: {"train_step_k16_sum", train_step_k7_sum_argv, 2, train_step_k16_sum_slots, 1, false},
# Eight Adam updates of four shapes: two compiled kernels (weights, biases),
# each writing its three outputs in place (KernelSpec::inPlace).
# OBJ: {"train_step_k17_adam_update", train_step_k17_adam_update_argv, 8, train_step_k17_adam_update_slots, 3, true},
# OBJ-NEXT: {"train_step_k18_adam_update", train_step_k18_adam_update_argv, 8,
# OBJ-NEXT: {"train_step_k19_adam_update", train_step_k17_adam_update_argv, 8,
# OBJ-NEXT: {"train_step_k20_adam_update", train_step_k18_adam_update_argv, 8,
# OBJ-NEXT: {"train_step_k21_adam_update", train_step_k17_adam_update_argv, 8,
# OBJ-NEXT: {"train_step_k22_adam_update", train_step_k18_adam_update_argv, 8,
# OBJ-NEXT: {"train_step_k23_adam_update", train_step_k17_adam_update_argv, 8,
# OBJ-NEXT: {"train_step_k24_adam_update", train_step_k18_adam_update_argv, 8,

# The bias gradient: a vector of columns summed over the rows, no batch
# argument (the rows are the buffer's extent), the last vector guarded.
# SCHED: kernel train_step_k7_sum(train_step_k5_mul_r0) -> [[SUM:f[0-9]+_sum]]
# SCHED: schedule:
# SCHED-NEXT: [[SUM]].vectorize(d0, 8);  // any extents
# SCHED-NEXT: [[SUM]]_sum.compute_root().vectorize(d0, 8); update(0).reorder(d0, r).vectorize(d0);  // any extents
# Adam: one loop over the rows writing the parameter and both moments; a
# weight's rows split in two halves over the threads from 2^16 elements, a
# run-time choice.
# SCHED: kernel train_step_k17_adam_update(
# SCHED: schedule:
# SCHED-DAG: [[P:f[0-9]+_adam_update]]_param.vectorize(d0, 8);  // any extents
# SCHED-DAG: _adam_update_step_size.compute_root();  // any extents
# SCHED-DAG: [[P]]_m.compute_with([[P]]_param, d0);
# SCHED-DAG: [[P]]_param.split(d1, ho, hi, elements < 65536 ? rows : (rows + 1) / 2).parallel(ho);
# SCHED-DAG: [[P]]_v.compute_with([[P]]_param, d0);
# GPU targets keep a kernel per update (their schedules are written for
# static extents).
# RUN: mlc compile %s --emit=halide --target opencl | FileCheck %s --check-prefix=GPU
# GPU-NOT: any extents

# A weight of 2^20 elements and a 16x1024 one share the compiled update: the
# halves are decided at run time.
# RUN: rm -rf %t.large && mlc compile %S/Inputs/any-shape-large.dsl --emit=obj -o %t.large
# RUN: FileCheck %s --check-prefix=LARGE < %t.large/model.cpp
# RUN: mlc compile %S/Inputs/any-shape-large.dsl --emit=halide | FileCheck %s --check-prefix=LSCHED
# LARGE: {"train_step_k9_adam_update", train_step_k9_adam_update_argv, 8,
# LARGE-NEXT: {"train_step_k10_adam_update", train_step_k10_adam_update_argv, 8,
# LARGE-NEXT: {"train_step_k11_adam_update", train_step_k9_adam_update_argv, 8,
# LARGE-NEXT: {"train_step_k12_adam_update", train_step_k10_adam_update_argv, 8,
# LSCHED: kernel train_step_k9_adam_update(
# LSCHED: _adam_update_param.split(d1, ho, hi, elements < 65536 ? rows : (rows + 1) / 2).parallel(ho);

# Bias gradients over [N, 8] rows, summed in halves of the batch: the split
# reads the input's extent (`<buffer>.extent.2`), renamed with its buffer
# in the kernel's canonical text, so both share one compiled kernel.
# RUN: rm -rf %t.seq && mlc compile %S/Inputs/seq-biases.dsl --emit=obj -o %t.seq
# RUN: FileCheck %s --check-prefix=SEQ < %t.seq/model.cpp
# SEQ: {"train_step_k5_sum", train_step_k5_sum_argv, 2,
# SEQ: {"train_step_k8_sum", train_step_k5_sum_argv, 2,
