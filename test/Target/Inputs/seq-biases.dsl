# Two Linear layers of different widths over [N, 8] positions: two bias
# gradients over [N, 8] rows.
model M {
  a = Linear(16, 32)
  b = Linear(32, 24)
  def forward(x: f32[N, 8, 16]) -> f32[N, 8, 24] { return b(relu(a(x))) }
}
train t(model: M) {
  data x: f32[N, 8, 16]
  data y: f32[N, 8, 24]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}
