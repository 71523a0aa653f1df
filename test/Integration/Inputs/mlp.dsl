# A small classifier: two linear layers, ReLU, cross-entropy, Adam.
model M {
  body = Sequential(Linear(6, 8), ReLU(), Linear(8, 3))
  def forward(x: f32[N, 6]) -> f32[N, 3] { return body(x) }
}
train t(model: M) {
  data x: f32[N, 6]
  data y: i64[N]
  loss = cross_entropy(model(x), y)
  metric acc = accuracy(model(x), y)
  optimizer = Adam(lr=0.01)
}
