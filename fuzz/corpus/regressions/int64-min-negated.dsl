# -INT64_MIN in a shape expression: failed without a diagnostic.
model M {
  l = Linear(-(-9223372036854775807 - 1), 2)
  def forward(x: f32[N, 4]) -> f32[N, 2] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 4]
  data y: i64[N]
  loss = cross_entropy(model(x), y)
  optimizer = Adam()
}
