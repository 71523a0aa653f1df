# Cross-entropy over 16 classes: its sums over the classes of each row.
model M {
  l = Linear(8, 16)
  def forward(x: f32[N, 8]) -> f32[N, 16] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  data y: i64[N]
  loss = cross_entropy(model(x), y)
  optimizer = SGD(lr=0.1)
}
