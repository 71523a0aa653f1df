# Layer norm over [N, 64, 32]: its backward's row statistics and its dw/db.
model M {
  ln = LayerNorm(32)
  l = Linear(32, 32)
  def forward(x: f32[N, 64, 32]) -> f32[N, 64, 32] { return l(ln(x)) }
}
train t(model: M) {
  data x: f32[N, 64, 32]
  data y: f32[N, 64, 32]
  loss = mse(model(x), y)
  optimizer = Adam(lr=0.01)
}
