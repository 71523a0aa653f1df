# Weight gradients over [N, T] positions, blocked in k (ScheduleCPU.cpp,
# scheduleKBlocked): 32 positions a sample, so blocks of 4 samples, and a
# batch of 13 leaves a last partial block; a's 22 output rows round up to
# register blocks of 6. Rows of 16 (two vectors): layer norm and softmax
# computed a row at a time, their statistics from partial sums.
model S {
  a = Linear(16, 22)
  b = Linear(22, 16)
  ln = LayerNorm(16)
  def forward(x: f32[N, 32, 16]) -> f32[N, 32, 16] {
    return softmax(ln(b(tanh(a(x)))), axis=-1)
  }
}
train t(model: S) {
  data x: f32[N, 32, 16]
  data y: f32[N, 32, 16]
  loss = mse(model(x), y)
  optimizer = Adam(lr=0.01)
}
