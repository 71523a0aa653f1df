# RUN: mlc compile %s --train wide --emit=halide | FileCheck %s --check-prefix=WIDE
# RUN: mlc compile %s --train seq --emit=halide | FileCheck %s --check-prefix=SEQ
# RUN: mlc compile %s --train ffn --emit=halide | FileCheck %s --check-prefix=FFN
# The four CPU schedules of a weight gradient dW[m, p] (ScheduleCPU.cpp):
# column strips of B outermost (the default), row chunks sharing one packed
# B when A's rows are long and B narrow (scheduleWideRows), and positions
# in blocks when the sum runs over a sequence (scheduleKBlocked), computed
# transposed when A is the wider operand (scheduleTransposed).

model Wide {
  dec = Linear(256, 1000)
  enc = Linear(1000, 256)
  def forward(x: f32[N, 1000]) -> f32[N, 1000] { return dec(enc(x)) }
}
train wide(model: Wide) {
  data x: f32[N, 1000]
  loss = mse(model(x), x)
  optimizer = SGD(lr=0.1)
}

# dW [1000, 256]: 1000 rows of A (4000 bytes), B a quarter as wide.
# WIDE: kernel train_step_k{{[0-9]+}}_linear_weight_grad({{.*}}) -> [[DEC:f[0-9]+_linear_weight_grad]]
# WIDE: [[DEC]].split(d1, mc, d1, 48).split(d0, po, pi, 16).split(d1, mo, mi, 6).reorder(pi, mi, po, mo, mc)
# WIDE-SAME: .parallel(mc); [[DEC]]_acc.compute_at(po) 2x8x6 registers, k innermost; [[DEC]]_packed.compute_root()
# dW [256, 1000]: short rows of A, wide B: strips of B outermost.
# WIDE: kernel train_step_k{{[0-9]+}}_linear_weight_grad({{.*}}x, batch) -> [[ENC:f[0-9]+_linear_weight_grad]]
# WIDE: [[ENC]].split(d0, po, pi, 16).split(d1, mo, mi, 6).reorder(pi, mi, mo, po)
# WIDE-SAME: .parallel(po); [[ENC]]_acc.compute_at(mo) 2x8x6 registers, k innermost; [[ENC]]_packed.compute_at(po);

model Seq {
  l = Linear(16, 32)
  def forward(x: f32[N, 64, 16]) -> f32[N, 64, 32] { return l(x) }
}
train seq(model: Seq) {
  data x: f32[N, 64, 16]
  data y: f32[N, 64, 32]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}

# SEQ: kernel train_step_k{{[0-9]+}}_linear_weight_grad({{.*}}) -> [[WG:f[0-9]+_linear_weight_grad]]
# SEQ: [[WG]]_acc.compute_root() update: positions in blocks of 128 outermost
# B's copy per (block, strip) is bounded to the block's 2 samples: a
# constant size (stack), not a halide_malloc per strip and block.
# SEQ-SAME: [[WG]]_packed.compute_at(apo); [[WG]]_packed.bound_storage(d2, 2);

model Ffn {
  up = Linear(128, 512)
  def forward(x: f32[N, 64, 128]) -> f32[N, 64, 512] { return up(x) }
}
train ffn(model: Ffn) {
  data x: f32[N, 64, 128]
  data y: f32[N, 64, 512]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}

# dW [512, 128] over [N, 64] positions: vectors along its 512 rows.
# FFN: kernel train_step_k{{[0-9]+}}_linear_weight_grad({{.*}}) -> [[UP:f[0-9]+_linear_weight_grad]]
# FFN: [[UP]].tile(d0, d1, 8x8).parallel(mo); [[UP]]_acc.compute_root().reorder_storage(d1, d0) update: positions in blocks of 128 outermost
# FFN-SAME: vectors along m), then row strips of 16 (parallel), columns in blocks of 6 (guarded); [[UP]]_rows.compute_at(amo) (A's strip packed); [[UP]]_packed inline
# FFN-SAME: [[UP]]_rows.bound_storage(d2, 2);
