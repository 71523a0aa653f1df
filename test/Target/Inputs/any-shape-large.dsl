# A 1024x1024 weight (2^20 elements) and a 16x1024 one.
model M {
  a = Linear(1024, 1024)
  b = Linear(1024, 16)
  def forward(x: f32[N, 1024]) -> f32[N, 16] { return b(relu(a(x))) }
}
train t(model: M) {
  data x: f32[N, 1024]
  data y: f32[N, 16]
  loss = mse(model(x), y)
  optimizer = Adam(lr=0.01)
}
