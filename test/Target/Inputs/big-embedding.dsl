# A 50k-word embedding: its gradient keeps no per-sample tables (gpu-reductions.dsl).
model M {
  tok = Embedding(50000, 64)
  l = Linear(64, 64)
  def forward(ids: i64[N, 8]) -> f32[N, 8, 64] { return l(tok(ids)) }
}
train t(model: M) {
  data ids: i64[N, 8]
  data y: f32[N, 8, 64]
  loss = mse(model(ids), y)
  optimizer = Adam(lr=0.01)
}
